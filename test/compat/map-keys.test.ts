/**
 * Map keys named like JavaScript built-ins (`__proto__`, `constructor`, `toString`, ...) are valid by the models'
 * patterns wherever callers name map entries: ssm-incidents tags (plans, incidents, the replication set), incident
 * template tags, automation parameters, replication-set Regions, and ssm-contacts tags (contacts, rotations). They
 * are stored and returned like any other key, through every operation that writes and reads them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import { type Api, type Json, requestOf, send } from '../support/operation-samples.ts';
import { uniqueAlias } from './contacts-helpers.ts';
import { unique } from './helpers.ts';

const SPECIAL = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '~tilde'];

/** An object whose own keys are `keys` (defineProperty, so `__proto__` is an ordinary key). */
const withKeys = <V>(keys: readonly string[], value: (key: string) => V): Record<string, V> => {
  const result: Record<string, V> = {};
  for (const key of keys)
    Object.defineProperty(result, key, { value: value(key), enumerable: true, writable: true, configurable: true });
  return result;
};

/** Own entries, sorted: compares maps without tripping over `__proto__` in equality helpers. */
const entriesOf = (value: unknown) => Object.entries(value as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('map keys named like JavaScript built-ins', () => {
  let runtime: TestRuntime;
  const call = async (api: Api, operation: string, input: Json) => {
    const response = await send(runtime, requestOf(api, operation, input));
    if (response.status >= 300) throw new Error(`${operation}: ${response.status} ${response.text}`);
    return response.json ?? {};
  };

  beforeAll(async () => {
    runtime = await startTestRuntime();
  });
  afterAll(() => runtime?.stop());

  it('stores and returns them in response-plan, template and incident tags and in automation parameters', async () => {
    // Prepare
    const tags = withKeys(
      SPECIAL.filter((k) => !k.startsWith('~')),
      (k) => `value of ${k}`,
    );
    const parameters = withKeys(SPECIAL, (k) => [`parameter ${k}`]);
    const dynamicParameters = withKeys(SPECIAL, () => ({ variable: 'INCIDENT_RECORD_ARN' }));
    const name = unique('builtin');

    // Act
    const { arn } = (await call('ssm-incidents', 'CreateResponsePlan', {
      name,
      incidentTemplate: { title: 'T', impact: 3, incidentTags: tags },
      tags,
      actions: [
        {
          ssmAutomation: {
            roleArn: `arn:aws:iam::${TEST_ACCOUNT}:role/runbook`,
            documentName: 'Runbook',
            parameters,
            dynamicParameters,
          },
        },
      ],
    })) as { arn: string };
    await call('ssm-incidents', 'TagResource', { resourceArn: arn, tags: withKeys(['isPrototypeOf'], () => 'added') });
    await call('ssm-incidents', 'UntagResource', { resourceArn: arn, tagKeys: ['constructor'] });
    const plan = (await call('ssm-incidents', 'GetResponsePlan', { arn })) as any;
    const planTags = (await call('ssm-incidents', 'ListTagsForResource', { resourceArn: arn })) as any;
    const { incidentRecordArn } = (await call('ssm-incidents', 'StartIncident', { responsePlanArn: arn })) as any;
    const incidentTags = (await call('ssm-incidents', 'ListTagsForResource', {
      resourceArn: incidentRecordArn,
    })) as any;

    // Assess
    expect(entriesOf(plan.incidentTemplate.incidentTags)).toEqual(entriesOf(tags));
    expect(entriesOf(plan.actions[0].ssmAutomation.parameters)).toEqual(entriesOf(parameters));
    expect(entriesOf(plan.actions[0].ssmAutomation.dynamicParameters)).toEqual(entriesOf(dynamicParameters));
    expect(entriesOf(planTags.tags)).toEqual(
      entriesOf(
        withKeys(['__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'], (k) =>
          k === 'isPrototypeOf' ? 'added' : `value of ${k}`,
        ),
      ),
    );
    expect(entriesOf(incidentTags.tags)).toEqual(entriesOf(tags));
  });

  it('stores and returns them as replication-set Regions and tags', async () => {
    // Prepare: the replication set is a singleton; this file's table has none yet.
    const regions = withKeys(['__proto__', 'constructor'], () => ({}));

    // Act
    const { arn } = (await call('ssm-incidents', 'CreateReplicationSet', {
      regions,
      tags: withKeys(['__proto__'], () => 'x'),
    })) as { arn: string };
    await call('ssm-incidents', 'UpdateReplicationSet', {
      arn,
      actions: [{ addRegionAction: { regionName: 'toString' } }],
    });
    await call('ssm-incidents', 'UpdateReplicationSet', {
      arn,
      actions: [{ deleteRegionAction: { regionName: '__proto__' } }],
    });
    const set = (await call('ssm-incidents', 'GetReplicationSet', { arn })) as any;
    const tags = (await call('ssm-incidents', 'ListTagsForResource', { resourceArn: arn })) as any;

    // Assess
    expect(Object.keys(set.replicationSet.regionMap).sort()).toEqual(['constructor', 'toString']);
    expect(set.replicationSet.regionMap.constructor.status).toBe('ACTIVE');
    expect(entriesOf(tags.tags)).toEqual([['__proto__', 'x']]);
  });

  it('stores and returns them as contact and rotation tags', async () => {
    // Prepare
    const Tags = ['__proto__', 'constructor', 'toString'].map((Key) => ({ Key, Value: `v-${Key}` }));

    // Act
    const { ContactArn } = (await call('ssm-contacts', 'CreateContact', {
      Alias: uniqueAlias('builtin'),
      Type: 'PERSONAL',
      Plan: { Stages: [] },
      Tags,
    })) as { ContactArn: string };
    await call('ssm-contacts', 'TagResource', {
      ResourceARN: ContactArn,
      Tags: [{ Key: 'valueOf', Value: 'v-valueOf' }],
    });
    await call('ssm-contacts', 'UntagResource', { ResourceARN: ContactArn, TagKeys: ['toString'] });
    const contactTags = (await call('ssm-contacts', 'ListTagsForResource', { ResourceARN: ContactArn })) as any;
    const { RotationArn } = (await call('ssm-contacts', 'CreateRotation', {
      Name: 'builtin',
      ContactIds: [ContactArn],
      TimeZoneId: 'UTC',
      Recurrence: { NumberOfOnCalls: 1, RecurrenceMultiplier: 1, DailySettings: [{ HourOfDay: 9, MinuteOfHour: 0 }] },
      Tags,
    })) as { RotationArn: string };
    const rotationTags = (await call('ssm-contacts', 'ListTagsForResource', { ResourceARN: RotationArn })) as any;

    // Assess
    expect(contactTags.Tags).toEqual([
      { Key: '__proto__', Value: 'v-__proto__' },
      { Key: 'constructor', Value: 'v-constructor' },
      { Key: 'valueOf', Value: 'v-valueOf' },
    ]);
    expect(rotationTags.Tags).toEqual(Tags);
  });
});
