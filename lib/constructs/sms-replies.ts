/**
 * SMS replies in AWS (two-way SMS with AWS End User Messaging): the stack's phone number (or pool) publishes every
 * SMS it receives to this construct's SNS topic, whose subscriber acknowledges the page the sender and code match
 * (lambdas/handlers/sms-replies.ts) and answers by SMS.
 *
 * - The topic is a standard topic (two-way SMS does not deliver to FIFO topics), encrypted with a customer managed
 *   key whose policy lets End User Messaging of this account (and only it) encrypt for it, TLS-only, and its policy
 *   lets `sms-voice.amazonaws.com` publish only for this account's origination identities (confused deputy).
 * - The function: the table, StopExecution (an essential acknowledgement stops the incident's other paging), and
 *   SendTextMessage as the stack's SMS identity only (to answer). Failed invocations are retried by Lambda twice,
 *   then parked with the failure in a dead-letter queue watched by an alarm.
 * - Two-way SMS itself is switched on, on the number or pool, outside the stack (the number is an account resource
 *   with its own registration): the `TwoWaySmsCommand` output is the exact command.
 */
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { LogLevel } from '#runtime/config.ts';
import { ENV } from '#runtime/environment.ts';
import { alarmOnDeadLetters, createDeadLetterQueue } from '../triggers/dead-letter-queue.ts';
import type { DataTable } from './data-table.ts';
import type { EngagementWorkflow } from './engagement-workflow.ts';
import type { MessageDelivery } from './message-delivery.ts';
import { NodeFunction } from './node-function.ts';

export interface SmsRepliesProps {
  readonly data: DataTable;
  readonly engagements: EngagementWorkflow;
  /** Its SMS identity answers the replies (and names the number or pool to enable two-way SMS on). */
  readonly messageDelivery: MessageDelivery;
  /** The SMS origination identity as configured (ID or ARN), for the output command. */
  readonly smsOriginationIdentity: string;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
}

export class SmsReplies extends Construct {
  public readonly topic: Topic;
  public readonly key: Key;
  public readonly handler: NodeFunction;
  /** Replies the function failed on after Lambda's retries, with the failure. */
  public readonly deadLetterQueue: Queue;
  public readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SmsRepliesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const fromEndUserMessaging = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'sms-voice', resource: '*' }) },
    };

    this.key = new Key(this, 'Key', {
      description: 'Encrypts the SMS replies topic (two-way SMS from AWS End User Messaging)',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromEndUserMessaging,
      }),
    );

    this.topic = new Topic(this, 'Topic', {
      displayName: 'SMS replies to pages (two-way SMS)',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromEndUserMessaging,
      }),
    );

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.deadLetterAlarm = alarmOnDeadLetters(this, 'DeadLetterAlarm', this.deadLetterQueue);
    this.handler = new NodeFunction(this, 'Function', {
      entry: 'lambdas/functions/sms-replies.ts',
      description: 'SMS replies to pages: acknowledges the page the sender and code match, and answers',
      logLevel: props.logLevel,
    });
    const fn = this.handler.function;
    fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    props.data.bindTo(fn);
    props.engagements.bindTo(fn, { stopOnly: true });
    props.messageDelivery.grantSmsTo(fn);
    this.topic.addSubscription(new LambdaSubscription(fn, { deadLetterQueue: this.deadLetterQueue }));

    const identity = props.smsOriginationIdentity;
    const isPool = identity.startsWith('pool-') || identity.includes(':pool/');
    new CfnOutput(this, 'TwoWaySmsCommand', {
      description: 'Run once: sends SMS replies to the stack (two-way SMS on the number or pool that pages)',
      value: isPool
        ? `aws pinpoint-sms-voice-v2 update-pool --pool-id ${identity} --two-way-enabled --two-way-channel-arn ${this.topic.topicArn}`
        : `aws pinpoint-sms-voice-v2 update-phone-number --phone-number-id ${identity} --two-way-enabled --two-way-channel-arn ${this.topic.topicArn}`,
    });
  }

  /** Tells a function that sends pages that replies reach the stack (SMS pages then say "reply with the code"). */
  announceTo(fn: LambdaFunction): void {
    fn.addEnvironment(ENV.smsReplies, 'true');
  }
}
