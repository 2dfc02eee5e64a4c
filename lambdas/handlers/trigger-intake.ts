/**
 * The Lambda that alarms and events invoke (asynchronously) to open incidents: EventBridge rule targets, SNS
 * subscriptions and CloudWatch's Lambda alarm action all call it. A delivery that can never succeed throws, so
 * Lambda's retries end in the function's on-failure destination (the intake dead-letter queue) with the reason.
 * It also serves the CloudFormation custom resource that registers trigger mappings (SNS topic / alarm → plan).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createDynamoDbIncidentsStore } from '#adapters/dynamodb/store.ts';
import { acceptDelivery, type TriggerOutcome, TriggerRejected } from '#core/alerting/intake.ts';
import { withCachedResponsePlans } from '#core/alerting/plan-cache.ts';
import type { Dependencies } from '#core/incidents/operation.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import { isMappingRequest, type MappingRequest, respondToMappingRequest } from '#http/trigger-mapping-resource.ts';
import { loadConfig, type RuntimeConfig } from '#runtime/config.ts';
import { createDynamoDbClient } from '#runtime/dynamodb-client.ts';
import { type EngagementOptions, incidentPagingFromConfig, NO_MESSAGES } from '#runtime/engagements.ts';
import { logger } from '#runtime/logger.ts';

export type IntakeHandler = (event: unknown, context: Context) => Promise<{ outcomes: TriggerOutcome[] } | undefined>;

export function createTriggerIntakeHandler(deps: Dependencies, service: ServiceContext): IntakeHandler {
  return async (event, context) => {
    if (isMappingRequest(event)) {
      await respondToMappingRequest(deps.store, event as MappingRequest);
      return undefined;
    }
    const ctx = { ...service, caller: { principalArn: context.invokedFunctionArn }, now: Date.now() };
    try {
      const outcomes = await acceptDelivery(deps, ctx, event);
      for (const outcome of outcomes) logger.info('trigger accepted', { requestId: context.awsRequestId, ...outcome });
      return { outcomes };
    } catch (error) {
      if (error instanceof TriggerRejected) {
        // One clear line per rejected delivery; the delivery itself goes to the dead-letter queue.
        logger.error('trigger rejected', { requestId: context.awsRequestId, reason: error.message });
      } else {
        logger.error('trigger failed; it will be retried', { requestId: context.awsRequestId, error: String(error) });
      }
      throw error;
    }
  };
}

/** Builds the handler from configuration; the local runtime passes its own DynamoDB client (and paging runner). */
export function triggerIntakeFromConfig(
  config: RuntimeConfig,
  client: DynamoDBClient = createDynamoDbClient(config),
  options: { engagements?: EngagementOptions } = {},
): IntakeHandler {
  const store = createDynamoDbIncidentsStore({
    client,
    tableName: config.tableName,
    idempotencyWindowSeconds: config.idempotencyWindowSeconds,
  });
  return createTriggerIntakeHandler(
    // Incidents opened by alarms and events page the plan's contacts, as StartIncident does.
    {
      store: withCachedResponsePlans(store),
      paging: incidentPagingFromConfig(config, client, NO_MESSAGES, options.engagements),
    },
    { accountId: config.accountId, region: config.region, partition: config.partition },
  );
}

let fromEnvironment: IntakeHandler | undefined;

export const handler: IntakeHandler = (event, context) => {
  fromEnvironment ??= triggerIntakeFromConfig(loadConfig());
  return fromEnvironment(event, context);
};
