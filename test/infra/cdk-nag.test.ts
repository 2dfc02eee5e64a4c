/**
 * cdk-nag v3 runs as a policy-validation plugin during `app.synth()`: error findings make synth throw, warning
 * findings only land in the validation report. Both must be zero, and every acknowledgement must be a known one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { policyResourcePaths } from '../../lambdas/http/access-roles.ts';
import { DEFAULT_RUNBOOK_ROLE_PREFIX, runbookWildcards } from '../../lib/constructs/runbook-workflow.ts';
import { IncidentManagerStack } from '../../lib/incident-manager-stack.ts';

/** The app as bin/incident-manager.ts builds it, minus bundling (the plugin reads the construct tree). */
const appWithNag = (context: Record<string, string> = {}) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new IncidentManagerStack(app, 'NagTest');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
};

type Report = { pluginReports: { pluginName: string; violations: { ruleName: string; severity: string }[] }[] };
const validationReport = (directory: string): Report =>
  JSON.parse(readFileSync(join(directory, 'validation-report.json'), 'utf8'));

/** Every `Validations.of(x).acknowledge(...)` in the tree, as `construct path -> rule id -> reason`. */
const acknowledgements = (root: IConstruct) =>
  root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: c.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );

const CONSOLE_ACKS = [
  { path: 'NagTest/Console/AccessLogs', id: 'AwsSolutions-S1' },
  // Added by aws-cdk-lib itself to a bucket with ACLs enabled (CloudFront's standard logs need them).
  { path: 'NagTest/Console/AccessLogs', id: 'CloudFormation-Validate::W3045' },
  { path: 'NagTest/Console/Distribution', id: 'AwsSolutions-CFR1' },
  { path: 'NagTest/Console/Distribution', id: 'AwsSolutions-CFR2' },
  { path: 'NagTest/Console/Distribution', id: 'AwsSolutions-CFR4' },
  { path: 'NagTest/Console/Users', id: 'AwsSolutions-COG8' },
  { path: 'NagTest/Console/ResponderRole', id: 'AwsSolutions-IAM5[Resource::*]' },
  { path: 'NagTest/Console/ViewerRole', id: 'AwsSolutions-IAM5[Resource::*]' },
  // The console's own deployer (Custom::ConsoleFiles): X-Ray, and the console bucket's objects it writes.
  { path: 'NagTest/Console/FilesDeployer/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
  { path: 'NagTest/Console/FilesDeployer/Role', id: 'AwsSolutions-IAM5[Resource::<ConsoleFiles2D43986C.Arn>/*]' },
];

describe('cdk-nag AwsSolutions', () => {
  it('synthesizes with zero unacknowledged findings, errors or warnings', () => {
    const { app } = appWithNag();
    const assembly = app.synth(); // throws ValidationFailed on any unacknowledged error-level finding
    const findings = validationReport(assembly.directory).pluginReports.flatMap((r) =>
      r.violations.map((v) => `${r.pluginName}: ${v.ruleName} (${v.severity})`),
    );
    expect(findings).toEqual([]);
  });

  it('finds nothing when run directly over the construct tree either', () => {
    const { app } = appWithNag();
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('acknowledges only the X-Ray / log-delivery wildcards, the engagement executions and runbook run-time wildcards, the access policies, SQS3 on dead-letter queues and the console findings, with reasons', () => {
    const { stack } = appWithNag();
    const acks = acknowledgements(stack);
    const runbook = runbookWildcards(DEFAULT_RUNBOOK_ROLE_PREFIX);
    const executions =
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<EngagementsStateMachineA9B61940.Name>:*]';
    const api = (resource: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<IncidentsApiHttpApi24868A31>/$default/${resource}]`;
    const sorted = (list: { path: string; id: string }[]) =>
      [...list].sort((a, b) => `${a.path} ${a.id}`.localeCompare(`${b.path} ${b.id}`));
    expect(sorted(acks.map(({ path, id }) => ({ path, id })))).toEqual(
      sorted([
        { path: 'NagTest/IncidentsApi/Function/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/IncidentsApi/ContactsFunction/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/IncidentsApi/AnalysisFunction/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/TriggerIntake/Function/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/TriggerIntake/DeadLetterQueue', id: 'AwsSolutions-SQS3' },
        { path: 'NagTest/TriggerIntake/TagRule/DeadLetterQueue', id: 'AwsSolutions-SQS3' },
        // Paging: the worker's X-Ray statement, the state machine's log delivery and X-Ray statements, and
        // StopExecution on the state machine's executions for the two functions that drive paging.
        { path: 'NagTest/Engagements/Worker/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/Engagements/StateMachine/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/IncidentsApi/ContactsFunction/Role', id: executions },
        // The incident reactor: X-Ray and dynamodb:ListStreams, its dead-letter queue, StopExecution.
        { path: 'NagTest/IncidentReactor/Function/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/IncidentReactor/DeadLetterQueue', id: 'AwsSolutions-SQS3' },
        { path: 'NagTest/IncidentReactor/Function/Role', id: executions },
        // Runbooks: X-Ray and log delivery, and the ARNs known only at run time (executions, documents,
        // automation definitions, the operator's runbook roles), each named.
        { path: 'NagTest/Runbooks/Worker/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/Runbooks/StatusEvents/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/Runbooks/StateMachine/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/Runbooks/DeadLetterQueue', id: 'AwsSolutions-SQS3' },
        ...[
          ['Runbooks/Worker/Role', runbook.executions],
          ['Runbooks/Worker/Role', runbook.documents],
          ['Runbooks/Worker/Role', runbook.awsDocuments],
          ['Runbooks/StatusEvents/Role', runbook.executions],
          ['IncidentsApi/Function/Role', runbook.executions],
          // The console's responders resume / approve / reject waiting runbook steps (SendAutomationSignal).
          ['Console/ResponderRole', runbook.executions],
          ['Runbooks/StateMachine/Role', runbook.definitions],
          ['Runbooks/StateMachine/Role', runbook.awsDefinitions],
          ['Runbooks/StateMachine/Role', runbook.roles],
        ].map(([path, resource]) => ({ path: `NagTest/${path}`, id: `AwsSolutions-IAM5[Resource::${resource}]` })),
        // The notifier: X-Ray and dynamodb:ListStreams, its dead-letter queue.
        { path: 'NagTest/Notifications/Notifier/Function/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/Notifications/Notifier/DeadLetterQueue', id: 'AwsSolutions-SQS3' },
        // The web console (lib/constructs/console.ts): hosting, sign-in, the two roles, and its files deployer.
        ...CONSOLE_ACKS,
        // Access policies: admin is the whole API; viewer and responder name every route or a read verb whose every
        // route they may call, the tag routes' ARN label being the other wildcard.
        { path: 'NagTest/AccessPolicies/Admin', id: api('*') },
        ...(['Viewer', 'Responder'] as const).flatMap((role) =>
          policyResourcePaths(role === 'Viewer' ? 'viewer' : 'responder')
            .filter((path) => path.includes('*'))
            .map((path) => ({ path: `NagTest/AccessPolicies/${role}`, id: api(path.replace('$default/', '')) })),
        ),
        // Acknowledge links: the two public routes (the token is the credential), X-Ray, StopExecution.
        { path: 'NagTest/AcknowledgeLinks/GETRoute', id: 'AwsSolutions-APIG4' },
        { path: 'NagTest/AcknowledgeLinks/POSTRoute', id: 'AwsSolutions-APIG4' },
        { path: 'NagTest/AcknowledgeLinks/Function/Role', id: 'AwsSolutions-IAM5[Resource::*]' },
        { path: 'NagTest/AcknowledgeLinks/Function/Role', id: executions },
      ]),
    );
    const runbookIds = new Set(Object.values(runbook).map((r) => `AwsSolutions-IAM5[Resource::${r}]`));
    for (const ack of acks)
      expect(ack.reason).toMatch(
        ack.id === 'AwsSolutions-SQS3'
          ? /is itself a dead-letter queue/
          : ack.id === executions
            ? /engagement id/
            : ack.id === api('*')
              ? /every route of this one HTTP API/
              : ack.id === 'AwsSolutions-APIG4'
                ? /cannot sign SigV4.*token/
                : ack.id.startsWith(api('').slice(0, -1))
                  ? /not a wildcard over routes|matches only read operations/
                  : ack.id === `AwsSolutions-IAM5[Resource::${runbook.roles}]`
                    ? /iam:PassedToService/
                    : runbookIds.has(ack.id)
                      ? /known only at run time/
                      : ack.id === 'AwsSolutions-IAM5[Resource::<ConsoleFiles2D43986C.Arn>/*]'
                        ? /s3:PutObject on the console bucket's objects/
                        : ack.path.includes('/Console/') && !ack.path.includes('FilesDeployer')
                          ? /./
                          : /X-Ray/,
      );
    const consoleRoles = acks.filter(
      (a) => /Console\/(Responder|Viewer)Role/.test(a.path) && a.id === 'AwsSolutions-IAM5[Resource::*]',
    );
    expect(consoleRoles).toHaveLength(2);
    for (const ack of consoleRoles) expect(ack.reason).toMatch(/GetMetricData supports no resource-level permissions/);
  });

  it('is clean with SMS replies too (a phone number pages by SMS: the two-way topic, its key and function)', () => {
    const { app, stack } = appWithNag({ smsOriginationIdentity: 'phone-0123456789abcdef0123456789abcdef' });
    const assembly = app.synth();
    const findings = validationReport(assembly.directory).pluginReports.flatMap((r) =>
      r.violations.map((v) => `${r.pluginName}: ${v.ruleName} (${v.severity})`),
    );
    expect(findings).toEqual([]);
    const added = acknowledgements(stack)
      .filter((a) => a.path.startsWith('NagTest/SmsReplies/'))
      .map(({ path, id }) => `${path} ${id}`)
      .sort();
    expect(added).toEqual([
      'NagTest/SmsReplies/DeadLetterQueue AwsSolutions-SQS3',
      'NagTest/SmsReplies/Function/Role AwsSolutions-IAM5[Resource::*]',
      `NagTest/SmsReplies/Function/Role AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<EngagementsStateMachineA9B61940.Name>:*]`,
    ]);
  });

  it('does fail synth on an unacknowledged finding (the check is live, not vacuous)', () => {
    const { app, stack } = appWithNag();
    new Bucket(stack, 'UnloggedBucket'); // AwsSolutions-S1 and -S10
    expect(() => app.synth()).toThrow(/AwsSolutions-S1\b/);
  });
});
