/**
 * The one stack: the table, the API that serves it, and the intake that opens incidents from alarms and events.
 * Environment-agnostic, so synth needs no AWS lookups.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ENV } from '#runtime/environment.ts';
import { STREAM_CONSUMERS } from '#runtime/stream-consumers.ts';
import { CONSOLE_DIST } from '../console/paths.ts';
import { AccessPolicies } from './constructs/access-policies.ts';
import { AcknowledgeLinks } from './constructs/acknowledge-links.ts';
import { ChangeStreamConsumer } from './constructs/change-stream-consumer.ts';
import { Console, type ConsoleProps } from './constructs/console.ts';
import { DataTable } from './constructs/data-table.ts';
import { EngagementWorkflow } from './constructs/engagement-workflow.ts';
import { IncidentsApi } from './constructs/incidents-api.ts';
import {
  MessageDelivery,
  type MessageDeliveryProps,
  messageDeliveryPropsFromContext,
} from './constructs/message-delivery.ts';
import { Notifications, type NotificationsProps, notificationsPropsFromContext } from './constructs/notifications.ts';
import { OperationalAlarms } from './constructs/operational-alarms.ts';
import { ResponseMetricsDashboard } from './constructs/response-metrics-dashboard.ts';
import { RunbookWorkflow } from './constructs/runbook-workflow.ts';
import { SmsReplies } from './constructs/sms-replies.ts';
import { TriggerIntake } from './constructs/trigger-intake.ts';

export interface IncidentManagerStackProps extends StackProps {
  /** SES / End User Messaging identities for contact-channel messages. @default read from cdk context (same key names) */
  readonly messageDelivery?: MessageDeliveryProps;
  /** Where the stack's own alarms notify. @default the `alarmTopicArn` context value, else nowhere */
  readonly alarmTopic?: ITopic;
  /** The web console's base URL (email pages link incidents there). @default the `consoleUrl` context value */
  readonly consoleUrl?: string;
  /**
   * The CloudWatch namespace of the response metrics (Incident Manager's metric names and dimensions).
   * @default 'IncidentManager', Incident Manager's own, so its existing dashboards and alarms keep working
   */
  readonly responseMetricsNamespace?: string;
  /** Notification topics, event bus, console URL and Slack command. @default read from cdk context (README) */
  readonly notifications?: Omit<NotificationsProps, 'data' | 'engagements'>;
  /**
   * The web console (CloudFront + S3, Cognito sign-in), or `false` for none.
   * @default the console built in console/dist, with the Console construct's defaults
   */
  readonly console?: false | Partial<Omit<ConsoleProps, 'api' | 'accessPolicies'>>;
}

export class IncidentManagerStack extends Stack {
  public readonly data: DataTable;
  public readonly api: IncidentsApi;
  public readonly triggerIntake: TriggerIntake;
  /** Delivery providers for activation codes and pages: `messageDelivery.grantTo(fn)` (the contacts function has it). */
  public readonly messageDelivery: MessageDelivery;
  /** Paging: the engagement state machine and its worker. */
  public readonly engagements: EngagementWorkflow;
  /** Reacts to committed incident changes (the table's stream): paging starts and stops. */
  public readonly incidentReactor: ChangeStreamConsumer;
  /** SNS notifications, integration events and the Slack command. */
  public readonly notifications: Notifications;
  /** The stack's own health: function errors and throttles, failed workflows, API 5xx, dead letters, stream lag. */
  public readonly alarms: OperationalAlarms;
  /** Acknowledge links of email pages (`/ack` on the API, the one route without SigV4). */
  public readonly acknowledgeLinks: AcknowledgeLinks;
  /** SMS replies (two-way SMS), when SMS pages go out from a phone number or pool. */
  public readonly smsReplies?: SmsReplies;
  /** MTTA, MTTR and incident counts (Incident Manager's CloudWatch metrics). */
  public readonly responseMetrics: ResponseMetricsDashboard;
  /**
   * Runbooks: the runbook state machine, its worker and the SSM status-change rule and handler. The function hosting
   * the runbook starter (the IncidentOpened consumer) gets `runbooks.bindStarter(fn)`.
   */
  public readonly runbooks: RunbookWorkflow;
  /** The web console, unless turned off with `console: false`. */
  public readonly console?: Console;
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
    // Paging: StartEngagement/StopEngagement (contacts API) and incident changes (the reactor, from the table's stream)
    // drive the workflow; its worker sends the pages.
    this.engagements = new EngagementWorkflow(this, 'Engagements', { data: this.data });
    this.incidentReactor = new ChangeStreamConsumer(this, 'IncidentReactor', {
      data: this.data,
      entry: 'lambdas/functions/incident-reactor.ts',
      description:
        'Reacts to committed incident changes: pages when an incident opens, stops paging when it is resolved',
      spec: STREAM_CONSUMERS.incidentReactor,
    });
    for (const fn of [this.api.contactsHandler, this.incidentReactor.handler]) this.engagements.bindTo(fn.function);
    this.messageDelivery.grantTo(this.engagements.worker.function);
    // Managed policies for the API's callers (viewer, responder, admin); the console's roles take them too.
    this.accessPolicies = new AccessPolicies(this, 'AccessPolicies', { httpApi: this.api.httpApi });

    // Runbooks: SSM runs them; the workflow starts and follows them, the incidents API reads them for the runbook view.
    this.runbooks = new RunbookWorkflow(this, 'Runbooks', { data: this.data });
    this.runbooks.grantRead(this.api.handler.function);
    // The reactor starts an incident's runbooks when it opens.
    this.runbooks.bindStarter(this.incidentReactor.handler.function);

    // Incident Manager's response metrics are published by the reactor (it sees incidents and acknowledgements).
    this.responseMetrics = new ResponseMetricsDashboard(this, 'ResponseMetrics', {
      ...(props?.responseMetricsNamespace ? { namespace: props.responseMetricsNamespace } : {}),
    });
    this.incidentReactor.handler.function.addEnvironment(ENV.responseMetricsNamespace, this.responseMetrics.namespace);

    if (props?.console !== false) {
      this.console = new Console(this, 'Console', {
        directory: CONSOLE_DIST,
        ...props?.console,
        api: this.api,
        accessPolicies: this.accessPolicies,
      });
      new CfnOutput(this, 'ConsoleUrl', { description: 'The web console', value: `${this.console.url}/` });
      new CfnOutput(this, 'ConsoleUserPoolId', {
        description: 'Console users are added here (README, Web console); members of "viewers" are read-only',
        value: this.console.userPool.userPoolId,
      });
    }

    // Acknowledging where the page arrives: the email's link, and (with an SMS number or pool) a reply with the code.
    // Pages link the incident in the web console: this stack's, unless another URL is given.
    const consoleUrl =
      props?.consoleUrl ?? contextString(this, 'consoleUrl') ?? (this.console ? `${this.console.url}/` : undefined);
    this.acknowledgeLinks = new AcknowledgeLinks(this, 'AcknowledgeLinks', {
      data: this.data,
      engagements: this.engagements,
      httpApi: this.api.httpApi,
      apiUrl: this.api.url,
      ...(consoleUrl ? { consoleUrl } : {}),
    });
    this.acknowledgeLinks.grantSigningTo(this.engagements.worker.function);
    const smsIdentity = this.messageDelivery.environment.SMS_ORIGINATION_IDENTITY;
    const smsType = this.messageDelivery.smsOriginationType;
    if (smsIdentity && (smsType === 'phone-number' || smsType === 'pool')) {
      this.smsReplies = new SmsReplies(this, 'SmsReplies', {
        data: this.data,
        engagements: this.engagements,
        messageDelivery: this.messageDelivery,
        smsOriginationIdentity: smsIdentity,
      });
      this.smsReplies.announceTo(this.engagements.worker.function);
    }
    // Telling the world (the table stream's second reader) and acting from Slack; links point at the web console.
    const { eventBusName, ...fromContext } = notificationsPropsFromContext(this);
    this.notifications = new Notifications(this, 'Notifications', {
      data: this.data,
      engagements: this.engagements,
      ...(this.console ? { consoleUrl: `${this.console.url}/` } : {}),
      ...fromContext,
      ...(eventBusName ? { eventBus: EventBus.fromEventBusName(this, 'IntegrationBus', eventBusName) } : {}),
      ...props?.notifications,
    });

    this.alarms = new OperationalAlarms(this, 'Alarms', {
      functions: {
        IncidentsApi: this.api.handler,
        ContactsApi: this.api.contactsHandler,
        TriggerIntake: this.triggerIntake.handler,
        EngagementWorker: this.engagements.worker,
        IncidentReactor: this.incidentReactor.handler,
        AcknowledgeLinks: this.acknowledgeLinks.handler,
        ...(this.smsReplies ? { SmsReplies: this.smsReplies.handler } : {}),
        AnalysisApi: this.api.analysisHandler,
        ...(this.console ? { ConsoleFiles: this.console.filesDeployer } : {}),
        RunbookWorker: this.runbooks.worker,
        RunbookEvents: this.runbooks.eventsHandler,
        Notifier: this.notifications.notifier.handler,
        ...(this.notifications.slackCommands ? { SlackCommands: this.notifications.slackCommands.handler } : {}),
      },
      stateMachines: { Engagements: this.engagements.stateMachine, Runbooks: this.runbooks.stateMachine },
      httpApi: this.api.httpApi,
      otherAlarms: [
        this.triggerIntake.deadLetterAlarm,
        this.triggerIntake.tagRuleDeadLetterAlarm,
        this.incidentReactor.deadLetterAlarm,
        this.incidentReactor.iteratorAgeAlarm,
        ...(this.smsReplies ? [this.smsReplies.deadLetterAlarm] : []),
        this.runbooks.deadLetterAlarm,
        this.notifications.notifier.deadLetterAlarm,
        this.notifications.notifier.iteratorAgeAlarm,
      ],
      ...(props?.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
    });

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
    if (this.smsReplies)
      new CfnOutput(this, 'SmsRepliesTopicArn', {
        description: 'Two-way SMS destination of the paging number or pool (see the TwoWaySmsCommand output)',
        value: this.smsReplies.topic.topicArn,
      });
    new CfnOutput(this, 'RunbookStateMachineArn', {
      description:
        'The runbook workflow (one execution per incident and runbook action, named <incident id>-<action index>)',
      value: this.runbooks.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'RunbookRolePrefix', {
      description: 'Response plans may name runbook roles (roleArn) whose path and name start with this prefix',
      value: this.runbooks.runbookRolePrefix,
    });
    new CfnOutput(this, 'RunbookEventsDeadLetterQueueUrl', {
      description: 'SSM automation status changes that could not be written to their incident (inspect and redrive)',
      value: this.runbooks.deadLetterQueue.queueUrl,
    });
    new CfnOutput(this, 'EngagementStateMachineArn', {
      description: 'The paging workflow (one execution per engagement, named by the engagement id)',
      value: this.engagements.stateMachine.stateMachineArn,
    });
  }
}

/** A non-empty cdk context string (`-c consoleUrl=https://...`), or undefined. */
function contextString(scope: Construct, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  return value === undefined || value === null || String(value).trim() === '' ? undefined : String(value).trim();
}
