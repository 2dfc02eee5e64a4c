/**
 * The runbook workflow in AWS: StartExecution of the runbook state machine, named `<incident id>-<action index>` (a
 * name already used means the runbook was already started: nothing happens), and SendTaskSuccess to end the wait of
 * an execution that follows a runbook (a token that no longer waits, because its execution ended or timed out and
 * waits again with a new token, is ignored).
 */
import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { RunbookOutcome, RunbookWorkflow, RunbookWorkflowInput, TaskTokens } from '#core/runbooks/model.ts';

export class StepFunctionsRunbookWorkflow implements RunbookWorkflow, TaskTokens {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string | undefined,
  ) {}

  async start(name: string, input: RunbookWorkflowInput): Promise<void> {
    if (!this.stateMachineArn)
      throw new Error('RUNBOOK_STATE_MACHINE_ARN is not set: this function cannot start runbooks.');
    try {
      await this.client.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
      );
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return;
      throw error;
    }
  }

  async succeed(token: string, output: RunbookOutcome): Promise<void> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken) return;
      throw error;
    }
  }
}
