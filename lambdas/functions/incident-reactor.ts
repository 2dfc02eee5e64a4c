/**
 * Deployed entry point of the incident reactor: the table's change stream (incident items only) drives paging starts
 * and stops. Its dependencies are built once, at module scope.
 */
import { createChangeStreamHandler } from '#handlers/change-stream.ts';
import { reactorConsumersOf } from '#runtime/reactor.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

const root = rootFromEnvironment();
export const handler = createChangeStreamHandler(root, reactorConsumersOf(root));
