/** Deployed entry point of the ssm-incidents function: its dependencies are built once, at module scope. */
import { createIncidentsApiHandler } from '#handlers/incidents-api.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createIncidentsApiHandler(rootFromEnvironment());
