/**
 * Strict mode of the local runtime (SigV4 verified as API Gateway verifies it) and the clients that pass it:
 * - the official JS clients signing as `execute-api` (ssm-contacts through its per-operation routes) are accepted;
 *   signing as `ssm-incidents`, a wrong secret, an unknown key, no signature or a stale date are refused with API
 *   Gateway's 403s, before any function runs;
 * - each credential's access role is enforced route by route, as the viewer/responder/admin policies are in AWS;
 * - the AWS CLI with the botocore plugin (tools/botocore-execute-api) works in strict mode, for both APIs, and is
 *   refused without it. Skipped when no `aws` is on PATH.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateContactCommand,
  DeleteContactCommand,
  ListContactsCommand,
  SSMContactsClient,
  type SSMContactsClientConfig,
} from '@aws-sdk/client-ssm-contacts';
import {
  CreateResponsePlanCommand,
  ListResponsePlansCommand,
  SSMIncidentsClient,
  type SSMIncidentsClientConfig,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePerOperationRoutes } from '#http/contacts-route-middleware.ts';
import { parseStrictCredentials } from '../../local/sigv4.ts';
import { startTestRuntime, TEST_REGION, type TestRuntime } from '../support/local-runtime.ts';
import { uniqueAlias } from './contacts-helpers.ts';
import { unique } from './helpers.ts';

const run = promisify(execFile);
const cliAvailable = spawnSync('aws', ['--version'], { encoding: 'utf8' }).status === 0;
const CREDENTIALS = 'AKIDADMIN:admin-secret,AKIDVIEWER:viewer-secret:viewer,AKIDRESPONDER:responder-secret:responder';
const SECRETS: Record<string, string> = {
  AKIDADMIN: 'admin-secret',
  AKIDVIEWER: 'viewer-secret',
  AKIDRESPONDER: 'responder-secret',
};

/** A client that signs as API Gateway requires (the documented configuration). */
const executeApi = <T extends object>(config: T) => ({ ...config, signingName: 'execute-api' }) as T;

describe('strict SigV4 (LOCAL_SIGV4_CREDENTIALS)', () => {
  let runtime: TestRuntime;
  let configDir: string;
  const clients: { destroy(): void }[] = [];
  const incidents = (accessKeyId: string, options: { asExecuteApi?: boolean; secret?: string } = {}) => {
    const config: SSMIncidentsClientConfig = {
      endpoint: runtime.url,
      region: TEST_REGION,
      credentials: { accessKeyId, secretAccessKey: options.secret ?? SECRETS[accessKeyId] ?? 'unknown' },
      maxAttempts: 1,
    };
    const client = new SSMIncidentsClient(options.asExecuteApi === false ? config : executeApi(config));
    clients.push(client);
    return client;
  };
  const contacts = (accessKeyId: string) => {
    const client = usePerOperationRoutes(
      new SSMContactsClient(
        executeApi<SSMContactsClientConfig>({
          endpoint: runtime.url,
          region: TEST_REGION,
          credentials: { accessKeyId, secretAccessKey: SECRETS[accessKeyId]! },
          maxAttempts: 1,
        }),
      ),
    );
    clients.push(client);
    return client;
  };
  const failure = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
      return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
    }
    throw new Error('expected the call to be refused');
  };

  beforeAll(async () => {
    runtime = await startTestRuntime({ strictSigV4: parseStrictCredentials(CREDENTIALS) });
    configDir = mkdtempSync(join(tmpdir(), 'aws-cli-plugin-'));
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await runtime?.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('accepts the official clients signing as execute-api, for both APIs', async () => {
    const name = unique('strict');
    await incidents('AKIDADMIN').send(
      new CreateResponsePlanCommand({ name, incidentTemplate: { title: 'T', impact: 3 } }),
    );
    const plans = await incidents('AKIDADMIN').send(new ListResponsePlansCommand({}));
    const alias = uniqueAlias('strict');
    await contacts('AKIDADMIN').send(
      new CreateContactCommand({ Alias: alias, Type: 'PERSONAL', Plan: { Stages: [] } }),
    );
    const listed = await contacts('AKIDVIEWER').send(new ListContactsCommand({ AliasPrefix: alias }));

    expect(plans.responsePlanSummaries?.map((p) => p.name)).toContain(name);
    expect(listed.Contacts?.map((c) => c.Alias)).toEqual([alias]);
  });

  it('refuses what API Gateway refuses, with its 403s, and runs nothing', async () => {
    const list = new ListResponsePlansCommand({});
    expect(await failure(incidents('AKIDADMIN', { asExecuteApi: false }).send(list))).toMatchObject({
      name: 'InvalidSignatureException',
      status: 403,
      message: expect.stringContaining("Credential should be scoped to correct service: 'execute-api'"),
    });
    expect(await failure(incidents('AKIDADMIN', { secret: 'wrong' }).send(list))).toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringContaining('does not match the signature you provided'),
    });
    expect(await failure(incidents('AKIDNOBODY').send(list))).toMatchObject({
      name: 'UnrecognizedClientException',
      status: 403,
    });
    const unsigned = await fetch(`${runtime.url}/listResponsePlans`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    // Signed with a clock an hour behind: the date is outside API Gateway's 5 minutes.
    const stale = new SSMIncidentsClient(
      executeApi<SSMIncidentsClientConfig>({
        endpoint: runtime.url,
        region: TEST_REGION,
        credentials: { accessKeyId: 'AKIDADMIN', secretAccessKey: SECRETS.AKIDADMIN! },
        maxAttempts: 1,
        systemClockOffset: -3_600_000,
      }),
    );
    clients.push(stale);
    expect(await failure(stale.send(list))).toMatchObject({
      name: 'InvalidSignatureException',
      message: expect.stringContaining('Signature expired'),
    });
  });

  it("enforces each credential's access role route by route", async () => {
    const alias = uniqueAlias('guarded');
    const create = new CreateContactCommand({ Alias: alias, Type: 'PERSONAL', Plan: { Stages: [] } });

    const byViewer = await failure(contacts('AKIDVIEWER').send(create));
    const byResponder = await failure(contacts('AKIDRESPONDER').send(create));
    const { ContactArn } = await contacts('AKIDADMIN').send(create);
    const deleteByViewer = await failure(
      contacts('AKIDVIEWER').send(new DeleteContactCommand({ ContactId: ContactArn })),
    );
    const planByResponder = await failure(
      incidents('AKIDRESPONDER').send(
        new CreateResponsePlanCommand({ name: unique('nope'), incidentTemplate: { title: 'T', impact: 3 } }),
      ),
    );
    // Without the per-operation routes a viewer reaches nothing of ssm-contacts: POST / is every operation.
    const plain = new SSMContactsClient(
      executeApi<SSMContactsClientConfig>({
        endpoint: runtime.url,
        region: TEST_REGION,
        credentials: { accessKeyId: 'AKIDVIEWER', secretAccessKey: SECRETS.AKIDVIEWER! },
        maxAttempts: 1,
      }),
    );
    clients.push(plain);
    const viaRoot = await failure(plain.send(new ListContactsCommand({})));

    for (const refused of [byViewer, byResponder, deleteByViewer, planByResponder, viaRoot])
      expect(refused).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(deleteByViewer.message).toContain('POST/ssm-contacts/DeleteContact');
  });

  describe('the AWS CLI', () => {
    const aws = async (accessKeyId: string, plugin: boolean, ...args: string[]) => {
      const config = join(configDir, plugin ? 'with-plugin' : 'without-plugin');
      writeFileSync(config, plugin ? '[plugins]\nexecute_api = botocore_execute_api\n' : '');
      const { stdout } = await run('aws', [...args, '--endpoint-url', runtime.url, '--output', 'json'], {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PYTHONPATH: join(process.cwd(), 'tools', 'botocore-execute-api'),
          AWS_ACCESS_KEY_ID: accessKeyId,
          AWS_SECRET_ACCESS_KEY: SECRETS[accessKeyId],
          AWS_DEFAULT_REGION: TEST_REGION,
          AWS_CONFIG_FILE: config,
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
          AWS_MAX_ATTEMPTS: '1',
        },
        timeout: 60_000,
      });
      return JSON.parse(stdout || '{}') as Record<string, any>;
    };
    const cliFailure = (promise: Promise<unknown>) =>
      promise.then(
        () => {
          throw new Error('expected the command to fail');
        },
        (error: { stderr?: string }) => String(error.stderr),
      );

    it.skipIf(!cliAvailable)(
      'signs for execute-api with the plugin, for both APIs, and is refused without it',
      async () => {
        const name = unique('cli');
        const alias = uniqueAlias('cli');

        const created = await aws(
          'AKIDADMIN',
          true,
          'ssm-incidents',
          'create-response-plan',
          '--name',
          name,
          '--incident-template',
          '{"title":"From the CLI","impact":2}',
        );
        const plans = await aws('AKIDVIEWER', true, 'ssm-incidents', 'list-response-plans');
        await aws(
          'AKIDADMIN',
          true,
          'ssm-contacts',
          'create-contact',
          '--alias',
          alias,
          '--type',
          'PERSONAL',
          '--plan',
          '{"Stages":[]}',
        );
        const listed = await aws('AKIDVIEWER', true, 'ssm-contacts', 'list-contacts', '--alias-prefix', alias);
        const denied = await cliFailure(
          aws('AKIDVIEWER', true, 'ssm-contacts', 'delete-contact', '--contact-id', listed.Contacts[0].ContactArn),
        );
        const unsigned = await cliFailure(aws('AKIDADMIN', false, 'ssm-incidents', 'list-response-plans'));

        expect(created.arn).toMatch(new RegExp(`:response-plan/${name}$`));
        expect(plans.responsePlanSummaries.map((p: { name: string }) => p.name)).toContain(name);
        expect(listed.Contacts.map((c: { Alias: string }) => c.Alias)).toEqual([alias]);
        // botocore names awsJson errors by the body's __type, which API Gateway's own 403 has not: it prints the status.
        expect(denied).toMatch(
          /is not authorized to perform: execute-api:Invoke on resource: \S+\/\$default\/POST\/ssm-contacts\/DeleteContact/,
        );
        expect(unsigned).toContain("Credential should be scoped to correct service: 'execute-api'");
      },
      120_000,
    );
  });
});
