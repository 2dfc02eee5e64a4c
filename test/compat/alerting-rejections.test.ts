/**
 * Deliveries that can never succeed, through the real trigger intake: the function fails (Lambda's
 * `X-Amz-Function-Error`) with TriggerRejected and a message saying what is wrong, and writes nothing.
 */
import type { SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureErrorLogs } from '../support/error-logs.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import {
  alarmArnOf,
  eventBridgeAlarm,
  eventBridgeEnvelope,
  invokeIntake,
  localOverride,
  SAMPLE_ACCOUNT,
  sample,
  snsDelivery,
  snsMessage,
} from './alerting-helpers.ts';
import { createPlan, itemCount, unique } from './helpers.ts';

describe('alerting: rejected deliveries', () => {
  let runtime: TestRuntime;
  let client: SSMIncidentsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.incidentsClient();
    await createPlan(client); // the table is not empty: "writes nothing" means nothing new
  });
  afterAll(() => runtime?.stop());

  /**
   * Invokes the intake and returns the failure, after checking the function failed, wrote nothing, and logged one
   * error line with the reason (what an operator finds next to the delivery in the dead-letter queue).
   */
  async function rejected(delivery: unknown) {
    const before = await itemCount(runtime);
    const errors = captureErrorLogs();
    const result = await invokeIntake(runtime, delivery);
    expect(result.status).toBe(200); // Lambda's Invoke API reports function errors in a header
    expect(result.functionError).toBe('Unhandled');
    expect(result.outcomes).toBeUndefined();
    expect(await itemCount(runtime)).toBe(before);
    expect(errors).toEqual([expect.objectContaining({ message: 'trigger rejected', reason: result.errorMessage })]);
    return { errorType: result.errorType, errorMessage: result.errorMessage ?? '' };
  }

  it('an unknown response plan', async () => {
    // Prepare
    const missing = unique('no-such-plan');
    const delivery = eventBridgeEnvelope(sample('alarm-eventbridge'), { responsePlanName: missing });

    // Act
    const failure = await rejected(delivery);

    // Assess
    expect(failure.errorType).toBe('TriggerRejected');
    expect(failure.errorMessage).toContain(`Response plan ${missing} does not exist`);
    expect(failure.errorMessage).toContain(alarmArnOf('checkout-cpu-high'));
  });

  it('an unknown plan named by the alarm tag', async () => {
    // Prepare
    const missing = unique('tagged-missing');
    const event = eventBridgeAlarm('alarm-eventbridge-tagged', { tags: { 'incident-manager:response-plan': missing } });

    // Act
    const failure = await rejected(eventBridgeEnvelope(event));

    // Assess
    expect(failure.errorType).toBe('TriggerRejected');
    expect(failure.errorMessage).toContain(missing);
  });

  it('an invalid plan name', async () => {
    // Act
    const failure = await rejected(
      eventBridgeEnvelope(sample('alarm-eventbridge'), { responsePlanName: 'not a plan/name' }),
    );

    // Assess
    expect(failure.errorType).toBe('TriggerRejected');
    expect(failure.errorMessage).toContain('not a valid response plan name');
  });

  it('no plan: no name, no tag, no mapping (SNS)', async () => {
    // Prepare
    const topic = `arn:aws:sns:us-east-1:${SAMPLE_ACCOUNT}:${unique('unmapped')}`;

    // Act
    const failure = await rejected(snsDelivery(snsMessage(), topic));

    // Assess
    expect(failure.errorType).toBe('TriggerRejected');
    expect(failure.errorMessage).toContain(`No response plan for ${alarmArnOf('orders-db-cpu')}`);
    // It says how to name one, and which mapping would have applied.
    expect(failure.errorMessage).toContain('incident-manager:response-plan');
    expect(failure.errorMessage).toContain(topic);
  });

  it('no plan: an untagged EventBridge alarm without a plan on the envelope', async () => {
    // Act
    const failure = await rejected(eventBridgeEnvelope(sample('alarm-eventbridge')));

    // Assess
    expect(failure.errorType).toBe('TriggerRejected');
    expect(failure.errorMessage).toContain('No response plan');
  });

  it('no plan: a Lambda alarm-action payload without a mapping', async () => {
    // Act
    const failure = await rejected(sample('alarm-lambda-action'));

    // Assess
    expect(failure.errorType).toBe('TriggerRejected');
    expect(failure.errorMessage).toContain(alarmArnOf('payments-queue-backlog'));
  });

  it.each([
    ['a JSON array', [1, 2, 3], 'not a JSON object'],
    ['an object of no known form', { hello: 'world' }, 'Unrecognised delivery'],
    ['an EventBridge envelope without its event', { intake: 'eventbridge', responsePlanName: 'x' }, 'has no event'],
    ['an SNS event with no records', { Records: [] }, 'no records'],
    ['an SNS record without a message', { Records: [{ EventSource: 'aws:sns', Sns: {} }] }, 'carries no message'],
    [
      'an SNS message that is not JSON',
      { Records: [{ Sns: { MessageId: 'm-1', Message: 'CPU is high!' } }] },
      'not a CloudWatch alarm notification',
    ],
    [
      'an SNS message that is not an alarm notification',
      { Records: [{ Sns: { MessageId: 'm-2', Message: '{"hello":"world"}' } }] },
      'not a CloudWatch alarm notification',
    ],
    [
      'an EventBridge event without an id',
      { intake: 'eventbridge', responsePlanName: 'x', event: { source: 'my.app', 'detail-type': 'Thing', detail: {} } },
      'needs source, detail-type and id',
    ],
    [
      'a Lambda alarm action without an alarm ARN',
      { source: 'aws.cloudwatch', alarmData: { state: { value: 'ALARM' } } },
      'no alarm ARN',
    ],
  ])('a malformed delivery: %s', async (_name, delivery, message) => {
    // Act
    const failure = await rejected(localOverride(delivery, { responsePlanName: 'irrelevant' }));

    // Assess
    expect(failure.errorType).toBe('TriggerRejected');
    expect(failure.errorMessage).toContain(message);
  });

  it('an EventBridge alarm event whose alarm ARN is not an alarm ARN is not taken for another event', async () => {
    // Prepare
    const plan = await createPlan(client);
    const event = sample('alarm-eventbridge');
    event.resources = ['not-an-arn'];
    event.id = unique('bad-arn');

    // Act
    const failure = await rejected(eventBridgeEnvelope(event, { responsePlanName: plan.name }));

    // Assess
    expect(failure.errorType).toBe('TriggerRejected');
  });

  it('an SNS event with one bad record among good ones writes none of them', async () => {
    // Prepare
    const plan = await createPlan(client);
    const good = snsDelivery(snsMessage(), `arn:aws:sns:us-east-1:${SAMPLE_ACCOUNT}:ops`) as { Records: unknown[] };
    const delivery = { Records: [...good.Records, { Sns: { MessageId: 'bad', Message: 'not json' } }] };

    // Act
    const failure = await rejected(localOverride(delivery, { responsePlanName: plan.name }));

    // Assess
    expect(failure.errorType).toBe('TriggerRejected');
  });

  it('a body that is not JSON is refused by the Invoke API itself', async () => {
    // Act
    const response = await fetch(`${runtime.url}/2015-03-31/functions/trigger-intake/invocations`, {
      method: 'POST',
      body: '{not json',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('InvalidRequestContentException');
  });
});
