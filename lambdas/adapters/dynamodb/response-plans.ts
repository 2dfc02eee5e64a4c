/** Response plans (with their resource policies in the same item collection), listed by name. */

import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { IncidentsStore, ResourcePolicyRecord, ResponsePlanRecord } from '#core/incidents/ports.ts';
import { ConflictError, StaleVersionError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Page, Versioned } from '#core/shared/storage.ts';
import { INDEXES } from '#runtime/table-schema.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import { type Item, type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';

const planItem = (plan: ResponsePlanRecord, version: number): Item => ({
  ...keys.responsePlan(plan.name),
  ...keys.responsePlanList(plan.name),
  entityType: 'ResponsePlan',
  version,
  ...plan,
});

export async function createResponsePlan(
  table: Table,
  plan: ResponsePlanRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
) {
  const outcome = await table.transactIdempotent(
    [
      {
        label: 'plan',
        write: {
          Put: { TableName: table.tableName, Item: planItem(plan, 1), ConditionExpression: 'attribute_not_exists(pk)' },
        },
      },
    ],
    idempotency,
    { arn: plan.arn },
    now,
  );
  if (!outcome.replayed && !outcome.outcome.ok)
    throw new ConflictError(`A response plan named ${plan.name} already exists.`, 'RESPONSE_PLAN', plan.arn);
}

export async function getResponsePlan(table: Table, name: string): Promise<Versioned<ResponsePlanRecord> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.responsePlan(name), ConsistentRead: true }),
  );
  return Item ? { record: stripStorageAttributes<ResponsePlanRecord>(Item), version: Number(Item.version) } : undefined;
}

export async function replaceResponsePlan(
  table: Table,
  plan: ResponsePlanRecord,
  expectedVersion: number,
  idempotency: IdempotencyKey | undefined,
  now: number,
) {
  const outcome = await table.transactIdempotent(
    [table.versionedPut('plan', planItem(plan, expectedVersion + 1), expectedVersion)],
    idempotency,
    null,
    now,
  );
  if (!outcome.replayed && !outcome.outcome.ok)
    throw new StaleVersionError(
      `Response plan ${plan.name} was modified by another request; retry.`,
      'RESPONSE_PLAN',
      plan.arn,
    );
}

/** Deletes the plan and its resource policies; deleting a missing plan does nothing. */
export async function deleteResponsePlan(table: Table, name: string) {
  const { Items = [] } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.responsePlan(name).pk },
      ProjectionExpression: 'pk, sk',
    }),
  );
  for (const item of Items.filter((i) => i.sk !== 'PLAN'))
    await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: { pk: item.pk, sk: item.sk } }));
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.responsePlan(name) }));
}

export async function listResponsePlans(
  table: Table,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<ResponsePlanRecord>> {
  return table.queryPage<ResponsePlanRecord>(
    {
      IndexName: INDEXES.byList.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': INDEXES.byList.partitionKey },
      ExpressionAttributeValues: { ':pk': 'PLANS' },
    },
    { keyAttributes: pageKeyAttributes.byList, tokenQuery: 'plans', maxResults, nextToken },
  );
}

// ---- resource policies --------------------------------------------------------------------------------------

export async function putResourcePolicy(table: Table, planName: string, policy: ResourcePolicyRecord) {
  await table.doc.send(
    new PutCommand({
      TableName: table.tableName,
      Item: { ...keys.resourcePolicy(planName, policy.policyId), entityType: 'ResourcePolicy', ...policy },
    }),
  );
}

export async function listResourcePolicies(
  table: Table,
  planName: string,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<ResourcePolicyRecord>> {
  return table.listCollection<ResourcePolicyRecord>(
    keys.responsePlan(planName).pk,
    keys.resourcePolicyPrefix,
    { planName },
    maxResults,
    nextToken,
  );
}

export async function deleteResourcePolicy(table: Table, planName: string, policyId: string): Promise<boolean> {
  const { Attributes } = await table.doc.send(
    new DeleteCommand({
      TableName: table.tableName,
      Key: keys.resourcePolicy(planName, policyId),
      ReturnValues: 'ALL_OLD',
    }),
  );
  return Boolean(Attributes);
}

/** The IncidentsStore methods of response plans and their resource policies, each taking the table first (bound by bindTable). */
export const responsePlanStoreFunctions = {
  createResponsePlan,
  getResponsePlan,
  replaceResponsePlan,
  deleteResponsePlan,
  listResponsePlans,
  putResourcePolicy,
  listResourcePolicies,
  deleteResourcePolicy,
} satisfies StoreFunctions<IncidentsStore>;
