/**
 * The per-operation ssm-contacts routes (`POST /ssm-contacts/<Operation>`), which let IAM allow single operations:
 * - the official client reaches them with one middleware (usePerOperationRoutes), signing and all, base path kept;
 * - every operation's sample is served on its own route exactly as on `POST /`;
 * - a route runs only its own operation: an X-Amz-Target naming another one is refused and changes nothing.
 */
import {
  CreateContactCommand,
  DeleteContactCommand,
  GetContactCommand,
  ListContactsCommand,
  SSMContactsClient,
} from '@aws-sdk/client-ssm-contacts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perOperationPath, usePerOperationRoutes } from '#http/contacts-route-middleware.ts';
import { startTestRuntime, TEST_REGION, type TestRuntime } from '../support/local-runtime.ts';
import { buildFixture, CONTACTS_SAMPLES, type Fixture, requestOf, send } from '../support/operation-samples.ts';
import { uniqueAlias } from './contacts-helpers.ts';

describe('per-operation ssm-contacts routes', () => {
  let runtime: TestRuntime;
  let fixture: Fixture;

  beforeAll(async () => {
    runtime = await startTestRuntime({ timeScale: 600 });
    fixture = await buildFixture(runtime, runtime.incidentsClient(), runtime.contactsClient());
  });
  afterAll(() => runtime?.stop());

  it('are what the official client calls with usePerOperationRoutes, signed after the path is set', async () => {
    // Prepare: a client with the middleware, and a probe that records what is signed and sent.
    const client = usePerOperationRoutes(
      new SSMContactsClient({
        endpoint: runtime.url,
        region: TEST_REGION,
        credentials: { accessKeyId: 'routes', secretAccessKey: 'local' },
        maxAttempts: 1,
      }),
    );
    const sent: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { path: string; headers: Record<string, string> };
        sent.push(
          `${request.path} ${/SignedHeaders=/.test(request.headers.authorization ?? '') ? 'signed' : 'unsigned'}`,
        );
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'probe' },
    );
    const alias = uniqueAlias('routed');

    // Act
    const { ContactArn } = await client.send(
      new CreateContactCommand({ Alias: alias, Type: 'PERSONAL', Plan: { Stages: [] } }),
    );
    const got = await client.send(new GetContactCommand({ ContactId: ContactArn }));
    const listed = await client.send(new ListContactsCommand({ AliasPrefix: alias }));
    await client.send(new DeleteContactCommand({ ContactId: ContactArn }));
    client.destroy();

    // Assess
    expect(got.Alias).toBe(alias);
    expect(listed.Contacts?.map((c) => c.Alias)).toEqual([alias]);
    expect(sent).toEqual([
      '/ssm-contacts/CreateContact signed',
      '/ssm-contacts/GetContact signed',
      '/ssm-contacts/ListContacts signed',
      '/ssm-contacts/DeleteContact signed',
    ]);
  });

  it('keeps an endpoint base path and leaves other requests alone', () => {
    expect(perOperationPath('/prod/', 'SSMContacts.ListContacts')).toBe('/prod/ssm-contacts/ListContacts');
    expect(perOperationPath('/', 'SSMContacts.GetContact')).toBe('/ssm-contacts/GetContact');
    expect(perOperationPath('/', undefined)).toBeUndefined();
  });

  it('serve every operation as POST / does', async () => {
    const failures: string[] = [];
    for (const [operation, sample] of Object.entries(CONTACTS_SAMPLES)) {
      const request = requestOf('ssm-contacts', operation, sample(fixture));
      const response = await send(runtime, { ...request, path: `/ssm-contacts/${operation}` });
      const type = response.headers.get('x-amzn-errortype');
      // Reached the operation: a success, or one of its own errors (a Delete* sample's resource may be gone).
      if (response.status >= 500 || (type === 'ValidationException' && response.json?.Reason === 'UNKNOWN_OPERATION'))
        failures.push(`${operation}: ${response.status} ${response.text.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
  });

  it('run only their own operation: another X-Amz-Target is refused and changes nothing', async () => {
    // Act
    const request = requestOf('ssm-contacts', 'DeleteContact', { ContactId: fixture.contactArn });
    const smuggled = await send(runtime, { ...request, path: '/ssm-contacts/GetContact' });
    const unknown = await send(runtime, { ...request, path: '/ssm-contacts/DropEverything' });
    const stillThere = await send(runtime, requestOf('ssm-contacts', 'GetContact', { ContactId: fixture.contactArn }));

    // Assess
    expect(smuggled.status).toBe(400);
    expect(smuggled.json).toMatchObject({
      __type: 'com.amazonaws.ssmcontacts#ValidationException',
      Reason: 'UNKNOWN_OPERATION',
    });
    expect(unknown.status).toBe(400);
    expect(stillThere.status).toBe(200);
  });
});
