/**
 * Paging in AWS: the engagement state machine (a Standard workflow defined by state-machines/engagement.asl.json,
 * inlined with DefinitionBody.fromString so templates and cdk-nag see it), its worker Lambda, and the permissions
 * between them. The `${...}` substitutions come from lambdas/runtime/workflows.ts, which the local runner uses too.
 *
 * - The state machine may invoke exactly the worker (a file-based definition grants nothing by itself).
 * - Functions that start or stop paging (the contacts API, the incident reactor) get STATE_MACHINE_ARN and
 *   states:StartExecution on this state machine / states:StopExecution on its executions, through `bindTo`.
 * - Execution history goes to a log group under /aws/vendedlogs/states/ (the prefix Step Functions' log delivery
 *   policy needs), with a retention period; X-Ray tracing is on.
 */
import { readFileSync } from 'node:fs';
import { ArnFormat, Duration, Names, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { LogLevel as FunctionLogLevel } from '#runtime/config.ts';
import { ENV } from '#runtime/environment.ts';
import { ENGAGEMENT_WORKFLOW } from '#runtime/workflows.ts';
import type { DataTable } from './data-table.ts';
import { NodeFunction } from './node-function.ts';

export interface EngagementWorkflowProps {
  readonly data: DataTable;
  /** @default 'INFO' */
  readonly logLevel?: FunctionLogLevel;
  /** Retention of the execution history log group. @default one month */
  readonly logRetention?: RetentionDays;
}

export class EngagementWorkflow extends Construct {
  /** The Lambda every Task of the workflow invokes. */
  public readonly worker: NodeFunction;
  public readonly stateMachine: StateMachine;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EngagementWorkflowProps) {
    super(scope, id);

    this.worker = new NodeFunction(this, 'Worker', {
      entry: 'lambdas/functions/engagement-worker.ts',
      description: 'Engagement workflow steps: pages contacts stage by stage and records receipts',
      logLevel: props.logLevel,
      // Below the Task's TimeoutSeconds (60), so a slow step ends as a Lambda timeout the Retry sees.
      timeout: Duration.seconds(45),
    });
    props.data.bindTo(this.worker.function);

    this.logGroup = new LogGroup(this, 'Logs', {
      // Generated from the construct path (and so the stack name): two copies of the stack never share it.
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      comment: 'Pages an engagement stage by stage (state-machines/engagement.asl.json)',
      definitionBody: DefinitionBody.fromString(readFileSync(ENGAGEMENT_WORKFLOW.file, 'utf8')),
      definitionSubstitutions: ENGAGEMENT_WORKFLOW.substitutions({
        engagementWorkerArn: this.worker.function.functionArn,
      }),
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // Granted next to the substitution that names the function: exactly this function, no version wildcard.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.worker.function.functionArn] }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the statements Step Functions needs for log delivery (logs:CreateLogDelivery, logs:GetLogDelivery, ' +
        '..., logs:DescribeLogGroups) and X-Ray tracing (xray:PutTraceSegments, ...) use Resource "*": these actions ' +
        'support no resource-level permissions. Lambda invocation names the worker function ARN.',
    });
  }

  /** ARN pattern of this state machine's executions (`...:execution:<state machine name>:*`). */
  get executionsArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachine.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /**
   * Lets a function start and stop engagement workflows: sets STATE_MACHINE_ARN and grants StartExecution on this
   * state machine and StopExecution on its executions, in one call so the variable and the permission never drift.
   * `stopOnly`: StopExecution only.
   */
  bindTo(fn: LambdaFunction, options: { stopOnly?: boolean } = {}): void {
    fn.addEnvironment(ENV.engagementStateMachineArn, this.stateMachine.stateMachineArn);
    // Functions that only end paging (acknowledge links, SMS replies) may stop workflows but never start one.
    if (!options.stopOnly)
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
      );
    fn.addToRolePolicy(new PolicyStatement({ actions: ['states:StopExecution'], resources: [this.executionsArn] }));
    if (fn.role)
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${Stack.of(this).getLogicalId(this.stateMachine.node.defaultChild as never)}.Name>:*]`,
        reason:
          'StopExecution names executions of this one state machine; the execution name is the engagement id, ' +
          'known only at run time, so the ARN ends in a wildcard.',
      });
  }
}
