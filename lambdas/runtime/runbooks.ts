/**
 * The runbook capability of the composition root (root.ts): what the runbook worker, the status-change handler, the
 * runbook starter (a consumer of the incident reactor) and the runbook view (GetIncidentRunbooks) share. In AWS: SSM
 * through @aws-sdk/client-ssm and Step Functions (RUNBOOK_STATE_MACHINE_ARN), both loaded on first use; the local
 * runtime passes its own workflow runner and an SSM client pointed at its local Automation engine. The runbook store
 * (what the worker and the status-change handler need) is in runbook-dependencies.ts, out of the other functions'
 * bundles.
 */
import type { DomainEventConsumer } from '#core/events/domain-events.ts';
import type {
  AutomationService,
  RunbookOutcome,
  RunbookWorkflow,
  RunbookWorkflowInput,
  TaskTokens,
} from '#core/runbooks/model.ts';
import { runbookStarter } from '#core/runbooks/starter.ts';
import { lazy } from '#core/shared/lazy.ts';
import { logger } from './logger.ts';
import type { CompositionRoot } from './root.ts';

/**
 * SSM through the official client, in the function's Region; `endpoint` points it elsewhere (the local runtime's own
 * endpoint, whose port is known late). The client is loaded on the first call.
 */
export function ssmAutomationService(region: string, endpoint?: () => string): AutomationService {
  const service = lazy(async () => {
    const [{ SSMClient }, { SsmAutomationService }] = await Promise.all([
      import('@aws-sdk/client-ssm'),
      import('#adapters/ssm/automation-service.ts'),
    ]);
    return new SsmAutomationService(
      new SSMClient({
        region,
        ...(endpoint
          ? {
              endpoint: async () => ({ url: new URL(endpoint()) }),
              credentials: { accessKeyId: 'runbook-workflow', secretAccessKey: 'local' },
            }
          : {}),
      }),
    );
  });
  return {
    getExecution: async (executionId) => (await service()).getExecution(executionId),
    documentRole: async (name, version) => (await service()).documentRole(name, version),
  };
}

/** The runbook state machine in AWS (StartExecution, SendTaskSuccess), its client loaded on first use. */
function stepFunctionsRunbookWorkflow(
  region: string,
  stateMachineArn: string | undefined,
): RunbookWorkflow & TaskTokens {
  const workflow = lazy(async () => {
    const [{ SFNClient }, { StepFunctionsRunbookWorkflow }] = await Promise.all([
      import('@aws-sdk/client-sfn'),
      import('#adapters/stepfunctions/runbook-workflow.ts'),
    ]);
    return new StepFunctionsRunbookWorkflow(new SFNClient({ region }), stateMachineArn);
  });
  return {
    start: async (name: string, input: RunbookWorkflowInput) => (await workflow()).start(name, input),
    succeed: async (token: string, output: RunbookOutcome) => (await workflow()).succeed(token, output),
  };
}

/** SSM Automation: the root's own (local engine), else the real SSM. */
export const automationOf = (root: CompositionRoot): AutomationService =>
  root.memo('runbooks.automation', () => root.options.automation ?? ssmAutomationService(root.config.region));

/** Starts runbook workflows and ends their waits. */
export const runbookWorkflowOf = (root: CompositionRoot): RunbookWorkflow & TaskTokens =>
  root.memo(
    'runbooks.workflow',
    () =>
      root.options.runbookWorkflow ??
      stepFunctionsRunbookWorkflow(root.config.region, root.config.runbookStateMachineArn),
  );

/**
 * The consumer that starts an incident's runbooks when it opens (IncidentOpened). Its function needs
 * RUNBOOK_STATE_MACHINE_ARN and states:StartExecution (RunbookWorkflow.bindStarter in lib/).
 */
export const runbookStarterOf = (root: CompositionRoot): DomainEventConsumer =>
  root.memo('runbooks.starter', () =>
    runbookStarter({
      incidents: root.incidentsStore,
      workflow: runbookWorkflowOf(root),
      warn: (message, fields) => logger.warn(message, fields ?? {}),
    }),
  );
