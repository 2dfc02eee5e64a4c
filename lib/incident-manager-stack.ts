/**
 * The one stack: the table, the API that serves it, and the intake that opens incidents from alarms and events.
 * Environment-agnostic, so synth needs no AWS lookups.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CONSOLE_DIST } from '../console/paths.ts';
import { Console, type ConsoleProps } from './constructs/console.ts';
import { DataTable } from './constructs/data-table.ts';
import { EngagementWorkflow } from './constructs/engagement-workflow.ts';
import { IncidentsApi } from './constructs/incidents-api.ts';
import {
  MessageDelivery,
  type MessageDeliveryProps,
  messageDeliveryPropsFromContext,
} from './constructs/message-delivery.ts';
import { TriggerIntake } from './constructs/trigger-intake.ts';

export interface IncidentManagerStackProps extends StackProps {
  /** SES / End User Messaging identities for contact-channel messages. @default read from cdk context (same key names) */
  readonly messageDelivery?: MessageDeliveryProps;
  /**
   * The web console (CloudFront + S3, Cognito sign-in), or `false` for none.
   * @default the console built in console/dist, with the Console construct's defaults
   */
  readonly console?: false | Partial<Omit<ConsoleProps, 'api'>>;
}

export class IncidentManagerStack extends Stack {
  public readonly data: DataTable;
  public readonly api: IncidentsApi;
  public readonly triggerIntake: TriggerIntake;
  /** Delivery providers for activation codes and pages: `messageDelivery.grantTo(fn)` (the contacts function has it). */
  public readonly messageDelivery: MessageDelivery;
  /** Paging: the engagement state machine and its worker. */
  public readonly engagements: EngagementWorkflow;
  /** The web console, unless turned off with `console: false`. */
  public readonly console?: Console;

  constructor(scope: Construct, id: string, props?: IncidentManagerStackProps) {
    super(scope, id, props);

    // Fixed construct id; the table's logical id is pinned inside DataTable as well.
    this.data = new DataTable(this, 'Data');
    this.api = new IncidentsApi(this, 'IncidentsApi', { data: this.data });
    this.triggerIntake = new TriggerIntake(this, 'TriggerIntake', { data: this.data });
    this.messageDelivery = new MessageDelivery(
      this,
      'MessageDelivery',
      props?.messageDelivery ?? messageDeliveryPropsFromContext(this),
    );
    this.messageDelivery.grantTo(this.api.contactsHandler.function);
    // Paging: StartEngagement/StopEngagement (contacts), StartIncident/resolve (incidents API and intake) drive the
    // workflow; its worker sends the pages.
    this.engagements = new EngagementWorkflow(this, 'Engagements', { data: this.data });
    for (const fn of [this.api.contactsHandler, this.api.handler, this.triggerIntake.handler])
      this.engagements.bindTo(fn.function);
    this.messageDelivery.grantTo(this.engagements.worker.function);

    if (props?.console !== false) {
      this.console = new Console(this, 'Console', { directory: CONSOLE_DIST, ...props?.console, api: this.api });
      new CfnOutput(this, 'ConsoleUrl', { description: 'The web console', value: `${this.console.url}/` });
      new CfnOutput(this, 'ConsoleUserPoolId', {
        description: 'Console users are added here (README, Web console); members of "viewers" are read-only',
        value: this.console.userPool.userPoolId,
      });
    }

    new CfnOutput(this, 'ApiEndpoint', {
      description: 'Endpoint for SSMIncidentsClient (sign requests as execute-api)',
      value: this.api.url,
    });
    new CfnOutput(this, 'ExecuteApiArn', {
      description: 'Resource for execute-api:Invoke in the IAM policies of callers (narrow the method/path as needed)',
      value: this.api.httpApi.arnForExecuteApi(),
    });
    new CfnOutput(this, 'TableName', {
      description: 'DynamoDB table holding all incident data',
      value: this.data.table.tableName,
    });
    new CfnOutput(this, 'TriggerIntakeFunctionArn', {
      description:
        'The intake that AlarmTrigger, EventTrigger, SnsTopicTrigger and AlarmLambdaActionTrigger target (lambda.Function.fromFunctionArn)',
      value: this.triggerIntake.handler.function.functionArn,
    });
    new CfnOutput(this, 'TriggerDeadLetterQueueUrl', {
      description:
        'Deliveries the intake failed on after its retries, with the error (inspect and redrive: see the README)',
      value: this.triggerIntake.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'TagRuleDeadLetterQueueUrl', {
      description: 'Tagged-alarm events EventBridge could not hand to the intake',
      value: this.triggerIntake.tagRule.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'EngagementStateMachineArn', {
      description: 'The paging workflow (one execution per engagement, named by the engagement id)',
      value: this.engagements.stateMachine.stateMachineArn,
    });
  }
}
