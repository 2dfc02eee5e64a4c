import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local process for the whole run; each test file creates its own table in it.
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Handler logs are JSON lines for CloudWatch; in tests only warnings and errors are worth seeing.
    env: { LOG_LEVEL: 'warn', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
