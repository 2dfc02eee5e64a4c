/**
 * The Lambda that alarms and events invoke (asynchronously) to open incidents: EventBridge rule targets, SNS
 * subscriptions and CloudWatch's Lambda alarm action all call it. A delivery that can never succeed throws, so
 * Lambda's retries end in the function's on-failure destination (the intake dead-letter queue) with the reason.
 * It also serves the CloudFormation custom resource that registers trigger mappings (SNS topic / alarm → plan).
 */
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { triggersOf } from '#adapters/triggers/deliveries.ts';
import { acceptTriggers, type TriggerOutcome, TriggerRejected } from '#core/alerting/intake.ts';
import { withCachedResponsePlans } from '#core/alerting/plan-cache.ts';
import { METRIC } from '#core/events/business-metrics.ts';
import { isMappingRequest, type MappingRequest, respondToMappingRequest } from '#http/trigger-mapping-resource.ts';
import { logger } from '#runtime/logger.ts';
import type { CompositionRoot } from '#runtime/root.ts';

export type IntakeHandler = (event: unknown, context: Context) => Promise<{ outcomes: TriggerOutcome[] } | undefined>;

export interface TriggerIntakeOptions {
  /** How long a response plan is reused before it is read again (default 30 s; the local runtime uses 0). */
  planCacheMs?: number;
}

export function createTriggerIntakeHandler(root: CompositionRoot, options: TriggerIntakeOptions = {}): IntakeHandler {
  const service = root.service;
  // Alarm storms read each plan once per cache period instead of once per delivery.
  const deps = { store: withCachedResponsePlans(root.incidentsStore, options.planCacheMs) };
  const intake = async (event: unknown, context: Context) => {
    if (isMappingRequest(event)) {
      await respondToMappingRequest(deps.store, event as MappingRequest);
      return undefined;
    }
    const ctx = { ...service, caller: { principalArn: context.invokedFunctionArn }, now: Date.now() };
    try {
      // Envelopes are unwrapped here, at the edge; the core sees triggers only.
      const outcomes = await acceptTriggers(deps, ctx, triggersOf(event, ctx.partition));
      for (const outcome of outcomes) {
        logger.info('trigger accepted', { requestId: context.awsRequestId, ...outcome });
        root.observability.metrics.count(METRIC.triggers, { Outcome: outcome.outcome });
      }
      return { outcomes };
    } catch (error) {
      root.observability.metrics.count(METRIC.triggers, {
        Outcome: error instanceof TriggerRejected ? 'rejected' : 'failed',
      });
      if (error instanceof TriggerRejected) {
        // One clear line per rejected delivery; the delivery itself goes to the dead-letter queue.
        logger.error('trigger rejected', { requestId: context.awsRequestId, reason: error.message });
      } else {
        logger.error('trigger failed; it will be retried', { requestId: context.awsRequestId, error: String(error) });
      }
      throw error;
    }
  };
  return middy<unknown, { outcomes: TriggerOutcome[] } | undefined>()
    .use(root.observability.middlewares())
    .handler(intake);
}
