import { defineConfig } from 'vitest/config';

/**
 * Three projects: `unit` (pure code, no Java, seconds: `npm run test:unit`), `infra` (CDK templates and cdk-nag, no
 * Java) and `integration` (DynamoDB Local, the local runtime, official SDK clients, the AWS CLI and `npm start` as a
 * process; one DynamoDB Local per run, started by the global setup). `npm test` runs all three.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // Handler logs are JSON lines for CloudWatch; in tests only warnings and errors are worth seeing.
    env: { LOG_LEVEL: 'warn', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'infra', include: ['test/infra/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/{integration,compat,local,console}/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
