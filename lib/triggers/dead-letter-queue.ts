/**
 * Dead-letter queues of the alerting path: where an alarm or event that could not reach (or be handled by) the
 * intake waits to be inspected and redriven, instead of being dropped.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** An encrypted, TLS-only queue that keeps failed deliveries for SQS's maximum of 14 days. */
export function createDeadLetterQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    // SQS-managed keys: EventBridge, SNS and Lambda can all write to it with no KMS key policy to maintain.
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself a dead-letter queue (of an EventBridge target, an SNS subscription or a Lambda ' +
      'on-failure destination); nothing consumes it automatically, so a further dead-letter queue would never fill.',
  });
  return queue;
}

/** Alarms as soon as one delivery waits in the queue: every message there is an alarm or event that opened nothing. */
export function alarmOnDeadLetters(scope: Construct, id: string, queue: IQueue): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: `Undelivered alarms/events are waiting in ${queue.node.path}: inspect and redrive them (see the README).`,
    // SQS publishes its metrics every 5 minutes; Maximum catches a message that was there at any point.
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
