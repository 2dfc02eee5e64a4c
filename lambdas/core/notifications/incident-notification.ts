/**
 * Renders what happened to an incident as one SNS message that Amazon Q Developer in chat applications (formerly AWS
 * Chatbot) shows well in Slack, Microsoft Teams and Chime: its documented custom notification schema
 * (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html): `version` "1.0", `source` "custom",
 * `content` (client-markdown title, description, nextSteps, keywords) and `metadata` (a `threadId` per incident so
 * updates thread under the first message, `summary`, `eventType`, `relatedResources`, `additionalContext`).
 * The plain-text Subject serves email subscribers; message attributes serve subscription filter policies.
 *
 * Markdown is kept to what renders alike on every platform: `*bold*`, line breaks, emoji shortcodes, bare URLs.
 */
import type { PageRecord } from '#core/contacts/engagements/model.ts';
import type { IncidentField } from '#core/events/domain-events.ts';
import { responsePlanArn } from '#core/incidents/arns.ts';
import type { IncidentRecord, TimelineEventRecord } from '#core/incidents/ports.ts';
import { displayPrincipal } from '#core/shared/principals.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { incidentPageUrl, shortIdOf } from './links.ts';
import type { SnsNotification } from './ports.ts';

/** Why a notification is sent: the incident changes people are told about. */
export type NotificationCause =
  | { kind: 'opened' }
  | { kind: 'updated'; previous: IncidentRecord; changed: readonly IncidentField[] }
  | { kind: 'resolved'; previous: IncidentRecord; changed: readonly IncidentField[] }
  | { kind: 'reopened'; previous: IncidentRecord; changed: readonly IncidentField[] }
  | { kind: 'note'; event: TimelineEventRecord }
  | { kind: 'page-acknowledged'; page: PageRecord };

/** The `eventType` of the metadata and of the message attribute, per cause. */
export const NOTIFICATION_EVENT_TYPES: Record<NotificationCause['kind'], string> = {
  opened: 'IncidentOpened',
  updated: 'IncidentUpdated',
  resolved: 'IncidentResolved',
  reopened: 'IncidentReopened',
  note: 'IncidentNoteAdded',
  'page-acknowledged': 'PageAcknowledged',
};

/** Incident fields whose change is news for responders (tags and internal bookkeeping are not). */
export const NOTIFIED_FIELDS: readonly IncidentField[] = [
  'title',
  'summary',
  'impact',
  'status',
  'chatChannel',
  'notificationTargets',
];

export interface NotificationContext {
  service: ServiceContext;
  /** The web console's URL (its root); absent: no link. */
  consoleUrl?: string;
  /** The slash command responders type in Slack (`/incident`). */
  chatCommand: string;
  /** Rendering time, epoch ms (for "open for 12 min"). */
  now: number;
}

/** The Amazon Q Developer custom notification (the SNS Message). */
export interface CustomNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps?: string[];
    keywords?: string[];
  };
  metadata: {
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
  };
}

/** Incident Manager's names for the impact levels. */
export const IMPACT_LABELS: Readonly<Record<number, string>> = {
  1: 'Critical',
  2: 'High',
  3: 'Medium',
  4: 'Low',
  5: 'No impact',
};

export const impactText = (impact: number) => `${impact} (${IMPACT_LABELS[impact] ?? 'unknown'})`;

/** "< 1 min", "47 min", "2 h 5 min", "3 d 4 h". */
export const formatDuration = (ms: number): string => {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return '< 1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
};

// Limits: a Slack section holds 3000 characters and a header 150; SNS Subjects must stay under 100.
const TITLE_MAX = 150;
const DESCRIPTION_MAX = 3000;
const SUBJECT_MAX = 99;
const QUOTE_MAX = 1200;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Text as one line: no line breaks or control characters (SNS Subject rules; also keeps titles on one line). */
const oneLine = (text: string) =>
  text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const FIELD_NAMES: Partial<Record<IncidentField, string>> = {
  title: 'Title',
  summary: 'Summary',
  impact: 'Impact',
  status: 'Status',
  chatChannel: 'Chat channel',
  notificationTargets: 'Notification targets',
};

const chatTopicsOf = (incident: IncidentRecord): readonly string[] =>
  incident.chatChannel && 'chatbotSns' in incident.chatChannel ? incident.chatChannel.chatbotSns : [];

const listOrNone = (values: readonly string[]) => (values.length ? values.join(', ') : 'none');

const topicsOf = (incident: IncidentRecord) => [
  ...incident.notificationTargets.map((t) => t.snsTopicArn),
  ...chatTopicsOf(incident),
];

/** One bullet per notable field that changed, saying from what to what. */
const changeLines = (previous: IncidentRecord, incident: IncidentRecord, changed: readonly IncidentField[]) =>
  NOTIFIED_FIELDS.filter((field) => changed.includes(field) && field !== 'status').map((field) => {
    const name = FIELD_NAMES[field] ?? field;
    switch (field) {
      case 'title':
        return `• ${name}: ${oneLine(previous.title)} → ${oneLine(incident.title)}`;
      case 'impact':
        return `• ${name}: ${impactText(previous.impact)} → ${impactText(incident.impact)}`;
      case 'summary':
        return `• ${name}: ${incident.summary ? 'updated (below)' : 'cleared'}`;
      case 'chatChannel':
        return `• ${name}: ${listOrNone(chatTopicsOf(previous))} → ${listOrNone(chatTopicsOf(incident))}`;
      default:
        return `• ${name}: ${listOrNone(incident.notificationTargets.map((t) => t.snsTopicArn))}`;
    }
  });

const titleOf = (incident: IncidentRecord, cause: NotificationCause): { emoji: string; text: string } => {
  const title = oneLine(incident.title);
  switch (cause.kind) {
    case 'opened':
      return { emoji: ':rotating_light:', text: `Impact ${incident.impact} incident opened: ${title}` };
    case 'resolved':
      return { emoji: ':white_check_mark:', text: `Impact ${incident.impact} incident resolved: ${title}` };
    case 'reopened':
      return { emoji: ':warning:', text: `Impact ${incident.impact} incident reopened: ${title}` };
    case 'updated': {
      if (cause.changed.includes('impact') && cause.previous.impact !== incident.impact) {
        const raised = incident.impact < cause.previous.impact;
        return {
          emoji: raised ? ':arrow_up:' : ':arrow_down:',
          text: `Impact ${raised ? 'raised' : 'lowered'} to ${incident.impact}: ${title}`,
        };
      }
      return { emoji: ':pencil2:', text: `Impact ${incident.impact} incident updated: ${title}` };
    }
    case 'note':
      return { emoji: ':memo:', text: `Note on impact ${incident.impact} incident: ${title}` };
    case 'page-acknowledged':
      return { emoji: ':raised_hand:', text: `Page acknowledged by ${cause.page.contactAlias}: ${title}` };
  }
};

/** Who made this change, as people read it. */
const actorOf = (incident: IncidentRecord, cause: NotificationCause) =>
  cause.kind === 'opened' ? incident.incidentRecordSource.createdBy : incident.lastModifiedBy;

const descriptionOf = (incident: IncidentRecord, cause: NotificationCause, context: NotificationContext) => {
  const lines: string[] = [];
  const open = incident.status === 'OPEN';
  const age = open
    ? `*Open for:* ${formatDuration(context.now - incident.creationTime)}`
    : `*Resolved after:* ${formatDuration((incident.resolvedTime ?? context.now) - incident.creationTime)}`;
  lines.push(`*Impact:* ${impactText(incident.impact)}  |  *Status:* ${incident.status}  |  ${age}`);
  lines.push(`*Response plan:* ${incident.responsePlanName}`);
  switch (cause.kind) {
    case 'opened': {
      lines.push(`*Opened by:* ${displayPrincipal(actorOf(incident, cause))}`);
      const source = incident.incidentRecordSource;
      if (source.resourceArn) lines.push(`*Trigger:* ${source.resourceArn}`);
      break;
    }
    case 'updated':
    case 'resolved':
    case 'reopened': {
      const verb = cause.kind === 'updated' ? 'Changed' : cause.kind === 'resolved' ? 'Resolved' : 'Reopened';
      lines.push(`*${verb} by:* ${displayPrincipal(actorOf(incident, cause))}`);
      const changes = changeLines(cause.previous, incident, cause.changed);
      if (changes.length) lines.push('*Changes:*', ...changes);
      break;
    }
    case 'note':
      lines.push(`*Note:* ${clip(cause.event.eventData.trim(), QUOTE_MAX)}`);
      break;
    case 'page-acknowledged': {
      const { page } = cause;
      const after = page.readTime !== undefined ? ` after ${formatDuration(page.readTime - page.createdTime)}` : '';
      lines.push(`*Acknowledged by:* ${page.contactAlias} (page sent by ${page.channelType}${after})`);
      break;
    }
  }
  const summaryIsNews =
    cause.kind === 'opened' ||
    cause.kind === 'resolved' ||
    (cause.kind === 'updated' && cause.changed.includes('summary'));
  if (incident.summary && summaryIsNews) lines.push(`*Summary:* ${clip(incident.summary.trim(), QUOTE_MAX)}`);
  const url = incidentPageUrl(context.consoleUrl, incident);
  if (url) lines.push(`*Incident:* ${url}`);
  return clip(lines.join('\n'), DESCRIPTION_MAX);
};

const nextStepsOf = (incident: IncidentRecord, context: NotificationContext) => {
  const url = incidentPageUrl(context.consoleUrl, incident);
  const id = shortIdOf(incident);
  const steps =
    incident.status === 'OPEN'
      ? [
          `Acknowledge your page: ${context.chatCommand} ack ${id}`,
          `Add a note: ${context.chatCommand} note ${id} <text>`,
          `Resolve: ${context.chatCommand} resolve ${id}`,
        ]
      : [];
  if (url) steps.push(`Open the incident: ${url}`);
  return steps;
};

/** The custom notification and SNS message for one incident change. */
export function renderNotification(
  incident: IncidentRecord,
  cause: NotificationCause,
  eventId: string,
  context: NotificationContext,
): SnsNotification & { notification: CustomNotification } {
  const { emoji, text } = titleOf(incident, cause);
  const eventType = NOTIFICATION_EVENT_TYPES[cause.kind];
  const nextSteps = nextStepsOf(incident, context);
  const notification: CustomNotification = {
    version: '1.0',
    source: 'custom',
    id: eventId,
    content: {
      textType: 'client-markdown',
      title: clip(`${emoji} ${text}`, TITLE_MAX),
      description: descriptionOf(incident, cause, context),
      ...(nextSteps.length ? { nextSteps } : {}),
      keywords: [`impact ${incident.impact}`, incident.status, incident.responsePlanName, shortIdOf(incident)],
    },
    metadata: {
      // Every message about one incident threads under the first (when the channel allows threads).
      threadId: `incident-${incident.id}`,
      summary: clip(text, TITLE_MAX),
      eventType,
      relatedResources: [incident.arn],
      additionalContext: {
        incidentId: incident.id,
        incidentArn: incident.arn,
        responsePlanArn: responsePlanArn(context.service, incident.responsePlanName),
        status: incident.status,
        impact: String(incident.impact),
      },
    },
  };
  return {
    notification,
    subject: clip(oneLine(text), SUBJECT_MAX),
    message: JSON.stringify(notification),
    attributes: {
      impact: { type: 'Number', value: String(incident.impact) },
      status: { type: 'String', value: incident.status },
      eventType: { type: 'String', value: eventType },
      responsePlan: { type: 'String', value: incident.responsePlanName },
    },
  };
}

/**
 * The topics an incident change goes to: its notification targets and its chat channel's topics, each once. A change
 * of the targets or the channel also reaches the ones it removed, so the old channel hears where the incident went.
 */
export const notificationTopics = (incident: IncidentRecord, previous?: IncidentRecord): string[] => [
  ...new Set([...topicsOf(incident), ...(previous ? topicsOf(previous) : [])]),
];
