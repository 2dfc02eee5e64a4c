/**
 * Helpers for the runbook tests: documents created through the official ssm client, response plans that run them,
 * incidents opened with StartIncident and handed to the runbook starter as the IncidentOpened event the change
 * stream will deliver, and reads of what the incident then shows (timeline, automationExecutions, runbook view).
 */
import { randomUUID } from 'node:crypto';
import {
  CreateDocumentCommand,
  GetAutomationExecutionCommand,
  type AutomationExecution as SsmExecution,
} from '@aws-sdk/client-ssm';
import {
  CreateResponsePlanCommand,
  GetIncidentRecordCommand,
  ListTimelineEventsCommand,
  StartIncidentCommand,
  type TimelineEvent,
} from '@aws-sdk/client-ssm-incidents';
import { createDynamoDbIncidentsStore } from '#adapters/dynamodb/store.ts';
import type { DomainEvent } from '#core/events/domain-events.ts';
import { workflowNameOf } from '#core/runbooks/model.ts';
import type { TestRuntime } from '../support/local-runtime.ts';

/** Polls `probe` until it returns without throwing, or fails with its last error at the deadline. */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

export const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export const ROLE_ARN = 'arn:aws:iam::111122223333:role/IncidentRunbookRole';

export async function createDocument(runtime: TestRuntime, content: string, name = uniqueName('runbook')) {
  await runtime
    .ssmClient()
    .send(
      new CreateDocumentCommand({ Name: name, Content: content, DocumentType: 'Automation', DocumentFormat: 'YAML' }),
    );
  return name;
}

export async function planFor(
  runtime: TestRuntime,
  documentName: string,
  automation: Record<string, unknown> = {},
  dedupeString?: string,
) {
  const name = uniqueName('plan');
  const { arn } = await runtime.incidentsClient().send(
    new CreateResponsePlanCommand({
      name,
      incidentTemplate: { title: 'Checkout is failing', impact: 2, ...(dedupeString ? { dedupeString } : {}) },
      actions: [{ ssmAutomation: { documentName, roleArn: ROLE_ARN, ...automation } }],
    }),
  );
  return arn!;
}

/** What the change stream will deliver for a new incident: IncidentOpened with the stored record. */
export async function openedEvent(runtime: TestRuntime, incidentArn: string): Promise<DomainEvent> {
  const store = createDynamoDbIncidentsStore({
    client: runtime.dynamodb,
    tableName: runtime.tableName,
    idempotencyWindowSeconds: 3600,
  });
  const incident = (await store.getIncident(incidentArn.slice(incidentArn.lastIndexOf('/') + 1)))!.record;
  return { type: 'IncidentOpened', id: randomUUID(), time: Date.now(), incident };
}

/** StartIncident; the incident reactor (the table's stream) starts the plan's runbooks. */
export async function openIncident(runtime: TestRuntime, planArn: string, extra: Record<string, unknown> = {}) {
  const { incidentRecordArn } = await runtime
    .incidentsClient()
    .send(new StartIncidentCommand({ responsePlanArn: planArn, ...extra }));
  await runtime.changes.caughtUp();
  return incidentRecordArn!;
}

export const incidentIdOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The runbook workflow of an incident's first action, once it runs. */
export const workflowOf = (runtime: TestRuntime, incidentArn: string, actionIndex = 0) =>
  runtime.runbooks.execution(workflowNameOf(incidentIdOf(incidentArn), actionIndex));

export async function incidentRecord(runtime: TestRuntime, arn: string) {
  return (await runtime.incidentsClient().send(new GetIncidentRecordCommand({ arn }))).incidentRecord!;
}

/** The execution id of the incident's runbook, once its workflow registered it. */
export async function executionIdOf(runtime: TestRuntime, incidentArn: string): Promise<string> {
  return eventually(async () => {
    const arn = (await incidentRecord(runtime, incidentArn)).automationExecutions?.[0]?.ssmExecutionArn;
    if (!arn) throw new Error('no automation execution yet');
    return arn.slice(arn.lastIndexOf('/') + 1);
  });
}

export async function execution(runtime: TestRuntime, id: string): Promise<SsmExecution> {
  return (await runtime.ssmClient().send(new GetAutomationExecutionCommand({ AutomationExecutionId: id })))
    .AutomationExecution!;
}

export async function waitForStatus(runtime: TestRuntime, id: string, status: string | string[]) {
  const wanted = Array.isArray(status) ? status : [status];
  return eventually(async () => {
    const found = await execution(runtime, id);
    if (!wanted.includes(found.AutomationExecutionStatus!))
      throw new Error(`execution is ${found.AutomationExecutionStatus}, waiting for ${wanted.join('/')}`);
    return found;
  });
}

/** Timeline events, oldest first, with their parsed eventData. */
export async function timeline(runtime: TestRuntime, incidentArn: string) {
  const events: TimelineEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await runtime
      .incidentsClient()
      .send(new ListTimelineEventsCommand({ incidentRecordArn: incidentArn, sortOrder: 'ASCENDING', nextToken }));
    events.push(...(page.eventSummaries as TimelineEvent[]));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The runbook events of an incident's timeline: `type: summary` lines, oldest first (eventData read one by one). */
export async function runbookTimeline(runtime: TestRuntime, incidentArn: string) {
  const { GetTimelineEventCommand } = await import('@aws-sdk/client-ssm-incidents');
  const lines: { type: string; data: Record<string, unknown> }[] = [];
  for (const summary of await timeline(runtime, incidentArn)) {
    if (!summary.eventType?.startsWith('SSM Automation')) continue;
    const { event } = await runtime
      .incidentsClient()
      .send(new GetTimelineEventCommand({ incidentRecordArn: incidentArn, eventId: summary.eventId }));
    lines.push({ type: summary.eventType, data: JSON.parse(event!.eventData!) });
  }
  return lines;
}
