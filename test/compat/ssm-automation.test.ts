/**
 * The local `ssm` endpoint through the official @aws-sdk/client-ssm: every document and automation operation, with
 * the modelled errors; and the engine's flow rules end to end (pause/resume, approve/reject, branch, executeScript,
 * executeAwsApi to this runtime, onFailure Abort/Continue/step:X, isCritical, maxAttempts, timeouts, isEnd, cancel,
 * unsupported actions). Runbook time runs 10,000 times faster (LOCAL_TIME_SCALE), so nothing here sleeps.
 */
import {
  CreateDocumentCommand,
  DeleteDocumentCommand,
  DescribeAutomationExecutionsCommand,
  DescribeAutomationStepExecutionsCommand,
  DescribeDocumentCommand,
  GetAutomationExecutionCommand,
  GetDocumentCommand,
  ListDocumentsCommand,
  SendAutomationSignalCommand,
  type SSMClient,
  StartAutomationExecutionCommand,
  StopAutomationExecutionCommand,
  UpdateDocumentCommand,
  UpdateDocumentDefaultVersionCommand,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { createDocument, eventually, execution, uniqueName, waitForStatus } from './runbooks-helpers.ts';

let runtime: TestRuntime;
let ssm: SSMClient;

beforeAll(async () => {
  runtime = await startTestRuntime({ timeScale: 10_000 });
  ssm = runtime.ssmClient('alice');
});
afterAll(async () => runtime?.stop());

const rejects = async (promise: Promise<unknown>, name: string, message?: RegExp) => {
  const error = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error?.name).toBe(name);
  if (message) expect(error?.message).toMatch(message);
  return error as Error & { $metadata: { httpStatusCode?: number } };
};

const start = async (name: string, parameters: Record<string, string[]> = {}, token?: string) =>
  (
    await ssm.send(
      new StartAutomationExecutionCommand({
        DocumentName: name,
        Parameters: parameters,
        ...(token ? { ClientToken: token } : {}),
      }),
    )
  ).AutomationExecutionId!;

const run = async (
  content: string,
  parameters: Record<string, string[]> = {},
  status: string[] = ['Success', 'Failed', 'TimedOut', 'Cancelled'],
) => {
  const id = await start(await createDocument(runtime, content), parameters);
  return waitForStatus(runtime, id, status);
};

const steps = (found: Awaited<ReturnType<typeof execution>>) =>
  found.StepExecutions!.map((s) => [s.StepName, s.StepStatus]);

const PAUSE = `
schemaVersion: '0.3'
parameters:
  Who: { type: String, default: world }
outputs: [Greet.Text]
mainSteps:
  - name: Wait
    action: aws:pause
    inputs: {}
  - name: Greet
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: main
      Script: |-
        def main(events, context):
          return {"text": "hello " + events["who"], "n": 3}
      InputPayload: { who: '{{ Who }}' }
    outputs:
      - { Name: Text, Selector: $.Payload.text, Type: String }
      - { Name: N, Selector: $.Payload.n, Type: Integer }
`;

describe('documents', () => {
  it('creates a document from YAML or JSON, version 1, Active, and returns it in either format', async () => {
    const name = uniqueName('doc');
    const created = await ssm.send(
      new CreateDocumentCommand({
        Name: name,
        Content: PAUSE,
        DocumentType: 'Automation',
        DocumentFormat: 'YAML',
        VersionName: 'first',
      }),
    );
    expect(created.DocumentDescription).toMatchObject({
      Name: name,
      Status: 'Active',
      DocumentVersion: '1',
      LatestVersion: '1',
      DefaultVersion: '1',
      DocumentType: 'Automation',
      SchemaVersion: '0.3',
      DocumentFormat: 'YAML',
      VersionName: 'first',
      HashType: 'Sha256',
      Owner: '111122223333',
    });
    expect(created.DocumentDescription!.CreatedDate).toBeInstanceOf(Date);
    expect(created.DocumentDescription!.Parameters).toEqual([{ Name: 'Who', Type: 'String', DefaultValue: 'world' }]);
    const asYaml = await ssm.send(new GetDocumentCommand({ Name: name }));
    expect(asYaml.Content).toBe(PAUSE);
    const asJson = await ssm.send(new GetDocumentCommand({ Name: name, DocumentFormat: 'JSON' }));
    expect(JSON.parse(asJson.Content!).mainSteps.map((s: { name: string }) => s.name)).toEqual(['Wait', 'Greet']);
    const byArn = await ssm.send(
      new GetDocumentCommand({ Name: `arn:aws:ssm:us-east-1:111122223333:document/${name}` }),
    );
    expect(byArn.Name).toBe(name);
    const jsonName = uniqueName('json');
    await ssm.send(new CreateDocumentCommand({ Name: jsonName, Content: asJson.Content!, DocumentType: 'Automation' }));
    expect((await ssm.send(new DescribeDocumentCommand({ Name: jsonName }))).Document!.DocumentFormat).toBe('JSON');
  });

  it('refuses invalid content with the modelled errors and writes nothing', async () => {
    const name = uniqueName('bad');
    const create = (Content: string, extra: object = {}) =>
      ssm.send(
        new CreateDocumentCommand({
          Name: name,
          Content,
          DocumentType: 'Automation',
          DocumentFormat: 'YAML',
          ...extra,
        }),
      );
    const error = await rejects(
      create("schemaVersion: '0.3'\nmainSteps: [{name: A, action: 'aws:teleport', inputs: {}}]"),
      'InvalidDocumentContent',
      /unknown action 'aws:teleport'/,
    );
    expect(error.$metadata.httpStatusCode).toBe(400);
    await rejects(create("schemaVersion: '2.2'\nmainSteps: []"), 'InvalidDocumentSchemaVersion');
    await rejects(
      create(`schemaVersion: '0.3'\ndescription: ${'x'.repeat(70_000)}\nmainSteps: []`),
      'MaxDocumentSizeExceeded',
    );
    await rejects(create('{{{'), 'InvalidDocumentContent');
    await rejects(
      create(PAUSE, { DocumentType: undefined }),
      'InvalidDocumentSchemaVersion',
      /DocumentType Automation/,
    );
    await rejects(
      ssm.send(
        new CreateDocumentCommand({
          Name: 'AWS-Mine',
          Content: PAUSE,
          DocumentType: 'Automation',
          DocumentFormat: 'YAML',
        }),
      ),
      'ValidationException',
      /may not start with aws/,
    );
    await rejects(ssm.send(new GetDocumentCommand({ Name: name })), 'InvalidDocument', /does not exist/);
  });

  it('refuses a second document with the same name', async () => {
    const name = await createDocument(runtime, PAUSE);
    await rejects(
      ssm.send(
        new CreateDocumentCommand({ Name: name, Content: PAUSE, DocumentType: 'Automation', DocumentFormat: 'YAML' }),
      ),
      'DocumentAlreadyExists',
    );
  });

  it('updates to a new version, moves the default only when asked, and refuses duplicates', async () => {
    const name = await createDocument(runtime, PAUSE);
    const changed = PAUSE.replace('default: world', 'default: team');
    const updated = await ssm.send(
      new UpdateDocumentCommand({ Name: name, Content: changed, DocumentFormat: 'YAML', DocumentVersion: '$LATEST' }),
    );
    expect(updated.DocumentDescription).toMatchObject({
      DocumentVersion: '2',
      LatestVersion: '2',
      DefaultVersion: '1',
    });
    await rejects(
      ssm.send(new UpdateDocumentCommand({ Name: name, Content: changed, DocumentFormat: 'YAML' })),
      'DuplicateDocumentContent',
    );
    await rejects(
      ssm.send(new UpdateDocumentCommand({ Name: name, Content: PAUSE, DocumentFormat: 'YAML', DocumentVersion: '1' })),
      'InvalidDocumentVersion',
    );
    expect((await ssm.send(new GetDocumentCommand({ Name: name }))).DocumentVersion).toBe('1');
    expect((await ssm.send(new GetDocumentCommand({ Name: name, DocumentVersion: '$LATEST' }))).DocumentVersion).toBe(
      '2',
    );
    const moved = await ssm.send(new UpdateDocumentDefaultVersionCommand({ Name: name, DocumentVersion: '2' }));
    expect(moved.Description).toMatchObject({ Name: name, DefaultVersion: '2' });
    const found = await execution(runtime, await start(name));
    expect(found.DocumentVersion).toBe('2');
    expect(found.Parameters).toEqual({ Who: ['team'] });
    await ssm.send(new StopAutomationExecutionCommand({ AutomationExecutionId: found.AutomationExecutionId }));
  });

  it('lists documents with Owner and Name filters and pages, the Amazon-owned template included', async () => {
    const prefix = uniqueName('listed');
    for (const n of [1, 2, 3]) await createDocument(runtime, PAUSE, `${prefix}-${n}`);
    const page1 = await ssm.send(
      new ListDocumentsCommand({
        Filters: [
          { Key: 'Name', Values: [prefix] },
          { Key: 'Owner', Values: ['Self'] },
        ],
        MaxResults: 2,
      }),
    );
    expect(page1.DocumentIdentifiers!.map((d) => d.Name)).toEqual([`${prefix}-1`, `${prefix}-2`]);
    const page2 = await ssm.send(
      new ListDocumentsCommand({
        Filters: [{ Key: 'Name', Values: [prefix] }],
        MaxResults: 2,
        NextToken: page1.NextToken,
      }),
    );
    expect(page2.DocumentIdentifiers!.map((d) => d.Name)).toEqual([`${prefix}-3`]);
    expect(page2.NextToken).toBeUndefined();
    const amazon = await ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Owner', Values: ['Amazon'] }] }));
    expect(amazon.DocumentIdentifiers!.map((d) => [d.Name, d.Owner])).toEqual([
      ['AWSIncidents-CriticalIncidentRunbookTemplate', 'Amazon'],
    ]);
    await rejects(
      ssm.send(new ListDocumentsCommand({ Filters: [{ Key: 'Colour', Values: ['x'] }] })),
      'InvalidFilterKey',
    );
    await rejects(ssm.send(new ListDocumentsCommand({ NextToken: 'zzzzzz' })), 'InvalidNextToken');
  });

  it('deletes a document, or one version that is not the default; Amazon documents are read-only', async () => {
    const name = await createDocument(runtime, PAUSE);
    await ssm.send(
      new UpdateDocumentCommand({ Name: name, Content: `${PAUSE}\n`.replace('world', 'x'), DocumentFormat: 'YAML' }),
    );
    await rejects(
      ssm.send(new DeleteDocumentCommand({ Name: name, DocumentVersion: '1' })),
      'InvalidDocumentOperation',
    );
    await ssm.send(new DeleteDocumentCommand({ Name: name, DocumentVersion: '2' }));
    expect((await ssm.send(new DescribeDocumentCommand({ Name: name }))).Document!.LatestVersion).toBe('1');
    await ssm.send(new DeleteDocumentCommand({ Name: name }));
    await rejects(ssm.send(new GetDocumentCommand({ Name: name })), 'InvalidDocument');
    await rejects(ssm.send(new DeleteDocumentCommand({ Name: name })), 'InvalidDocument');
    await rejects(
      ssm.send(new DeleteDocumentCommand({ Name: 'AWSIncidents-CriticalIncidentRunbookTemplate' })),
      'InvalidDocumentOperation',
    );
  });
});

describe('automation executions', () => {
  it('runs pause -> Resume -> script, with typed outputs, every step listed from the start', async () => {
    const name = await createDocument(runtime, PAUSE);
    const id = await start(name, { Who: ['on-call'] });
    const waiting = await waitForStatus(runtime, id, 'Waiting');
    expect(steps(waiting)).toEqual([
      ['Wait', 'Waiting'],
      ['Greet', 'Pending'],
    ]);
    expect(waiting).toMatchObject({ CurrentStepName: 'Wait', CurrentAction: 'aws:pause', Mode: 'Auto' });
    expect(waiting.ExecutedBy).toBe('arn:aws:iam::111122223333:user/alice');
    expect(waiting.Outputs).toEqual({
      'Greet.Text': ['No output available yet because the step is not successfully executed'],
    });
    await rejects(
      ssm.send(new SendAutomationSignalCommand({ AutomationExecutionId: id, SignalType: 'Resume' })),
      'InvalidAutomationSignalException',
      /StepName/,
    );
    await rejects(
      ssm.send(
        new SendAutomationSignalCommand({
          AutomationExecutionId: id,
          SignalType: 'Resume',
          Payload: { StepName: ['Nope'] },
        }),
      ),
      'AutomationStepNotFoundException',
    );
    await rejects(
      ssm.send(new SendAutomationSignalCommand({ AutomationExecutionId: id, SignalType: 'Approve' })),
      'InvalidAutomationSignalException',
    );
    await ssm.send(
      new SendAutomationSignalCommand({
        AutomationExecutionId: id,
        SignalType: 'Resume',
        Payload: { StepName: ['Wait'] },
      }),
    );
    const done = await waitForStatus(runtime, id, ['Success', 'Failed']);
    expect(done.AutomationExecutionStatus).toBe('Success');
    expect(done.Outputs).toEqual({ 'Greet.Text': ['hello on-call'] });
    const greet = done.StepExecutions![1]!;
    expect(greet.Outputs).toMatchObject({ Text: ['hello on-call'], N: ['3'] });
    expect(greet.Inputs!.InputPayload).toBe('{"who":"on-call"}');
    expect(greet.ExecutionStartTime!.getTime()).toBeLessThanOrEqual(greet.ExecutionEndTime!.getTime());
  });

  it('refuses bad starts with the modelled errors', async () => {
    const name = await createDocument(
      runtime,
      `schemaVersion: '0.3'
parameters:
  Count: { type: Integer }
  Env: { type: String, default: Prod, allowedValues: [Prod, Dev] }
mainSteps: [{ name: A, action: 'aws:sleep', inputs: { Duration: PT1S } }]`,
    );
    await rejects(
      ssm.send(new StartAutomationExecutionCommand({ DocumentName: uniqueName('none') })),
      'AutomationDefinitionNotFoundException',
    );
    await rejects(
      ssm.send(new StartAutomationExecutionCommand({ DocumentName: name, DocumentVersion: '9' })),
      'AutomationDefinitionVersionNotFoundException',
    );
    const bad = 'InvalidAutomationExecutionParametersException';
    await rejects(ssm.send(new StartAutomationExecutionCommand({ DocumentName: name })), bad, /Count is required/);
    await rejects(
      ssm.send(new StartAutomationExecutionCommand({ DocumentName: name, Parameters: { Count: ['x'] } })),
      bad,
      /Integer/,
    );
    await rejects(
      ssm.send(new StartAutomationExecutionCommand({ DocumentName: name, Parameters: { Count: ['1'], Extra: ['x'] } })),
      bad,
      /not defined/,
    );
    await rejects(
      ssm.send(
        new StartAutomationExecutionCommand({ DocumentName: name, Parameters: { Count: ['1'], Env: ['Test'] } }),
      ),
      bad,
      /allowed values/,
    );
    await rejects(
      ssm.send(
        new StartAutomationExecutionCommand({ DocumentName: name, Parameters: { Count: ['1'] }, Mode: 'Interactive' }),
      ),
      bad,
      /Auto mode/,
    );
    await rejects(
      ssm.send(
        new StartAutomationExecutionCommand({
          DocumentName: name,
          Parameters: { Count: ['1'] },
          TargetLocations: [{ Accounts: ['222233334444'], Regions: ['us-east-1'] }],
        }),
      ),
      bad,
      /multi-account/,
    );
    await rejects(
      ssm.send(
        new StartAutomationExecutionCommand({
          DocumentName: name,
          Parameters: { Count: ['1'] },
          ClientToken: 'not-a-uuid',
        }),
      ),
      'ValidationException',
    );
    await rejects(
      ssm.send(new GetAutomationExecutionCommand({ AutomationExecutionId: crypto.randomUUID() })),
      'AutomationExecutionNotFoundException',
    );
  });

  it('answers a repeated ClientToken with the first execution, and other parameters with IdempotentParameterMismatch', async () => {
    const name = await createDocument(runtime, PAUSE);
    const token = crypto.randomUUID();
    const first = await start(name, { Who: ['a'] }, token);
    expect(await start(name, { Who: ['a'] }, token.toUpperCase())).toBe(first);
    await rejects(start(name, { Who: ['b'] }, token), 'IdempotentParameterMismatch');
    await ssm.send(new StopAutomationExecutionCommand({ AutomationExecutionId: first }));
  });

  it('cancels a running execution (the running step Cancelled, the rest Pending) and refuses to stop it twice', async () => {
    const id = await start(await createDocument(runtime, PAUSE));
    await waitForStatus(runtime, id, 'Waiting');
    await ssm.send(new StopAutomationExecutionCommand({ AutomationExecutionId: id }));
    const cancelled = await waitForStatus(runtime, id, 'Cancelled');
    expect(steps(cancelled)).toEqual([
      ['Wait', 'Cancelled'],
      ['Greet', 'Pending'],
    ]);
    await rejects(
      ssm.send(new StopAutomationExecutionCommand({ AutomationExecutionId: id })),
      'InvalidAutomationStatusUpdateException',
    );
    await rejects(
      ssm.send(
        new SendAutomationSignalCommand({
          AutomationExecutionId: id,
          SignalType: 'Resume',
          Payload: { StepName: ['Wait'] },
        }),
      ),
      'InvalidAutomationSignalException',
    );
  });

  it('describes executions with filters and step executions with filters and order', async () => {
    const name = await createDocument(runtime, PAUSE);
    const id = await start(name);
    await waitForStatus(runtime, id, 'Waiting');
    const listed = await ssm.send(
      new DescribeAutomationExecutionsCommand({
        Filters: [
          { Key: 'DocumentNamePrefix', Values: [name] },
          { Key: 'ExecutionStatus', Values: ['Waiting'] },
        ],
      }),
    );
    expect(
      listed.AutomationExecutionMetadataList!.map((e) => [
        e.AutomationExecutionId,
        e.AutomationType,
        e.CurrentStepName,
      ]),
    ).toEqual([[id, 'Local', 'Wait']]);
    await rejects(
      ssm.send(new DescribeAutomationExecutionsCommand({ Filters: [{ Key: 'ExecutionStatus', Values: ['Sleepy'] }] })),
      'InvalidFilterValue',
    );
    await rejects(
      ssm.send(new DescribeAutomationExecutionsCommand({ Filters: [{ Key: 'Colour' as never, Values: ['x'] }] })),
      'InvalidFilterKey',
    );
    const all = await ssm.send(new DescribeAutomationStepExecutionsCommand({ AutomationExecutionId: id }));
    expect(all.StepExecutions!.map((s) => s.StepName)).toEqual(['Wait', 'Greet']);
    const waiting = await ssm.send(
      new DescribeAutomationStepExecutionsCommand({
        AutomationExecutionId: id,
        Filters: [{ Key: 'StepExecutionStatus', Values: ['Waiting'] }],
      }),
    );
    expect(waiting.StepExecutions!.map((s) => s.StepName)).toEqual(['Wait']);
    const reversed = await ssm.send(
      new DescribeAutomationStepExecutionsCommand({ AutomationExecutionId: id, ReverseOrder: true, MaxResults: 1 }),
    );
    expect(reversed.StepExecutions!.map((s) => s.StepName)).toEqual(['Greet']);
    expect(reversed.NextToken).toBeDefined();
    await ssm.send(new StopAutomationExecutionCommand({ AutomationExecutionId: id }));
  });
});

describe('flow rules', () => {
  it('approves with the minimum number of distinct approvers, recording their decisions', async () => {
    const name = await createDocument(
      runtime,
      `schemaVersion: '0.3'
outputs: [Gate.ApprovalStatus]
mainSteps:
  - name: Gate
    action: aws:approve
    inputs: { Approvers: [alice, 'arn:aws:iam::111122223333:user/bob'], MinRequiredApprovals: 2, Message: Ship it? }
`,
    );
    const id = await start(name);
    await waitForStatus(runtime, id, 'Waiting');
    await rejects(
      runtime
        .ssmClient('mallory')
        .send(new SendAutomationSignalCommand({ AutomationExecutionId: id, SignalType: 'Approve' })),
      'InvalidAutomationSignalException',
      /not an approver/,
    );
    await ssm.send(
      new SendAutomationSignalCommand({
        AutomationExecutionId: id,
        SignalType: 'Approve',
        Payload: { Comment: ['ok'] },
      }),
    );
    await rejects(
      ssm.send(new SendAutomationSignalCommand({ AutomationExecutionId: id, SignalType: 'Approve' })),
      'InvalidAutomationSignalException',
      /already decided/,
    );
    expect((await execution(runtime, id)).AutomationExecutionStatus).toBe('Waiting');
    await runtime
      .ssmClient('bob')
      .send(new SendAutomationSignalCommand({ AutomationExecutionId: id, SignalType: 'Approve' }));
    const done = await waitForStatus(runtime, id, ['Success', 'Failed']);
    expect(done.AutomationExecutionStatus).toBe('Success');
    expect(done.Outputs).toEqual({ 'Gate.ApprovalStatus': ['Approved'] });
    const decisions = done.StepExecutions![0]!.Outputs!.ApproverDecisions!.map((d) => JSON.parse(d));
    expect(decisions.map((d: { Approver: string; Decision: string }) => [d.Approver, d.Decision])).toEqual([
      ['arn:aws:iam::111122223333:user/alice', 'Approved'],
      ['arn:aws:iam::111122223333:user/bob', 'Approved'],
    ]);
    expect(decisions[0].Comment).toBe('ok');
  });

  it('rejects: the approval step fails with the reason and onFailure sends the run to its rollback step', async () => {
    const name = await createDocument(
      runtime,
      `schemaVersion: '0.3'
mainSteps:
  - name: Gate
    action: aws:approve
    onFailure: step:Rollback
    inputs: { Approvers: [alice] }
  - name: Deploy
    action: aws:sleep
    isEnd: true
    inputs: { Duration: PT1S }
  - name: Rollback
    action: aws:sleep
    inputs: { Duration: PT1S }
`,
    );
    const id = await start(name);
    await waitForStatus(runtime, id, 'Waiting');
    await ssm.send(
      new SendAutomationSignalCommand({
        AutomationExecutionId: id,
        SignalType: 'Reject',
        Payload: { Comment: ['not now'] },
      }),
    );
    const done = await waitForStatus(runtime, id, ['Success', 'Failed']);
    expect(steps(done)).toEqual([
      ['Gate', 'Failed'],
      ['Deploy', 'Pending'],
      ['Rollback', 'Success'],
    ]);
    expect(done.StepExecutions![0]!.FailureMessage).toMatch(
      /rejected by arn:aws:iam::111122223333:user\/alice: not now/,
    );
    // Gate is critical (onFailure step:X keeps it so): the run still ends Failed.
    expect(done.AutomationExecutionStatus).toBe('Failed');
  });

  it('branches on an earlier output; the skipped branch stays Pending', async () => {
    const done = await run(
      `schemaVersion: '0.3'
parameters:
  Env: { type: String }
mainSteps:
  - name: Check
    action: aws:executeScript
    inputs:
      Runtime: python3.11
      Handler: main
      Script: "def main(events, context):\\n  return {'env': events['env'].lower()}"
      InputPayload: { env: '{{ Env }}' }
    outputs: [{ Name: Env, Selector: $.Payload.env, Type: String }]
  - name: Choose
    action: aws:branch
    inputs:
      Choices:
        - { NextStep: Prod, Variable: '{{ Check.Env }}', StringEquals: prod }
      Default: Other
  - name: Prod
    action: aws:sleep
    isEnd: true
    inputs: { Duration: PT1S }
  - name: Other
    action: aws:sleep
    inputs: { Duration: PT1S }
`,
      { Env: ['PROD'] },
    );
    expect(done.AutomationExecutionStatus).toBe('Success');
    expect(steps(done)).toEqual([
      ['Check', 'Success'],
      ['Choose', 'Success'],
      ['Prod', 'Success'],
      ['Other', 'Pending'],
    ]);
  });

  it('fails a script step with the exception, retries it maxAttempts times, then aborts the run', async () => {
    const done = await run(`schemaVersion: '0.3'
mainSteps:
  - name: Boom
    action: aws:executeScript
    maxAttempts: 2
    inputs:
      Runtime: python3.11
      Handler: main
      Script: "def main(events, context):\\n  raise ValueError('disk full')"
  - name: Never
    action: aws:sleep
    inputs: { Duration: PT1S }
`);
    expect(done.AutomationExecutionStatus).toBe('Failed');
    expect(steps(done)).toEqual([
      ['Boom', 'Failed'],
      ['Never', 'Pending'],
    ]);
    expect(done.StepExecutions![0]!.FailureMessage).toMatch(/ValueError - disk full/);
    expect(done.FailureMessage).toMatch(/^Step Boom failed maximum allowed times\. ValueError - disk full/);
  });

  it('Continue goes on after a failure and ends Success (the step is not critical); isCritical: true ends Failed', async () => {
    const failing = (extra: string) => `schemaVersion: '0.3'
mainSteps:
  - name: Unsupported
    action: aws:runCommand
    onFailure: Continue
    ${extra}
    inputs: { DocumentName: AWS-RunShellScript }
  - name: After
    action: aws:sleep
    inputs: { Duration: PT1S }
`;
    const soft = await run(failing(''));
    expect(soft.AutomationExecutionStatus).toBe('Success');
    expect(steps(soft)).toEqual([
      ['Unsupported', 'Failed'],
      ['After', 'Success'],
    ]);
    expect(soft.StepExecutions![0]!.FailureMessage).toMatch(
      /action aws:runCommand is not supported by the local runtime/,
    );
    expect(soft.StepExecutions![0]!.IsCritical).toBe(false);
    const hard = await run(failing('isCritical: true'));
    expect(hard.AutomationExecutionStatus).toBe('Failed');
    expect(steps(hard)).toEqual([
      ['Unsupported', 'Failed'],
      ['After', 'Success'],
    ]);
  });

  it('times out a pause after its timeoutSeconds (runbook time): the step and the run are TimedOut', async () => {
    const done = await run(`schemaVersion: '0.3'
mainSteps:
  - name: Wait
    action: aws:pause
    timeoutSeconds: 600
    inputs: {}
`);
    expect(done.AutomationExecutionStatus).toBe('TimedOut');
    expect(steps(done)).toEqual([['Wait', 'TimedOut']]);
  });

  it('calls ssm-incidents on this runtime from aws:executeAwsApi, and refuses other services without LOCAL_AWS_ENDPOINT_URL', async () => {
    const done = await run(`schemaVersion: '0.3'
outputs: [List.Count]
mainSteps:
  - name: List
    action: aws:executeAwsApi
    inputs: { Service: ssm-incidents, Api: ListResponsePlans, maxResults: 5 }
    outputs: [{ Name: Count, Selector: $.ResponseMetadata.HTTPStatusCode, Type: Integer }]
  - name: Elsewhere
    action: aws:executeAwsApi
    inputs: { Service: ec2, Api: DescribeInstances }
`);
    expect(steps(done)).toEqual([
      ['List', 'Success'],
      ['Elsewhere', 'Failed'],
    ]);
    expect(done.Outputs).toEqual({ 'List.Count': ['200'] });
    expect(done.StepExecutions![1]!.FailureMessage).toMatch(/LOCAL_AWS_ENDPOINT_URL/);
  });

  it('fails a script step clearly when python3 is missing', async () => {
    const previous = process.env.LOCAL_PYTHON;
    process.env.LOCAL_PYTHON = '/nonexistent/python3';
    try {
      const done = await run(`schemaVersion: '0.3'
mainSteps:
  - name: Script
    action: aws:executeScript
    inputs: { Runtime: python3.11, Handler: main, Script: "def main(e, c):\\n  return 1" }
`);
      expect(done.StepExecutions![0]!.FailureMessage).toMatch(/needs \/nonexistent\/python3 on the PATH .* not found/);
    } finally {
      if (previous === undefined) delete process.env.LOCAL_PYTHON;
      else process.env.LOCAL_PYTHON = previous;
    }
  });

  it('fails a step whose input refers to an output that never came, without retrying it', async () => {
    const done = await run(`schemaVersion: '0.3'
mainSteps:
  - name: Maybe
    action: aws:branch
    inputs:
      Choices: [{ NextStep: Use, Variable: 'x', StringEquals: 'y' }]
      Default: Use
  - name: Produce
    action: aws:executeScript
    inputs: { Runtime: python3.11, Handler: main, Script: "def main(e, c):\\n  return {'v': 1}" }
    outputs: [{ Name: V, Selector: $.Payload.v, Type: Integer }]
  - name: Use
    action: aws:sleep
    maxAttempts: 3
    inputs: { Duration: 'PT{{ Produce.V }}S' }
`);
    const use = done.StepExecutions!.find((s) => s.StepName === 'Use')!;
    expect(use.StepStatus).toBe('Failed');
    expect(use.FailureMessage).toMatch(/Produce has not succeeded/);
    expect(use.FailureDetails?.FailureStage).toBe('InputValidation');
  });

  it('runs the Amazon-owned critical incident template: four manual steps, resumed one by one', async () => {
    const id = await start('AWSIncidents-CriticalIncidentRunbookTemplate');
    for (const step of ['Triage', 'Diagnosis', 'Mitigation', 'Recovery']) {
      await eventually(async () => {
        const found = await execution(runtime, id);
        if (found.CurrentStepName !== step || found.AutomationExecutionStatus !== 'Waiting') throw new Error('not yet');
      });
      await ssm.send(
        new SendAutomationSignalCommand({
          AutomationExecutionId: id,
          SignalType: 'Resume',
          Payload: { StepName: [step] },
        }),
      );
    }
    expect((await waitForStatus(runtime, id, 'Success')).StepExecutions!.map((s) => s.StepStatus)).toEqual([
      'Success',
      'Success',
      'Success',
      'Success',
    ]);
  });
});
