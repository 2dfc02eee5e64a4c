/**
 * DynamoDB Local as the local runtime runs it, launched apart from the runtime so that `npm start` can start the JVM
 * first and load the runtime's modules (about a second of work) while the JVM starts, instead of one after the other.
 */
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';

export interface RuntimeDatabase {
  /** Resolves once DynamoDB Local answers. */
  ready: Promise<DynamoDbLocal>;
  /** Work to redo after a supervised restart (the table again, in a database that lived in memory). */
  afterRestart(work: () => Promise<void>): void;
}

export interface RuntimeDatabaseOptions {
  /** Folder for the database file; omitted = in memory. */
  dataDir?: string;
  /** Lines about DynamoDB Local itself (restarts, orphans stopped). */
  log: (line: string) => void;
  /** Supervise it (npm start): restart it when it dies, or call this with the reason when it cannot be. */
  onFatal?: (reason: string) => void;
  /** JVM options for a quick start over throughput (java-launcher.ts). */
  quickStart?: boolean;
}

export function launchRuntimeDatabase(options: RuntimeDatabaseOptions): RuntimeDatabase {
  let afterRestart: () => Promise<void> = async () => undefined;
  const { log, onFatal } = options;
  const ready = startDynamoDbLocal({
    log,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.quickStart ? { quickStart: true } : {}),
    ...(onFatal ? { supervise: { log, restarted: () => afterRestart(), failed: onFatal } } : {}),
  });
  // Awaited by the runtime once its modules are loaded; until then a failure must not count as unhandled.
  ready.catch(() => undefined);
  return {
    ready,
    afterRestart(work) {
      afterRestart = work;
    },
  };
}
