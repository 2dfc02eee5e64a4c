import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongWaitsFirst from './test/support/sequencer.ts';

/**
 * Three projects: `unit` (pure code, no Java, seconds: `npm run test:unit`), `infra` (CDK templates and cdk-nag, no
 * Java) and `integration` (DynamoDB Local, the local runtime, official SDK clients, the AWS CLI and `npm start` as a
 * process; one DynamoDB Local per run, started by the global setup). `npm test` runs all three. docs/testing.md says
 * how long each takes and why.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default on 2 cores is ONE worker. Integration files spend much of their time waiting (on DynamoDB
    // Local, on child processes, on paging stages in scaled time), so one worker more than the cores keeps both busy.
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: LongWaitsFirst },
    // Handler logs are JSON lines for CloudWatch; in tests only warnings and errors are worth seeing.
    env: { LOG_LEVEL: 'WARN', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files share their worker's module cache (isolate: false): importing aws-cdk-lib or the whole local runtime costs
    // seconds of CPU, once per worker instead of once per file (about 80 s of CPU per run for the integration files,
    // two thirds of the infra project's), and infra files share one synthesized stack (test/support/default-stack.ts).
    // What a file starts (runtimes, servers, processes) it stops in afterAll; nothing is mocked; the environment
    // variables a test or setup file changes (one test; TMPDIR in test/support/infra-tmpdir.ts) it restores. A file
    // that needs a fresh process belongs in a project with `isolate: true`.
    isolate: false,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], setupFiles: ['test/support/infra-tmpdir.ts'] },
      },
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
