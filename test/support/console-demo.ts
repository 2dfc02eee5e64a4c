/**
 * A realistic small on-call set-up for the console's browser tests, its screenshots and its benchmark, created
 * through the official clients as a team would: people with channels (one not activated), an escalation plan, a
 * rotation in another time zone with an on-call schedule over it, response plans, and an incident opened by a
 * CloudWatch alarm (the EventBridge sample) that pages a person.
 */
import {
  ActivateContactChannelCommand,
  CreateContactChannelCommand,
  CreateContactCommand,
  CreateRotationCommand,
  type SSMContactsClient,
  UpdateContactCommand,
} from '@aws-sdk/client-ssm-contacts';
import { CreateResponsePlanCommand, type SSMIncidentsClient } from '@aws-sdk/client-ssm-incidents';
import type { LocalRuntime } from '../../local/runtime.ts';
import { deliver, eventBridgeAlarm, eventBridgeEnvelope } from '../compat/alerting-helpers.ts';
import { activationCodeOf } from '../compat/contacts-helpers.ts';
import type { TestRuntime } from './local-runtime.ts';

export interface Demo {
  people: Record<'alice' | 'bob' | 'carol', string>;
  escalationPlan: string;
  rotation: string;
  schedule: string;
  plans: { checkout: string; database: string };
  /** The incident the checkout-cpu-high alarm opened (it pages alice). */
  alarmIncident: string;
}

async function personWithChannel(
  runtime: LocalRuntime,
  client: SSMContactsClient,
  alias: string,
  displayName: string,
  activate: boolean,
): Promise<string> {
  const { ContactArn } = await client.send(
    new CreateContactCommand({ Alias: alias, DisplayName: displayName, Type: 'PERSONAL', Plan: { Stages: [] } }),
  );
  const { ContactChannelArn } = await client.send(
    new CreateContactChannelCommand({
      ContactId: ContactArn,
      Name: 'work email',
      Type: 'EMAIL',
      DeliveryAddress: { SimpleAddress: `${alias}@example.com` },
    }),
  );
  if (activate)
    await client.send(
      new ActivateContactChannelCommand({
        ContactChannelId: ContactChannelArn,
        // The helpers read only the runtime's outbox and URL, which every local runtime has.
        ActivationCode: activationCodeOf(runtime as TestRuntime, ContactChannelArn!)!,
      }),
    );
  // The engagement plan: page the email channel at once.
  await client.send(
    new UpdateContactCommand({
      ContactId: ContactArn,
      Plan: {
        Stages: [{ DurationInMinutes: 0, Targets: [{ ChannelTargetInfo: { ContactChannelId: ContactChannelArn } }] }],
      },
    }),
  );
  return ContactArn!;
}

export async function seedDemo(
  runtime: LocalRuntime,
  incidents: SSMIncidentsClient,
  contacts: SSMContactsClient,
): Promise<Demo> {
  const people = {
    alice: await personWithChannel(runtime, contacts, 'alice', 'Alice Martin', true),
    bob: await personWithChannel(runtime, contacts, 'bob', 'Bob Chen', true),
    carol: await personWithChannel(runtime, contacts, 'carol', 'Carol Diaz', false),
  };
  const { ContactArn: escalationPlan } = await contacts.send(
    new CreateContactCommand({
      Alias: 'checkout-escalation',
      DisplayName: 'Checkout escalation',
      Type: 'ESCALATION',
      Plan: {
        Stages: [
          { DurationInMinutes: 10, Targets: [{ ContactTargetInfo: { ContactId: people.alice, IsEssential: true } }] },
          { DurationInMinutes: 10, Targets: [{ ContactTargetInfo: { ContactId: people.bob, IsEssential: false } }] },
        ],
      },
    }),
  );
  // A rotation handing off at 09:00 Paris time, started a week ago so someone is on call now.
  const { RotationArn: rotation } = await contacts.send(
    new CreateRotationCommand({
      Name: 'Checkout primary',
      ContactIds: [people.alice, people.bob, people.carol],
      TimeZoneId: 'Europe/Paris',
      StartTime: new Date(Date.now() - 7 * 24 * 3_600_000),
      Recurrence: { NumberOfOnCalls: 1, RecurrenceMultiplier: 1, DailySettings: [{ HourOfDay: 9, MinuteOfHour: 0 }] },
    }),
  );
  const { ContactArn: schedule } = await contacts.send(
    new CreateContactCommand({
      Alias: 'checkout-oncall',
      DisplayName: 'Checkout on-call',
      Type: 'ONCALL_SCHEDULE',
      Plan: { RotationIds: [rotation!] },
    }),
  );
  const checkout = await incidents.send(
    new CreateResponsePlanCommand({
      name: 'checkout',
      displayName: 'Checkout',
      incidentTemplate: { title: 'Checkout is failing', impact: 2, summary: 'Customers cannot pay.' },
      engagements: [people.alice],
    }),
  );
  const database = await incidents.send(
    new CreateResponsePlanCommand({ name: 'database', incidentTemplate: { title: 'Database degraded', impact: 3 } }),
  );
  const { incidentRecordArn } = await deliver(
    runtime as TestRuntime,
    eventBridgeEnvelope(eventBridgeAlarm('alarm-eventbridge', { stateTime: Date.now() - 60_000 }), {
      responsePlanName: 'checkout',
    }),
  );
  return {
    people,
    escalationPlan: escalationPlan!,
    rotation: rotation!,
    schedule: schedule!,
    plans: { checkout: checkout.arn!, database: database.arn! },
    alarmIncident: incidentRecordArn!,
  };
}
