/**
 * Everything the incident page shows, loaded once and shared by its tabs: the record, the whole timeline with each
 * event's data (ListTimelineEvents returns summaries only, so each event is read with GetTimelineEvent, a few at a
 * time), and the related items.
 */
import {
  GetIncidentRecordCommand,
  GetTimelineEventCommand,
  type IncidentRecord,
  ListRelatedItemsCommand,
  ListTimelineEventsCommand,
  type RelatedItem,
  type SSMIncidentsClient,
  type TimelineEvent,
} from '@aws-sdk/client-ssm-incidents';
import type { Async } from '../../ui/components.tsx';
import { useAsync } from '../../ui/components.tsx';

const CONCURRENT_READS = 6;

export async function loadTimeline(client: SSMIncidentsClient, incidentRecordArn: string): Promise<TimelineEvent[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListTimelineEventsCommand({
        incidentRecordArn,
        sortBy: 'EVENT_TIME',
        sortOrder: 'ASCENDING',
        maxResults: 100,
        nextToken,
      }),
    );
    for (const event of page.eventSummaries ?? []) if (event.eventId) ids.push(event.eventId);
    nextToken = page.nextToken;
  } while (nextToken);
  const events: TimelineEvent[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const index = next++;
      const { event } = await client.send(new GetTimelineEventCommand({ incidentRecordArn, eventId: ids[index] }));
      if (event) events[index] = event;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_READS, ids.length) }, worker));
  return events.filter(Boolean);
}

export async function loadRelatedItems(client: SSMIncidentsClient, incidentRecordArn: string): Promise<RelatedItem[]> {
  const items: RelatedItem[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListRelatedItemsCommand({ incidentRecordArn, maxResults: 100, nextToken }));
    items.push(...(page.relatedItems ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return items;
}

export interface IncidentData {
  arn: string;
  incident: Async<IncidentRecord>;
  timeline: Async<TimelineEvent[]>;
  relatedItems: Async<RelatedItem[]>;
  /** After a change: the record and the timeline (every change adds an event). */
  refresh: () => Promise<void>;
}

export function useIncidentData(client: SSMIncidentsClient, arn: string): IncidentData {
  const incident = useAsync(async () => {
    const { incidentRecord } = await client.send(new GetIncidentRecordCommand({ arn }));
    if (!incidentRecord) throw new Error('The API returned no incident record');
    return incidentRecord;
  }, [client, arn]);
  const timeline = useAsync(() => loadTimeline(client, arn), [client, arn]);
  const relatedItems = useAsync(() => loadRelatedItems(client, arn), [client, arn]);
  return {
    arn,
    incident,
    timeline,
    relatedItems,
    refresh: async () => {
      await Promise.all([incident.reload(), timeline.reload()]);
    },
  };
}
