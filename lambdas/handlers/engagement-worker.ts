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
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createMessageSenderFromEnvironment } from '#adapters/messaging/create-sender.ts';
import {
  type EngagementDependencies,
  recordFailure,
  type StepResult,
  step,
} from '#core/contacts/engagements/engine.ts';
import type { MessageSender } from '#core/contacts/messaging.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { loadConfig, type RuntimeConfig } from '#runtime/config.ts';
import { createDynamoDbClient } from '#runtime/dynamodb-client.ts';
import { engagementDependenciesFromConfig, unavailableRunner } from '#runtime/engagements.ts';
import { logger } from '#runtime/logger.ts';

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

export function createEngagementWorkerHandler(deps: EngagementDependencies, service: ServiceContext): WorkerHandler {
  return async (event, context) => {
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
}

export interface EngagementWorkerOptions {
  /** Where pages go; deployed: the providers configured per channel type (create-sender.ts). */
  messages?: MessageSender;
}

/** Builds the worker from configuration; the local runtime passes its DynamoDB client and its outbox. */
export function engagementWorkerFromConfig(
  config: RuntimeConfig,
  client: DynamoDBClient = createDynamoDbClient(config),
  options: EngagementWorkerOptions = {},
): WorkerHandler {
  const messages = options.messages ?? createMessageSenderFromEnvironment(process.env, { region: config.region });
  // The worker never starts or stops workflows: it IS the workflow's step.
  const deps = engagementDependenciesFromConfig(config, client, messages, {
    runner: unavailableRunner('the engagement worker does not start workflows'),
  });
  return createEngagementWorkerHandler(deps, {
    accountId: config.accountId,
    region: config.region,
    partition: config.partition,
  });
}

let fromEnvironment: WorkerHandler | undefined;

/** The deployed entry point: configuration is read and clients are built once per execution environment. */
export const handler: WorkerHandler = (event, context) => {
  fromEnvironment ??= engagementWorkerFromConfig(loadConfig());
  return fromEnvironment(event, context);
};
