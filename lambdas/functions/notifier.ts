/**
 * Deployed entry point of the notifier: the table's change stream (incident, timeline, related-item, engagement and
 * page items) drives SNS notifications and EventBridge integration events. Its dependencies are built once, at module
 * scope.
 */
import { createChangeStreamHandler } from '#handlers/change-stream.ts';
import { notifierConsumersOf } from '#runtime/notifications.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

const root = rootFromEnvironment();
export const handler = createChangeStreamHandler(root, notifierConsumersOf(root));
