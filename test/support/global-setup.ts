import type { TestProject } from 'vitest/node';
import { describeBuild, ensureConsoleBuilt } from '../../console/build.ts';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // The SDK's notice about Node 22 is for users of this machine's Node, not a test result.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // The browser tests load the built console; build it once here, before any test file runs, when a source changed.
  const built = await ensureConsoleBuilt();
  if (built) console.log(describeBuild(built));
  // C1 only and the serial collector (what npm start uses): a few minutes of test traffic never earn back what the
  // C2 compiler spends on DynamoDB Local's code. Measured (docs/testing.md): its JVM used about 30 % less CPU.
  const dynamodb = await startDynamoDbLocal({ quickStart: true });
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  return async () => {
    await dynamodb.stop();
  };
}
