/** The engagement engine's pure timing and identity rules (lambdas/core/contacts/engagements/schedule.ts). */
import { describe, expect, it } from 'vitest';
import {
  acceptCodeHash,
  derivedId,
  dueStages,
  MAX_DELIVERY_ATTEMPTS,
  nextPlanInstant,
  personWakes,
  planEnd,
  planFinished,
  retryAt,
  stageStart,
  wakeAtText,
} from '#core/contacts/engagements/schedule.ts';

const MINUTE = 60_000;
const stage = (durationInMinutes: number) => ({ durationInMinutes, targets: [] });
const plan = (durations: number[], nextStage = 0, minuteMs = MINUTE) => ({
  startTime: 1_000_000,
  stages: durations.map(stage),
  minuteMs,
  nextStage,
});

describe('stage timing', () => {
  it('starts stage n after the durations of stages 0..n-1, and ends the plan after the last one', () => {
    const p = plan([5, 10, 0, 3]);
    expect([0, 1, 2, 3].map((n) => (stageStart(p, n) - p.startTime) / MINUTE)).toEqual([0, 5, 15, 15]);
    expect((planEnd(p) - p.startTime) / MINUTE).toBe(18);
  });

  it('finds every stage whose time has come, from the next one on (a late step catches up)', () => {
    const p = plan([5, 5, 5]);
    expect(dueStages(p, p.startTime)).toEqual([0]);
    expect(dueStages(p, p.startTime + 5 * MINUTE - 1)).toEqual([0]);
    expect(dueStages(p, p.startTime + 11 * MINUTE)).toEqual([0, 1, 2]);
    expect(dueStages({ ...p, nextStage: 2 }, p.startTime + 11 * MINUTE)).toEqual([2]);
    expect(dueStages({ ...p, nextStage: 3 }, p.startTime + 60 * MINUTE)).toEqual([]);
  });

  it('names the next instant (next stage, then the end) and finishes only after the last duration', () => {
    const p = plan([5, 5], 1);
    expect(nextPlanInstant(p, p.startTime + MINUTE)).toBe(p.startTime + 5 * MINUTE);
    const ran = { ...p, nextStage: 2 };
    expect(nextPlanInstant(ran, p.startTime + 6 * MINUTE)).toBe(p.startTime + 10 * MINUTE);
    expect(planFinished(ran, p.startTime + 10 * MINUTE - 1)).toBe(false);
    expect(planFinished(ran, p.startTime + 10 * MINUTE)).toBe(true);
    expect(nextPlanInstant(ran, p.startTime + 10 * MINUTE)).toBeUndefined();
  });

  it("wakes for the end of an escalated person's own plan only when it comes after the escalation's end", () => {
    // An escalation of three 30-minute stages; the stage-1 person's own plan is one 5-minute stage (from the
    // escalation stage's scheduled start). Its end, 5 minutes in, changes nothing: the escalation runs on.
    const escalation = plan([30, 30, 30], 1);
    const stage1Person = plan([5], 1);
    const afterStage1 = escalation.startTime + 1_000;
    expect(personWakes(stage1Person, [], planEnd(escalation), afterStage1)).toEqual([]);
    // Its next stage and a re-send still need a step, as does an end after the escalation's (the tree completes then).
    const twoStagePerson = plan([5, 5], 1);
    expect(personWakes(twoStagePerson, [afterStage1 + 60_000], planEnd(escalation), afterStage1)).toEqual([
      afterStage1 + 60_000,
      stageStart(twoStagePerson, 1),
    ]);
    const lastStagePerson = { ...plan([120], 1), startTime: stageStart(escalation, 2) };
    expect(personWakes(lastStagePerson, [], planEnd(escalation), stageStart(escalation, 2))).toEqual([
      planEnd(lastStagePerson),
    ]);
  });

  it('applies the time scale through the minute length (LOCAL_TIME_SCALE=60: a minute is a second)', () => {
    const p = plan([5, 5, 5], 0, MINUTE / 60);
    expect(planEnd(p) - p.startTime).toBe(15_000);
  });
});

describe('re-sends', () => {
  it('re-sends after RetryIntervalInMinutes on a transient failure, up to the attempt limit', () => {
    expect(retryAt({ retryIntervalInMinutes: 2, attempts: 1 }, true, MINUTE, 0)).toBe(2 * MINUTE);
    expect(retryAt({ retryIntervalInMinutes: 2, attempts: MAX_DELIVERY_ATTEMPTS - 1 }, true, MINUTE, 0)).toBe(
      2 * MINUTE,
    );
    expect(retryAt({ retryIntervalInMinutes: 2, attempts: MAX_DELIVERY_ATTEMPTS }, true, MINUTE, 0)).toBeUndefined();
  });

  it('never re-sends without an interval (absent or 0) or when the failure is permanent', () => {
    expect(retryAt({ attempts: 1 }, true, MINUTE, 0)).toBeUndefined();
    expect(retryAt({ retryIntervalInMinutes: 0, attempts: 1 }, true, MINUTE, 0)).toBeUndefined();
    expect(retryAt({ retryIntervalInMinutes: 5, attempts: 1 }, false, MINUTE, 0)).toBeUndefined();
  });
});

describe('identities and instants', () => {
  it('derives the same UUID-shaped id from the same parts, and different ids from different parts', () => {
    const id = derivedId('page', 'engagement-1', 0, 1, 'channel-a');
    expect(id).toBe(derivedId('page', 'engagement-1', 0, 1, 'channel-a'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedId('page', 'engagement-1', 0, 2, 'channel-a')).not.toBe(id);
    expect(derivedId('page', 'engagement-1', 1, 1, 'channel-a')).not.toBe(id);
  });

  it('binds an acknowledgement code hash to its page', () => {
    expect(acceptCodeHash('page-a', '123456')).toBe(acceptCodeHash('page-a', '123456'));
    expect(acceptCodeHash('page-b', '123456')).not.toBe(acceptCodeHash('page-a', '123456'));
  });

  it('names wake-up instants in whole seconds (rounded up) at real time, in milliseconds when scaled', () => {
    const instant = Date.UTC(2026, 10, 21, 18, 50, 9, 123);
    expect(wakeAtText(instant, MINUTE)).toBe('2026-11-21T18:50:10Z');
    expect(wakeAtText(instant, MINUTE / 60)).toBe('2026-11-21T18:50:09.123Z');
  });
});
