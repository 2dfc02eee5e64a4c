/**
 * ARN formats of the ssm-incidents service. Its ARNs have an empty region segment
 * (`arn:aws:ssm-incidents::111122223333:response-plan/name`), and incident records embed the plan name, which IAM
 * policies rely on (`incident-record/myplan/*`).
 */
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';

export const GENERIC_ARN = /^arn:aws(-cn|-us-gov)?:[a-z0-9-]*:[a-z0-9-]*:([0-9]{12})?:.+$/;

export const responsePlanArn = (ctx: ServiceContext, name: string) =>
  `arn:${ctx.partition}:ssm-incidents::${ctx.accountId}:response-plan/${name}`;

export const incidentRecordArn = (ctx: ServiceContext, responsePlanName: string, incidentId: string) =>
  `arn:${ctx.partition}:ssm-incidents::${ctx.accountId}:incident-record/${responsePlanName}/${incidentId}`;

export const replicationSetArn = (ctx: ServiceContext, id: string) =>
  `arn:${ctx.partition}:ssm-incidents::${ctx.accountId}:replication-set/${id}`;

export type IncidentsResource =
  | { kind: 'response-plan'; name: string }
  | { kind: 'incident-record'; responsePlanName: string; incidentId: string }
  | { kind: 'replication-set'; id: string }
  /** The post-incident analysis extension's resources (lambdas/core/analysis/arns.ts), taggable like the rest. */
  | { kind: 'analysis'; analysisId: string }
  | { kind: 'analysis-template'; name: string };

const ARN_PARTS = /^arn:(aws|aws-cn|aws-us-gov):ssm-incidents:[a-z0-9-]*:([0-9]{12}):(.+)$/;

/**
 * Parses an ssm-incidents ARN. A well-formed ARN of another account or of an unknown resource kind names nothing
 * here, so it is "not found"; a string that is not an ssm-incidents ARN at all is a validation error on `field`.
 */
export const parseIncidentsArn = (ctx: ServiceContext, arn: string, field: string): IncidentsResource => {
  const match = ARN_PARTS.exec(arn);
  if (!match) throw new ValidationError(`Invalid ARN at '${field}': ${arn}`, field);
  const [, , account, resource = ''] = match;
  const notFound = () => new ResourceNotFoundError(`Resource not found: ${arn}`, undefined, arn);
  if (account !== ctx.accountId) throw notFound();
  const segments = resource.split('/');
  const [type] = segments;
  // CloudWatch alarm actions document `responseplan/<name>`; the SDK and CDK use `response-plan/<name>`.
  if ((type === 'response-plan' || type === 'responseplan') && segments.length === 2 && segments[1])
    return { kind: 'response-plan', name: segments[1] };
  if (type === 'incident-record' && segments.length === 3 && segments[1] && segments[2])
    return { kind: 'incident-record', responsePlanName: segments[1], incidentId: segments[2] };
  if (type === 'replication-set' && segments.length === 2 && segments[1])
    return { kind: 'replication-set', id: segments[1] };
  if (type === 'analysis' && segments.length === 2 && segments[1]) return { kind: 'analysis', analysisId: segments[1] };
  if (type === 'analysis-template' && segments.length === 2 && segments[1])
    return { kind: 'analysis-template', name: segments[1] };
  throw notFound();
};

export const expectResponsePlanArn = (ctx: ServiceContext, arn: string, field: string) => {
  const resource = parseIncidentsArn(ctx, arn, field);
  if (resource.kind !== 'response-plan')
    throw new ResourceNotFoundError(`Response plan not found: ${arn}`, 'RESPONSE_PLAN', arn);
  return resource;
};

export const expectIncidentArn = (ctx: ServiceContext, arn: string, field: string) => {
  const resource = parseIncidentsArn(ctx, arn, field);
  if (resource.kind !== 'incident-record')
    throw new ResourceNotFoundError(`Incident record not found: ${arn}`, 'INCIDENT_RECORD', arn);
  return resource;
};
