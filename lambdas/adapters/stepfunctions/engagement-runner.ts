/**
 * The EngagementRunner in AWS: one Standard execution of the engagement state machine per root engagement, named by
 * the engagement id. StartExecution with a name already used is how Step Functions makes a start idempotent: for a
 * running execution with the same input it answers with that execution; for a closed one ExecutionAlreadyExists,
 * which here also means "already started" (an engagement runs once).
 */
import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { EngagementRunner } from '#core/contacts/engagements/model.ts';

/** `arn:aws:states:<region>:<account>:stateMachine:<name>` -> `...:execution:<name>:<execution name>` */
export const executionArnOf = (stateMachineArn: string, executionName: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;

export class StepFunctionsEngagementRunner implements EngagementRunner {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(rootEngagementId: string): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: rootEngagementId,
          input: JSON.stringify({ engagementId: rootEngagementId }),
        }),
      );
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return;
      throw error;
    }
  }

  async stop(rootEngagementId: string, reason: string): Promise<void> {
    try {
      await this.client.send(
        new StopExecutionCommand({
          executionArn: executionArnOf(this.stateMachineArn, rootEngagementId),
          error: 'EngagementStopped',
          cause: reason.slice(0, 32_768),
        }),
      );
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return;
      throw error;
    }
  }
}
