/**
 * The composition root of runbooks: the dependencies the runbook worker, the status-change handler, the runbook
 * starter (a domain-event consumer) and the runbook view share, built from configuration. In AWS: SSM through
 * @aws-sdk/client-ssm and Step Functions (RUNBOOK_STATE_MACHINE_ARN); the local runtime passes its own workflow
 * runner and an SSM endpoint of its own (the local Automation engine).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { createDynamoDbRunbookStore } from '#adapters/dynamodb/runbooks.ts';
import { createDynamoDbIncidentsStore } from '#adapters/dynamodb/store.ts';
import { Table } from '#adapters/dynamodb/table.ts';
import { SsmAutomationService } from '#adapters/ssm/automation-service.ts';
import { StepFunctionsRunbookWorkflow } from '#adapters/stepfunctions/runbook-workflow.ts';
import type { DomainEventConsumer } from '#core/events/domain-events.ts';
import type { AutomationService, RunbookDependencies, RunbookWorkflow, TaskTokens } from '#core/runbooks/model.ts';
import { runbookStarter } from '#core/runbooks/starter.ts';
import type { RuntimeConfig } from './config.ts';
import { ENV } from './environment.ts';
import { logger } from './logger.ts';

export interface RunbookOptions {
  /** Starts runbook workflows and completes their waits; default: Step Functions (RUNBOOK_STATE_MACHINE_ARN). */
  workflow?: RunbookWorkflow & TaskTokens;
  /** SSM; default: @aws-sdk/client-ssm in the function's Region (AWS_ENDPOINT_URL_SSM is honoured by the SDK). */
  automation?: AutomationService;
}

/** SSM through the official client; `endpoint` is a URL getter for the local runtime (its port is known late). */
export function ssmAutomationService(config: RuntimeConfig, endpoint?: () => string): AutomationService {
  return new SsmAutomationService(
    new SSMClient({
      region: config.region,
      ...(endpoint
        ? {
            endpoint: async () => ({ url: new URL(endpoint()) }),
            credentials: { accessKeyId: 'runbook-workflow', secretAccessKey: 'local' },
          }
        : {}),
    }),
  );
}

const defaultWorkflow = (config: RuntimeConfig) =>
  new StepFunctionsRunbookWorkflow(new SFNClient({ region: config.region }), process.env[ENV.runbookStateMachineArn]);

export function runbookDependenciesFromConfig(
  config: RuntimeConfig,
  client: DynamoDBClient,
  options: RunbookOptions = {},
): RunbookDependencies & { workflow: RunbookWorkflow } {
  const storeOptions = {
    client,
    tableName: config.tableName,
    idempotencyWindowSeconds: config.idempotencyWindowSeconds,
  };
  const workflow = options.workflow ?? defaultWorkflow(config);
  return {
    incidents: createDynamoDbIncidentsStore(storeOptions),
    runbooks: createDynamoDbRunbookStore(new Table(client, config.tableName, config.idempotencyWindowSeconds)),
    automation: options.automation ?? ssmAutomationService(config),
    tokens: workflow,
    workflow,
    service: { accountId: config.accountId, region: config.region, partition: config.partition },
    warn: (message, fields) => logger.warn(message, fields),
  };
}

/**
 * The consumer that starts runbooks when incidents open, for the change-stream carrier to call (IncidentOpened).
 * Its function needs RUNBOOK_STATE_MACHINE_ARN and states:StartExecution (RunbookWorkflow.bindStarter in lib/).
 */
export function runbookStarterFromConfig(
  config: RuntimeConfig,
  client: DynamoDBClient,
  options: RunbookOptions = {},
): DomainEventConsumer {
  const deps = runbookDependenciesFromConfig(config, client, options);
  return runbookStarter({ incidents: deps.incidents, workflow: deps.workflow, warn: deps.warn });
}
