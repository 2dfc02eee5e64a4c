/**
 * Deployed entry point of the handler of SSM's automation status-change events (the EventBridge rule's target): its
 * dependencies are built once, at module scope.
 */
import { createRunbookEventsHandler } from '#handlers/runbook-events.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createRunbookEventsHandler(rootFromEnvironment());
