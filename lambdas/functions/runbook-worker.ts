/** Deployed entry point of the runbook workflow's worker: its dependencies are built once, at module scope. */
import { createRunbookWorkerHandler } from '#handlers/runbook-worker.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createRunbookWorkerHandler(rootFromEnvironment());
