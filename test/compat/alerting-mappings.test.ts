/**
 * Trigger mappings end to end: the CloudFormation custom resource `Custom::IncidentTriggerMapping` is sent to the
 * trigger intake as CloudFormation sends it (its response goes to a small HTTP server standing in for the
 * pre-signed ResponseURL), then SNS and Lambda alarm-action deliveries that name no plan open incidents from the
 * mapped plan; Delete removes the mapping.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureErrorLogs } from '../support/error-logs.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import {
  alarmArnOf,
  cloudWatchTime,
  deliver,
  invokeIntake,
  SAMPLE_ACCOUNT,
  sample,
  snsDelivery,
  snsMessage,
  timelineOf,
} from './alerting-helpers.ts';
import { createPlan, itemCount, unique } from './helpers.ts';

interface CfnResponse {
  method: string;
  url: string;
  contentType: string | undefined;
  body: {
    Status: string;
    Reason: string;
    PhysicalResourceId: string;
    StackId: string;
    RequestId: string;
    LogicalResourceId: string;
  };
}

/** Stands in for CloudFormation's pre-signed S3 ResponseURL: records every PUT it receives. */
async function startResponseCollector() {
  const received: CfnResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as CfnResponse['body'],
      });
      res.writeHead(200).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    received,
    url: (requestId: string) => `http://127.0.0.1:${port}/cfn-response/${requestId}?X-Amz-Signature=example`,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const STACK_ID = `arn:aws:cloudformation:us-east-1:${SAMPLE_ACCOUNT}:stack/alarms/5b2f4a60-0000-11ef-a000-0a1b2c3d4e5f`;
const topicArn = (name: string) => `arn:aws:sns:us-east-1:${SAMPLE_ACCOUNT}:${name}`;

describe('alerting: trigger mappings registered by the custom resource', () => {
  let runtime: TestRuntime;
  let client: SSMIncidentsClient;
  let collector: Awaited<ReturnType<typeof startResponseCollector>>;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.incidentsClient();
    collector = await startResponseCollector();
  });
  afterAll(async () => {
    await collector?.close();
    await runtime?.stop();
  });

  /** Sends a custom-resource request as CloudFormation does and returns the response it PUT to the ResponseURL. */
  async function customResource(
    requestType: 'Create' | 'Update' | 'Delete',
    properties: Record<string, string>,
    physicalResourceId?: string,
  ): Promise<CfnResponse> {
    const requestId = unique('request');
    const result = await invokeIntake(runtime, {
      RequestType: requestType,
      ServiceToken: `arn:aws:lambda:us-east-1:${SAMPLE_ACCOUNT}:function:trigger-intake`,
      ResponseURL: collector.url(requestId),
      StackId: STACK_ID,
      RequestId: requestId,
      LogicalResourceId: 'OpsAlarmsMapping',
      ResourceType: 'Custom::IncidentTriggerMapping',
      ...(physicalResourceId ? { PhysicalResourceId: physicalResourceId } : {}),
      ResourceProperties: { ServiceToken: 'ignored', ...properties },
    });
    expect(result.functionError).toBeNull();
    const responses = collector.received.filter((r) => r.url.startsWith(`/cfn-response/${requestId}?`));
    expect(responses).toHaveLength(1);
    return responses[0] as CfnResponse;
  }

  /** A new ALARM state change of the SNS sample's alarm (or another alarm), from `topic`. */
  let clock = Date.parse('2026-11-21T17:50:12.345Z');
  const alarmFromTopic = (topic: string, alarmName = 'orders-db-cpu') => {
    clock += 60_000;
    const message = {
      ...snsMessage(),
      AlarmName: alarmName,
      AlarmArn: alarmArnOf(alarmName),
      StateChangeTime: cloudWatchTime(clock),
    };
    return snsDelivery(message, topic);
  };

  it('Create maps an SNS topic to a plan: its alarms open incidents from that plan; Delete removes the mapping', async () => {
    // Prepare
    const plan = await createPlan(client);
    const topic = topicArn(unique('ops-alarms'));
    const alarm = unique('db-cpu');

    // Act: create
    const created = await customResource('Create', { SourceArn: topic, ResponsePlanName: plan.name });
    const opened = await deliver(runtime, alarmFromTopic(topic, alarm));

    // Assess
    expect(created.method).toBe('PUT');
    expect(created.body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: topic,
      StackId: STACK_ID,
      LogicalResourceId: 'OpsAlarmsMapping',
    });
    expect(created.url).toContain(created.body.RequestId);
    expect(opened).toMatchObject({ outcome: 'created', responsePlanName: plan.name, triggerArn: alarmArnOf(alarm) });
    expect(opened.incidentRecordArn).toContain(`:incident-record/${plan.name}/`);

    // Act: delete
    const deleted = await customResource('Delete', { SourceArn: topic, ResponsePlanName: plan.name }, topic);
    const before = await itemCount(runtime);
    const errors = captureErrorLogs();
    const afterDelete = await invokeIntake(runtime, alarmFromTopic(topic, unique('other-alarm')));

    // Assess
    expect(deleted.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: topic });
    expect(afterDelete.functionError).toBe('Unhandled');
    expect(afterDelete).toMatchObject({ errorType: 'TriggerRejected' });
    expect(afterDelete.errorMessage).toContain('No response plan');
    expect(await itemCount(runtime)).toBe(before);
    expect(errors).toEqual([
      expect.objectContaining({ message: 'trigger rejected', reason: afterDelete.errorMessage }),
    ]);
  });

  it("a mapping of the alarm itself wins over its topic's mapping", async () => {
    // Prepare
    const topicPlan = await createPlan(client);
    const alarmPlan = await createPlan(client);
    const topic = topicArn(unique('shared-topic'));
    const alarm = unique('specific');
    await customResource('Create', { SourceArn: topic, ResponsePlanName: topicPlan.name });
    await customResource('Create', { SourceArn: alarmArnOf(alarm), ResponsePlanName: alarmPlan.name });

    // Act
    const specific = await deliver(runtime, alarmFromTopic(topic, alarm));
    const other = await deliver(runtime, alarmFromTopic(topic, unique('general')));

    // Assess
    expect(specific.responsePlanName).toBe(alarmPlan.name);
    expect(other.responsePlanName).toBe(topicPlan.name);
  });

  it('a mapping of an alarm serves its Lambda alarm action', async () => {
    // Prepare
    const plan = await createPlan(client);
    const payload = sample('alarm-lambda-action');
    await customResource('Create', { SourceArn: String(payload.alarmArn), ResponsePlanName: plan.name });

    // Act
    const outcome = await deliver(runtime, payload);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'created', responsePlanName: plan.name });
  });

  it('a mapping with OnOk "timeline" notes the recovery on the open incident', async () => {
    // Prepare
    const plan = await createPlan(client);
    const topic = topicArn(unique('recovering'));
    const alarm = unique('db-cpu');
    await customResource('Create', { SourceArn: topic, ResponsePlanName: plan.name, OnOk: 'timeline' });
    const opened = await deliver(runtime, alarmFromTopic(topic, alarm));
    const ok = alarmFromTopic(topic, alarm) as { Records: { Sns: { Message: string } }[] };
    const message = JSON.parse(ok.Records[0]!.Sns.Message) as Record<string, unknown>;
    ok.Records[0]!.Sns.Message = JSON.stringify({ ...message, NewStateValue: 'OK', OldStateValue: 'ALARM' });

    // Act
    const recovered = await deliver(runtime, ok);

    // Assess
    expect(recovered).toMatchObject({ outcome: 'recorded-ok', incidentRecordArn: opened.incidentRecordArn });
    const custom = (await timelineOf(client, opened.incidentRecordArn!)).filter((e) => e.eventType === 'Custom Event');
    expect(custom.map((e) => e.eventReferences)).toEqual([[{ resource: alarmArnOf(alarm) }]]);
  });

  it('Update to another source ARN maps the new source; the Delete CloudFormation then sends for the old one unmaps it', async () => {
    // Prepare
    const plan = await createPlan(client);
    const oldTopic = topicArn(unique('old-topic'));
    const newTopic = topicArn(unique('new-topic'));
    await customResource('Create', { SourceArn: oldTopic, ResponsePlanName: plan.name });

    // Act
    const updated = await customResource('Update', { SourceArn: newTopic, ResponsePlanName: plan.name }, oldTopic);
    await customResource('Delete', { SourceArn: oldTopic, ResponsePlanName: plan.name }, oldTopic);

    // Assess
    expect(updated.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: newTopic });
    expect((await deliver(runtime, alarmFromTopic(newTopic, unique('a')))).responsePlanName).toBe(plan.name);
    const errors = captureErrorLogs();
    expect((await invokeIntake(runtime, alarmFromTopic(oldTopic, unique('b')))).errorType).toBe('TriggerRejected');
    expect(errors.map((line) => line.message)).toEqual(['trigger rejected']);
  });

  it.each([
    [
      'a source that is not an SNS topic, alarm or rule ARN',
      { SourceArn: 'arn:aws:s3:::bucket', ResponsePlanName: 'plan' },
      'SourceArn',
    ],
    ['no source', { ResponsePlanName: 'plan' }, 'SourceArn'],
    [
      'a plan name that is not a plan name',
      { SourceArn: topicArn('t'), ResponsePlanName: 'no spaces allowed' },
      'ResponsePlanName',
    ],
  ])('Create with %s answers FAILED with the reason and writes nothing', async (_name, properties, reason) => {
    // Prepare
    const before = await itemCount(runtime);
    const errors = captureErrorLogs();

    // Act
    const response = await customResource('Create', properties);

    // Assess
    expect(response.body.Status).toBe('FAILED');
    expect(response.body.Reason).toContain(reason);
    expect(await itemCount(runtime)).toBe(before);
    // The operator finds the failure in the function's log too (CloudFormation shows only the reason).
    expect(errors).toEqual([
      expect.objectContaining({
        message: 'custom resource failed',
        requestType: 'Create',
        reason: response.body.Reason,
      }),
    ]);
  });

  it('Delete after a failed Create (its physical id is not an ARN) succeeds', async () => {
    // Prepare
    const errors = captureErrorLogs();
    const failed = await customResource('Create', { SourceArn: 'nonsense', ResponsePlanName: 'plan' });
    expect(errors.map((line) => line.message)).toEqual(['custom resource failed']);

    // Act
    const deleted = await customResource(
      'Delete',
      { SourceArn: 'nonsense', ResponsePlanName: 'plan' },
      failed.body.PhysicalResourceId,
    );

    // Assess
    expect(failed.body.PhysicalResourceId).toBe('OpsAlarmsMapping');
    expect(deleted.body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'OpsAlarmsMapping' });
  });
});
