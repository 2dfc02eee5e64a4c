/**
 * Paging in the synthesized template: a Standard state machine built from state-machines/engagement.asl.json with the
 * shared substitutions, logging to /aws/vendedlogs/states/ with a retention, traced; a worker bound to the table; the
 * state machine allowed to invoke exactly the worker; the contacts API, incidents API and trigger intake allowed to
 * start and stop exactly this state machine's executions (and nothing else in the stack allowed to).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/runtime/environment.ts';
import { ENGAGEMENT_WORKFLOW, placeholdersOf } from '../../lambdas/runtime/workflows.ts';
import { defaultStack } from '../support/default-stack.ts';

type Resource = { Type: string; Properties?: Record<string, any> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const only = <T>(list: T[], what: string): T => {
  expect(list, what).toHaveLength(1);
  return list[0]!;
};
const stateMachine = () =>
  only(
    ofType('AWS::StepFunctions::StateMachine').filter(([id]) => id.startsWith('Engagements')),
    'engagement state machines',
  );
const functionId = (prefix: string) =>
  only(
    ofType('AWS::Lambda::Function').filter(([id]) => id.startsWith(prefix)),
    prefix,
  )[0];

/** Statements of the policies attached to a role (by the role's logical id). */
const statementsOfRole = (roleId: string): Statement[] =>
  ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties!.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement as Statement[]);
const roleOfFunction = (id: string) =>
  (resources[id]!.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

beforeAll(() => {
  ({ resources } = defaultStack());
});

describe('engagement state machine', () => {
  it('is a Standard workflow with the ASL file inlined and the shared substitutions (the worker function ARN)', () => {
    const [, machine] = stateMachine();
    const props = machine.Properties!;
    expect(props.StateMachineType).toBe('STANDARD');
    expect(JSON.parse(props.DefinitionString)).toEqual(JSON.parse(readFileSync(ENGAGEMENT_WORKFLOW.file, 'utf8')));
    expect(Object.keys(props.DefinitionSubstitutions).sort()).toEqual(placeholdersOf(props.DefinitionString).sort());
    expect(props.DefinitionSubstitutions.EngagementWorkerArn).toEqual({
      'Fn::GetAtt': [functionId('EngagementsWorker'), 'Arn'],
    });
  });

  it('logs every event to a /aws/vendedlogs/states/ log group with a retention, and traces with X-Ray', () => {
    const [, machine] = stateMachine();
    const logging = machine.Properties!.LoggingConfiguration;
    expect(logging).toMatchObject({ Level: 'ALL', IncludeExecutionData: true });
    const groupId = logging.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'][0];
    const group = resources[groupId]!;
    expect(group.Type).toBe('AWS::Logs::LogGroup');
    expect(group.Properties!.LogGroupName).toMatch(/^\/aws\/vendedlogs\/states\/Test-Engagements-[0-9A-F]{8}$/);
    expect(group.Properties!.RetentionInDays).toBe(30);
    expect(machine.Properties!.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('may invoke exactly the worker function, nothing else', () => {
    const [, machine] = stateMachine();
    const roleId = machine.Properties!.RoleArn['Fn::GetAtt'][0];
    const invoke = statementsOfRole(roleId).filter((s) => asList(s.Action).some((a) => a.startsWith('lambda:')));
    expect(invoke).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [functionId('EngagementsWorker'), 'Arn'] },
      },
    ]);
  });
});

describe('engagement worker', () => {
  it('runs on Node 24 / ARM64 with a timeout below the Task timeout, bound to the table', () => {
    const worker = resources[functionId('EngagementsWorker')]!.Properties!;
    expect(worker).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Timeout: 45 });
    expect(Object.keys(worker.Environment.Variables)).toEqual(expect.arrayContaining([ENV.tableName, ENV.accountId]));
    expect(worker.Environment.Variables[ENV.engagementStateMachineArn]).toBeUndefined();
  });
});

describe('who may start and stop paging', () => {
  const [machineId] = [() => stateMachine()[0]];
  /** The role's states: statements about the paging state machine (the reactor also starts runbooks). */
  const statesStatements = (functionPrefix: string) =>
    statementsOfRole(roleOfFunction(functionId(functionPrefix))).filter(
      (s) => asList(s.Action).some((a) => a.startsWith('states:')) && JSON.stringify(s.Resource).includes(machineId()),
    );

  for (const prefix of ['IncidentsApiContactsFunction', 'IncidentReactorFunction']) {
    it(`${prefix}: STATE_MACHINE_ARN, StartExecution on the state machine, StopExecution on its executions`, () => {
      const fn = resources[functionId(prefix)]!.Properties!;
      expect(fn.Environment.Variables[ENV.engagementStateMachineArn]).toEqual({ Ref: machineId() });
      const statements = statesStatements(prefix);
      expect(statements).toHaveLength(2);
      expect(statements[0]).toEqual({
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: { Ref: machineId() },
      });
      expect(statements[1]!.Action).toBe('states:StopExecution');
      const executions = JSON.stringify(statements[1]!.Resource);
      expect(executions).toContain(':states:');
      expect(executions).toContain(':execution:');
      expect(executions).toContain(`"Fn::GetAtt":["${machineId()}","Name"]`);
      expect(executions).toMatch(/:\*"\]\]\}$/);
    });
  }

  it('no other role in the stack has any states: permission on the paging state machine (acknowledge links may only stop paging)', () => {
    const allowed = new Set(
      ['IncidentsApiContactsFunction', 'IncidentReactorFunction', 'AcknowledgeLinksFunction'].map((p) =>
        roleOfFunction(functionId(p)),
      ),
    );
    const machine = stateMachine()[0];
    for (const [id, policy] of ofType('AWS::IAM::Policy')) {
      const states = (policy.Properties!.PolicyDocument.Statement as Statement[]).filter(
        (s) => asList(s.Action).some((a) => a.startsWith('states:')) && JSON.stringify(s.Resource).includes(machine),
      );
      if (states.length === 0) continue;
      for (const role of policy.Properties!.Roles as { Ref: string }[]) expect(allowed.has(role.Ref), id).toBe(true);
    }
  });
});
