import type { IncidentsStore } from '#core/incidents/ports.ts';

/**
 * For the trigger intake only: keeps response plans for a short time per execution environment, so an alarm storm
 * does not read the same plan thousands of times. A plan change reaches the intake within `ttlMs`; a missing plan
 * is never cached, so a plan created after its first failed trigger works at once. The API keeps reading plans
 * with strong consistency.
 */
export function withCachedResponsePlans(
  store: IncidentsStore,
  ttlMs = 30_000,
  clock: () => number = Date.now,
): IncidentsStore {
  type Plan = Awaited<ReturnType<IncidentsStore['getResponsePlan']>>;
  const cache = new Map<string, { plan: NonNullable<Plan>; expires: number }>();
  // Concurrent triggers that miss together share one read instead of each reading the plan.
  const reading = new Map<string, Promise<Plan>>();
  return {
    ...store,
    async getResponsePlan(name) {
      const hit = cache.get(name);
      if (hit && hit.expires > clock()) return hit.plan;
      let pending = reading.get(name);
      if (!pending) {
        pending = store.getResponsePlan(name).finally(() => reading.delete(name));
        reading.set(name, pending);
        const plan = await pending;
        if (plan) cache.set(name, { plan, expires: clock() + ttlMs });
        else cache.delete(name);
        return plan;
      }
      return pending;
    },
  };
}
