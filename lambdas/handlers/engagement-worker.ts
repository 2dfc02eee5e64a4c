/**
 * The engagement workflow's worker: every Task of state-machines/engagement.asl.json invokes this Lambda with the
 * action in its Parameters. In AWS Step Functions calls it; locally the runner calls the same function for every Task
 * (aws-local-stepfunctions' taskResourceLocalHandlers).
 *
 * - `{action: "step", engagementId}` runs the stages and re-sends that are due and answers
 *   `{engagementId, done, wakeAt}`; the workflow waits until `wakeAt` and steps again.
 * - `{action: "fail", engagementId, error}` marks the engagement tree FAILED after the step's retries ran out.
 *
 * Errors are THROWN, never returned: the ASL's Retry (transient: DynamoDB throttling, a Lambda hiccup) and Catch
 * (EngagementNotFound, or retries exhausted) match on the error name.
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { recordFailure } from '#core/contacts/engagements/endings.ts';
import { type StepResult, step } from '#core/contacts/engagements/engine.ts';
import { logger } from '#runtime/logger.ts';
import { contactsOf } from '#runtime/paging.ts';
import type { CompositionRoot } from '#runtime/root.ts';

export interface WorkerEvent {
  action: 'step' | 'fail';
  engagementId: string;
  /** `fail`: the error the Catch caught (`{Error, Cause}`). */
  error?: { Error?: string; Cause?: string };
}

export type WorkerHandler = (event: WorkerEvent, context: Context) => Promise<StepResult>;

/** The event was not one this worker understands: no retry can fix it. */
export class InvalidWorkerEvent extends Error {
  override readonly name = 'InvalidWorkerEvent';
}

export function createEngagementWorkerHandler(root: CompositionRoot): WorkerHandler {
  const deps = contactsOf(root);
  const service = root.service;
  const work = async (event: WorkerEvent, context: Context): Promise<StepResult> => {
    const engagementId = typeof event?.engagementId === 'string' ? event.engagementId : undefined;
    if (!engagementId) throw new InvalidWorkerEvent('The worker needs an engagementId.');
    const ctx = { ...service, caller: { principalArn: context.invokedFunctionArn }, now: Date.now() };
    if (event.action === 'step') {
      try {
        return await step(deps, ctx, engagementId);
      } catch (error) {
        logger.warn('engagement step failed; the workflow retries it', { engagementId, error: String(error) });
        throw error;
      }
    }
    if (event.action === 'fail') {
      const cause = [event.error?.Error, event.error?.Cause].filter(Boolean).join(': ') || 'unknown error';
      logger.error('engagement workflow failed', { engagementId, cause });
      await recordFailure(deps, engagementId, cause, ctx.now);
      return { engagementId, done: true };
    }
    throw new InvalidWorkerEvent(`Unknown action ${String(event.action)}.`);
  };
  return middy<WorkerEvent, StepResult>().use(root.observability.middlewares()).handler(work);
}
