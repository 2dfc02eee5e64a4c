/**
 * The notifier: which incident changes people hear about, what the Amazon Q Developer custom notification says
 * (snapshots, reviewed: title, description, next steps, thread, attributes), and delivery: once per change under
 * stream retries, and a failing topic never keeps the others from theirs.
 */
import { describe, expect, it } from 'vitest';
import type { PageRecord } from '#core/contacts/engagements/model.ts';
import type { DomainEvent } from '#core/events/domain-events.ts';
import type { IncidentRecord, TimelineEventRecord } from '#core/incidents/ports.ts';
import {
  formatDuration,
  NOTIFIED_FIELDS,
  notificationTopics,
  renderNotification,
} from '#core/notifications/incident-notification.ts';
import { incidentNotifier, NotificationDeliveryError } from '#core/notifications/incident-notifier.ts';
import { incidentPageUrl } from '#core/notifications/links.ts';
import type { NotificationLedger, NotificationPublisher, SnsNotification } from '#core/notifications/ports.ts';
import { displayPrincipal } from '#core/shared/principals.ts';

const SERVICE = { accountId: '111122223333', region: 'us-east-1', partition: 'aws' };
const T0 = Date.UTC(2026, 10, 21, 14, 2, 0);
const MIN = 60_000;
const ID = '3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b';
const ARN = `arn:aws:ssm-incidents::111122223333:incident-record/checkout/${ID}`;
const OPS_TOPIC = 'arn:aws:sns:us-east-1:111122223333:ops-email';
const CHAT_TOPIC = 'arn:aws:sns:us-east-1:111122223333:incident-chat';
const CONSOLE = 'http://127.0.0.1:4750/';

const incident = (overrides: Partial<IncidentRecord> = {}): IncidentRecord => ({
  arn: ARN,
  id: ID,
  responsePlanName: 'checkout',
  title: 'Checkout failing',
  status: 'OPEN',
  impact: 1,
  summary: 'Card payments return 502 since the 14:00 deploy.',
  creationTime: T0,
  lastModifiedTime: T0,
  lastModifiedBy: 'arn:aws:iam::111122223333:user/alice',
  incidentRecordSource: {
    createdBy: 'arn:aws:iam::111122223333:user/alice',
    source: 'aws.ssm-incidents.custom',
  },
  dedupeString: 'checkout',
  automationExecutions: [],
  notificationTargets: [{ snsTopicArn: OPS_TOPIC }],
  chatChannel: { chatbotSns: [CHAT_TOPIC] },
  tags: {},
  ...overrides,
});

const note = (text: string): TimelineEventRecord => ({
  incidentRecordArn: ARN,
  eventId: 'note-1',
  eventTime: T0 + 5 * MIN,
  eventUpdatedTime: T0 + 5 * MIN,
  eventType: 'Custom Event',
  eventData: text,
});

const page: PageRecord = {
  arn: 'arn:aws:ssm-contacts:us-east-1:111122223333:page/bob/p-1',
  pageId: 'p-1',
  engagementId: 'e-1',
  engagementArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:engagement/bob/e-1',
  rootEngagementId: 'e-1',
  contactArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:contact/bob',
  contactAlias: 'bob',
  contactChannelArn: 'arn:aws:ssm-contacts:us-east-1:111122223333:contact-channel/bob/c-1',
  channelType: 'SMS',
  address: '+15555550100',
  stageIndex: 0,
  targetIndex: 0,
  sender: 'Incident Manager',
  subject: 'Incident (impact 1): Checkout failing',
  content: 'Checkout failing',
  incidentId: ARN,
  resolution: [],
  createdTime: T0 + MIN,
  sentTime: T0 + MIN,
  readTime: T0 + 4 * MIN,
  attempts: 1,
  acceptCodeHashes: [],
  deliveryState: 'SENT',
};

const context = { service: SERVICE, consoleUrl: CONSOLE, chatCommand: '/incident', now: T0 + 12 * MIN };

/** The notifier with recording fakes: `failing` topics reject every publish until removed from the set. */
function harness(stored: IncidentRecord = incident()) {
  const published: { topic: string; notification: SnsNotification }[] = [];
  const failing = new Set<string>();
  const marks = new Map<string, Set<string>>();
  const errors: Record<string, unknown>[] = [];
  const publisher: NotificationPublisher = {
    async publish(topic, notification) {
      if (failing.has(topic)) throw new Error(`AuthorizationError: not allowed to publish to ${topic}`);
      published.push({ topic, notification });
    },
  };
  const ledger: NotificationLedger = {
    async sentTo(key) {
      return new Set(marks.get(key) ?? []);
    },
    async recordSent(key, targets) {
      marks.set(key, new Set([...(marks.get(key) ?? []), ...targets]));
    },
  };
  const notifier = incidentNotifier({
    publisher,
    ledger,
    incidents: { getIncident: async (id) => (id === stored.id ? { record: stored, version: 1 } : undefined) },
    service: SERVICE,
    consoleUrl: () => CONSOLE,
    chatCommand: '/incident',
    error: (_message, fields) => errors.push(fields),
    now: () => T0 + 12 * MIN,
  });
  return { notifier, published, failing, errors };
}

const event = (body: Record<string, unknown>, id = 'evt-1'): DomainEvent =>
  ({ id, time: T0, ...body }) as unknown as DomainEvent;

const parsed = (n: SnsNotification) => JSON.parse(n.message);

describe('the custom notification', () => {
  it('an opened incident: what happened, who, where to look, threaded per incident', () => {
    const n = renderNotification(incident(), { kind: 'opened' }, 'evt-1', context);
    expect(n.subject).toBe('Impact 1 incident opened: Checkout failing');
    expect(n.attributes).toEqual({
      impact: { type: 'Number', value: '1' },
      status: { type: 'String', value: 'OPEN' },
      eventType: { type: 'String', value: 'IncidentOpened' },
      responsePlan: { type: 'String', value: 'checkout' },
    });
    expect(parsed(n)).toMatchInlineSnapshot(`
      {
        "content": {
          "description": "*Impact:* 1 (Critical)  |  *Status:* OPEN  |  *Open for:* 12 min
      *Response plan:* checkout
      *Opened by:* alice
      *Summary:* Card payments return 502 since the 14:00 deploy.
      *Incident:* http://127.0.0.1:4750/#/incidents/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
          "keywords": [
            "impact 1",
            "OPEN",
            "checkout",
            "3f2a9c1e",
          ],
          "nextSteps": [
            "Acknowledge your page: /incident ack 3f2a9c1e",
            "Add a note: /incident note 3f2a9c1e <text>",
            "Resolve: /incident resolve 3f2a9c1e",
            "Open the incident: http://127.0.0.1:4750/#/incidents/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
          ],
          "textType": "client-markdown",
          "title": ":rotating_light: Impact 1 incident opened: Checkout failing",
        },
        "id": "evt-1",
        "metadata": {
          "additionalContext": {
            "impact": "1",
            "incidentArn": "arn:aws:ssm-incidents::111122223333:incident-record/checkout/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
            "incidentId": "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
            "responsePlanArn": "arn:aws:ssm-incidents::111122223333:response-plan/checkout",
            "status": "OPEN",
          },
          "eventType": "IncidentOpened",
          "relatedResources": [
            "arn:aws:ssm-incidents::111122223333:incident-record/checkout/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
          ],
          "summary": "Impact 1 incident opened: Checkout failing",
          "threadId": "incident-3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
        },
        "source": "custom",
        "version": "1.0",
      }
    `);
  });

  it('an update says from what to what, and who changed it', () => {
    const previous = incident({ title: 'Checkout slow', impact: 3 });
    const now = incident({ lastModifiedBy: 'slack:T0001:U0042', lastModifiedTime: T0 + 10 * MIN });
    const n = renderNotification(now, { kind: 'updated', previous, changed: ['title', 'impact'] }, 'evt-2', context);
    expect(n.subject).toBe('Impact raised to 1: Checkout failing');
    expect(parsed(n).content).toMatchInlineSnapshot(`
      {
        "description": "*Impact:* 1 (Critical)  |  *Status:* OPEN  |  *Open for:* 12 min
      *Response plan:* checkout
      *Changed by:* <@U0042>
      *Changes:*
      • Title: Checkout slow → Checkout failing
      • Impact: 3 (Medium) → 1 (Critical)
      *Incident:* http://127.0.0.1:4750/#/incidents/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
        "keywords": [
          "impact 1",
          "OPEN",
          "checkout",
          "3f2a9c1e",
        ],
        "nextSteps": [
          "Acknowledge your page: /incident ack 3f2a9c1e",
          "Add a note: /incident note 3f2a9c1e <text>",
          "Resolve: /incident resolve 3f2a9c1e",
          "Open the incident: http://127.0.0.1:4750/#/incidents/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
        ],
        "textType": "client-markdown",
        "title": ":arrow_up: Impact raised to 1: Checkout failing",
      }
    `);
  });

  it('a resolved incident says how long it lasted, with no call to act', () => {
    const resolved = incident({ status: 'RESOLVED', resolvedTime: T0 + 47 * MIN, lastModifiedTime: T0 + 47 * MIN });
    const n = renderNotification(
      resolved,
      { kind: 'resolved', previous: incident(), changed: ['status', 'resolvedTime'] },
      'evt-3',
      context,
    );
    expect(n.subject).toBe('Impact 1 incident resolved: Checkout failing');
    expect(n.attributes.status).toEqual({ type: 'String', value: 'RESOLVED' });
    expect(parsed(n).content).toMatchInlineSnapshot(`
      {
        "description": "*Impact:* 1 (Critical)  |  *Status:* RESOLVED  |  *Resolved after:* 47 min
      *Response plan:* checkout
      *Resolved by:* alice
      *Summary:* Card payments return 502 since the 14:00 deploy.
      *Incident:* http://127.0.0.1:4750/#/incidents/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
        "keywords": [
          "impact 1",
          "RESOLVED",
          "checkout",
          "3f2a9c1e",
        ],
        "nextSteps": [
          "Open the incident: http://127.0.0.1:4750/#/incidents/3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
        ],
        "textType": "client-markdown",
        "title": ":white_check_mark: Impact 1 incident resolved: Checkout failing",
      }
    `);
  });

  it('reopened, note and page acknowledgement each say so', () => {
    const reopened = renderNotification(
      incident(),
      { kind: 'reopened', previous: incident({ status: 'RESOLVED' }), changed: ['status'] },
      'e',
      context,
    );
    expect(parsed(reopened).content.title).toBe(':warning: Impact 1 incident reopened: Checkout failing');
    const noted = renderNotification(incident(), { kind: 'note', event: note('Rolled back to v41.') }, 'e', context);
    expect(parsed(noted).content.title).toBe(':memo: Note on impact 1 incident: Checkout failing');
    expect(parsed(noted).content.description).toContain('*Note:* Rolled back to v41.');
    const acked = renderNotification(incident(), { kind: 'page-acknowledged', page }, 'e', context);
    expect(acked.subject).toBe('Page acknowledged by bob: Checkout failing');
    expect(parsed(acked).content.description).toContain('*Acknowledged by:* bob (page sent by SMS after 3 min)');
    expect(acked.attributes.eventType?.value).toBe('PageAcknowledged');
  });

  it('stays within the platforms limits: one-line subject under 100 characters, description under 3000', () => {
    const long = incident({ title: `Multi\nline ${'x'.repeat(300)}`, summary: 'y'.repeat(8000) });
    const n = renderNotification(long, { kind: 'opened' }, 'e', context);
    expect(n.subject.length).toBeLessThan(100);
    expect(n.subject).not.toMatch(/[\n\r]/);
    expect(parsed(n).content.title.length).toBeLessThanOrEqual(150);
    expect(parsed(n).content.description.length).toBeLessThanOrEqual(3000);
  });

  it('has no link when no console URL is configured', () => {
    const n = renderNotification(incident(), { kind: 'opened' }, 'e', { ...context, consoleUrl: undefined });
    expect(n.message).not.toContain('http');
    expect(incidentPageUrl('https://ops.example.com', { id: 'a b' })).toBe('https://ops.example.com/#/incidents/a%20b');
  });

  it('names people readably and durations humanely', () => {
    expect(displayPrincipal('arn:aws:iam::111122223333:user/ops/alice')).toBe('alice');
    expect(displayPrincipal('arn:aws:sts::111122223333:assumed-role/Responder/bob')).toBe('Responder/bob');
    expect(displayPrincipal('slack:T0001:U0042')).toBe('<@U0042>');
    expect([
      formatDuration(30_000),
      formatDuration(47 * MIN),
      formatDuration(125 * MIN),
      formatDuration(27 * 60 * MIN),
    ]).toEqual(['< 1 min', '47 min', '2 h 5 min', '1 d 3 h']);
  });

  it('goes to the notification targets and the chat channel, each topic once', () => {
    const both = incident({ notificationTargets: [{ snsTopicArn: CHAT_TOPIC }, { snsTopicArn: OPS_TOPIC }] });
    expect(notificationTopics(both)).toEqual([CHAT_TOPIC, OPS_TOPIC]);
    const moved = incident({ chatChannel: { chatbotSns: ['arn:aws:sns:us-east-1:111122223333:new-chat'] } });
    expect(notificationTopics(moved, incident())).toContain(CHAT_TOPIC);
  });
});

describe('the notifier', () => {
  it('notifies each change that is news to every topic of the incident', async () => {
    const { notifier, published } = harness();
    await notifier.handle(event({ type: 'IncidentOpened', incident: incident() }));
    expect(published.map((p) => p.topic)).toEqual([OPS_TOPIC, CHAT_TOPIC]);
    expect(published[0]?.notification).toEqual(published[1]?.notification);
  });

  it('sends nothing for changes that are not news: tags, bookkeeping, automatic timeline events', async () => {
    const { notifier, published } = harness();
    const before = incident();
    await notifier.handle(
      event({
        type: 'IncidentUpdated',
        incident: { ...before, tags: { a: 'b' } },
        previous: before,
        changed: ['tags'],
      }),
    );
    await notifier.handle(
      event({
        type: 'TimelineEventAdded',
        incidentId: ID,
        event: { ...note('{}'), eventType: 'SSM Incident Record Update' },
      }),
    );
    await notifier.handle(event({ type: 'PageSent', page }));
    expect(published).toEqual([]);
    expect(NOTIFIED_FIELDS).not.toContain('tags');
  });

  it('a note and a page acknowledgement reach the incident s topics', async () => {
    const { notifier, published } = harness();
    await notifier.handle(event({ type: 'TimelineEventAdded', incidentId: ID, event: note('Mitigated') }, 'n-1'));
    await notifier.handle(event({ type: 'PageAcknowledged', page }, 'p-1'));
    expect(published.map((p) => p.notification.attributes.eventType?.value)).toEqual([
      'IncidentNoteAdded',
      'IncidentNoteAdded',
      'PageAcknowledged',
      'PageAcknowledged',
    ]);
  });

  it('a page of another account, or without an incident, notifies nobody', async () => {
    const { notifier, published } = harness();
    await notifier.handle(event({ type: 'PageAcknowledged', page: { ...page, incidentId: 'INC-42' } }));
    await notifier.handle(
      event({ type: 'PageAcknowledged', page: { ...page, incidentId: ARN.replace('111122223333', '999999999999') } }),
    );
    expect(published).toEqual([]);
  });

  it('a change delivered again reaches nobody twice', async () => {
    const { notifier, published } = harness();
    const opened = event({ type: 'IncidentOpened', incident: incident() }, 'same-id');
    await notifier.handle(opened);
    await notifier.handle(opened);
    expect(published).toHaveLength(2);
  });

  it('a failing topic does not keep the others from theirs; the retry reaches only the failed one', async () => {
    const { notifier, published, failing, errors } = harness();
    failing.add(OPS_TOPIC);
    const opened = event({ type: 'IncidentOpened', incident: incident() }, 'retry-me');
    await expect(notifier.handle(opened)).rejects.toBeInstanceOf(NotificationDeliveryError);
    expect(published.map((p) => p.topic)).toEqual([CHAT_TOPIC]);
    expect(errors).toEqual([
      expect.objectContaining({ topicArn: OPS_TOPIC, incidentArn: ARN, eventType: 'IncidentOpened' }),
    ]);
    // Still failing: retried, still only the failed topic is tried.
    await expect(notifier.handle(opened)).rejects.toThrow(OPS_TOPIC);
    failing.clear();
    await notifier.handle(opened);
    expect(published.map((p) => p.topic)).toEqual([CHAT_TOPIC, OPS_TOPIC]);
  });
});
