/**
 * The local stand-in for Amazon SNS: each notification the notifier publishes lands here exactly as it would be
 * published (TopicArn, Subject, Message, MessageAttributes), kept in memory, appended to
 * `<data dir>/notifications.jsonl` (read by `npm run outbox -- --notifications`) and printed as one
 * `[outbox] NOTIFY <topic> ...` line.
 *
 * `refuse` lets a test make a topic fail as a missing topic or a denied publish would.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { publishInputOf } from '#adapters/notifications/sns-publisher.ts';
import type { NotificationPublisher, SnsNotification } from '#core/notifications/ports.ts';

const KEPT = 5000;

/** One published notification: the PublishCommand input and when it was published. */
export type PublishedNotification = ReturnType<typeof publishInputOf> & { time: string };

export interface LocalNotificationOutboxOptions {
  file?: string;
  print?: (line: string) => void;
  /** An error for topics that should refuse the message (tests); undefined = accepted. */
  refuse?: (topicArn: string) => Error | undefined;
}

export class LocalNotificationOutbox implements NotificationPublisher {
  private readonly kept: PublishedNotification[] = [];
  private fileReady: Promise<unknown> | undefined;
  private readonly listeners = new Set<(n: PublishedNotification) => void>();

  constructor(private readonly options: LocalNotificationOutboxOptions = {}) {}

  async publish(topicArn: string, notification: SnsNotification): Promise<void> {
    const refusal = this.options.refuse?.(topicArn);
    if (refusal) throw refusal;
    const published: PublishedNotification = {
      time: new Date().toISOString(),
      ...publishInputOf(topicArn, notification),
    };
    this.kept.push(published);
    if (this.kept.length > KEPT) this.kept.splice(0, this.kept.length - KEPT);
    const { file, print } = this.options;
    if (file) {
      this.fileReady ??= mkdir(dirname(file), { recursive: true });
      await this.fileReady;
      await appendFile(file, `${JSON.stringify(published)}\n`);
    }
    print?.(LocalNotificationOutbox.describe(published));
    for (const listener of this.listeners) listener(published);
  }

  /** Notifications published so far, oldest first. */
  notifications(): readonly PublishedNotification[] {
    return [...this.kept];
  }

  /** Calls `listener` for every notification published from now on (the benchmark times arrivals); returns an unsubscribe. */
  onPublish(listener: (n: PublishedNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `[outbox] NOTIFY <topic> "<Subject>" {"Message":...,"MessageAttributes":...}`: the publish, on one line. */
  static describe(n: PublishedNotification): string {
    const { TopicArn, Subject, Message, MessageAttributes } = n;
    return `[outbox] NOTIFY ${TopicArn} ${JSON.stringify(Subject)} ${JSON.stringify({ Message, MessageAttributes })}`;
  }
}
