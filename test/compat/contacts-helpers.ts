/**
 * Helpers for the ssm-contacts compatibility tests: contacts, channels and rotations set up through the official
 * client, activation codes read from the local outbox, error capture, and raw awsJson1_1 requests.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateContactChannelCommand,
  type CreateContactChannelCommandInput,
  CreateContactCommand,
  type CreateContactCommandInput,
  CreateRotationCommand,
  type CreateRotationCommandInput,
  type RecurrenceSettings,
  type SSMContactsClient,
} from '@aws-sdk/client-ssm-contacts';
import type { TestRuntime } from '../support/local-runtime.ts';
import { type RawResponse, readRawResponse } from './helpers.ts';

/** An alias no other test uses: `<prefix>-<8 hex>` (lower case, as aliases must be). */
export const uniqueAlias = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

export async function createContact(
  client: SSMContactsClient,
  overrides: Partial<CreateContactCommandInput> = {},
): Promise<{ alias: string; arn: string }> {
  const alias = overrides.Alias ?? uniqueAlias('person');
  const { ContactArn } = await client.send(
    new CreateContactCommand({ Alias: alias, Type: 'PERSONAL', Plan: { Stages: [] }, ...overrides }),
  );
  return { alias, arn: ContactArn! };
}

export async function createChannel(
  client: SSMContactsClient,
  contactArn: string,
  overrides: Partial<CreateContactChannelCommandInput> = {},
): Promise<string> {
  const { ContactChannelArn } = await client.send(
    new CreateContactChannelCommand({
      ContactId: contactArn,
      Name: 'work-mail',
      Type: 'EMAIL',
      DeliveryAddress: { SimpleAddress: 'oncall@example.com' },
      ...overrides,
    }),
  );
  return ContactChannelArn!;
}

export const dailyAt = (hourOfDay: number, minuteOfHour = 0): RecurrenceSettings => ({
  NumberOfOnCalls: 1,
  RecurrenceMultiplier: 1,
  DailySettings: [{ HourOfDay: hourOfDay, MinuteOfHour: minuteOfHour }],
});

export async function createRotation(
  client: SSMContactsClient,
  contactIds: string[],
  overrides: Partial<CreateRotationCommandInput> = {},
): Promise<string> {
  const { RotationArn } = await client.send(
    new CreateRotationCommand({
      Name: `rotation ${randomUUID().slice(0, 8)}`,
      ContactIds: contactIds,
      TimeZoneId: 'UTC',
      Recurrence: dailyAt(9),
      StartTime: new Date('2026-01-05T09:00:00Z'),
      ...overrides,
    }),
  );
  return RotationArn!;
}

/** The activation code the outbox received last for a channel. */
export const activationCodeOf = (runtime: TestRuntime, channelArn: string): string | undefined =>
  runtime.outbox.latest((m) => m.contactChannelArn === channelArn)?.activationCode;

/** The error a call rejects with (fails the test when it resolves). */
export async function errorOf(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail');
}

/** A raw awsJson1_1 request (`POST /`, `X-Amz-Target`), for inputs and headers the SDK would not send. */
export async function contactsRequest(
  runtime: TestRuntime,
  target: string | undefined,
  body: string | object | undefined,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const response = await fetch(`${runtime.url}/`, {
    method: 'POST',
    headers: {
      authorization:
        'AWS4-HMAC-SHA256 Credential=raw-caller/20261121/us-east-1/ssm-contacts/aws4_request, SignedHeaders=host, Signature=00',
      'content-type': 'application/x-amz-json-1.1',
      ...(target ? { 'x-amz-target': target } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return readRawResponse(response);
}
