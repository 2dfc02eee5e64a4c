/**
 * The `ssm` API's errors as the local Automation engine sends them. Every modelled SSM error is a client error (400,
 * except InternalServerError); the body is `{"__type": "<Name>", "Message": "..."}` (the model spells the member
 * `Message`) and the name also goes in `x-amzn-errortype`, so the official clients raise the modelled exception class.
 */
export type SsmErrorName =
  | 'ValidationException'
  | 'InvalidDocument'
  | 'InvalidDocumentContent'
  | 'InvalidDocumentSchemaVersion'
  | 'InvalidDocumentVersion'
  | 'InvalidDocumentOperation'
  | 'DocumentAlreadyExists'
  | 'DuplicateDocumentContent'
  | 'DuplicateDocumentVersionName'
  | 'MaxDocumentSizeExceeded'
  | 'InvalidFilterKey'
  | 'InvalidFilterValue'
  | 'InvalidNextToken'
  | 'AutomationDefinitionNotFoundException'
  | 'AutomationDefinitionVersionNotFoundException'
  | 'InvalidAutomationExecutionParametersException'
  | 'IdempotentParameterMismatch'
  | 'AutomationExecutionLimitExceededException'
  | 'AutomationExecutionNotFoundException'
  | 'AutomationStepNotFoundException'
  | 'InvalidAutomationSignalException'
  | 'InvalidAutomationStatusUpdateException'
  | 'InternalServerError';

export class SsmError extends Error {
  constructor(
    override readonly name: SsmErrorName,
    message: string,
  ) {
    super(message);
  }
  get httpStatus(): number {
    return this.name === 'InternalServerError' ? 500 : 400;
  }
}

/** `ValidationException` in the wording AWS uses for a constraint violation on one input member. */
export const invalidMember = (member: string, constraint: string, value?: unknown) =>
  new SsmError(
    'ValidationException',
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
