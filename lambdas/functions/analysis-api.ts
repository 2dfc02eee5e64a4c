/** Deployed entry point of the post-incident analysis function: its dependencies are built once, at module scope. */
import { createAnalysisApiHandler } from '#handlers/analysis-api.ts';
import { rootFromEnvironment } from '#runtime/root.ts';

export const handler = createAnalysisApiHandler(rootFromEnvironment());
