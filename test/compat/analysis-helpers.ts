/**
 * Helpers for the post-incident analysis tests: the typed client pointed at the local runtime, and resolved incidents
 * with a real history (paged and acknowledged through ssm-contacts, a metric, notes) made with the official clients.
 */
import { AcceptPageCommand, type SSMContactsClient } from '@aws-sdk/client-ssm-contacts';
import {
  CreateTimelineEventCommand,
  type SSMIncidentsClient,
  UpdateIncidentRecordCommand,
  UpdateRelatedItemsCommand,
} from '@aws-sdk/client-ssm-incidents';
import { expect } from 'vitest';
import { AnalysisApiError, AnalysisClient } from '../../lib/client/index.ts';
import { TEST_REGION, type TestRuntime } from '../support/local-runtime.ts';
import { eventually, type Person, pagesTo, person } from './engagements-helpers.ts';
import { createPlan, startIncident } from './helpers.ts';

/** The typed client as a script would use it, signed with `accessKeyId` (the caller's principal locally). */
export const analysisClient = (runtime: TestRuntime, accessKeyId = 'analyst') =>
  new AnalysisClient({
    endpoint: runtime.url,
    region: TEST_REGION,
    credentials: { accessKeyId, secretAccessKey: 'local' },
    maxAttempts: 1,
  });

/** The error a call failed with (fails the test when it succeeded). */
export async function apiError(promise: Promise<unknown>): Promise<AnalysisApiError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AnalysisApiError);
    return error as AnalysisApiError;
  }
  throw new Error('expected the call to fail');
}

export const METRIC_DEFINITION = JSON.stringify({
  metrics: [['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', 'LoadBalancer', 'app/checkout/123']],
});

export interface IncidentStory {
  incidentArn: string;
  oncall?: Person;
}

/**
 * An incident opened from a plan, optionally paging a person who acknowledges, with a METRIC related item and a
 * note; its impact lowered to 5 (mitigated), then resolved.
 */
export async function resolvedIncident(
  runtime: TestRuntime,
  incidents: SSMIncidentsClient,
  contacts: SSMContactsClient,
  options: { paged?: boolean; acknowledged?: boolean; resolve?: boolean; title?: string } = {},
): Promise<IncidentStory> {
  const oncall = options.paged
    ? await person(runtime, contacts, { prefix: 'oncall', stages: [{ minutes: 5, channels: ['mail'] }] })
    : undefined;
  const plan = await createPlan(incidents, oncall ? { engagements: [oncall.arn] } : {});
  const incidentArn = await startIncident(incidents, plan.arn, {
    title: options.title ?? 'Checkout is failing',
    impact: 2,
  });
  if (oncall) {
    const page = await eventually(() => pagesTo(runtime, oncall)[0], 10_000, 'the page');
    if (options.acknowledged)
      await contacts.send(
        new AcceptPageCommand({ PageId: page.pageArn, AcceptType: 'READ', AcceptCode: page.acceptCode! }),
      );
  }
  await incidents.send(
    new UpdateRelatedItemsCommand({
      incidentRecordArn: incidentArn,
      relatedItemsUpdate: {
        itemToAdd: { identifier: { type: 'METRIC', value: { metricDefinition: METRIC_DEFINITION } }, title: '5xx' },
      },
    }),
  );
  await incidents.send(
    new CreateTimelineEventCommand({
      incidentRecordArn: incidentArn,
      eventTime: new Date(),
      eventType: 'Custom Event',
      eventData: 'Rolled back deployment 42',
    }),
  );
  await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentArn, impact: 5 }));
  if (options.resolve !== false)
    await incidents.send(new UpdateIncidentRecordCommand({ arn: incidentArn, status: 'RESOLVED' }));
  return { incidentArn, ...(oncall ? { oncall } : {}) };
}
