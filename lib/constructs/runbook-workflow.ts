/**
 * Runbooks in AWS: the runbook state machine (a Standard workflow from state-machines/runbook.asl.json, inlined so
 * templates and cdk-nag see it), its worker, and the handler of SSM's automation status-change events with the
 * EventBridge rule that invokes it. Systems Manager itself runs the runbooks.
 *
 * Least privilege:
 * - the state machine may invoke exactly the worker, call ssm:StartAutomationExecution on automation definitions of
 *   this account and Region (and AWS-owned ones), and pass to SSM (iam:PassRole with iam:PassedToService
 *   ssm.amazonaws.com) only the runbook roles the operator allows: roles whose path and name start with
 *   `runbookRolePrefix` (cdk context, default `IncidentRunbook`). A plan whose roleArn is outside fails to start its
 *   runbook, and the incident's timeline says so.
 * - the worker reads documents (to find the parameter their assumeRole names) and automation executions; the event
 *   handler reads automation executions; both may complete this state machine's task tokens, nothing else.
 * - `bindStarter(fn)` lets the function that hosts the runbook starter (a domain-event consumer) start executions;
 *   `grantRead(fn)` lets the incidents API read executions for the runbook view.
 * - With `runbookCrossAccount` (cdk context), IMPACTED_ACCOUNT runs may pass SSM's multi-account administration role
 *   `AWS-SystemsManager-AutomationAdministrationRole` (see docs/runbooks.md for the roles each account needs).
 */
import { readFileSync } from 'node:fs';
import { ArnFormat, Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { Policy, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPermission, type Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, type IConstruct } from 'constructs';
import { AUTOMATION_DETAIL_TYPES } from '#core/runbooks/model.ts';
import type { LogLevel as FunctionLogLevel } from '#runtime/config.ts';
import { ENV } from '#runtime/environment.ts';
import { RUNBOOK_WORKFLOW } from '#runtime/workflows.ts';
import { alarmOnDeadLetters, createDeadLetterQueue } from '../triggers/dead-letter-queue.ts';
import { TARGET_RETRY_POLICY } from '../triggers/intake-rule.ts';
import type { DataTable } from './data-table.ts';
import { NodeFunction } from './node-function.ts';

/** The wildcard resources of the runbook permissions, as cdk-nag names them in its findings. */
export const runbookWildcards = (prefix: string) => ({
  executions: 'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-execution/*',
  documents: 'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:document/*',
  awsDocuments: 'arn:<AWS::Partition>:ssm:<AWS::Region>::document/*',
  definitions: 'arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-definition/*',
  awsDefinitions: 'arn:<AWS::Partition>:ssm:<AWS::Region>::automation-definition/*',
  roles: `arn:<AWS::Partition>:iam::<AWS::AccountId>:role/${prefix}*`,
});

/** Role path + name prefix of the runbook roles the workflow may pass to SSM, unless the operator chooses another. */
export const DEFAULT_RUNBOOK_ROLE_PREFIX = 'IncidentRunbook';
const ROLE_PREFIX = /^[A-Za-z0-9+=,.@_/-]{1,512}$/;

export interface RunbookWorkflowProps {
  readonly data: DataTable;
  /**
   * The runbook roles (a response plan's `roleArn`) this deployment may pass to SSM: `role/<prefix>*`. A path
   * (`incident-runbooks/`) or a name prefix (`IncidentRunbook`). @default context `runbookRolePrefix`, else
   * `IncidentRunbook`
   */
  readonly runbookRolePrefix?: string;
  /** Allow IMPACTED_ACCOUNT runs (multi-account automation). @default context `runbookCrossAccount`, else false */
  readonly crossAccount?: boolean;
  /** @default 'INFO' */
  readonly logLevel?: FunctionLogLevel;
  /** @default one month */
  readonly logRetention?: RetentionDays;
}

export class RunbookWorkflow extends Construct {
  public readonly worker: NodeFunction;
  /** The target of the rule on SSM's automation status-change events. */
  public readonly eventsHandler: NodeFunction;
  public readonly stateMachine: StateMachine;
  public readonly logGroup: LogGroup;
  public readonly statusRule: Rule;
  /** Status-change events EventBridge could not hand to the handler after a day of retries. */
  public readonly deadLetterQueue: Queue;
  /** In ALARM while a status-change event the handler could not take waits in `deadLetterQueue`. */
  public readonly deadLetterAlarm: Alarm;
  public readonly runbookRolePrefix: string;

  constructor(scope: Construct, id: string, props: RunbookWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const prefix =
      props.runbookRolePrefix ??
      (this.node.tryGetContext('runbookRolePrefix') as string | undefined) ??
      DEFAULT_RUNBOOK_ROLE_PREFIX;
    if (!ROLE_PREFIX.test(prefix) || prefix.startsWith('/'))
      throw new Error(
        `runbookRolePrefix must be an IAM role path and/or name prefix without a leading slash or wildcard (e.g. "incident-runbooks/" or "IncidentRunbook"), got "${prefix}"`,
      );
    this.runbookRolePrefix = prefix;
    const crossAccount =
      props.crossAccount ?? String(this.node.tryGetContext('runbookCrossAccount') ?? 'false') === 'true';
    this.worker = new NodeFunction(this, 'Worker', {
      entry: 'lambdas/functions/runbook-worker.ts',
      description: 'Runbook workflow steps: prepares the automation start and registers it on the incident',
      logLevel: props.logLevel,
      timeout: Duration.seconds(45),
    });
    this.eventsHandler = new NodeFunction(this, 'StatusEvents', {
      entry: 'lambdas/functions/runbook-events.ts',
      description: "Writes SSM automation step and execution status changes to the runbook's incident",
      logLevel: props.logLevel,
      timeout: Duration.seconds(30),
    });
    for (const fn of [this.worker, this.eventsHandler]) props.data.bindTo(fn.function);

    const executions = this.automationExecutionsArn;
    const readExecutions = new PolicyStatement({
      actions: ['ssm:GetAutomationExecution', 'ssm:DescribeAutomationStepExecutions'],
      resources: [executions],
    });
    this.worker.function.addToRolePolicy(readExecutions);
    this.eventsHandler.function.addToRolePolicy(readExecutions);
    this.worker.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetDocument'],
        resources: [
          stack.formatArn({ service: 'ssm', resource: 'document', resourceName: '*' }),
          stack.formatArn({ service: 'ssm', resource: 'document', resourceName: '*', account: '' }),
        ],
      }),
    );

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      comment: "Starts a response plan's runbook and follows it to its end (state-machines/runbook.asl.json)",
      definitionBody: DefinitionBody.fromString(readFileSync(RUNBOOK_WORKFLOW.file, 'utf8')),
      definitionSubstitutions: RUNBOOK_WORKFLOW.substitutions({ runbookWorkerArn: this.worker.function.functionArn }),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Granted next to the substitutions that name them (a file-based definition grants nothing by itself).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.worker.function.functionArn] }),
    );
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:StartAutomationExecution'],
        resources: [
          stack.formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: '*' }),
          stack.formatArn({ service: 'ssm', resource: 'automation-definition', resourceName: '*', account: '' }),
        ],
      }),
    );
    const passable = [stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: `${prefix}*` })];
    if (crossAccount)
      passable.push(
        stack.formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: 'AWS-SystemsManager-AutomationAdministrationRole',
        }),
      );
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: passable,
        conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
      }),
    );
    // Completing task tokens: a policy of its own, because the state machine depends on the worker (its ARN is a
    // substitution) and a function depends on its default policy, so putting this there would make a cycle.
    const taskResponse = new Policy(this, 'TaskResponse', {
      statements: [
        new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [this.stateMachine.stateMachineArn] }),
      ],
    });
    taskResponse.attachToRole(this.worker.role);
    taskResponse.attachToRole(this.eventsHandler.role);

    // SSM's status-change events for every automation of the account; the handler ignores those of no incident.
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.deadLetterAlarm = alarmOnDeadLetters(this, 'DeadLettersAlarm', this.deadLetterQueue);
    this.statusRule = new Rule(this, 'AutomationStatusRule', {
      description: "SSM automation step and execution status changes -> the runbook's incident timeline",
      eventPattern: { source: ['aws.ssm'], detailType: [...AUTOMATION_DETAIL_TYPES] },
    });
    this.statusRule.addTarget({
      bind: () => ({
        arn: this.eventsHandler.function.functionArn,
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
        retryPolicy: {
          maximumRetryAttempts: TARGET_RETRY_POLICY.maximumRetryAttempts,
          maximumEventAgeInSeconds: TARGET_RETRY_POLICY.maximumEventAge.toSeconds(),
        },
      }),
    });
    this.deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.statusRule.ruleArn } },
      }),
    );
    new CfnPermission(this, 'StatusEventsInvokePermission', {
      action: 'lambda:InvokeFunction',
      functionName: this.eventsHandler.function.functionArn,
      principal: 'events.amazonaws.com',
      sourceArn: this.statusRule.ruleArn,
    });

    // cdk-nag: each wildcard named, with why it cannot be narrower.
    const ids = runbookWildcards(prefix);
    const reason = (what: string) =>
      `${what} are known only at run time (they come from response plans and from SSM), so the ARN ends in a ` +
      'wildcard; the statement names one resource type of this account and Region (or AWS-owned documents).';
    const acknowledge = (role: IConstruct, id: string, why: string) =>
      Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${id}]`, reason: why });
    for (const role of [this.worker.role, this.eventsHandler.role])
      acknowledge(role, ids.executions, reason('Automation execution ids'));
    acknowledge(this.worker.role, ids.documents, reason('Runbook document names'));
    acknowledge(this.worker.role, ids.awsDocuments, reason('Runbook document names'));
    acknowledge(this.stateMachine.role, ids.definitions, reason('Runbook documents and versions'));
    acknowledge(this.stateMachine.role, ids.awsDefinitions, reason('Runbook documents and versions'));
    acknowledge(
      this.stateMachine.role,
      ids.roles,
      `iam:PassRole names the runbook roles response plans may use: roles whose path and name start with "${prefix}" ` +
        '(the operator-chosen runbookRolePrefix), passed to ssm.amazonaws.com only (iam:PassedToService).',
    );
    acknowledge(
      this.stateMachine.role,
      '*',
      'Only the statements Step Functions needs for log delivery (logs:CreateLogDelivery, ...) and X-Ray tracing use ' +
        'Resource "*": these actions support no resource-level permissions.',
    );
  }

  /** `arn:...:ssm:<region>:<account>:automation-execution/*` */
  get automationExecutionsArn(): string {
    return Stack.of(this).formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' });
  }

  /** ARN pattern of this state machine's executions. */
  get executionsArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /**
   * Lets a function start runbook workflows (the runbook starter, a consumer of IncidentOpened): sets
   * RUNBOOK_STATE_MACHINE_ARN and grants states:StartExecution on this state machine, in one call.
   */
  bindStarter(fn: LambdaFunction): void {
    fn.addEnvironment(ENV.runbookStateMachineArn, this.stateMachine.stateMachineArn);
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
    );
  }

  /** Lets a function read automation executions (the incidents API's runbook view). */
  grantRead(fn: LambdaFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetAutomationExecution', 'ssm:DescribeAutomationStepExecutions'],
        resources: [this.automationExecutionsArn],
      }),
    );
    if (fn.role)
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${runbookWildcards(this.runbookRolePrefix).executions}]`,
        reason:
          'The runbook view reads automation executions whose ids are known only at run time ' +
          '(automation-execution/* of this account and Region).',
      });
  }
}
