/**
 * Helpers for the paging tests: people with activated channels and engagement plans, set up through the official
 * ssm-contacts client; pages read back from the local outbox; polling with a deadline.
 */
import {
  ActivateContactChannelCommand,
  type ChannelType,
  CreateContactCommand,
  type SSMContactsClient,
  type Stage,
  UpdateContactCommand,
} from '@aws-sdk/client-ssm-contacts';
import { GetTimelineEventCommand, type SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import type { OutboundMessage } from '#core/contacts/messaging.ts';
import type { TestRuntime } from '../support/local-runtime.ts';
import { activationCodeOf, createChannel, createContact, uniqueAlias } from './contacts-helpers.ts';
import { allTimelineEvents } from './helpers.ts';

export interface Person {
  alias: string;
  arn: string;
  /** Channel ARNs by the name given. */
  channels: Record<string, string>;
}

export interface ChannelSpec {
  name: string;
  type?: ChannelType;
  address?: string;
  /** Leave the channel NOT_ACTIVATED. */
  inactive?: boolean;
}

const defaultAddress = (type: ChannelType, alias: string) =>
  type === 'EMAIL' ? `${alias}@example.com` : `+1206555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;

/**
 * A PERSONAL contact with activated channels and an engagement plan: `stages` lists, per stage, its duration and the
 * names of the channels it pages (with an optional retry interval).
 */
export async function person(
  runtime: TestRuntime,
  client: SSMContactsClient,
  options: {
    prefix?: string;
    channels?: ChannelSpec[];
    stages?: { minutes: number; channels: (string | { name: string; retry: number })[] }[];
  } = {},
): Promise<Person> {
  const { alias, arn } = await createContact(client, { Alias: uniqueAlias(options.prefix ?? 'person') });
  const channels: Record<string, string> = {};
  for (const spec of options.channels ?? [{ name: 'mail' }]) {
    const type = spec.type ?? 'EMAIL';
    const channelArn = await createChannel(client, arn, {
      Name: spec.name,
      Type: type,
      DeliveryAddress: { SimpleAddress: spec.address ?? defaultAddress(type, alias) },
    });
    if (!spec.inactive)
      await client.send(
        new ActivateContactChannelCommand({
          ContactChannelId: channelArn,
          ActivationCode: activationCodeOf(runtime, channelArn)!,
        }),
      );
    channels[spec.name] = channelArn;
  }
  if (options.stages) {
    const Stages: Stage[] = options.stages.map((s) => ({
      DurationInMinutes: s.minutes,
      Targets: s.channels.map((c) =>
        typeof c === 'string'
          ? { ChannelTargetInfo: { ContactChannelId: channels[c]! } }
          : { ChannelTargetInfo: { ContactChannelId: channels[c.name]!, RetryIntervalInMinutes: c.retry } },
      ),
    }));
    await client.send(new UpdateContactCommand({ ContactId: arn, Plan: { Stages } }));
  }
  return { alias, arn, channels };
}

/** Pages the outbox received, oldest first, optionally only those of one engagement tree's contacts. */
export const pagesIn = (runtime: TestRuntime, filter: (m: OutboundMessage) => boolean = () => true) =>
  runtime.outbox.messages().filter((m) => m.purpose === 'PAGE' && filter(m));

export const pagesTo = (runtime: TestRuntime, who: Person) => pagesIn(runtime, (m) => m.contactArn === who.arn);

/** Polls until `probe` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The engagement id at the end of an engagement ARN (the local execution's name). */
export const engagementIdOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * Resolves with the final status once the workflow of an engagement (its whole tree) has ended: after that nothing
 * pages for it any more, so a test can check what was (not) paged without sleeping through the plan's stages.
 */
export const workflowEnded = (runtime: TestRuntime, engagementArn: string, timeoutMs = 15_000) =>
  eventually(
    () => {
      const status = runtime.engagements.execution(engagementIdOf(engagementArn))?.status;
      return status !== undefined && status !== 'RUNNING' && status;
    },
    timeoutMs,
    'the engagement workflow to end',
  );

/** An escalation plan: per stage, its duration and the contacts it targets (essential or not). */
export async function escalationPlan(
  client: SSMContactsClient,
  stages: { minutes: number; targets: { arn: string; essential?: boolean }[] }[],
): Promise<{ alias: string; arn: string }> {
  const alias = uniqueAlias('escalation');
  const { ContactArn } = await client.send(
    new CreateContactCommand({
      Alias: alias,
      Type: 'ESCALATION',
      Plan: {
        Stages: stages.map((s) => ({
          DurationInMinutes: s.minutes,
          Targets: s.targets.map((t) => ({
            ContactTargetInfo: { ContactId: t.arn, IsEssential: t.essential ?? false },
          })),
        })),
      },
    }),
  );
  return { alias, arn: ContactArn! };
}

/** An incident's timeline events of one type, oldest first, with their eventData parsed. */
export async function timelineEventsOf(
  incidents: SSMIncidentsClient,
  incidentArn: string,
  eventType: string,
): Promise<{ eventTime: Date; data: Record<string, any>; references: string[] }[]> {
  const summaries = await allTimelineEvents(incidents, {
    incidentRecordArn: incidentArn,
    filters: [{ key: 'eventType', condition: { equals: { stringValues: [eventType] } } }],
    sortOrder: 'ASCENDING',
  });
  return Promise.all(
    summaries.map(async (s) => {
      const { event } = await incidents.send(
        new GetTimelineEventCommand({ incidentRecordArn: incidentArn, eventId: s.eventId }),
      );
      return {
        eventTime: event!.eventTime!,
        data: JSON.parse(event!.eventData!) as Record<string, any>,
        references: (event!.eventReferences ?? []).map((r) => r.resource ?? r.relatedItemId ?? ''),
      };
    }),
  );
}
