/** The DynamoDB implementations of the analysis core's ports, on the one table. */
import type { AnalysisStore, ResponseFactsStore } from '#core/analysis/ports.ts';
import { actionItemStoreFunctions } from './action-items.ts';
import { analysisStoreFunctions } from './analyses.ts';
import { templateStoreFunctions } from './analysis-templates.ts';
import { responseFactsStoreFunctions } from './response-facts.ts';
import type { StoreOptions } from './store.ts';
import { bindTable, Table } from './table.ts';

export function createDynamoDbAnalysisStore(options: StoreOptions): AnalysisStore {
  const table = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return {
    previousResult: async (key, now) => (await table.recordedResult<never>(key, now))?.result,
    ...bindTable(table, templateStoreFunctions),
    ...bindTable(table, analysisStoreFunctions),
    ...bindTable(table, actionItemStoreFunctions),
  } satisfies AnalysisStore;
}

export function createDynamoDbResponseFactsStore(options: StoreOptions): ResponseFactsStore {
  const table = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return bindTable(table, responseFactsStoreFunctions) satisfies ResponseFactsStore;
}
