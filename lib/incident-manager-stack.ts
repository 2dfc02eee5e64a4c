/**
 * The one stack: the table, the API that serves it, and the intake that opens incidents from alarms and events.
 * Environment-agnostic, so synth needs no AWS lookups.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessPolicies } from './constructs/access-policies.ts';
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
}

export class IncidentManagerStack extends Stack {
  public readonly data: DataTable;
  public readonly api: IncidentsApi;
  public readonly triggerIntake: TriggerIntake;
  /** Delivery providers for activation codes and pages: `messageDelivery.grantTo(fn)` (the contacts function has it). */
  public readonly messageDelivery: MessageDelivery;
  /** Paging: the engagement state machine and its worker. */
  public readonly engagements: EngagementWorkflow;
  /** Managed policies for callers of the API: viewer, responder, admin (docs/security.md). */
  public readonly accessPolicies: AccessPolicies;

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
    this.accessPolicies = new AccessPolicies(this, 'AccessPolicies', { httpApi: this.api.httpApi });

    new CfnOutput(this, 'ApiEndpoint', {
      description: 'Endpoint for SSMIncidentsClient (sign requests as execute-api)',
      value: this.api.url,
    });
    new CfnOutput(this, 'ExecuteApiArn', {
      description: 'Resource for execute-api:Invoke in the IAM policies of callers (narrow the method/path as needed)',
      value: this.api.httpApi.arnForExecuteApi(),
    });
    for (const [role, policy] of Object.entries(this.accessPolicies.policies))
      new CfnOutput(this, `${role[0]!.toUpperCase()}${role.slice(1)}PolicyArn`, {
        description: `Managed policy for ${role}s of the API: attach it to their IAM roles (docs/security.md)`,
        value: policy.managedPolicyArn,
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
