/**
 * What the runbook worker and the status-change handler need (runbooks.ts has what the other functions share): the
 * runbook store with the incidents store, SSM Automation and the workflow's task tokens.
 */
import { createDynamoDbRunbookStore } from '#adapters/dynamodb/runbooks.ts';
import { Table } from '#adapters/dynamodb/table.ts';
import type { RunbookDependencies } from '#core/runbooks/model.ts';
import { logger } from './logger.ts';
import type { CompositionRoot } from './root.ts';
import { automationOf, runbookWorkflowOf } from './runbooks.ts';

export const runbookDependenciesOf = (root: CompositionRoot): RunbookDependencies =>
  root.memo('runbooks.dependencies', () => ({
    incidents: root.incidentsStore,
    runbooks: createDynamoDbRunbookStore(
      new Table(root.dynamodb, root.config.tableName, root.config.idempotencyWindowSeconds),
    ),
    automation: automationOf(root),
    tokens: runbookWorkflowOf(root),
    service: root.service,
    warn: (message, fields) => logger.warn(message, fields ?? {}),
  }));
