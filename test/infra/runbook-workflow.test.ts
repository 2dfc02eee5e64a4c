/**
 * Runbooks in the synthesized template: the runbook state machine from state-machines/runbook.asl.json with the
 * shared substitutions; the EventBridge rule on SSM's two automation status-change detail-types with a dead-letter
 * queue; least-privilege IAM (no wildcard action anywhere; iam:PassRole only on the operator's runbook-role prefix and
 * only to SSM; task tokens completable only on this state machine); the starter binding and the view's read grant.
 */
import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTOMATION_DETAIL_TYPES } from '../../lambdas/core/runbooks/model.ts';
import { ENV } from '../../lambdas/runtime/environment.ts';
import { placeholdersOf, RUNBOOK_WORKFLOW } from '../../lambdas/runtime/workflows.ts';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';
import { defaultStack } from '../support/default-stack.ts';

type Resource = { Type: string; Properties?: Record<string, any> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const synth = (context: Record<string, unknown> = {}, extra?: (stack: IncidentManagerStack) => void) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new IncidentManagerStack(app, 'Test');
  extra?.(stack);
  return Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
};

let resources: Record<string, Resource>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const one = <T>(list: T[], what: string): T => {
  expect(list, what).toHaveLength(1);
  return list[0]!;
};
const machine = () =>
  one(
    ofType('AWS::StepFunctions::StateMachine').filter(([id]) => id.startsWith('Runbooks')),
    'runbook state machine',
  );
const functionId = (prefix: string) =>
  one(
    ofType('AWS::Lambda::Function').filter(([id]) => id.startsWith(prefix)),
    prefix,
  )[0];
const roleOfFunction = (id: string) =>
  (resources[id]!.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
const statementsOfRole = (roleId: string): Statement[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as Statement[]);
const machineRole = () => machine()[1].Properties!.RoleArn['Fn::GetAtt'][0] as string;
const withAction = (statements: Statement[], prefix: string) =>
  statements.filter((s) => asList(s.Action).some((a) => a.startsWith(prefix)));

beforeAll(() => {
  ({ resources } = defaultStack());
});

describe('runbook state machine', () => {
  it('is a Standard workflow with the ASL file inlined and the worker ARN substituted', () => {
    const [, sm] = machine();
    expect(sm.Properties!.StateMachineType).toBe('STANDARD');
    expect(JSON.parse(sm.Properties!.DefinitionString)).toEqual(
      JSON.parse(readFileSync(RUNBOOK_WORKFLOW.file, 'utf8')),
    );
    expect(Object.keys(sm.Properties!.DefinitionSubstitutions).sort()).toEqual(
      placeholdersOf(sm.Properties!.DefinitionString).sort(),
    );
    expect(sm.Properties!.DefinitionSubstitutions.RunbookWorkerArn).toEqual({
      'Fn::GetAtt': [functionId('RunbooksWorker'), 'Arn'],
    });
    expect(sm.Properties!.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.Properties!.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
  });

  it('may invoke exactly the worker and start automations of this account and Region (and AWS-owned runbooks)', () => {
    const statements = statementsOfRole(machineRole());
    expect(withAction(statements, 'lambda:')).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [functionId('RunbooksWorker'), 'Arn'] },
      },
    ]);
    const start = one(withAction(statements, 'ssm:'), 'ssm statements');
    expect(start.Action).toBe('ssm:StartAutomationExecution');
    const resourcesText = JSON.stringify(start.Resource);
    expect(resourcesText).toContain(':automation-definition/*');
    expect(resourcesText).toContain('{"Ref":"AWS::AccountId"}');
  });

  it('passes to SSM only the runbook roles under the default prefix, with iam:PassedToService', () => {
    const pass = one(withAction(statementsOfRole(machineRole()), 'iam:'), 'iam statements');
    expect(pass.Action).toBe('iam:PassRole');
    expect(pass.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } });
    expect(JSON.stringify(pass.Resource)).toMatch(/:role\/IncidentRunbook\*"\]\]\}$/);
  });

  it('takes the runbook role prefix (a path or a name prefix) from cdk context, and refuses a wildcard', () => {
    resources = synth({ runbookRolePrefix: 'incident-runbooks/' });
    const pass = one(withAction(statementsOfRole(machineRole()), 'iam:'), 'iam statements');
    expect(JSON.stringify(pass.Resource)).toMatch(/:role\/incident-runbooks\/\*"\]\]\}$/);
    expect(() => synth({ runbookRolePrefix: '*' })).toThrow(/runbookRolePrefix/);
    expect(() => synth({ runbookRolePrefix: '/incident-runbooks/' })).toThrow(/leading slash/);
    ({ resources } = defaultStack());
  });

  it('passes the multi-account administration role too only when IMPACTED_ACCOUNT runs are enabled', () => {
    const crossAccount = synth({ runbookCrossAccount: 'true' });
    const smId = Object.entries(crossAccount).find(
      ([id, r]) => r.Type === 'AWS::StepFunctions::StateMachine' && id.startsWith('Runbooks'),
    )![0];
    const roleId = crossAccount[smId]!.Properties!.RoleArn['Fn::GetAtt'][0];
    const pass = Object.values(crossAccount)
      .filter(
        (r) => r.Type === 'AWS::IAM::Policy' && r.Properties!.Roles.some((x: { Ref: string }) => x.Ref === roleId),
      )
      .flatMap((p) => p.Properties!.PolicyDocument.Statement as Statement[])
      .find((s) => s.Action === 'iam:PassRole')!;
    expect(JSON.stringify(pass.Resource)).toContain('role/AWS-SystemsManager-AutomationAdministrationRole');
  });
});

describe('SSM status-change events', () => {
  it('routes both automation detail-types of aws.ssm to the events handler, with retries for a day and a dead-letter queue', () => {
    const rules = ofType('AWS::Events::Rule').filter(([id]) => id.startsWith('Runbooks'));
    const [, rule] = one(rules, 'runbook rules');
    expect(rule.Properties!.EventPattern).toEqual({ source: ['aws.ssm'], 'detail-type': [...AUTOMATION_DETAIL_TYPES] });
    const target = one(rule.Properties!.Targets as Record<string, any>[], 'targets');
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [functionId('RunbooksStatusEvents'), 'Arn'] });
    expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 });
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/^RunbooksDeadLetterQueue/);
  });

  it('lets EventBridge invoke the handler for this rule only', () => {
    const permissions = ofType('AWS::Lambda::Permission').filter(([id]) => id.startsWith('Runbooks'));
    const [, permission] = one(permissions, 'runbook invoke permissions');
    expect(permission.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [functionId('RunbooksStatusEvents'), 'Arn'] },
    });
    expect(permission.Properties!.SourceArn['Fn::GetAtt'][0]).toMatch(/^RunbooksAutomationStatusRule/);
  });
});

describe('worker and events handler', () => {
  for (const prefix of ['RunbooksWorker', 'RunbooksStatusEvents']) {
    it(`${prefix}: reads automation executions and completes task tokens of the runbook state machine only`, () => {
      const statements = statementsOfRole(roleOfFunction(functionId(prefix)));
      const tokens = one(withAction(statements, 'states:'), 'states statements');
      expect(tokens).toEqual({ Effect: 'Allow', Action: 'states:SendTaskSuccess', Resource: { Ref: machine()[0] } });
      const reads = withAction(statements, 'ssm:').find((s) =>
        asList(s.Action).includes('ssm:GetAutomationExecution'),
      )!;
      expect([...asList(reads.Action)].sort()).toEqual([
        'ssm:DescribeAutomationStepExecutions',
        'ssm:GetAutomationExecution',
      ]);
      expect(JSON.stringify(reads.Resource)).toContain(':automation-execution/*');
      const fn = resources[functionId(prefix)]!.Properties!;
      expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      expect(Object.keys(fn.Environment.Variables)).toEqual(expect.arrayContaining([ENV.tableName, ENV.accountId]));
    });
  }
});

describe('least privilege across the stack', () => {
  it('grants no wildcard action to any role', () => {
    for (const [id, policy] of ofType('AWS::IAM::Policy'))
      for (const statement of policy.Properties!.PolicyDocument.Statement as Statement[])
        for (const action of asList(statement.Action)) expect(action, id).not.toMatch(/\*/);
  });

  it('lets the incidents API read automation executions (the runbook view), and only the incident reactor start runbooks', () => {
    const api = statementsOfRole(roleOfFunction(functionId('IncidentsApiFunction')));
    expect(
      withAction(api, 'ssm:')
        .flatMap((s) => asList(s.Action))
        .sort(),
    ).toEqual(['ssm:DescribeAutomationStepExecutions', 'ssm:GetAutomationExecution']);
    const starters = ofType('AWS::IAM::Policy').flatMap(([, p]) =>
      (p.Properties!.PolicyDocument.Statement as Statement[]).some(
        (s) => s.Action === 'states:StartExecution' && JSON.stringify(s.Resource).includes(machine()[0]),
      )
        ? (p.Properties!.Roles as { Ref: string }[]).map((r) => r.Ref)
        : [],
    );
    expect(starters).toEqual([roleOfFunction(functionId('IncidentReactorFunction'))]);
  });

  it('bindStarter gives the consumer host RUNBOOK_STATE_MACHINE_ARN and StartExecution on this state machine', () => {
    let host!: LambdaFunction;
    const template = synth({}, (stack) => {
      host = new LambdaFunction(Stack.of(stack), 'StreamConsumer', {
        runtime: Runtime.NODEJS_24_X,
        handler: 'index.handler',
        code: Code.fromInline('export const handler = () => {};'),
      });
      stack.runbooks.bindStarter(host);
    });
    const [hostId, fn] = Object.entries(template).find(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('StreamConsumer'),
    )!;
    const smId = Object.keys(template).find(
      (id) => id.startsWith('RunbooksStateMachine') && template[id]!.Type === 'AWS::StepFunctions::StateMachine',
    )!;
    expect(fn.Properties!.Environment.Variables[ENV.runbookStateMachineArn]).toEqual({ Ref: smId });
    const roleId = fn.Properties!.Role['Fn::GetAtt'][0];
    const statements = Object.values(template)
      .filter(
        (r) => r.Type === 'AWS::IAM::Policy' && r.Properties!.Roles.some((x: { Ref: string }) => x.Ref === roleId),
      )
      .flatMap((p) => p.Properties!.PolicyDocument.Statement as Statement[]);
    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: smId } });
    expect(hostId).toBeTruthy();
  });
});
