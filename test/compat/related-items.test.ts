/**
 * Related items through the official client: items sent with StartIncident, UpdateRelatedItems add/remove,
 * ListRelatedItems with paging, and the record-update timeline event each change leaves.
 */
import {
  GetTimelineEventCommand,
  ListRelatedItemsCommand,
  paginateListRelatedItems,
  type RelatedItem,
  ResourceNotFoundException,
  type SSMIncidentsClient,
  UpdateRelatedItemsCommand,
} from '@aws-sdk/client-ssm-incidents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, TEST_ACCOUNT, type TestRuntime } from '../support/local-runtime.ts';
import { allTimelineEvents, createPlan, eventDataOf, startIncident } from './helpers.ts';

const GENERATED_ID = /^related-item\/[A-Z_]+\/[0-9A-F]{32}$/;

async function listAll(client: SSMIncidentsClient, incidentRecordArn: string, pageSize?: number) {
  const items: RelatedItem[] = [];
  for await (const page of paginateListRelatedItems(
    { client, ...(pageSize ? { pageSize } : {}) },
    { incidentRecordArn },
  ))
    items.push(...(page.relatedItems ?? []));
  return items;
}

const withoutIds = (items: RelatedItem[]) => items.map(({ generatedId: _id, ...rest }) => rest);

describe('related items', () => {
  let runtime: TestRuntime;
  let client: SSMIncidentsClient;
  beforeAll(async () => {
    runtime = await startTestRuntime();
    client = runtime.incidentsClient();
  });
  afterAll(() => runtime?.stop());

  const newIncident = async (relatedItems?: RelatedItem[]) =>
    startIncident(client, (await createPlan(client)).arn, relatedItems ? { relatedItems } : {});

  it('lists the items sent with StartIncident, each with a server-generated id', async () => {
    // Prepare
    const sent: RelatedItem[] = [
      { identifier: { type: 'OTHER', value: { url: 'https://example.com/runbook' } }, title: 'Runbook' },
      {
        identifier: {
          type: 'INVOLVED_RESOURCE',
          value: { arn: `arn:aws:dynamodb:us-east-1:${TEST_ACCOUNT}:table/orders` },
        },
        title: 'Orders table',
      },
    ];

    // Act
    const arn = await newIncident(sent);
    const listed = await client.send(new ListRelatedItemsCommand({ incidentRecordArn: arn }));

    // Assess
    expect(listed.$metadata.httpStatusCode).toBe(200);
    expect(withoutIds(listed.relatedItems!)).toEqual(expect.arrayContaining(sent));
    expect(listed.relatedItems).toHaveLength(2);
    for (const item of listed.relatedItems!) expect(item.generatedId).toMatch(GENERATED_ID);
    const types = listed.relatedItems!.map((item) => item.generatedId!.split('/')[1]).sort();
    expect(types).toEqual(['INVOLVED_RESOURCE', 'OTHER']);
  });

  it('adds an item (204) and removes it again by its identifier', async () => {
    // Prepare
    const arn = await newIncident();
    const metric = {
      identifier: {
        type: 'METRIC' as const,
        value: { metricDefinition: '{"namespace":"AWS/EC2","metric":"CPUUtilization"}' },
      },
      title: 'CPU',
    };
    const pagerDuty = {
      identifier: {
        type: 'OTHER' as const,
        value: { pagerDutyIncidentDetail: { id: 'PD123', autoResolve: true, secretId: 'pd/secret' } },
      },
    };

    // Act
    const added = await client.send(
      new UpdateRelatedItemsCommand({ incidentRecordArn: arn, relatedItemsUpdate: { itemToAdd: metric } }),
    );
    await client.send(
      new UpdateRelatedItemsCommand({ incidentRecordArn: arn, relatedItemsUpdate: { itemToAdd: pagerDuty } }),
    );
    const afterAdd = await listAll(client, arn);
    const removed = await client.send(
      new UpdateRelatedItemsCommand({
        incidentRecordArn: arn,
        relatedItemsUpdate: { itemToRemove: metric.identifier },
      }),
    );
    const afterRemove = await listAll(client, arn);

    // Assess
    expect(added.$metadata.httpStatusCode).toBe(204);
    expect(removed.$metadata.httpStatusCode).toBe(204);
    expect(withoutIds(afterAdd)).toEqual(expect.arrayContaining([metric, pagerDuty]));
    expect(afterAdd).toHaveLength(2);
    expect(afterAdd.find((i) => i.title === 'CPU')!.generatedId).toMatch(/^related-item\/METRIC\/[0-9A-F]{32}$/);
    expect(withoutIds(afterRemove)).toEqual([pagerDuty]);
  });

  it('records each change as an SSM Incident Record Update event on the relatedItems attribute', async () => {
    // Prepare
    const arn = await newIncident();
    const item = {
      identifier: { type: 'ATTACHMENT' as const, value: { url: 'https://example.com/graph.png' } },
      title: 'Graph',
    };

    // Act
    await client.send(
      new UpdateRelatedItemsCommand({ incidentRecordArn: arn, relatedItemsUpdate: { itemToAdd: item } }),
    );
    const [listedItem] = await listAll(client, arn);
    const updates = await allTimelineEvents(client, {
      incidentRecordArn: arn,
      filters: [{ key: 'eventType', condition: { equals: { stringValues: ['SSM Incident Record Update'] } } }],
    });
    const { event } = await client.send(
      new GetTimelineEventCommand({ incidentRecordArn: arn, eventId: updates[0]!.eventId }),
    );

    // Assess
    expect(updates).toHaveLength(1);
    const data = eventDataOf(event!.eventData);
    const [attribute] = data.modifiedAttributes as { attributeName: string; newValue: string }[];
    expect(attribute!.attributeName).toBe('relatedItems');
    expect(JSON.parse(attribute!.newValue)).toMatchObject({
      itemToAdd: { identifier: item.identifier, title: 'Graph' },
    });
    expect(event!.eventReferences).toContainEqual({ relatedItemId: listedItem!.generatedId });
  });

  it('pages through related items with paginateListRelatedItems and a small pageSize', async () => {
    // Prepare
    const sent: RelatedItem[] = Array.from({ length: 7 }, (_, i) => ({
      identifier: { type: 'OTHER', value: { url: `https://example.com/doc/${i}` } },
      title: `doc ${i}`,
    }));
    const arn = await newIncident(sent);

    // Act
    const pages: number[] = [];
    const collected: RelatedItem[] = [];
    for await (const page of paginateListRelatedItems({ client, pageSize: 3 }, { incidentRecordArn: arn })) {
      pages.push(page.relatedItems!.length);
      collected.push(...page.relatedItems!);
    }

    // Assess
    expect(pages.every((n) => n <= 3)).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(collected).toHaveLength(7);
    expect(new Set(collected.map((i) => i.generatedId)).size).toBe(7);
    expect(withoutIds(collected)).toEqual(expect.arrayContaining(sent));
  });

  it('answers UpdateRelatedItems on an unknown incident with ResourceNotFoundException', async () => {
    // Prepare
    const { name } = await createPlan(client);
    const arn = `arn:aws:ssm-incidents::${TEST_ACCOUNT}:incident-record/${name}/12345678-1234-1234-1234-123456789012`;

    // Act
    const error = await client
      .send(
        new UpdateRelatedItemsCommand({
          incidentRecordArn: arn,
          relatedItemsUpdate: { itemToAdd: { identifier: { type: 'OTHER', value: { url: 'https://example.com' } } } },
        }),
      )
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
  });
});
