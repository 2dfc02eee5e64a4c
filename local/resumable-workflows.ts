/**
 * Workflows the local runtime runs in its own process (aws-local-stepfunctions) live in memory: when `npm start`
 * stops (Ctrl-C, SIGTERM, SIGKILL, a crash), their executions are gone while DynamoDB still holds them as running.
 * In AWS, Step Functions keeps executions across any restart; locally, each kind of workflow is resumed on start from
 * what the table holds. Resuming is safe because every step of these workflows is idempotent against the table
 * (the paging engine commits each stage with a conditional write, so a stage is never sent twice), and it honours
 * their timers: the first step of a resumed execution runs at once and does whatever came due while stopped.
 *
 * A new kind of workflow (runbooks) resumes the same way: write keys.activeWorkflow(kind, ...) on the item that starts
 * it, remove them with the write that ends it, and add an entry here (local/runtime.ts passes the list).
 */
export interface ResumableWorkflow {
  /** What it is, for the log line ("engagement"). */
  kind: string;
  /** The ids of the executions the table holds as running. */
  running(): Promise<string[]>;
  /** Starts the execution of one id again; must do nothing when it already runs. */
  resume(id: string): Promise<void>;
}

/** Resumes every running execution of every kind; returns how many of each, and logs a line when there were any. */
export async function resumeWorkflows(
  workflows: readonly ResumableWorkflow[],
  log: (line: string) => void,
): Promise<Record<string, number>> {
  const resumed: Record<string, number> = {};
  for (const workflow of workflows) {
    const ids = await workflow.running();
    for (const id of ids) await workflow.resume(id);
    resumed[workflow.kind] = ids.length;
    if (ids.length)
      log(
        `Resumed ${ids.length} ${workflow.kind}${ids.length === 1 ? '' : 's'} that ${ids.length === 1 ? 'was' : 'were'} running when the local Incident Manager last stopped.`,
      );
  }
  return resumed;
}
