/**
 * Analysis templates: the head item (newest version, tags, listed by name on gsi1) and one item per version in the
 * template's item collection, written in the same transaction as the head.
 */

import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AnalysisStore, AnalysisTemplateRecord, AnalysisTemplateVersionRecord } from '#core/analysis/ports.ts';
import { ConflictError, StaleVersionError } from '#core/shared/errors.ts';
import type { IdempotencyKey, Page, Versioned } from '#core/shared/storage.ts';
import { INDEXES } from '#runtime/table-schema.ts';
import { deleteKeys } from './bulk-writes.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import { type Item, type LabelledWrite, type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';

const headItem = (t: AnalysisTemplateRecord, version: number): Item => ({
  ...keys.analysisTemplate(t.name),
  ...keys.analysisTemplateList(t.name),
  entityType: 'AnalysisTemplate',
  version,
  ...t,
});

const versionItem = (t: AnalysisTemplateRecord): Item => ({
  ...keys.analysisTemplateVersion(t.name, t.templateVersion),
  entityType: 'AnalysisTemplateVersion',
  name: t.name,
  templateVersion: t.templateVersion,
  content: t.content,
  ...(t.displayName ? { displayName: t.displayName } : {}),
  ...(t.description ? { description: t.description } : {}),
  createdTime: t.lastModifiedTime,
  createdBy: t.lastModifiedBy,
});

const put = (table: Table, label: string, item: Item, condition?: string): LabelledWrite => ({
  label,
  write: { Put: { TableName: table.tableName, Item: item, ...(condition ? { ConditionExpression: condition } : {}) } },
});

export async function createTemplate(
  table: Table,
  template: AnalysisTemplateRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ replayed: boolean }> {
  const result = await table.transactIdempotent(
    [
      put(table, 'template', headItem(template, 1), 'attribute_not_exists(pk)'),
      put(table, 'version', versionItem(template)),
    ],
    idempotency,
    null,
    now,
  );
  if (result.replayed) return { replayed: true };
  if (!result.outcome.ok)
    throw new ConflictError(`An analysis template named ${template.name} already exists.`, undefined, template.arn);
  return { replayed: false };
}

export async function getTemplate(table: Table, name: string): Promise<Versioned<AnalysisTemplateRecord> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.analysisTemplate(name), ConsistentRead: true }),
  );
  return Item ? { record: stripStorageAttributes(Item), version: Number(Item.version) } : undefined;
}

export async function getTemplateVersion(
  table: Table,
  name: string,
  templateVersion: number,
): Promise<AnalysisTemplateVersionRecord | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({
      TableName: table.tableName,
      Key: keys.analysisTemplateVersion(name, templateVersion),
      ConsistentRead: true,
    }),
  );
  return Item ? stripStorageAttributes(Item) : undefined;
}

export async function updateTemplate(
  table: Table,
  template: AnalysisTemplateRecord,
  expectedVersion: number,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ replayed: boolean; templateVersion: number }> {
  const result = await table.transactIdempotent(
    [
      table.versionedPut('template', headItem(template, expectedVersion + 1), expectedVersion),
      put(table, 'version', versionItem(template), 'attribute_not_exists(pk)'),
    ],
    idempotency,
    { templateVersion: template.templateVersion },
    now,
  );
  if (result.replayed) return { replayed: true, templateVersion: result.result.templateVersion };
  if (!result.outcome.ok)
    throw new StaleVersionError(
      `Analysis template ${template.name} was changed by another request.`,
      undefined,
      template.arn,
    );
  return { replayed: false, templateVersion: template.templateVersion };
}

/** The head first (the template is gone at once), then its versions; deleting a missing template does nothing. */
export async function deleteTemplate(table: Table, name: string): Promise<void> {
  await table.doc.send(new DeleteCommand({ TableName: table.tableName, Key: keys.analysisTemplate(name) }));
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.analysisTemplate(name).pk },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: startKey,
      }),
    );
    await deleteKeys(table, (page.Items ?? []) as Item[]);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

export async function listTemplates(
  table: Table,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<AnalysisTemplateRecord>> {
  const tokenQuery = { list: 'analysis-templates' };
  return table.queryPage<AnalysisTemplateRecord>(
    {
      IndexName: INDEXES.byList.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': INDEXES.byList.partitionKey },
      ExpressionAttributeValues: { ':pk': 'ANALYSIS_TEMPLATES' },
    },
    { keyAttributes: pageKeyAttributes.byList, tokenQuery: tokenQuery, maxResults, nextToken },
  );
}

export async function listTemplateVersions(
  table: Table,
  name: string,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<AnalysisTemplateVersionRecord>> {
  return table.listCollection<AnalysisTemplateVersionRecord>(
    keys.analysisTemplate(name).pk,
    keys.analysisTemplateVersionPrefix,
    { template: name },
    maxResults,
    nextToken,
  );
}

/** The AnalysisStore methods of analysis templates, each taking the table first (bound by bindTable). */
export const templateStoreFunctions = {
  createTemplate,
  getTemplate,
  getTemplateVersion,
  updateTemplate,
  deleteTemplate,
  listTemplates,
  listTemplateVersions,
} satisfies StoreFunctions<AnalysisStore>;
