/**
 * Domain errors. Each has a stable `name` that is also the AWS error type the HTTP edge sends back
 * (`x-amzn-errortype`, `__type`), so Step Functions `Retry`/`Catch` and SDK `instanceof` checks can match on it.
 * The HTTP status and the modelled members live here too, so the edge maps errors in one place.
 */

export type IncidentsResourceType =
  | 'RESPONSE_PLAN'
  | 'INCIDENT_RECORD'
  | 'TIMELINE_EVENT'
  | 'REPLICATION_SET'
  | 'RESOURCE_POLICY';

/** ssm-contacts models ResourceType as a free string; these are the values this implementation sends. */
export type ContactsResourceType =
  | 'CONTACT'
  | 'CONTACT_CHANNEL'
  | 'ROTATION'
  | 'ROTATION_OVERRIDE'
  | 'ENGAGEMENT'
  | 'PAGE';

export type ResourceType = IncidentsResourceType | ContactsResourceType;

/** ssm-contacts ValidationException.Reason. */
export type ValidationReason = 'UNKNOWN_OPERATION' | 'CANNOT_PARSE' | 'FIELD_VALIDATION_FAILED' | 'OTHER';

/** ssm-contacts ConflictException.DependentEntities: which resources depend on the one in use, and how. */
export interface DependentEntity {
  relationType: string;
  dependentResourceIds: string[];
}

export abstract class DomainError extends Error {
  abstract readonly httpStatus: number;
  /** Members the Smithy model declares on this error, in the service's own casing. */
  modelledMembers(): Record<string, unknown> {
    return {};
  }
}

export class ValidationError extends DomainError {
  override readonly name = 'ValidationException';
  readonly httpStatus = 400;
  constructor(
    message: string,
    /** Dotted path of the offending input member, when one field is to blame. */
    readonly field?: string,
    /**
     * Why the request failed validation, for services that model it (ssm-contacts). Undefined means
     * FIELD_VALIDATION_FAILED when a field is named and OTHER otherwise.
     */
    readonly reason?: ValidationReason,
  ) {
    super(message);
  }
}

export class ResourceNotFoundError extends DomainError {
  override readonly name = 'ResourceNotFoundException';
  readonly httpStatus = 404;
  constructor(
    message: string,
    readonly resourceType?: ResourceType,
    readonly resourceIdentifier?: string,
  ) {
    super(message);
  }
  override modelledMembers() {
    return { resourceType: this.resourceType, resourceIdentifier: this.resourceIdentifier };
  }
}

export class ConflictError extends DomainError {
  override readonly name = 'ConflictException';
  readonly httpStatus = 409;
  constructor(
    message: string,
    readonly resourceType?: ResourceType,
    readonly resourceIdentifier?: string,
    /** ssm-contacts only: the resources that keep this one from being deleted or changed. */
    readonly dependentEntities?: DependentEntity[],
  ) {
    super(message);
  }
  /** The ssm-incidents members; the ssm-contacts edge renders its own (lambdas/http/contacts-errors.ts). */
  override modelledMembers() {
    return { resourceType: this.resourceType, resourceIdentifier: this.resourceIdentifier };
  }
}

/**
 * The record changed between this request's read and its write (optimistic versioning). Still a ConflictException
 * on the wire; operations that re-read and re-apply a partial update retry on it instead of failing.
 */
export class StaleVersionError extends ConflictError {}

export class ServiceQuotaExceededError extends DomainError {
  override readonly name = 'ServiceQuotaExceededException';
  readonly httpStatus = 402;
  constructor(
    message: string,
    readonly quotaCode: string,
    readonly resourceType?: ResourceType,
    readonly resourceIdentifier?: string,
  ) {
    super(message);
  }
  override modelledMembers() {
    return {
      serviceCode: 'ssm-incidents',
      quotaCode: this.quotaCode,
      resourceType: this.resourceType,
      resourceIdentifier: this.resourceIdentifier,
    };
  }
}

export class AccessDeniedError extends DomainError {
  override readonly name = 'AccessDeniedException';
  readonly httpStatus = 403;
}

export class ThrottlingError extends DomainError {
  override readonly name = 'ThrottlingException';
  readonly httpStatus = 429;
  override modelledMembers() {
    return { serviceCode: 'ssm-incidents', quotaCode: 'throttling' };
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
