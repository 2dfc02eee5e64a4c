/**
 * Runs a chat command as the Slack user who typed it, through the very operations the API serves (StartIncident,
 * UpdateIncidentRecord, CreateTimelineEvent, ListIncidentRecords, ListEngagements, AcceptPage...): every rule
 * (validation, idempotency, timeline events, paging reactions, notifications) applies exactly as for an API call,
 * and the Slack user is the caller recorded in createdBy / lastModifiedBy and the timeline.
 *
 * Replies follow Slack's conventions: what only the asker needs (help, list, show, errors, refusals) is ephemeral;
 * what changes an incident is posted in the channel, so everyone there sees who did what.
 */
import { contactArn } from '#core/contacts/arns.ts';
import { acceptPage, listEngagements, listPagesByEngagement } from '#core/contacts/engagements/operations.ts';
import type { ContactsDependencies } from '#core/contacts/operation.ts';
import { responsePlanArn } from '#core/incidents/arns.ts';
import { EVENT_TYPES } from '#core/incidents/automatic-events.ts';
import {
  getIncidentRecord,
  listIncidentRecords,
  startIncident,
  updateIncidentRecord,
} from '#core/incidents/incidents.ts';
import type { Dependencies } from '#core/incidents/operation.ts';
import { createTimelineEvent, getTimelineEvent, listTimelineEvents } from '#core/incidents/timeline.ts';
import { formatDuration, impactText } from '#core/notifications/incident-notification.ts';
import { incidentPageUrl, SHORT_ID_LENGTH } from '#core/notifications/links.ts';
import { displayPrincipal } from '#core/shared/principals.ts';
import type { RequestContext, ServiceContext } from '#core/shared/service-context.ts';
import { CHAT_COMMANDS, type ChatAuthorization, type ChatRequester } from './authorization.ts';
import { type ChatCommand, ChatUsageError, USAGE } from './commands.ts';
import { ChatCommandError, type ChatReply, ephemeral, escapeSlack } from './replies.ts';

export interface ChatDependencies {
  incidents: Dependencies;
  contacts: Required<ContactsDependencies>;
  service: ServiceContext;
  authorization: ChatAuthorization;
  consoleUrl?: string;
  chatCommand: string;
}

export interface ChatInvocation {
  command: ChatCommand;
  requester: ChatRequester & { userName?: string };
  /** The caller recorded for the changes (slack:<team>:<user>). */
  principal: string;
  now: number;
  /** Slack's per-invocation trigger_id: the clientToken of a start, so a repeated request opens one incident. */
  requestToken?: string;
}

const inChannel = (text: string): ChatReply => ({ response_type: 'in_channel', text });
const quote = (text: string) => escapeSlack(text).replace(/\n/g, '\n>');

/** The wire view of an incident the operations return (timestamps in epoch seconds). */
interface IncidentView {
  arn: string;
  title: string;
  status: 'OPEN' | 'RESOLVED';
  impact: number;
  summary?: string;
  creationTime: number;
  resolvedTime?: number;
  lastModifiedBy?: string;
  incidentRecordSource: { createdBy: string; source: string };
}

const idOfArn = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
const shortId = (arn: string) => idOfArn(arn).slice(0, SHORT_ID_LENGTH);
const planOfArn = (arn: string) => arn.split('/')[1] ?? '';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPEN_FILTER = [{ key: 'status', condition: { equals: { stringValues: ['OPEN'] } } }];

export async function runChatCommand(deps: ChatDependencies, invocation: ChatInvocation): Promise<ChatReply> {
  const ctx: RequestContext = { ...deps.service, caller: { principalArn: invocation.principal }, now: invocation.now };
  const who = `<@${invocation.requester.userId}>`;
  const cmd = deps.chatCommand;
  const link = (arn: string) => incidentPageUrl(deps.consoleUrl, { arn });
  const label = (view: Pick<IncidentView, 'arn' | 'title'>) => {
    const url = link(view.arn);
    const title = escapeSlack(view.title).replace(/\|/g, '¦');
    return `\`${shortId(view.arn)}\` ${url ? `<${url}|${title}>` : `*${title}*`}`;
  };

  const getIncident = async (arn: string) =>
    ((await getIncidentRecord(deps.incidents, ctx, { arn })) as { incidentRecord: IncidentView }).incidentRecord;

  const listIncidents = async (open: boolean, maxResults: number) =>
    (
      (await listIncidentRecords(deps.incidents, ctx, {
        ...(open ? { filters: OPEN_FILTER } : {}),
        maxResults,
      })) as { incidentRecordSummaries?: IncidentView[] }
    ).incidentRecordSummaries ?? [];

  /** The incident a reference names; without one, the only open incident. */
  const resolveIncident = async (ref: string | undefined): Promise<IncidentView> => {
    if (ref?.startsWith('arn:')) return getIncident(ref);
    if (ref && UUID.test(ref)) {
      const found = await deps.incidents.store.getIncident(ref.toLowerCase());
      if (!found) throw new ChatCommandError(`No incident has the id \`${ref}\`.`);
      return getIncident(found.record.arn);
    }
    const open = await listIncidents(true, 100);
    if (!ref) {
      if (open.length === 1) return getIncident(open[0]!.arn);
      if (open.length === 0) throw new ChatCommandError('No incident is open. Name one: `<incident id>`.');
      throw new ChatCommandError(
        `${open.length} incidents are open; say which one (e.g. \`${cmd} show ${shortId(open[0]!.arn)}\`):\n${open
          .slice(0, 10)
          .map((i) => `• ${label(i)}`)
          .join('\n')}`,
      );
    }
    const prefix = ref.toLowerCase();
    let matches = open.filter((i) => idOfArn(i.arn).startsWith(prefix));
    if (matches.length === 0)
      matches = (await listIncidents(false, 100)).filter((i) => idOfArn(i.arn).startsWith(prefix));
    if (matches.length === 0) throw new ChatCommandError(`No incident has an id starting with \`${ref}\`.`);
    if (matches.length > 1)
      throw new ChatCommandError(`\`${ref}\` matches ${matches.length} incidents; give more of the id.`);
    return getIncident(matches[0]!.arn);
  };

  const openFor = (view: IncidentView) =>
    view.status === 'OPEN'
      ? `open for ${formatDuration(invocation.now - view.creationTime * 1000)}`
      : `resolved after ${formatDuration(((view.resolvedTime ?? invocation.now / 1000) - view.creationTime) * 1000)}`;

  const command = invocation.command;
  switch (command.name) {
    case 'help':
      return ephemeral(
        [
          `*${cmd}* commands (an incident is its id, or its first ${SHORT_ID_LENGTH} characters; it may be left out when only one is open):`,
          ...CHAT_COMMANDS.map((c) => `• \`${cmd} ${USAGE[c]}\``),
        ].join('\n'),
      );

    case 'list': {
      const open = await listIncidents(true, 50);
      if (open.length === 0) return ephemeral(':white_check_mark: No incident is open.');
      const lines = open.map((i) => `• ${label(i)}: impact ${impactText(i.impact)}, ${openFor(i)}`);
      return ephemeral([`*${open.length} open incident${open.length === 1 ? '' : 's'}*`, ...lines].join('\n'));
    }

    case 'show': {
      const view = await resolveIncident(command.ref);
      const { eventSummaries = [] } = (await listTimelineEvents(deps.incidents, ctx, {
        incidentRecordArn: view.arn,
        maxResults: 5,
      })) as { eventSummaries?: { eventId: string; eventTime: number; eventType: string }[] };
      const timeline: string[] = [];
      for (const summary of eventSummaries) {
        let text = summary.eventType;
        if (summary.eventType === EVENT_TYPES.custom || summary.eventType === EVENT_TYPES.note) {
          const { event } = (await getTimelineEvent(deps.incidents, ctx, {
            incidentRecordArn: view.arn,
            eventId: summary.eventId,
          })) as { event: { eventData: string } };
          text = `${summary.eventType}: ${escapeSlack(event.eventData.slice(0, 300))}`;
        }
        timeline.push(
          `• <!date^${Math.floor(summary.eventTime)}^{time}|${new Date(summary.eventTime * 1000).toISOString()}> ${text}`,
        );
      }
      const lines = [
        `${label(view)}`,
        `*Status:* ${view.status} (${openFor(view)})  |  *Impact:* ${impactText(view.impact)}  |  *Plan:* ${planOfArn(view.arn)}`,
        `*Opened by:* ${displayPrincipal(view.incidentRecordSource.createdBy)}${view.lastModifiedBy ? `  |  *Last changed by:* ${displayPrincipal(view.lastModifiedBy)}` : ''}`,
        ...(view.summary ? [`*Summary:* ${escapeSlack(view.summary.slice(0, 1500))}`] : []),
        ...(timeline.length ? ['*Latest timeline events:*', ...timeline] : []),
      ];
      return ephemeral(lines.join('\n'));
    }

    case 'impact':
    case 'title':
    case 'summary':
    case 'resolve': {
      const view = await resolveIncident(command.ref);
      if (command.name === 'resolve' && view.status === 'RESOLVED')
        return ephemeral(`${label(view)} is already resolved.`);
      const change =
        command.name === 'impact'
          ? { impact: command.impact }
          : command.name === 'resolve'
            ? { status: 'RESOLVED' }
            : { [command.name]: command.text };
      await updateIncidentRecord(deps.incidents, ctx, { arn: view.arn, ...change });
      const after = await getIncident(view.arn);
      switch (command.name) {
        case 'impact':
          return inChannel(
            `:arrow_${command.impact < view.impact ? 'up' : 'down'}: ${who} set the impact of ${label(after)} to ${impactText(command.impact)}.`,
          );
        case 'title':
          return inChannel(
            `:pencil2: ${who} renamed \`${shortId(view.arn)}\` from “${escapeSlack(view.title)}” to ${label(after)}.`,
          );
        case 'summary':
          return inChannel(`:pencil2: ${who} updated the summary of ${label(after)}:\n>${quote(command.text)}`);
        default:
          return inChannel(`:white_check_mark: ${who} resolved ${label(after)} (${openFor(after)}); paging stops.`);
      }
    }

    case 'note': {
      const view = await resolveIncident(command.ref);
      const author = invocation.requester.userName ? `@${invocation.requester.userName}` : invocation.requester.userId;
      await createTimelineEvent(deps.incidents, ctx, {
        incidentRecordArn: view.arn,
        eventTime: invocation.now / 1000,
        eventType: EVENT_TYPES.custom,
        // The timeline keeps no author per event; the note says who wrote it.
        eventData: `${command.text}\n\n— ${author} (Slack ${invocation.requester.userId})`.slice(0, 12000),
      });
      return inChannel(`:memo: ${who} added a note to ${label(view)}:\n>${quote(command.text)}`);
    }

    case 'start': {
      const planArn = command.plan.startsWith('arn:') ? command.plan : responsePlanArn(deps.service, command.plan);
      const { incidentRecordArn } = (await startIncident(deps.incidents, ctx, {
        responsePlanArn: planArn,
        ...(command.title ? { title: command.title } : {}),
        ...(invocation.requestToken ? { clientToken: invocation.requestToken.slice(0, 128) } : {}),
      })) as { incidentRecordArn: string };
      const view = await getIncident(incidentRecordArn);
      return inChannel(
        `:rotating_light: ${who} opened ${label(view)}, impact ${impactText(view.impact)} (plan ${planOfArn(view.arn)}).`,
      );
    }

    case 'ack':
      return acknowledgeMyPage(deps, ctx, invocation, await resolveIncident(command.ref), label);
  }
}

/** `ack`: the requester's contact (from the configuration) reads every unread page it has for the incident. */
async function acknowledgeMyPage(
  deps: ChatDependencies,
  ctx: RequestContext,
  invocation: ChatInvocation,
  incident: IncidentView,
  label: (view: IncidentView) => string,
): Promise<ChatReply> {
  const { userId } = invocation.requester;
  const contact = deps.authorization.contacts?.[userId];
  if (!contact)
    return ephemeral(
      `:x: Your Slack user (${userId}) is not mapped to a contact, so there is no page of yours to acknowledge. An administrator adds it under \`contacts\` in the chat configuration.`,
    );
  const mine = contact.startsWith('arn:') ? contact : contactArn(deps.service, contact);
  const unread: string[] = [];
  let alreadyRead = 0;
  let nextToken: string | undefined;
  do {
    const page = (await listEngagements(deps.contacts, ctx, {
      IncidentId: incident.arn,
      ...(nextToken ? { NextToken: nextToken } : {}),
    })) as { Engagements?: { EngagementArn: string; ContactArn: string }[]; NextToken?: string };
    for (const engagement of page.Engagements ?? []) {
      if (engagement.ContactArn !== mine) continue;
      const { Pages = [] } = (await listPagesByEngagement(deps.contacts, ctx, {
        EngagementId: engagement.EngagementArn,
      })) as { Pages?: { PageArn: string; ReadTime?: number }[] };
      for (const p of Pages) {
        if (p.ReadTime === undefined) unread.push(p.PageArn);
        else alreadyRead++;
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  if (unread.length === 0)
    return ephemeral(
      alreadyRead
        ? `Your page for ${label(incident)} is already acknowledged.`
        : `:information_source: ${contact} has not been paged for ${label(incident)}.`,
    );
  for (const pageArn of unread) {
    // The responder proved who they are through Slack (signed request, mapped user), as the console does with its
    // sign-in; AcceptPage's IGNORE mode is the API's way to accept without the code sent with the page.
    await acceptPage(deps.contacts, ctx, {
      PageId: pageArn,
      AcceptType: 'READ',
      AcceptCode: '000000',
      AcceptCodeValidation: 'IGNORE',
      Note: `Acknowledged in Slack by ${invocation.requester.userName ? `@${invocation.requester.userName}` : userId} (${invocation.principal})`,
    });
  }
  return inChannel(
    `:raised_hand: <@${userId}> acknowledged ${unread.length === 1 ? 'their page' : `${unread.length} pages`} for ${label(incident)}; paging of ${contact.slice(contact.lastIndexOf('/') + 1)} stops.`,
  );
}

export { ChatUsageError };
