/**
 * The functions that consume the table's change stream, and which item types each needs to see. Defined once: the CDK
 * stack turns `entityTypes` into the event source mapping's filter (so the function is not even invoked for other
 * writes), and the local stream reader applies the same filter before calling the same handler.
 */
export interface StreamConsumerSpec {
  /** The item types (`entityType`) whose changes can matter to this consumer. */
  entityTypes: readonly string[];
}

export const STREAM_CONSUMERS = {
  /**
   * Reacts to incident changes with work that must happen (paging starts and stops, runbooks start), and counts
   * incidents and acknowledgements (page items: their acknowledgement is a change of the page).
   */
  incidentReactor: { entityTypes: ['Incident', 'Page'] },
  /**
   * Tells the world: SNS notifications to the incident's targets and chat channel, integration events on EventBridge
   * (core/notifications). Its own sent-markers are of another entity type, so they never invoke it.
   */
  notifier: { entityTypes: ['Incident', 'TimelineEvent', 'RelatedItem', 'Engagement', 'Page', 'ActionItem'] },
} as const satisfies Record<string, StreamConsumerSpec>;

export type StreamConsumerName = keyof typeof STREAM_CONSUMERS;

/** Whether a stream record's item (new image, or old image for a delete) is of one of the types. */
export const recordMatches = (
  spec: StreamConsumerSpec,
  record: { dynamodb?: { NewImage?: Record<string, unknown>; OldImage?: Record<string, unknown> } },
): boolean => {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  const entityType = (image?.entityType as { S?: string } | undefined)?.S;
  return entityType !== undefined && spec.entityTypes.includes(entityType);
};
