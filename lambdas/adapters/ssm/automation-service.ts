/**
 * The AutomationService port on Systems Manager (@aws-sdk/client-ssm): the real SSM in AWS, the local Automation
 * engine locally (the same client pointed at the local endpoint). GetAutomationExecution gives the execution and its
 * steps; when SSM truncates the step list, DescribeAutomationStepExecutions pages through all of them.
 */
import {
  AutomationExecutionNotFoundException,
  DescribeAutomationStepExecutionsCommand,
  GetAutomationExecutionCommand,
  GetDocumentCommand,
  type SSMClient,
  type AutomationExecution as SsmAutomationExecution,
  type StepExecution,
} from '@aws-sdk/client-ssm';
import type { AutomationExecution, AutomationService, AutomationStep } from '#core/runbooks/model.ts';
import { roleParameterOf } from '#core/runbooks/workflow.ts';

const millis = (date: Date | undefined) => (date ? date.getTime() : undefined);

const stepOf = (step: StepExecution): AutomationStep =>
  Object.fromEntries(
    Object.entries({
      stepExecutionId: step.StepExecutionId ?? '',
      stepName: step.StepName ?? '',
      action: step.Action ?? '',
      status: step.StepStatus ?? 'Pending',
      startTime: millis(step.ExecutionStartTime),
      endTime: millis(step.ExecutionEndTime),
      inputs: step.Inputs,
      outputs: step.Outputs,
      failureMessage: step.FailureMessage,
      onFailure: step.OnFailure,
      isEnd: step.IsEnd,
      isCritical: step.IsCritical,
      nextStep: step.NextStep,
    }).filter(([, v]) => v !== undefined),
  ) as unknown as AutomationStep;

export class SsmAutomationService implements AutomationService {
  constructor(private readonly client: SSMClient) {}

  async getExecution(executionId: string): Promise<AutomationExecution | undefined> {
    let found: SsmAutomationExecution | undefined;
    try {
      found = (await this.client.send(new GetAutomationExecutionCommand({ AutomationExecutionId: executionId })))
        .AutomationExecution;
    } catch (error) {
      if (error instanceof AutomationExecutionNotFoundException) return undefined;
      throw error;
    }
    if (!found) return undefined;
    let steps = found.StepExecutions ?? [];
    if (found.StepExecutionsTruncated) {
      steps = [];
      let NextToken: string | undefined;
      do {
        const page = await this.client.send(
          new DescribeAutomationStepExecutionsCommand({
            AutomationExecutionId: executionId,
            NextToken,
            MaxResults: 50,
          }),
        );
        steps.push(...(page.StepExecutions ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
    }
    return Object.fromEntries(
      Object.entries({
        executionId,
        documentName: found.DocumentName ?? '',
        documentVersion: found.DocumentVersion,
        status: found.AutomationExecutionStatus ?? 'Pending',
        startTime: millis(found.ExecutionStartTime),
        endTime: millis(found.ExecutionEndTime),
        failureMessage: found.FailureMessage,
        currentStepName: found.CurrentStepName,
        parameters: found.Parameters,
        outputs: found.Outputs,
        steps: steps.map(stepOf),
      }).filter(([, v]) => v !== undefined),
    ) as unknown as AutomationExecution;
  }

  async documentRole(name: string, version?: string) {
    try {
      const { Content } = await this.client.send(
        new GetDocumentCommand({ Name: name, DocumentVersion: version, DocumentFormat: 'JSON' }),
      );
      const document = JSON.parse(Content ?? '{}') as { assumeRole?: unknown; parameters?: Record<string, unknown> };
      const roleParameter = roleParameterOf(document.assumeRole);
      const parameters = Object.keys(document.parameters ?? {});
      return { ...(roleParameter && parameters.includes(roleParameter) ? { roleParameter } : {}), parameters };
    } catch {
      // Not found, not readable, not JSON: StartAutomationExecution will say what is wrong, on the timeline.
      return undefined;
    }
  }
}
