/** Validation shapes the analysis operations share (the same constraint language as the ssm-incidents shapes). */
import { ValidationError } from '#core/shared/errors.ts';
import { enumOf, type Schema, string } from '#core/shared/validation.ts';
import { ACTION_ITEM_PRIORITIES, ACTION_ITEM_STATUSES, ANALYSIS_STATUSES } from './ports.ts';

export { arnString, clientToken, maxResults, nextToken, tagMap } from '#core/incidents/shapes.ts';

/** SSM document names: what Incident Manager's templates are named by. */
export const templateName = string({
  min: 3,
  max: 128,
  pattern: /^[a-zA-Z0-9_\-.]{3,128}$/,
  patternText: '^[a-zA-Z0-9_\\-.]{3,128}$',
});
export const templateVersion: Schema<number> = { parse: (value, path) => positiveInteger(value, path) };
export const displayName = string({ min: 1, max: 200 });
export const description = string({ max: 2000 });
export const analysisTitle = string({ min: 1, max: 200 });
export const analysisStatus = enumOf(ANALYSIS_STATUSES);
export const sectionId = string({ min: 1, max: 64 });
export const questionId = string({ min: 1, max: 64 });
/** A markdown answer: up to 20,000 characters (a long 5 Whys fits; a section stays well under DynamoDB's 400 KB). */
export const answer = string({ max: 20_000 });
export const actionItemStatus = enumOf(ACTION_ITEM_STATUSES);
export const actionItemPriority = enumOf(ACTION_ITEM_PRIORITIES);
export const actionItemTitle = string({ min: 1, max: 200 });
export const actionItemDescription = string({ max: 8000 });
const CONTACT_ARN = /^arn:aws(-cn|-us-gov)?:ssm-contacts:[a-z0-9-]*:([0-9]{12}):contact\/[a-z0-9_-]+$/;
export const contactArn = string({ max: 2048, pattern: CONTACT_ARN, patternText: CONTACT_ARN.source });
export const trackingLink = string({
  min: 1,
  max: 2048,
  pattern: /^https?:\/\/[^\s]+$/,
  patternText: '^https?://[^\\s]+$',
});
export const eventType = string({ min: 1, max: 100 });
export const eventData = string({ max: 12_000 });
export const exportFormat = enumOf(['MARKDOWN', 'JSON'] as const);

/** An integer >= 1, also from a query-string member (where every value arrives as text). */
function positiveInteger(value: unknown, path: string): number {
  const number = typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1)
    throw new ValidationError(
      `1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must be an integer greater than or equal to 1`,
      path,
    );
  return number;
}
