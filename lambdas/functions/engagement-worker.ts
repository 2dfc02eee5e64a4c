/** Deployed entry point of the paging workflow's worker: its dependencies are built once, at module scope. */
import { createEngagementWorkerHandler } from '#handlers/engagement-worker.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createEngagementWorkerHandler(rootFromEnvironment());
