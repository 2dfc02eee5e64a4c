/**
 * A consumer of the table's change stream: a function fed by a DynamoDB Streams event source mapping that only
 * invokes it for the item types it declares (lambdas/runtime/stream-consumers.ts, the filter the local stream reader
 * applies too), reports batch item failures, bisects failing batches, retries, and parks what it could not handle in
 * a dead-letter queue watched by an alarm. An iterator-age alarm says when it falls behind (reactions arrive late).
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { LogLevel } from '#runtime/config.ts';
import type { StreamConsumerSpec } from '#runtime/stream-consumers.ts';
import { alarmOnDeadLetters, createDeadLetterQueue } from '../triggers/dead-letter-queue.ts';
import type { DataTable } from './data-table.ts';
import { NodeFunction } from './node-function.ts';

export interface ChangeStreamConsumerProps {
  readonly data: DataTable;
  /** Entry file of the function (e.g. `lambdas/functions/incident-reactor.ts`). */
  readonly entry: string;
  readonly description: string;
  /** Which item types it sees. */
  readonly spec: StreamConsumerSpec;
  /** @default 'INFO' */
  readonly logLevel?: LogLevel;
  /** Deliveries of a failing record before it goes to the dead-letter queue. @default 10 */
  readonly retryAttempts?: number;
  /** Reactions later than this raise the iterator-age alarm. @default one minute */
  readonly maxReactionDelay?: Duration;
  /**
   * Batches of one shard handled at once; records of one item key (partition key) still arrive in order.
   * @default 1
   */
  readonly parallelizationFactor?: number;
  /**
   * Where a new subscription starts reading. TRIM_HORIZON (every change the stream still holds, up to 24 hours) for
   * work that must happen; LATEST for reactions that would be stale (a first deploy must not re-announce yesterday).
   * @default StartingPosition.TRIM_HORIZON
   */
  readonly startingPosition?: StartingPosition;
}

export class ChangeStreamConsumer extends Construct {
  public readonly handler: NodeFunction;
  public readonly eventSource: DynamoEventSource;
  /** Changes the function failed on after every retry, with the failure (the on-failure destination). */
  public readonly deadLetterQueue: Queue;
  /** In ALARM while a change waits in `deadLetterQueue`. */
  public readonly deadLetterAlarm: Alarm;
  /** In ALARM while the function lags behind the stream by more than `maxReactionDelay`. */
  public readonly iteratorAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: ChangeStreamConsumerProps) {
    super(scope, id);
    const table = props.data.table;

    this.handler = new NodeFunction(this, 'Function', {
      entry: props.entry,
      description: props.description,
      logLevel: props.logLevel,
      // A batch is at most 100 changes, each a few DynamoDB calls or a workflow start.
      timeout: Duration.seconds(60),
      otherWildcardResources:
        'dynamodb:ListStreams, which the event source mapping needs to find the table stream (reading it is granted ' +
        'on the stream ARN alone)',
    });
    props.data.bindTo(this.handler.function);

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    // The new image for inserts and updates, the old one for deletes: both carry the item's entityType.
    const ofTypes = (image: 'NewImage' | 'OldImage') =>
      FilterCriteria.filter({ dynamodb: { [image]: { entityType: { S: [...props.spec.entityTypes] } } } });
    this.eventSource = new DynamoEventSource(table, {
      startingPosition: props.startingPosition ?? StartingPosition.TRIM_HORIZON,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(0),
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: props.retryAttempts ?? 10,
      // The stream keeps records for 24 hours: a change is retried as long as it exists.
      maxRecordAge: Duration.hours(24),
      onFailure: new SqsDlq(this.deadLetterQueue),
      ...(props.parallelizationFactor ? { parallelizationFactor: props.parallelizationFactor } : {}),
      filters: [ofTypes('NewImage'), ofTypes('OldImage')],
    });
    this.handler.function.addEventSource(this.eventSource);

    this.deadLetterAlarm = alarmOnDeadLetters(this, 'DeadLetterAlarm', this.deadLetterQueue);
    this.iteratorAgeAlarm = new Alarm(this, 'IteratorAgeAlarm', {
      alarmDescription: `${this.node.path} reacts to changes late: its oldest unhandled change is older than the limit.`,
      metric: this.handler.function.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: (props.maxReactionDelay ?? Duration.minutes(1)).toMilliseconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
