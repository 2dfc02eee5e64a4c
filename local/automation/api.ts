/**
 * The local `ssm` endpoint (awsJson1_1): `POST /` with `X-Amz-Target: AmazonSSM.<Operation>` and the input as JSON,
 * 200 with the output as JSON (epoch-second timestamps), errors as `{"__type", "Message"}` with `x-amzn-errortype`.
 * The official @aws-sdk/client-ssm and `aws ssm ... --endpoint-url` work against it. It serves the operations a
 * runbook user needs: documents (Create/Get/Update/Delete/List/DescribeDocument, UpdateDocumentDefaultVersion) and
 * automations (Start/Get/Stop, DescribeAutomationExecutions, DescribeAutomationStepExecutions, SendAutomationSignal).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Documents } from './documents.ts';
import type { AutomationEngine } from './engine.ts';
import { invalidMember, SsmError } from './errors.ts';
import type { AutomationStatus, ExecutionRecord, StepRecord } from './store.ts';

export const SSM_TARGET_PREFIX = 'AmazonSSM.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const UUID = /^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$/;
const STATUSES = [
  'Pending',
  'InProgress',
  'Waiting',
  'Success',
  'TimedOut',
  'Cancelling',
  'Cancelled',
  'Failed',
  'PendingApproval',
  'Approved',
  'Rejected',
  'Scheduled',
  'RunbookInProgress',
  'PendingChangeCalendarOverride',
  'ChangeCalendarOverrideApproved',
  'ChangeCalendarOverrideRejected',
  'CompletedWithSuccess',
  'CompletedWithFailure',
  'Exited',
];

type Input = Record<string, unknown>;
type Operation = (input: Input, caller: string) => Promise<object>;

const seconds = (millis: number | undefined) => (millis === undefined ? undefined : millis / 1000);
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const executionId = (input: Input) => {
  const id = input.AutomationExecutionId;
  if (typeof id !== 'string') throw invalidMember('automationExecutionId', 'Member must not be null');
  if (id.length !== 36) throw invalidMember('automationExecutionId', 'Member must have length equal to 36', id);
  return id;
};

const pageOf = <T>(items: T[], input: Input, max = 50) => {
  const limit = input.MaxResults === undefined ? max : Number(input.MaxResults);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50)
    throw invalidMember('maxResults', 'Member must have value between 1 and 50', input.MaxResults);
  const start = input.NextToken === undefined ? 0 : Number.parseInt(String(input.NextToken), 36);
  if (!Number.isInteger(start) || start < 0 || start > items.length)
    throw new SsmError('InvalidNextToken', 'The NextToken is not valid.');
  const next = start + limit < items.length ? (start + limit).toString(36) : undefined;
  return { page: items.slice(start, start + limit), next };
};

type Filter = { Key?: string; Values?: string[] };
const filtersOf = (input: Input, allowed: string[], max: number): Filter[] => {
  const filters = (input.Filters as Filter[] | undefined) ?? [];
  if (filters.length > max) throw invalidMember('filters', `Member must have length less than or equal to ${max}`);
  for (const filter of filters) {
    if (!filter.Key || !allowed.includes(filter.Key))
      throw new SsmError('InvalidFilterKey', `The filter key ${String(filter.Key)} is not valid here.`);
    if (!Array.isArray(filter.Values) || filter.Values.length === 0 || filter.Values.length > 10)
      throw new SsmError('InvalidFilterValue', `The filter ${filter.Key} needs 1 to 10 values.`);
  }
  return filters;
};

const timeFilter = (value: string, key: string): number => {
  const millis = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(millis)) throw new SsmError('InvalidFilterValue', `${key} takes a time; '${value}' is not one.`);
  return millis;
};

export class SsmApi {
  readonly operations: Record<string, Operation>;

  constructor(
    private readonly documents: Documents,
    private readonly engine: AutomationEngine,
  ) {
    this.operations = {
      CreateDocument: (i) => documents.create(i),
      GetDocument: (i) => documents.get(i),
      DescribeDocument: (i) => documents.describe(i),
      UpdateDocument: (i) => documents.update(i),
      UpdateDocumentDefaultVersion: (i) => documents.updateDefaultVersion(i),
      DeleteDocument: (i) => documents.delete(i),
      ListDocuments: (i) => documents.list(i),
      StartAutomationExecution: (i, caller) => this.startAutomation(i, caller),
      GetAutomationExecution: (i) => this.getAutomation(i),
      DescribeAutomationExecutions: (i) => this.describeAutomations(i),
      DescribeAutomationStepExecutions: (i) => this.describeSteps(i),
      SendAutomationSignal: (i, caller) => this.sendSignal(i, caller),
      StopAutomationExecution: (i) => this.stopAutomation(i),
    };
  }

  private async startAutomation(input: Input, caller: string) {
    if (typeof input.DocumentName !== 'string') throw invalidMember('documentName', 'Member must not be null');
    if (input.Mode !== undefined && input.Mode !== 'Auto')
      throw new SsmError(
        'InvalidAutomationExecutionParametersException',
        `Mode ${String(input.Mode)} is not supported by the local runtime; executions run in Auto mode.`,
      );
    for (const member of ['Targets', 'TargetMaps', 'TargetLocations', 'TargetLocationsURL', 'TargetParameterName'])
      if (input[member] !== undefined)
        throw new SsmError(
          'InvalidAutomationExecutionParametersException',
          `${member}: rate control and multi-account or multi-Region runs are not supported by the local runtime.`,
        );
    const token = input.ClientToken;
    if (token !== undefined && (typeof token !== 'string' || !UUID.test(token)))
      throw invalidMember('clientToken', 'Member must satisfy the UUID format', token);
    const parameters = (input.Parameters ?? {}) as Record<string, unknown>;
    for (const [key, values] of Object.entries(parameters)) {
      if (key.length < 1 || key.length > 50)
        throw invalidMember('parameters', 'Map keys must have length 1 to 50', key);
      if (!Array.isArray(values) || values.length > 50 || values.some((v) => typeof v !== 'string' || v.length > 512))
        throw invalidMember(
          'parameters',
          'Map values must be lists of at most 50 strings of at most 512 characters',
          key,
        );
    }
    const tags = input.Tags as { Key: string; Value: string }[] | undefined;
    if (tags && tags.length > 5) throw invalidMember('tags', 'Member must have length less than or equal to 5');
    const found = await this.documents.forExecution(
      input.DocumentName,
      typeof input.DocumentVersion === 'string' ? input.DocumentVersion : undefined,
    );
    const id = await this.engine.start({
      documentName: found.name,
      documentVersion: found.version,
      document: found.document,
      parameters: parameters as Record<string, string[]>,
      executedBy: caller,
      ...(typeof token === 'string' ? { clientToken: token.toLowerCase() } : {}),
      ...(tags ? { tags } : {}),
    });
    return { AutomationExecutionId: id };
  }

  private stepView(step: StepRecord) {
    return defined({
      StepName: step.name,
      Action: step.action,
      TimeoutSeconds: step.timeoutSeconds,
      OnFailure: step.onFailure,
      MaxAttempts: step.maxAttempts,
      ExecutionStartTime: seconds(step.startTime),
      ExecutionEndTime: seconds(step.endTime),
      StepStatus: step.status,
      Inputs: step.inputs,
      Outputs: step.outputs ?? (step.status === 'Success' ? {} : undefined),
      ...(step.failureMessage
        ? {
            Response: step.failureMessage,
            ResponseCode: step.status === 'TimedOut' ? 'TimedOut' : 'Failed',
            FailureMessage: step.failureMessage,
            FailureDetails: step.failureDetails,
          }
        : {}),
      StepExecutionId: step.id,
      OverriddenParameters: {},
      IsEnd: step.isEnd,
      NextStep: step.nextStep,
      IsCritical: step.isCritical,
    });
  }

  private executionView(execution: ExecutionRecord, steps: StepRecord[]) {
    const current = execution.current === undefined ? undefined : steps[execution.current];
    const running = current && (current.status === 'InProgress' || current.status === 'Waiting');
    return defined({
      AutomationExecutionId: execution.id,
      DocumentName: execution.documentName,
      DocumentVersion: execution.documentVersion,
      ExecutionStartTime: seconds(execution.startTime),
      ExecutionEndTime: seconds(execution.endTime),
      AutomationExecutionStatus: execution.status,
      StepExecutions: steps.map((s) => this.stepView(s)),
      StepExecutionsTruncated: false,
      Parameters: execution.parameters,
      Outputs: execution.outputs ?? this.engine.outputsOf(execution),
      FailureMessage: execution.failureMessage,
      Mode: 'Auto',
      ExecutedBy: execution.executedBy,
      CurrentStepName: running ? current.name : undefined,
      CurrentAction: running ? current.action : undefined,
      Targets: [],
      ResolvedTargets: { ParameterValues: [], Truncated: false },
      AutomationType: 'Local',
      Tags: execution.tags,
    });
  }

  private async getAutomation(input: Input) {
    const { execution, steps } = await this.engine.get(executionId(input));
    return { AutomationExecution: this.executionView(execution, steps) };
  }

  private async describeSteps(input: Input) {
    const { steps } = await this.engine.get(executionId(input));
    const filters = filtersOf(
      input,
      [
        'StartTimeBefore',
        'StartTimeAfter',
        'StepExecutionStatus',
        'StepExecutionId',
        'StepName',
        'Action',
        'ParentStepExecutionId',
        'ParentStepIteration',
        'ParentStepIteratorValue',
      ],
      6,
    );
    const matching = steps.filter((step) =>
      filters.every(({ Key, Values = [] }) => {
        switch (Key) {
          case 'StartTimeBefore':
            return step.startTime !== undefined && step.startTime < timeFilter(Values[0]!, Key);
          case 'StartTimeAfter':
            return step.startTime !== undefined && step.startTime > timeFilter(Values[0]!, Key);
          case 'StepExecutionStatus':
            return Values.some((v) => v.toLowerCase() === step.status.toLowerCase());
          case 'StepExecutionId':
            return Values.includes(step.id);
          case 'StepName':
            return Values.includes(step.name);
          case 'Action':
            return Values.includes(step.action);
          default:
            return false; // loop children: none in this engine
        }
      }),
    );
    // Ascending start time; steps that have not started come last, in document order.
    const ordered = [...matching].sort(
      (a, b) => (a.startTime ?? Infinity) - (b.startTime ?? Infinity) || a.seq - b.seq,
    );
    if (input.ReverseOrder === true) ordered.reverse();
    const { page, next } = pageOf(ordered, input);
    return { StepExecutions: page.map((s) => this.stepView(s)), ...(next ? { NextToken: next } : {}) };
  }

  private async describeAutomations(input: Input) {
    const filters = filtersOf(
      input,
      [
        'DocumentNamePrefix',
        'ExecutionStatus',
        'ExecutionId',
        'ParentExecutionId',
        'CurrentAction',
        'StartTimeBefore',
        'StartTimeAfter',
        'AutomationType',
        'TagKey',
        'TargetResourceGroup',
        'AutomationSubtype',
        'OpsItemId',
      ],
      10,
    );
    for (const filter of filters)
      if (filter.Key === 'ExecutionStatus')
        for (const value of filter.Values ?? [])
          if (!STATUSES.includes(value))
            throw new SsmError('InvalidFilterValue', `${value} is not an automation execution status.`);
    const entries = await this.engine.listExecutions();
    const views = [];
    for (const entry of entries) {
      const { execution, steps } = await this.engine.get(entry.id);
      const current = execution.current === undefined ? undefined : steps[execution.current];
      const keep = filters.every(({ Key, Values = [] }) => {
        switch (Key) {
          case 'DocumentNamePrefix':
            return Values.some((v) => execution.documentName.startsWith(v));
          case 'ExecutionStatus':
            return Values.includes(execution.status as AutomationStatus);
          case 'ExecutionId':
            return Values.includes(execution.id);
          case 'CurrentAction':
            return current !== undefined && Values.includes(current.action);
          case 'StartTimeBefore':
            return execution.startTime < timeFilter(Values[0]!, Key);
          case 'StartTimeAfter':
            return execution.startTime > timeFilter(Values[0]!, Key);
          case 'AutomationType':
            return Values.includes('Local');
          case 'TagKey':
            return (execution.tags ?? []).some((t) => Values.includes(t.Key));
          default:
            return false; // child runs, resource groups, change requests, OpsItems: none locally
        }
      });
      if (!keep) continue;
      views.push(
        defined({
          AutomationExecutionId: execution.id,
          DocumentName: execution.documentName,
          DocumentVersion: execution.documentVersion,
          AutomationExecutionStatus: execution.status,
          ExecutionStartTime: seconds(execution.startTime),
          ExecutionEndTime: seconds(execution.endTime),
          ExecutedBy: execution.executedBy,
          LogFile: '',
          Outputs: execution.outputs ?? this.engine.outputsOf(execution),
          Mode: 'Auto',
          CurrentStepName: current?.name,
          CurrentAction: current?.action,
          FailureMessage: execution.failureMessage,
          ResolvedTargets: { ParameterValues: [], Truncated: false },
          AutomationType: 'Local',
        }),
      );
    }
    const { page, next } = pageOf(views, input);
    return { AutomationExecutionMetadataList: page, ...(next ? { NextToken: next } : {}) };
  }

  private async sendSignal(input: Input, caller: string) {
    const id = executionId(input);
    const type = input.SignalType;
    if (!['Approve', 'Reject', 'StartStep', 'StopStep', 'Resume', 'Revoke'].includes(String(type)))
      throw invalidMember(
        'signalType',
        'Member must satisfy enum value set: [Approve, Reject, StartStep, StopStep, Resume, Revoke]',
        type,
      );
    await this.engine.signal(id, String(type), (input.Payload ?? {}) as Record<string, string[]>, caller);
    return {};
  }

  private async stopAutomation(input: Input) {
    const id = executionId(input);
    if (input.Type !== undefined && input.Type !== 'Cancel' && input.Type !== 'Complete')
      throw invalidMember('type', 'Member must satisfy enum value set: [Complete, Cancel]', input.Type);
    await this.engine.stop(id);
    return {};
  }

  /** The handler the local server calls for `AmazonSSM.*` requests (an API Gateway-shaped event, as for the others). */
  async handle(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
    const requestId = event.requestContext.requestId ?? randomUUID();
    const headers = { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': requestId };
    try {
      const target = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
      const name = target?.startsWith(SSM_TARGET_PREFIX) ? target.slice(SSM_TARGET_PREFIX.length) : '';
      const operation = this.operations[name];
      if (!operation)
        throw new SsmError('ValidationException', `${target} is not an ssm operation the local runtime serves.`);
      let input: Input = {};
      if (event.body?.trim()) {
        try {
          input = JSON.parse(event.body) as Input;
        } catch {
          throw new SsmError('ValidationException', 'The request body is not valid JSON.');
        }
      }
      const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam;
      const output = await operation(input, iam?.userArn ?? 'anonymous');
      return { statusCode: 200, headers, body: JSON.stringify(output) };
    } catch (error) {
      const known = error instanceof SsmError ? error : undefined;
      if (!known) console.error('[automation] internal error', error);
      const name = known?.name ?? 'InternalServerError';
      return {
        statusCode: known?.httpStatus ?? 500,
        headers: { ...headers, 'x-amzn-errortype': name },
        body: JSON.stringify({
          __type: name,
          Message: known?.message ?? `The local Automation engine failed on this request (${requestId}).`,
        }),
      };
    }
  }
}
