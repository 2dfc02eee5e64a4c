/**
 * The Slack slash command end to end, locally: requests signed as Slack signs them are POSTed to the local endpoint
 * (`/chat/slack`, a function URL in AWS), run through the same operations as the API, and read back through the
 * official clients. Unsigned, stale, tampered and replayed requests get 401 and change nothing; refused users are
 * told why; the Slack user is the caller recorded in createdBy, lastModifiedBy and the timeline.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ActivateContactChannelCommand,
  DescribePageCommand,
  type SSMContactsClient,
  UpdateContactCommand,
} from '@aws-sdk/client-ssm-contacts';
import {
  CreateResponsePlanCommand,
  GetIncidentRecordCommand,
  GetTimelineEventCommand,
  ListIncidentRecordsCommand,
  ListTimelineEventsCommand,
  type SSMIncidentsClient,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignature } from '#http/slack-signature.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { activationCodeOf, createChannel, createContact } from './contacts-helpers.ts';
import { eventually, pagesTo } from './engagements-helpers.ts';

const SECRET = `test-signing-secret-${randomUUID()}`;
const TEAM = 'T0ACME';
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const INCIDENTS_CHANNEL = 'C0INCIDENTS';
const CHAT_TOPIC = 'arn:aws:sns:us-east-1:111122223333:chat-commands-test';

let runtime: TestRuntime;
let incidents: SSMIncidentsClient;
let contacts: SSMContactsClient;
let aliceAlias: string;
/** What the command's response_url received (Slack's side of deferred replies). */
const followUps: Record<string, unknown>[] = [];
let responseServer: Server;
let responseUrl: string;

beforeAll(async () => {
  responseServer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      followUps.push(JSON.parse(body));
      res.writeHead(200).end('ok');
    });
  });
  responseServer.listen(0, '127.0.0.1');
  await once(responseServer, 'listening');
  responseUrl = `http://127.0.0.1:${(responseServer.address() as AddressInfo).port}/commands/T0ACME/1/x`;

  // Contacts are named by alias, so the configuration can map Alice's Slack user before her contact exists.
  aliceAlias = `alice-${randomUUID().slice(0, 8)}`;
  runtime = await startTestRuntime({
    timeScale: 120,
    slack: {
      signingSecret: SECRET,
      commandsConfig: JSON.stringify({
        workspaces: [TEAM],
        users: [ALICE, BOB],
        commands: { resolve: { users: [ALICE] }, start: { channels: [INCIDENTS_CHANNEL] } },
        contacts: { [ALICE]: aliceAlias },
      }),
    },
  });
  incidents = runtime.incidentsClient('setup');
  contacts = runtime.contactsClient('setup');
  await incidents.send(
    new CreateResponsePlanCommand({
      name: 'checkout',
      incidentTemplate: { title: 'Checkout failing', impact: 3 },
      chatChannel: { chatbotSns: [CHAT_TOPIC] },
    }),
  );
});

afterAll(async () => {
  await runtime?.stop();
  responseServer?.close();
});

interface SlackRequest {
  user?: string;
  userName?: string;
  team?: string;
  channel?: string;
  secret?: string;
  timestamp?: number;
  /** Changes the body after signing. */
  tamper?: (body: string) => string;
  unsigned?: boolean;
}

function slackBody(text: string, r: SlackRequest = {}) {
  return new URLSearchParams({
    token: 'legacy-token-ignored',
    team_id: r.team ?? TEAM,
    team_domain: 'acme',
    channel_id: r.channel ?? INCIDENTS_CHANNEL,
    channel_name: 'incidents',
    user_id: r.user ?? ALICE,
    user_name: r.userName ?? 'alice',
    command: '/incident',
    text,
    api_app_id: 'A0APP',
    response_url: responseUrl,
    trigger_id: `${Date.now()}.${randomUUID()}`,
  }).toString();
}

/** POSTs a slash command as Slack would; returns the status and the JSON reply. */
async function slack(text: string, r: SlackRequest = {}) {
  const body = slackBody(text, r);
  const timestamp = String(Math.floor((r.timestamp ?? Date.now()) / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (!r.unsigned) {
    headers['x-slack-request-timestamp'] = timestamp;
    headers['x-slack-signature'] = slackSignature(r.secret ?? SECRET, timestamp, body);
  }
  return post(r.tamper ? r.tamper(body) : body, headers);
}

async function post(body: string, headers: Record<string, string>) {
  const response = await fetch(runtime.chatUrl, { method: 'POST', headers, body });
  return {
    status: response.status,
    reply: (await response.json()) as { response_type?: string; text: string; error?: string },
  };
}

const incidentCount = async () =>
  (await incidents.send(new ListIncidentRecordsCommand({}))).incidentRecordSummaries?.length ?? 0;

const start = async (title: string) => {
  const { status, reply } = await slack(`start checkout ${title}`);
  expect(status).toBe(200);
  const id = /`([0-9a-f]{8})`/.exec(reply.text)?.[1];
  expect(id, reply.text).toBeDefined();
  const summaries = (await incidents.send(new ListIncidentRecordsCommand({}))).incidentRecordSummaries ?? [];
  const arn = summaries.find((s) => s.arn!.split('/').pop()!.startsWith(id!))!.arn!;
  return { id: id!, arn, reply };
};

describe('request verification', () => {
  it('unsigned, wrongly signed, stale and tampered requests get 401 and change nothing', async () => {
    const before = await incidentCount();
    const refused = [
      await slack('start checkout Unsigned', { unsigned: true }),
      await slack('start checkout Wrong secret', { secret: 'not-the-secret' }),
      await slack('start checkout Stale', { timestamp: Date.now() - 6 * 60_000 }),
      await slack('list', { tamper: (body) => body.replace('text=list', 'text=start+checkout+Tampered') }),
    ];
    for (const { status, reply } of refused) {
      expect(status).toBe(401);
      expect(reply).toEqual({ error: 'invalid_request_signature' });
    }
    await runtime.changes.caughtUp();
    expect(await incidentCount()).toBe(before);
  });

  it('a replayed request gets 401 and changes nothing', async () => {
    const body = slackBody('start checkout Replayed once');
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': slackSignature(SECRET, timestamp, body),
    };
    const first = await post(body, headers);
    const count = await incidentCount();
    const replay = await post(body, headers);
    expect(first.status).toBe(200);
    expect(replay.status).toBe(401);
    expect(await incidentCount()).toBe(count);
  });
});

describe('commands', () => {
  it('start opens an incident in the channel, as the Slack user', async () => {
    const { arn, reply } = await start('Payments failing');
    expect(reply.response_type).toBe('in_channel');
    expect(reply.text).toContain('<@U0ALICE> opened');
    const { incidentRecord } = await incidents.send(new GetIncidentRecordCommand({ arn }));
    expect(incidentRecord).toMatchObject({
      title: 'Payments failing',
      impact: 3,
      incidentRecordSource: { createdBy: `slack:${TEAM}:${ALICE}` },
      lastModifiedBy: `slack:${TEAM}:${ALICE}`,
    });
  });

  it('list and show answer only the asker', async () => {
    const { id } = await start('Search is slow');
    const list = await slack('list', { user: BOB });
    expect(list.reply.response_type).toBe('ephemeral');
    expect(list.reply.text).toContain(`\`${id}\``);
    expect(list.reply.text).toContain('Search is slow');
    const show = await slack(`show ${id}`, { user: BOB });
    expect(show.reply.response_type).toBe('ephemeral');
    expect(show.reply.text).toContain('*Status:* OPEN');
    expect(show.reply.text).toContain('<@U0ALICE>');
    expect(show.reply.text).toContain(`${runtime.url}/#/incidents/${id}`);
  });

  it('impact, title, summary and note change the incident as the Slack user, visible in the timeline', async () => {
    const { id, arn } = await start('Login errors');
    const replies = [
      await slack(`impact ${id} 1`, { user: BOB, userName: 'bob' }),
      await slack(`title ${id} Login errors for EU users`, { user: BOB, userName: 'bob' }),
      await slack(`summary ${id} Token service returns 500`, { user: BOB, userName: 'bob' }),
      await slack(`note ${id} Restarted the token service`, { user: BOB, userName: 'bob' }),
    ];
    for (const { status, reply } of replies) {
      expect(status).toBe(200);
      expect(reply.response_type, reply.text).toBe('in_channel');
      expect(reply.text).toContain('<@U0BOB>');
    }
    const { incidentRecord } = await incidents.send(new GetIncidentRecordCommand({ arn }));
    expect(incidentRecord).toMatchObject({
      impact: 1,
      title: 'Login errors for EU users',
      summary: 'Token service returns 500',
      lastModifiedBy: `slack:${TEAM}:${BOB}`,
    });
    const events = (await incidents.send(new ListTimelineEventsCommand({ incidentRecordArn: arn }))).eventSummaries!;
    const details = await Promise.all(
      events.map(
        async (e) =>
          (await incidents.send(new GetTimelineEventCommand({ incidentRecordArn: arn, eventId: e.eventId! }))).event!,
      ),
    );
    const updates = details.filter((e) => e.eventType === 'SSM Incident Record Update');
    expect(updates).toHaveLength(3);
    for (const update of updates) expect(JSON.parse(update.eventData!).modifiedBy).toBe(`slack:${TEAM}:${BOB}`);
    const note = details.find((e) => e.eventType === 'Custom Event')!;
    expect(note.eventData).toBe('Restarted the token service\n\n— @bob (Slack U0BOB)');
    // The chat channel hears about it, naming who changed what.
    await runtime.changes.caughtUp();
    const updated = runtime.notifications
      .notifications()
      .filter((n) => n.TopicArn === CHAT_TOPIC && JSON.parse(n.Message).metadata.threadId.includes(id));
    expect(updated.some((n) => JSON.parse(n.Message).content.description.includes('*Changed by:* <@U0BOB>'))).toBe(
      true,
    );
  });

  it('resolve is allowed to Alice only; Bob is told why not', async () => {
    const { id, arn } = await start('Cache misses');
    const bob = await slack(`resolve ${id}`, { user: BOB });
    expect(bob.reply).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Not allowed') });
    expect((await incidents.send(new GetIncidentRecordCommand({ arn }))).incidentRecord?.status).toBe('OPEN');
    const alice = await slack(`resolve ${id}`);
    expect(alice.reply.response_type).toBe('in_channel');
    expect((await incidents.send(new GetIncidentRecordCommand({ arn }))).incidentRecord?.status).toBe('RESOLVED');
    expect((await slack(`resolve ${id}`)).reply.text).toContain('already resolved');
  });

  it('ack acknowledges the caller s page for the incident (deferred, result via response_url)', async () => {
    const { arn: aliceArn } = await createContact(contacts, { Alias: aliceAlias });
    const mail = await createChannel(contacts, aliceArn, { DeliveryAddress: { SimpleAddress: 'alice@example.com' } });
    await contacts.send(
      new ActivateContactChannelCommand({ ContactChannelId: mail, ActivationCode: activationCodeOf(runtime, mail)! }),
    );
    await contacts.send(
      new UpdateContactCommand({
        ContactId: aliceArn,
        Plan: { Stages: [{ DurationInMinutes: 5, Targets: [{ ChannelTargetInfo: { ContactChannelId: mail } }] }] },
      }),
    );
    const mapped = { alias: aliceAlias, arn: aliceArn, channels: { mail } };
    await incidents.send(
      new CreateResponsePlanCommand({
        name: 'paging',
        incidentTemplate: { title: 'Paging test', impact: 2 },
        engagements: [mapped.arn],
      }),
    );
    const started = await slack('start paging Orders stuck');
    const id = /`([0-9a-f]{8})`/.exec(started.reply.text)![1]!;
    const page = await eventually(() => pagesTo(runtime, mapped)[0], 15_000, 'the page');
    followUps.length = 0;
    const { reply } = await slack(`ack ${id}`);
    expect(reply).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Working') });
    await runtime.chatSettled();
    expect(followUps).toEqual([
      expect.objectContaining({
        response_type: 'in_channel',
        text: expect.stringContaining('acknowledged their page'),
      }),
    ]);
    const described = await contacts.send(new DescribePageCommand({ PageId: page.pageArn }));
    expect(described.ReadTime).toBeInstanceOf(Date);
  });

  it('refuses other workspaces, unknown users, and start outside the incidents channel', async () => {
    const cases = [
      await slack('list', { team: 'T0OTHER' }),
      await slack('list', { user: 'U0MALLORY' }),
      await slack('start checkout Nope', { channel: 'C0RANDOM' }),
    ];
    for (const { status, reply } of cases) {
      expect(status).toBe(200);
      expect(reply).toMatchObject({
        response_type: 'ephemeral',
        text: expect.stringMatching(/^:no_entry: Not allowed/),
      });
    }
  });

  it('text keeps what the user typed (Slack sends &, < and > as entities) and replies escape it again', async () => {
    const { id, arn } = await start('Escaping');
    const { reply } = await slack(`note ${id} a &amp; b &lt;https://x.example&gt;`);
    expect(reply.text).toContain('>a &amp; b &lt;https://x.example&gt;');
    const events = (await incidents.send(new ListTimelineEventsCommand({ incidentRecordArn: arn }))).eventSummaries!;
    const note = events.find((e) => e.eventType === 'Custom Event')!;
    const { event } = await incidents.send(
      new GetTimelineEventCommand({ incidentRecordArn: arn, eventId: note.eventId! }),
    );
    expect(event?.eventData?.startsWith('a & b <https://x.example>')).toBe(true);
  });

  it('help, usage mistakes and unknown incidents are explained to the asker', async () => {
    expect((await slack('help')).reply.text).toContain('/incident ack [incident]');
    expect((await slack('impact 9')).reply).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('from 1 to 5'),
    });
    expect((await slack('show 00000000')).reply.text).toContain('No incident has an id starting with `00000000`');
    expect((await slack('start no-such-plan')).reply.text).toMatch(/^:x: /);
  });
});
