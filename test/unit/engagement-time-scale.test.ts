import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '#runtime/config.ts';
import { localObservability } from '#runtime/observability.ts';
import { engagementsOf } from '#runtime/paging.ts';
import { CompositionRoot, rootFromEnvironment } from '#runtime/root.ts';

const environment = {
  TABLE_NAME: 't',
  ACCOUNT_ID: '111122223333',
  AWS_REGION: 'us-east-1',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111122223333:stateMachine:paging',
};

afterEach(() => vi.unstubAllEnvs());

describe('paging time scale', () => {
  it('keeps deployed functions in real time even if LOCAL_TIME_SCALE is set on them', () => {
    for (const [name, value] of Object.entries({ ...environment, LOCAL_TIME_SCALE: '60' })) vi.stubEnv(name, value);
    expect(engagementsOf(rootFromEnvironment()).minuteMs).toBe(60_000);
  });

  it('speeds paging up only when the local runtime passes a scale', () => {
    const root = new CompositionRoot(loadConfig(environment), { timeScale: 60, observability: localObservability() });
    expect(engagementsOf(root).minuteMs).toBe(1_000);
  });
});
