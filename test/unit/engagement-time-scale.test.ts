import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { engagementDependenciesFromConfig, NO_MESSAGES, unavailableRunner } from '#runtime/engagements.ts';

const config = {
  tableName: 't',
  accountId: '111122223333',
  region: 'us-east-1',
  partition: 'aws',
  idempotencyWindowSeconds: 3600,
};
const client = new DynamoDBClient({ region: 'us-east-1' });

afterEach(() => vi.unstubAllEnvs());

describe('paging time scale', () => {
  it('keeps deployed functions in real time even if LOCAL_TIME_SCALE is set on them', () => {
    vi.stubEnv('LOCAL_TIME_SCALE', '60');
    const deps = engagementDependenciesFromConfig(config, client, NO_MESSAGES, { runner: unavailableRunner('test') });
    expect(deps.engagements.minuteMs).toBe(60_000);
  });

  it('speeds paging up only when the local runtime passes a scale', () => {
    const deps = engagementDependenciesFromConfig(config, client, NO_MESSAGES, {
      runner: unavailableRunner('test'),
      timeScale: 60,
    });
    expect(deps.engagements.minuteMs).toBe(1_000);
  });
});
