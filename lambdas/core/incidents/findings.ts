/**
 * ListIncidentFindings and BatchGetIncidentFindings. Findings (CodeDeploy deployments and CloudFormation stack
 * updates near an incident's start) are not collected yet, so these answer with valid empty results.
 */
import { ValidationError } from '#core/shared/errors.ts';
import { list, optional, required, string, struct } from '#core/shared/validation.ts';
import { loadIncident } from './incidents.ts';
import type { Operation } from './operation.ts';
import { arnString, maxResults, nextToken } from './shapes.ts';

const listInput = struct({
  incidentRecordArn: required(arnString()),
  maxResults: optional(maxResults(20)),
  nextToken: optional(nextToken),
});

export const listIncidentFindings = (async (deps, ctx, raw) => {
  const input = listInput.parse(raw, '');
  // Every answer fits one page, so no nextToken is ever issued: a token sent back cannot be one of ours.
  if (input.nextToken !== undefined)
    throw new ValidationError('The nextToken is not valid for this request.', 'nextToken');
  await loadIncident(deps, ctx, input.incidentRecordArn, 'incidentRecordArn');
  return { findings: [] };
}) satisfies Operation<'ListIncidentFindings'>;

const batchInput = struct({
  incidentRecordArn: required(arnString()),
  findingIds: required(list(string({ min: 1, max: 128 }), { max: 20 })),
});

export const batchGetIncidentFindings = (async (deps, ctx, raw) => {
  const input = batchInput.parse(raw, '');
  await loadIncident(deps, ctx, input.incidentRecordArn, 'incidentRecordArn');
  return {
    findings: [],
    errors: input.findingIds.map((findingId) => ({
      findingId,
      code: 'ResourceNotFoundException',
      message: `Finding ${findingId} does not exist.`,
    })),
  };
}) satisfies Operation<'BatchGetIncidentFindings'>;
