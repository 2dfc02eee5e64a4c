/**
 * The decisions of the runbook workflow (state-machines/runbook.asl.json), one function per Task the worker serves:
 *
 * - `prepare`: reads the incident and its plan's action, resolves the runbook's parameters (static ones, then the
 *   dynamic INCIDENT_RECORD_ARN and INVOLVED_RESOURCES, then the plan's role as the document's assume role) and
 *   answers the StartAutomationExecution request the Start state sends, with a ClientToken derived from the incident
 *   and the action, so a start that is retried or redelivered finds the execution it already started.
 * - `follow`: registers the started execution on the incident (automationExecutions, an AUTOMATION related item, the
 *   "started" event), stores the workflow's task token and records what already happened; the wait ends when
 *   `recordProgress` sees the execution end.
 * - `recordStartFailure`: the start failed (no such document, bad parameters, a role SSM cannot use...): the incident
 *   stays open and its timeline says why.
 */
import { expectIncidentArn } from '#core/incidents/arns.ts';
import type { RelatedItemRecord } from '#core/incidents/ports.ts';
import { generatedIdOf } from '#core/incidents/related-item-ids.ts';
import { sha256Hex } from '#core/shared/ids.ts';
import {
  executionArnOf,
  type RunbookDependencies,
  type RunbookRecord,
  type RunbookRef,
  type RunbookWorkflowInput,
  type StartAutomationRequest,
} from './model.ts';
import { recordProgress } from './progress.ts';
import { startedEvent, startFailureEvent } from './timeline.ts';

/** The incident or its runbook is gone (deleted, or the plan changed): nothing to start. The workflow just ends. */
export class RunbookNotApplicable extends Error {
  override readonly name = 'RunbookNotApplicable';
}

/** A UUID-shaped ClientToken (SSM requires the format) that is the same for every start of this incident's action. */
export const clientTokenOf = (incidentArn: string, actionIndex: number) => {
  const hex = sha256Hex(`runbook|${incidentArn}|${actionIndex}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** `{{ AutomationAssumeRole }}` -> `AutomationAssumeRole`. */
const WHOLE_REFERENCE = /^\{\{\s*([A-Za-z0-9_]+)\s*\}\}$/;

/** The account in an ARN (`arn:aws:cloudwatch:us-east-1:111122223333:alarm:x` -> `111122223333`). */
const accountOf = (arn: string | undefined) => arn?.split(':')[4] || undefined;

export interface Prepared {
  runbook: RunbookRef;
  start: StartAutomationRequest;
}

export async function prepare(deps: RunbookDependencies, input: RunbookWorkflowInput): Promise<Prepared> {
  const { incidentId } = expectIncidentArn(deps.service, input.incidentArn, 'incidentArn');
  const incident = (await deps.incidents.getIncident(incidentId))?.record;
  if (!incident || incident.arn !== input.incidentArn)
    throw new RunbookNotApplicable(`Incident ${input.incidentArn} no longer exists.`);
  const plan = (await deps.incidents.getResponsePlan(incident.responsePlanName))?.record;
  const action = plan?.actions?.[input.actionIndex];
  if (!action || !('ssmAutomation' in action))
    throw new RunbookNotApplicable(
      `Response plan ${incident.responsePlanName} has no runbook at action ${input.actionIndex}.`,
    );
  const automation = action.ssmAutomation;
  const runbook: RunbookRef = {
    incidentArn: incident.arn,
    incidentId,
    actionIndex: input.actionIndex,
    documentName: automation.documentName,
    ...(automation.documentVersion ? { documentVersion: automation.documentVersion } : {}),
  };

  const parameters: Record<string, string[]> = { ...(automation.parameters ?? {}) };
  for (const [name, { variable }] of Object.entries(automation.dynamicParameters ?? {})) {
    if (variable === 'INCIDENT_RECORD_ARN') parameters[name] = [incident.arn];
    else parameters[name] = await involvedResources(deps, incidentId);
  }
  // The plan's role is the role "the automation document will assume when running": it fills the parameter the
  // document's assumeRole names, unless the plan sets that parameter itself.
  const document = await deps.automation.documentRole(automation.documentName, automation.documentVersion);
  const roleParameter = document?.roleParameter;
  if (roleParameter && parameters[roleParameter] === undefined) parameters[roleParameter] = [automation.roleArn];

  const impacted = accountOf(incident.incidentRecordSource.resourceArn) ?? deps.service.accountId;
  const crossAccount = automation.targetAccount === 'IMPACTED_ACCOUNT' && impacted !== deps.service.accountId;
  return {
    runbook,
    start: {
      DocumentName: automation.documentName,
      ...(automation.documentVersion ? { DocumentVersion: automation.documentVersion } : {}),
      Parameters: parameters,
      ClientToken: clientTokenOf(incident.arn, input.actionIndex),
      ...(crossAccount
        ? {
            TargetLocations: [
              {
                Accounts: [impacted],
                Regions: [deps.service.region],
                ExecutionRoleName: 'AWS-SystemsManager-AutomationExecutionRole',
              },
            ],
          }
        : {}),
    },
  };
}

/** INVOLVED_RESOURCES: the ARNs of the incident's INVOLVED_RESOURCE related items (from the alarm, event or caller). */
async function involvedResources(deps: RunbookDependencies, incidentId: string): Promise<string[]> {
  const items: RelatedItemRecord[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.incidents.listRelatedItems(incidentId, 100, nextToken);
    items.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return items
    .filter((item) => item.identifier.type === 'INVOLVED_RESOURCE' && 'arn' in item.identifier.value)
    .map((item) => (item.identifier.value as { arn: string }).arn);
}

/** Parses a documentRole answer from a document's assumeRole text. */
export const roleParameterOf = (assumeRole: unknown): string | undefined =>
  typeof assumeRole === 'string' ? WHOLE_REFERENCE.exec(assumeRole.trim())?.[1] : undefined;

export async function follow(
  deps: RunbookDependencies,
  input: { runbook: RunbookRef; executionId: string; taskToken: string },
  now: number,
): Promise<void> {
  const { runbook, executionId, taskToken } = input;
  const executionArn = executionArnOf(deps.service, executionId);
  const existing = await deps.runbooks.get(executionId);
  if (existing) {
    // The workflow waits again (a retried task, or the periodic re-arm): only the token changes.
    await deps.runbooks.setTaskToken(executionId, taskToken);
  } else {
    const execution = await deps.automation.getExecution(executionId);
    const relatedItem: RelatedItemRecord = {
      identifier: { type: 'AUTOMATION', value: { arn: executionArn } },
      title: runbook.documentName,
      generatedId: generatedIdOf({ type: 'AUTOMATION', value: { arn: executionArn } }),
      addedTime: now,
    };
    const record: RunbookRecord = {
      executionId,
      executionArn,
      incidentId: runbook.incidentId,
      incidentArn: runbook.incidentArn,
      actionIndex: runbook.actionIndex,
      documentName: runbook.documentName,
      ...(execution?.documentVersion || runbook.documentVersion
        ? { documentVersion: execution?.documentVersion ?? runbook.documentVersion }
        : {}),
      taskToken,
      recorded: {},
      status: 'Pending',
      ended: false,
      registeredTime: now,
    };
    const started = startedEvent(
      runbook,
      {
        executionArn,
        ...(execution?.startTime ? { startTime: execution.startTime } : {}),
        ...(execution?.documentVersion ? { documentVersion: execution.documentVersion } : {}),
      },
      relatedItem.generatedId,
      now,
    );
    const result = await deps.runbooks.register(record, relatedItem, started);
    if (result === 'exists') await deps.runbooks.setTaskToken(executionId, taskToken);
    if (result === 'incident-gone') {
      deps.warn?.('the incident was deleted before its runbook could be registered', { executionId });
      await deps.tokens.succeed(taskToken, { executionId, status: 'IncidentDeleted' });
      return;
    }
  }
  // Whatever happened before the registration (the first steps, even the end) is recorded now.
  await recordProgress(deps, executionId, now);
}

export async function recordStartFailure(
  deps: RunbookDependencies,
  input: { runbook: RunbookRef; error?: { Error?: string; Cause?: string } },
  now: number,
): Promise<void> {
  const name = input.error?.Error?.replace(/^Ssm\./, '') ?? 'Error';
  const reason = `${name}: ${input.error?.Cause ?? 'unknown cause'}`;
  try {
    await deps.incidents.createTimelineEvent(
      input.runbook.incidentId,
      startFailureEvent(input.runbook, reason, now),
      {
        operation: 'ssm:RunbookStartFailure',
        token: `${input.runbook.incidentArn}#${input.runbook.actionIndex}`,
        inputHash: sha256Hex(reason),
      },
      now,
    );
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException' || (error as Error).name === 'ConflictException') return;
    throw error;
  }
}
