import { describe, expect, it, vi } from 'vitest';
import { withCachedResponsePlans } from '#core/alerting/plan-cache.ts';
import type { IncidentsStore, ResponsePlanRecord } from '#core/incidents/ports.ts';

const plan = { record: { name: 'p' } as ResponsePlanRecord, version: 1 };

describe('response-plan cache of the trigger intake', () => {
  it('reads a plan once per TTL, and again after it expires', async () => {
    let now = 0;
    const getResponsePlan = vi.fn(async () => plan);
    const store = withCachedResponsePlans({ getResponsePlan } as unknown as IncidentsStore, 30_000, () => now);
    await store.getResponsePlan('p');
    now = 29_999;
    await store.getResponsePlan('p');
    expect(getResponsePlan).toHaveBeenCalledTimes(1);
    now = 30_000;
    await store.getResponsePlan('p');
    expect(getResponsePlan).toHaveBeenCalledTimes(2);
  });

  it('never caches a missing plan, so a plan created after a failed trigger works at once', async () => {
    const getResponsePlan = vi.fn().mockResolvedValueOnce(undefined).mockResolvedValueOnce(plan);
    const store = withCachedResponsePlans({ getResponsePlan } as unknown as IncidentsStore, 30_000, () => 0);
    expect(await store.getResponsePlan('p')).toBeUndefined();
    expect(await store.getResponsePlan('p')).toBe(plan);
  });
});

describe('response-plan cache under a burst', () => {
  it('lets triggers that miss together share one read', async () => {
    let release: (value: typeof plan) => void = () => undefined;
    const getResponsePlan = vi.fn(() => new Promise<typeof plan>((resolve) => (release = resolve)));
    const store = withCachedResponsePlans({ getResponsePlan } as unknown as IncidentsStore, 30_000, () => 0);
    const burst = Promise.all(Array.from({ length: 50 }, () => store.getResponsePlan('p')));
    release(plan);
    expect(await burst).toEqual(Array.from({ length: 50 }, () => plan));
    expect(getResponsePlan).toHaveBeenCalledTimes(1);
  });
});
