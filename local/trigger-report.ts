/**
 * What `npm run trigger` says after the intake answered: the incident, whether the alarm opened it or joined an open
 * one (and how to get a new one), and who was paged or why nobody. Everything is read back through the public API
 * (ssm-incidents: the incident, its plan, the paging events on its timeline), as any client could, so what it
 * prints is what a responder would find.
 */
import {
  GetIncidentRecordCommand,
  GetResponsePlanCommand,
  GetTimelineEventCommand,
  type IncidentRecord,
  paginateListTimelineEvents,
  type SSMIncidentsClient,
} from '@aws-sdk/client-ssm-incidents';
import type { TriggerOutcome } from '#core/alerting/intake.ts';
import { PAGING_EVENT_TYPES } from '#core/contacts/engagements/model.ts';

export interface PagingEvent {
  type: 'paged' | 'unreachable';
  /** The timeline event's own sentence, e.g. `Paged alice (EMAIL).` */
  summary: string;
  references: string[];
}

export interface PagingReport {
  /** Contacts the response plan engages (their ARNs); empty = the plan pages nobody. */
  planContacts: string[];
  events: PagingEvent[];
  /** The wait ended before every engaged contact was accounted for. */
  timedOut: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nameOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The paging events (pages sent, people who could not be paged) on an incident's timeline, oldest first. */
async function pagingEvents(client: SSMIncidentsClient, incidentRecordArn: string): Promise<PagingEvent[]> {
  const events: PagingEvent[] = [];
  const pages = paginateListTimelineEvents(
    { client },
    {
      incidentRecordArn,
      filters: [
        {
          key: 'eventType',
          condition: { equals: { stringValues: [PAGING_EVENT_TYPES.page, PAGING_EVENT_TYPES.unreachable] } },
        },
      ],
      sortOrder: 'ASCENDING',
    },
  );
  for await (const page of pages)
    for (const summary of page.eventSummaries ?? []) {
      const { event } = await client.send(new GetTimelineEventCommand({ incidentRecordArn, eventId: summary.eventId }));
      let data: { summary?: string } = {};
      try {
        data = JSON.parse(event?.eventData ?? '{}');
      } catch {
        // A paging event always carries JSON; a foreign one is shown by its type.
      }
      events.push({
        type: summary.eventType === PAGING_EVENT_TYPES.page ? 'paged' : 'unreachable',
        summary: data.summary ?? summary.eventType ?? '',
        references: (summary.eventReferences ?? []).flatMap((r) => (r.resource ? [r.resource] : [])),
      });
    }
  return events;
}

/**
 * Waits (at most `waitMs`) until every contact the plan engages has been paged or reported unreachable. A contact
 * that is an escalation plan or on-call schedule pages other people (child engagements): once such pages or reports
 * appear and nothing new arrives for one poll, the first round is taken as complete.
 */
export async function waitForPaging(
  client: SSMIncidentsClient,
  incident: IncidentRecord,
  responsePlanArn: string,
  waitMs: number,
): Promise<PagingReport> {
  const { engagements = [] } = await client.send(new GetResponsePlanCommand({ arn: responsePlanArn }));
  const planContacts = [...engagements];
  if (planContacts.length === 0 || waitMs <= 0) return { planContacts, events: [], timedOut: waitMs <= 0 };
  const deadline = Date.now() + waitMs;
  let previous = -1;
  for (;;) {
    const events = await pagingEvents(client, incident.arn as string);
    const referenced = new Set(events.flatMap((e) => e.references));
    const missing = planContacts.filter((arn) => !referenced.has(arn));
    const othersReached = events.some((e) => e.references.some((arn) => !planContacts.includes(arn)));
    const settled = missing.length === 0 || (othersReached && events.length === previous);
    if (settled) return { planContacts, events, timedOut: false };
    if (Date.now() >= deadline) return { planContacts, events, timedOut: true };
    previous = events.length;
    await sleep(250);
  }
}

/** How to run an ssm-incidents command against this endpoint, for the hints printed. */
const cli = (endpoint: string, command: string) => `aws ssm-incidents ${command} --endpoint-url ${endpoint}`;

export function describePaging(report: PagingReport, planName: string, planArn: string, endpoint: string): string[] {
  if (report.planContacts.length === 0)
    return [
      `Nobody was paged: response plan ${planName} engages no contact.`,
      `  Add one: ${cli(endpoint, `update-response-plan --arn ${planArn} --engagements <contact ARN>`)}`,
    ];
  const paged = report.events.filter((e) => e.type === 'paged');
  const unreachable = report.events.filter((e) => e.type === 'unreachable');
  const lines: string[] = [];
  for (const e of paged) lines.push(e.summary);
  for (const e of unreachable) lines.push(`Not paged: ${e.summary}`);
  if (paged.length) lines.push('  The pages and their acknowledgement codes: npm run outbox');
  else if (unreachable.length) lines.unshift('Nobody was paged.');
  if (report.timedOut) {
    const referenced = new Set(report.events.flatMap((e) => e.references));
    const waiting = report.planContacts.filter((arn) => !referenced.has(arn)).map(nameOf);
    lines.push(
      `${paged.length || unreachable.length ? 'Still' : 'Nobody paged yet:'} waiting for ${waiting.join(', ')}; ` +
        'paging goes on in npm start (its [outbox] and [paging] lines; npm run outbox lists pages).',
    );
  }
  return lines;
}

/** The first lines: what the intake did with the alarm, and for a joined incident how to get a new one. */
export function describeOutcome(
  outcome: TriggerOutcome,
  incident: IncidentRecord | undefined,
  endpoint: string,
  planDedupeString?: string,
) {
  const arn = outcome.incidentRecordArn ?? '';
  const what = incident ? `"${incident.title}" (impact ${incident.impact}, ${incident.status})` : '';
  switch (outcome.outcome) {
    case 'created':
      return [
        `CREATED incident ${arn}`,
        `  ${what}, response plan ${outcome.responsePlanName}, trigger ${outcome.triggerArn}`,
      ];
    case 'deduplicated':
      return [
        `JOINED the open incident ${arn}`,
        `  ${what}: this alarm was recorded on it as a trigger; no new incident, nobody new paged.`,
        planDedupeString
          ? `  Response plan ${outcome.responsePlanName} gives its incidents the dedupe string "${planDedupeString}": while one is open, its triggers join it.`
          : `  While an incident opened by this alarm (${outcome.triggerArn}) is open, the alarm joins it.`,
        '  To open a new incident, resolve this one:',
        `    ${cli(endpoint, `update-incident-record --arn ${arn} --status RESOLVED`)}`,
        planDedupeString
          ? `  or give the plan another dedupe string (update-response-plan --arn <plan ARN> --incident-template-dedupe-string ...).`
          : '  (or send another alarm: each alarm ARN opens its own incident).',
      ];
    case 'duplicate-delivery':
      return [
        `ALREADY RECORDED: this exact delivery was seen before (incident ${arn}); nothing written.`,
        '  That is the duplicate-delivery protection (--exact replays the file byte for byte); without --exact,',
        '  npm run trigger sends the alarm as a fresh delivery.',
      ];
    case 'recorded-ok':
      return [`RECOVERED: the alarm is OK again; added a timeline event to ${arn} (it stays open until resolved).`];
    default:
      return [`NOTHING OPENED: ${outcome.reason}`];
  }
}

export async function incidentOf(client: SSMIncidentsClient, arn: string): Promise<IncidentRecord | undefined> {
  return (await client.send(new GetIncidentRecordCommand({ arn }))).incidentRecord;
}

/** The dedupe string the plan gives its incidents, if any (without one, an alarm dedupes by its own ARN). */
export async function planDedupeStringOf(client: SSMIncidentsClient, planArn: string): Promise<string | undefined> {
  const { incidentTemplate } = await client.send(new GetResponsePlanCommand({ arn: planArn }));
  return incidentTemplate?.dedupeString || undefined;
}

/** The paging report as data (`npm run trigger -- --json`): the plan's contacts, the sentences paged and not. */
export const pagingSummary = (report: PagingReport) => ({
  planContacts: report.planContacts,
  paged: report.events.filter((e) => e.type === 'paged').map((e) => e.summary),
  notPaged: report.events.filter((e) => e.type === 'unreachable').map((e) => e.summary),
  timedOut: report.timedOut,
});
