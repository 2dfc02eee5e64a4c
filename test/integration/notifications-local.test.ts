/**
 * Notifications and integration events end to end, locally: API calls through the official client commit changes,
 * DynamoDB Local's stream carries them to the notifier (the same handler as in AWS), and the notifications land in
 * the outbox exactly as they would be published, once per change and topic; the events land in the event log and
 * match their published schemas.
 */
import {
  CreateResponsePlanCommand,
  CreateTimelineEventCommand,
  type SSMIncidentsClient,
  StartIncidentCommand,
  TagResourceCommand,
  UpdateIncidentRecordCommand,
} from '@aws-sdk/client-ssm-incidents';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_SCHEMAS } from '#core/notifications/integration-event-schemas.ts';
import { captureErrorLogs } from '../support/error-logs.ts';
import { planArnOf, principalOf, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

const OPS = 'arn:aws:sns:us-east-1:111122223333:ops-notifications';
const CHAT = 'arn:aws:sns:us-east-1:111122223333:incident-chat';
const FLAKY = 'arn:aws:sns:us-east-1:111122223333:flaky-topic';

let runtime: TestRuntime;
let client: SSMIncidentsClient;
/** How many more publishes to FLAKY are refused. */
let flakyRefusals = 0;

beforeAll(async () => {
  runtime = await startTestRuntime({
    refuseTopic: (topic) =>
      topic === FLAKY && flakyRefusals-- > 0 ? new Error(`AuthorizationError: publish to ${topic} denied`) : undefined,
  });
  client = runtime.incidentsClient('alice');
  await client.send(
    new CreateResponsePlanCommand({
      name: 'checkout',
      incidentTemplate: { title: 'Checkout failing', impact: 2, notificationTargets: [{ snsTopicArn: OPS }] },
      chatChannel: { chatbotSns: [CHAT] },
    }),
  );
  await client.send(
    new CreateResponsePlanCommand({
      name: 'flaky',
      incidentTemplate: {
        title: 'Flaky topic',
        impact: 3,
        notificationTargets: [{ snsTopicArn: OPS }, { snsTopicArn: FLAKY }],
      },
    }),
  );
});
afterAll(async () => {
  await runtime?.stop();
});

const notifiedSince = (count: number) => runtime.notifications.notifications().slice(count);
const typeOf = (n: { MessageAttributes: Record<string, { StringValue?: string }> }) =>
  n.MessageAttributes.eventType?.StringValue;

describe('notifications through the change stream', () => {
  it('an incident is notified to its targets and chat channel as it opens, changes, gets a note and resolves', async () => {
    const before = runtime.notifications.notifications().length;
    const { incidentRecordArn: arn } = await client.send(
      new StartIncidentCommand({ responsePlanArn: planArnOf('checkout'), title: 'Checkout failing in eu-west-1' }),
    );
    await client.send(new UpdateIncidentRecordCommand({ arn, impact: 1 }));
    // No-op changes tell nobody: the same impact again, and a tag.
    await client.send(new UpdateIncidentRecordCommand({ arn, impact: 1 }));
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { team: 'payments' } }));
    await client.send(
      new CreateTimelineEventCommand({
        incidentRecordArn: arn,
        eventTime: new Date(),
        eventType: 'Custom Event',
        eventData: 'Rolled back the 14:00 deploy',
      }),
    );
    await client.send(new UpdateIncidentRecordCommand({ arn, status: 'RESOLVED' }));
    await runtime.changes.caughtUp();

    const sent = notifiedSince(before);
    expect(sent.map((n) => [n.TopicArn, typeOf(n)])).toEqual([
      [OPS, 'IncidentOpened'],
      [CHAT, 'IncidentOpened'],
      [OPS, 'IncidentUpdated'],
      [CHAT, 'IncidentUpdated'],
      [OPS, 'IncidentNoteAdded'],
      [CHAT, 'IncidentNoteAdded'],
      [OPS, 'IncidentResolved'],
      [CHAT, 'IncidentResolved'],
    ]);
    const opened = sent[0]!;
    expect(opened.Subject).toBe('Impact 2 incident opened: Checkout failing in eu-west-1');
    const message = JSON.parse(opened.Message);
    expect(message).toMatchObject({ version: '1.0', source: 'custom', metadata: { eventType: 'IncidentOpened' } });
    const id = arn!.slice(arn!.lastIndexOf('/') + 1);
    // Every message of one incident threads under the first; links point at the local console.
    expect(new Set(sent.map((n) => JSON.parse(n.Message).metadata.threadId))).toEqual(new Set([`incident-${id}`]));
    expect(message.content.description).toContain(`${runtime.url}/incident?arn=${encodeURIComponent(arn!)}`);
    expect(message.content.description).toContain('*Opened by:* alice');
    expect(JSON.parse(sent[2]!.Message).content.description).toContain('• Impact: 2 (High) → 1 (Critical)');
    expect(sent[2]!.MessageAttributes.impact).toEqual({ DataType: 'Number', StringValue: '1' });
    expect(JSON.parse(sent[6]!.Message).content.title).toMatch(/^:white_check_mark: Impact 1 incident resolved/);
  });

  it('a topic that refuses is retried without re-sending to the topics that took the message', async () => {
    const before = runtime.notifications.notifications().length;
    flakyRefusals = 2;
    const errors = captureErrorLogs();
    await client.send(new StartIncidentCommand({ responsePlanArn: planArnOf('flaky') }));
    await runtime.changes.caughtUp();
    const sent = notifiedSince(before);
    expect(flakyRefusals).toBeLessThanOrEqual(0);
    expect(sent.map((n) => n.TopicArn).sort()).toEqual([FLAKY, OPS].sort());
    // Each refusal is logged, by the notifier and by the change stream that delivers the change again.
    expect(errors.map((line) => line.message).sort()).toEqual([
      'a change-stream consumer failed; the change will be delivered again',
      'a change-stream consumer failed; the change will be delivered again',
      'a notification target refused the message; the change will be delivered again',
      'a notification target refused the message; the change will be delivered again',
    ]);
  });

  it('every change is an integration event whose detail matches its published schema', async () => {
    const events = runtime.events.events();
    const types = new Set(events.map((e) => e['detail-type']));
    for (const expected of ['Incident Opened', 'Incident Updated', 'Incident Resolved', 'Timeline Event Added'])
      expect(types).toContain(expected);
    const ajv = new Ajv({ allErrors: true });
    addFormats.default(ajv);
    for (const event of events) {
      expect(event.source).toBe('open-incident-manager');
      expect(event.account).toBe('111122223333');
      const validate = ajv.compile(DETAIL_SCHEMAS[event['detail-type'] as keyof typeof DETAIL_SCHEMAS]!);
      expect(validate(event.detail), `${event['detail-type']}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    // The tag change is an Incident Updated event for integrations (they may track tags), with what changed.
    const tagged = events.find(
      (e) => e['detail-type'] === 'Incident Updated' && (e.detail.changes as { field: string }[])[0]?.field === 'tags',
    );
    expect(tagged?.detail.incident).toMatchObject({ lastModifiedBy: principalOf('alice'), tags: { team: 'payments' } });
  });
});
