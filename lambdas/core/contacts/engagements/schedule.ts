/**
 * The engagement engine's timing and identity rules, as pure functions (no I/O), so they are unit-tested alone:
 *
 * - Stage n of a plan starts at the engagement's start + the DurationInMinutes of stages 0..n-1 (stage 0 at once);
 *   the plan ends DurationInMinutes after its last stage began. A stage that reached nobody (`skippedStages`) takes
 *   no time: the next one starts at once, because waiting out a stage that woke nobody only delays the next person. A "minute" is `minuteMs` of real time: 60,000 ms,
 *   or 60,000 / LOCAL_TIME_SCALE locally, which is where the time scale is applied (the ASL only waits until the
 *   instant the worker names, so the same file runs at any scale).
 * - A failed delivery is re-sent RetryIntervalInMinutes later, up to MAX_DELIVERY_ATTEMPTS attempts in all, while
 *   the engagement is ENGAGED; a retry interval of 0 (or none) means no retry.
 * - Page and child-engagement ids are derived from what they stand for (engagement, stage, target, channel), so a
 *   redelivered step computes the same ids and its conditional writes fail instead of paging twice.
 */
import { sha256Hex } from '#core/shared/ids.ts';
import type { PlanStage } from '../ports.ts';

/** Delivery attempts per page: the first send and up to two re-sends after RetryIntervalInMinutes. */
export const MAX_DELIVERY_ATTEMPTS = 3;

/** Children one stage of an escalation plan may engage (one DynamoDB transaction holds at most 100 writes). */
export const MAX_CHILDREN_PER_STAGE = 90;

export interface Timed {
  startTime: number;
  stages: readonly PlanStage[];
  minuteMs: number;
  /** Stages that reached nobody: their duration is not waited out. */
  skippedStages?: readonly number[];
}

/** When stage `index` begins (index = stages.length: when the plan ends). */
export const stageStart = (plan: Timed, index: number): number =>
  plan.startTime +
  plan.stages
    .slice(0, index)
    .reduce((sum, s, i) => sum + (plan.skippedStages?.includes(i) ? 0 : s.durationInMinutes), 0) *
    plan.minuteMs;

export const planEnd = (plan: Timed): number => stageStart(plan, plan.stages.length);

/** Stages from `nextStage` on whose start time has come. */
export const dueStages = (plan: Timed & { nextStage: number }, now: number): number[] => {
  const due: number[] = [];
  for (let i = plan.nextStage; i < plan.stages.length && stageStart(plan, i) <= now; i++) due.push(i);
  return due;
};

/** The next instant at which something of this plan happens after `now` (a stage, or its end), if any. */
export const nextPlanInstant = (plan: Timed & { nextStage: number }, now: number): number | undefined => {
  if (plan.nextStage < plan.stages.length) return stageStart(plan, plan.nextStage);
  const end = planEnd(plan);
  return end > now ? end : undefined;
};

/**
 * The instants at which a person engaged by an escalation plan needs a step: their next stage and re-sends, and the
 * end of their own plan only when it comes after the escalation's end. Before that, the end of their plan changes
 * nothing (the tree stays engaged while the escalation runs), and waking for it would cost a Step, a Choice and a Wait
 * for nothing: three state transitions whenever a person's plan is shorter than their escalation stage (one channel
 * for 5 minutes in a 15-minute stage, say).
 */
export const personWakes = (
  person: Timed & { nextStage: number },
  pending: number[],
  escalationEnd: number,
  now: number,
): number[] => {
  const next = nextPlanInstant(person, now);
  const isPlanEnd = person.nextStage >= person.stages.length;
  return next === undefined || (isPlanEnd && next <= escalationEnd) ? pending : [...pending, next];
};

/** Whether the plan has nothing left to do at `now` (every stage ran and the last one's duration elapsed). */
export const planFinished = (plan: Timed & { nextStage: number }, now: number): boolean =>
  plan.nextStage >= plan.stages.length && now >= planEnd(plan);

/** When to re-send after a failed attempt, or undefined when the page is not re-sent. */
export const retryAt = (
  page: { retryIntervalInMinutes?: number; attempts: number },
  retryable: boolean,
  minuteMs: number,
  now: number,
): number | undefined => {
  const interval = page.retryIntervalInMinutes ?? 0;
  if (!retryable || interval <= 0 || page.attempts >= MAX_DELIVERY_ATTEMPTS) return undefined;
  return now + interval * minuteMs;
};

/**
 * The instant the workflow's Wait state waits for (TimestampPath). At real time (a minute of 60 s) it is rounded up
 * to the second, which Step Functions takes in any form; scaled runs keep milliseconds (the local interpreter takes
 * fractional seconds). Arriving early is harmless: the next step finds nothing due and names the instant again.
 */
export const wakeAtText = (instant: number, minuteMs: number): string =>
  minuteMs >= 60_000
    ? `${new Date(Math.ceil(instant / 1000) * 1000).toISOString().slice(0, 19)}Z`
    : new Date(Math.ceil(instant)).toISOString();

/** A UUID-shaped id derived from its parts (stable across retries of the same step). */
export const derivedId = (...parts: (string | number)[]): string => {
  const hex = sha256Hex(parts.join('\u0000'));
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** How an SMS reply finds its page (reply-lookup items): the sender's number and the code, hashed together. */
export const replyCodeKey = (address: string, code: string): string => sha256Hex(`reply:${address}:${code}`);

/** The acknowledgement code's stored form: bound to the page, so a code of one page never matches another's hash. */
export const acceptCodeHash = (pageArn: string, code: string): string => sha256Hex(`accept:${pageArn}:${code}`);
