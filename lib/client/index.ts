/** The post-incident analysis client for scripts (no CDK): `import { AnalysisClient } from '.../lib/client/index.ts'`. */
export { AnalysisApiError, AnalysisClient, type AnalysisClientConfig } from './analysis-client.ts';
export type * from './analysis-types.ts';
