/**
 * Publishes notifications with Amazon SNS, exactly as rendered: Subject, Message (the custom notification JSON) and
 * message attributes. The function may publish only to the topics the operator allowed (the Notifications
 * construct's `sns:Publish` grant); anything else fails here and is retried by the stream, then dead-lettered.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { NotificationPublisher, SnsNotification } from '#core/notifications/ports.ts';

/** The PublishCommand input for a notification (the local outbox records the same). */
export const publishInputOf = (topicArn: string, notification: SnsNotification) => ({
  TopicArn: topicArn,
  Subject: notification.subject,
  Message: notification.message,
  MessageAttributes: Object.fromEntries(
    Object.entries(notification.attributes).map(([name, { type, value }]) => [
      name,
      { DataType: type, StringValue: value },
    ]),
  ),
});

export function snsNotificationPublisher(client: SNSClient): NotificationPublisher {
  return {
    async publish(topicArn, notification) {
      await client.send(new PublishCommand(publishInputOf(topicArn, notification)));
    },
  };
}

/** SNS topics may live in other Regions; a client per Region, made on first use. */
export function snsPublisherForAnyRegion(
  makeClient: (region: string) => SNSClient = (region) => new SNSClient({ region }),
): NotificationPublisher {
  const clients = new Map<string, SNSClient>();
  return {
    async publish(topicArn, notification) {
      const region = topicArn.split(':')[3] ?? '';
      let client = clients.get(region);
      if (!client) {
        client = makeClient(region);
        clients.set(region, client);
      }
      await client.send(new PublishCommand(publishInputOf(topicArn, notification)));
    },
  };
}
