/**
 * Sent-markers of the notifier, and the replay guard of the chat commands: small items with a TTL, of entity types no
 * stream consumer listens to (so writing them never triggers another reaction).
 *
 * - A NotificationMarker holds the topics one change was notified to (a string set). The notifier reads it before
 *   publishing (strongly consistent) and adds the topics that accepted the message after publishing. It is kept for
 *   48 hours: the stream redelivers a change for at most 24.
 * - A ChatRequest records one Slack request signature: a second request with the same signature is a replay.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ReplayGuard } from '#core/chat/ports.ts';
import type { NotificationLedger } from '#core/notifications/ports.ts';
import { TTL_ATTRIBUTE } from '#runtime/table-schema.ts';
import { keys } from './keys.ts';
import type { StoreOptions } from './store.ts';
import { Table } from './table.ts';

export const NOTIFICATION_MARKER_ENTITY = 'NotificationMarker';
export const CHAT_REQUEST_ENTITY = 'ChatRequest';
const MARKER_TTL_SECONDS = 48 * 3600;

export function createDynamoDbNotificationLedger(options: StoreOptions): NotificationLedger {
  const t = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return {
    async sentTo(dedupKey) {
      const { Item } = await t.doc.send(
        new GetCommand({
          TableName: t.tableName,
          Key: keys.notificationMarker(dedupKey),
          ConsistentRead: true,
          ProjectionExpression: 'sent',
        }),
      );
      return new Set((Item?.sent as Set<string> | undefined) ?? []);
    },
    async recordSent(dedupKey, targets, now) {
      if (targets.length === 0) return;
      await t.doc.send(
        new UpdateCommand({
          TableName: t.tableName,
          Key: keys.notificationMarker(dedupKey),
          UpdateExpression: 'ADD sent :targets SET entityType = :type, #ttl = :ttl',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: {
            ':targets': new Set(targets),
            ':type': NOTIFICATION_MARKER_ENTITY,
            ':ttl': Math.floor(now / 1000) + MARKER_TTL_SECONDS,
          },
        }),
      );
    },
  };
}

/** Remembers Slack request signatures for `ttlSeconds`. */
export function createDynamoDbReplayGuard(options: StoreOptions, ttlSeconds: number): ReplayGuard {
  const t = new Table(options.client, options.tableName, options.idempotencyWindowSeconds);
  return {
    async firstUse(signature, now) {
      const nowSeconds = Math.floor(now / 1000);
      try {
        await t.doc.send(
          new PutCommand({
            TableName: t.tableName,
            Item: {
              ...keys.chatRequest(signature),
              entityType: CHAT_REQUEST_ENTITY,
              [TTL_ATTRIBUTE]: nowSeconds + ttlSeconds,
            },
            // TTL deletes lazily: an expired record counts as absent.
            ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
            ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
            ExpressionAttributeValues: { ':now': nowSeconds },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
