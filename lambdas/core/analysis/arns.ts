/**
 * ARNs of the analysis resources. They live in the ssm-incidents namespace with an empty region segment, like
 * incident records, so the shared tag operations (`/tags/{resourceArn}`) and IAM-style ARN matching treat them alike:
 * `analysis/<id>`, `analysis-template/<name>`, `action-item/<analysisId>/<itemId>`.
 */
import { ResourceNotFoundError, ValidationError } from '#core/shared/errors.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';

const base = (ctx: ServiceContext) => `arn:${ctx.partition}:ssm-incidents::${ctx.accountId}`;

export const analysisArn = (ctx: ServiceContext, analysisId: string) => `${base(ctx)}:analysis/${analysisId}`;
export const analysisTemplateArn = (ctx: ServiceContext, name: string) => `${base(ctx)}:analysis-template/${name}`;
export const actionItemArn = (ctx: ServiceContext, analysisId: string, itemId: string) =>
  `${base(ctx)}:action-item/${analysisId}/${itemId}`;

const ARN_PARTS = /^arn:(aws|aws-cn|aws-us-gov):ssm-incidents::([0-9]{12}):([a-z-]+)\/(.+)$/;

const parse = (ctx: ServiceContext, arn: string, field: string, kind: string, label: string) => {
  const match = ARN_PARTS.exec(arn);
  if (!match) throw new ValidationError(`Value at '${field}' is not an ssm-incidents ${label} ARN: ${arn}`, field);
  const [, partition, account, type, rest = ''] = match;
  if (type !== kind)
    throw new ValidationError(`Value at '${field}' is a ${type} ARN; expected an ${label} ARN: ${arn}`, field);
  // Another account's (or partition's) resource is not one this service holds.
  if (account !== ctx.accountId || partition !== ctx.partition)
    throw new ResourceNotFoundError(`The ${label} ${arn} does not exist.`, undefined, arn);
  return rest.split('/');
};

const ID = /^[0-9a-f-]{36}$/;

export const expectAnalysisArn = (ctx: ServiceContext, arn: string, field: string): { analysisId: string } => {
  const [analysisId, ...more] = parse(ctx, arn, field, 'analysis', 'analysis');
  if (!analysisId || more.length || !ID.test(analysisId))
    throw new ResourceNotFoundError(`The analysis ${arn} does not exist.`, undefined, arn);
  return { analysisId };
};

export const expectActionItemArn = (
  ctx: ServiceContext,
  arn: string,
  field: string,
): { analysisId: string; itemId: string } => {
  const [analysisId, itemId, ...more] = parse(ctx, arn, field, 'action-item', 'action item');
  if (!analysisId || !itemId || more.length || !ID.test(analysisId) || !ID.test(itemId))
    throw new ResourceNotFoundError(`The action item ${arn} does not exist.`, undefined, arn);
  return { analysisId, itemId };
};
