/**
 * Runbooks: a response plan's `actions[].ssmAutomation` runs as a Systems Manager Automation execution when an
 * incident opens from the plan, and the incident records its progress. The words and the ports of the capability:
 *
 * - the runbook WORKFLOW (state-machines/runbook.asl.json) starts the automation and waits, on a task token, until it
 *   ends; one per incident and action, named `<incident id>-<action index>`;
 * - the AUTOMATION SERVICE is SSM (the real one in AWS, the local engine locally), read through GetAutomationExecution
 *   and DescribeAutomationStepExecutions;
 * - a RUNBOOK RECORD links an automation execution to its incident, holds the workflow's task token and remembers
 *   which step statuses are already on the incident's timeline.
 */
import type { IncidentsStore, RelatedItemRecord, TimelineEventRecord } from '#core/incidents/ports.ts';
import type { ServiceContext } from '#core/shared/service-context.ts';
import type { Versioned } from '#core/shared/storage.ts';

/** The runbook workflow's input: which incident, which action of its plan. */
export interface RunbookWorkflowInput {
  incidentArn: string;
  actionIndex: number;
}

/** What the workflow knows about the runbook once prepared (passed from state to state). */
export interface RunbookRef {
  incidentArn: string;
  incidentId: string;
  actionIndex: number;
  documentName: string;
  documentVersion?: string;
}

/** StartAutomationExecution's request, as the workflow's Start state sends it (SSM's PascalCase members). */
export interface StartAutomationRequest {
  DocumentName: string;
  DocumentVersion?: string;
  Parameters: Record<string, string[]>;
  ClientToken: string;
  TargetLocations?: { Accounts: string[]; Regions: string[]; ExecutionRoleName: string }[];
}

/** What the workflow's wait ends with (SendTaskSuccess output). */
export interface RunbookOutcome {
  executionId: string;
  status: string;
  failureMessage?: string;
}

export interface AutomationStep {
  stepExecutionId: string;
  stepName: string;
  action: string;
  status: string;
  startTime?: number;
  endTime?: number;
  inputs?: Record<string, string>;
  outputs?: Record<string, string[]>;
  failureMessage?: string;
  onFailure?: string;
  isEnd?: boolean;
  isCritical?: boolean;
  nextStep?: string;
}

export interface AutomationExecution {
  executionId: string;
  documentName: string;
  documentVersion?: string;
  status: string;
  startTime?: number;
  endTime?: number;
  failureMessage?: string;
  currentStepName?: string;
  parameters?: Record<string, string[]>;
  outputs?: Record<string, string[]>;
  /** Every step execution, in the order SSM lists them (document order, revisits appended). */
  steps: AutomationStep[];
}

/** SSM, as the runbook capability reads it. */
export interface AutomationService {
  /** GetAutomationExecution (+ DescribeAutomationStepExecutions when the step list is truncated); undefined: unknown. */
  getExecution(executionId: string): Promise<AutomationExecution | undefined>;
  /**
   * The parameter a document's `assumeRole` names (`{{ AutomationAssumeRole }}` -> `AutomationAssumeRole`), and the
   * parameters it declares; undefined when the document cannot be read (the start then reports why).
   */
  documentRole(name: string, version?: string): Promise<{ roleParameter?: string; parameters: string[] } | undefined>;
}

/** Starts runbook workflows; a second start with the same name does nothing. */
export interface RunbookWorkflow {
  start(name: string, input: RunbookWorkflowInput): Promise<void>;
}

/** Ends a workflow's wait (Step Functions' SendTaskSuccess); a token that is no longer waiting is ignored. */
export interface TaskTokens {
  succeed(token: string, output: RunbookOutcome): Promise<void>;
}

export interface RunbookRecord {
  executionId: string;
  executionArn: string;
  incidentId: string;
  incidentArn: string;
  actionIndex: number;
  documentName: string;
  documentVersion?: string;
  /** The workflow's current task token (replaced when the workflow waits again). */
  taskToken?: string;
  /** Step execution id -> the status last written to the timeline. */
  recorded: Record<string, string>;
  /** The execution status last written to the timeline. */
  status: string;
  /** The execution ended and its end is on the timeline. */
  ended: boolean;
  /** The workflow was told about the end (its token completed). */
  tokenSettled?: boolean;
  registeredTime: number;
}

export type RegisterResult = 'registered' | 'exists' | 'incident-gone';

/** What the capability stores (the DynamoDB adapter keeps it in the product table). */
export interface RunbookStore {
  get(executionId: string): Promise<Versioned<RunbookRecord> | undefined>;
  /**
   * First registration of an execution: the record, the execution ARN on the incident (`automationExecutions`), an
   * AUTOMATION related item and the "started" timeline event, atomically. 'exists' when already registered.
   */
  register(
    record: RunbookRecord,
    relatedItem: RelatedItemRecord,
    startEvent: TimelineEventRecord,
  ): Promise<RegisterResult>;
  /** Replaces the task token of a registered execution (the workflow waits again). */
  setTaskToken(executionId: string, taskToken: string): Promise<void>;
  /** Writes timeline events and the record's new state, if the record is still at `expectedVersion`. */
  recordProgress(
    record: RunbookRecord,
    expectedVersion: number,
    events: TimelineEventRecord[],
  ): Promise<'ok' | 'stale' | 'incident-gone'>;
}

export interface RunbookDependencies {
  incidents: IncidentsStore;
  runbooks: RunbookStore;
  automation: AutomationService;
  tokens: TaskTokens;
  service: ServiceContext;
  warn?: (message: string, fields?: Record<string, unknown>) => void;
}

/** The workflow's execution name for an incident's action (idempotent starts). */
export const workflowNameOf = (incidentId: string, actionIndex: number) => `${incidentId}-${actionIndex}`;

export const executionArnOf = (service: ServiceContext, executionId: string) =>
  `arn:${service.partition}:ssm:${service.region}:${service.accountId}:automation-execution/${executionId}`;

/** SSM's terminal statuses. */
export const TERMINAL = new Set([
  'Success',
  'Failed',
  'TimedOut',
  'Cancelled',
  'CompletedWithSuccess',
  'CompletedWithFailure',
  'Exited',
]);

/** The EventBridge detail-types of SSM's automation status changes (the rule's pattern and the handler's filter). */
export const AUTOMATION_DETAIL_TYPES = [
  'EC2 Automation Step Status-change Notification',
  'EC2 Automation Execution Status-change Notification',
] as const;
