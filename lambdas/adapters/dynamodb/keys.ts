/**
 * Every key the domain writes, in one place. Layout and access patterns: docs/data-model.md.
 */

import type { ContactType } from '#core/contacts/ports.ts';
import type { IncidentStatus } from '#core/incidents/ports.ts';
import { sha256Hex } from '#core/shared/ids.ts';
import { sortableMillis } from '#core/shared/time.ts';
import { INDEXES, LOCAL_INDEXES, TABLE_KEYS } from '#runtime/table-schema.ts';

const TRIGGER_EVENT_ID_PREFIX = 't';
const incidentsOfImpactPartition = (impact: number) => `INCIDENTS#IMPACT#${impact}`;
const incidentsOfCreatorPartition = (createdBy: string) => `INCIDENTS#BY#${sha256Hex(createdBy).slice(0, 32)}`;
const timelineTypePrefix = (eventType: string) => `TYPE#${eventType}#`;
const timelineReferencePrefix = (value: string) => `REF#${sha256Hex(value).slice(0, 32)}#`;

export const keys = {
  responsePlan: (name: string) => ({ pk: `PLAN#${name}`, sk: 'PLAN' }),
  responsePlanList: (name: string) => ({ gsi1pk: 'PLANS', gsi1sk: name }),
  resourcePolicy: (planName: string, policyId: string) => ({ pk: `PLAN#${planName}`, sk: `POLICY#${policyId}` }),
  resourcePolicyPrefix: 'POLICY#',

  incident: (incidentId: string) => ({ pk: `INC#${incidentId}`, sk: 'INC' }),
  incidentPartition: (incidentId: string) => `INC#${incidentId}`,
  /** Newest first across all incidents; the id breaks ties between equal creation times. */
  incidentList: (creationTime: number, incidentId: string) => ({
    gsi1pk: 'INCIDENTS',
    gsi1sk: `${sortableMillis(creationTime)}#${incidentId}`,
  }),
  incidentByStatus: (status: IncidentStatus, creationTime: number, incidentId: string) => ({
    gsi2pk: `INCIDENTS#${status}`,
    gsi2sk: `${sortableMillis(creationTime)}#${incidentId}`,
  }),
  /** Incidents of one impact; the status leads the sort key, so "open incidents of impact 1" is one range. */
  incidentByImpact: (impact: number, status: IncidentStatus, creationTime: number, incidentId: string) => ({
    gsi3pk: incidentsOfImpactPartition(impact),
    gsi3sk: `${status}#${sortableMillis(creationTime)}#${incidentId}`,
  }),
  incidentsOfImpactPartition,
  /** Incidents one principal created (ARNs can be long, hence hashed), by status then newest first. */
  incidentByCreator: (createdBy: string, status: IncidentStatus, creationTime: number, incidentId: string) => ({
    gsi4pk: incidentsOfCreatorPartition(createdBy),
    gsi4sk: `${status}#${sortableMillis(creationTime)}#${incidentId}`,
  }),
  incidentsOfCreatorPartition,
  /** One guard per dedupe key while an incident with that key is open: the dedupe invariant in one item. */
  dedupeGuard: (dedupeKey: string) => ({ pk: `DEDUPE#${sha256Hex(dedupeKey)}`, sk: 'DEDUPE' }),

  timelineEvent: (incidentId: string, eventId: string) => ({ pk: `INC#${incidentId}`, sk: `EVT#${eventId}` }),
  timelineEventPrefix: 'EVT#',
  /** Every event but a trigger, in the local index by event time (triggers have their own range, below). */
  timelineByTime: (eventTime: number, eventId: string) => ({ lsi1sk: `EVT#${sortableMillis(eventTime)}#${eventId}` }),
  /**
   * Trigger events (`SSM Incident Trigger`, never edited) are keyed by time: their id is `t<15-digit ms><20 hex>`,
   * so their own items, `EVT#t...`, are the incident's triggers in time order (no index entry needed). UUIDs, the
   * ids of every other event, are hexadecimal and never start with `t`.
   */
  triggerEventId: (eventTime: number, suffix: string) =>
    `${TRIGGER_EVENT_ID_PREFIX}${sortableMillis(eventTime)}${suffix}`,
  triggerEventRange: `EVT#${TRIGGER_EVENT_ID_PREFIX}`,
  /**
   * A trigger written before triggers were time-keyed (its id is a UUID, its item in the local index) is listed in
   * the triggers' range through this entry, `EVT#t<ms>#<uuid>`, which sorts among the time-keyed ids by time.
   */
  legacyTriggerEntry: (incidentId: string, eventTime: number, eventId: string) => ({
    pk: `INC#${incidentId}`,
    sk: `EVT#${TRIGGER_EVENT_ID_PREFIX}${sortableMillis(eventTime)}#${eventId}`,
  }),
  /** An index entry for an event's type, in its incident's partition, by event time (not for triggers). */
  timelineTypeEntry: (incidentId: string, eventType: string, eventTime: number, eventId: string) => ({
    pk: `INC#${incidentId}`,
    sk: `${timelineTypePrefix(eventType)}${sortableMillis(eventTime)}#${eventId}`,
  }),
  timelineTypePrefix,
  /** An index entry for one of an event's references (any value up to 1,000 characters, hence hashed). */
  timelineReferenceEntry: (incidentId: string, value: string, eventTime: number, eventId: string) => ({
    pk: `INC#${incidentId}`,
    sk: `${timelineReferencePrefix(value)}${sortableMillis(eventTime)}#${eventId}`,
  }),
  timelineReferencePrefix,
  /** A trigger payload stored once per incident and content; trigger events compress against it. */
  timelinePayload: (incidentId: string, payloadKey: string) => ({
    pk: `INC#${incidentId}`,
    sk: `PAYLOAD#${payloadKey}`,
  }),

  relatedItem: (incidentId: string, generatedId: string) => ({ pk: `INC#${incidentId}`, sk: `REL#${generatedId}` }),
  relatedItemPrefix: 'REL#',

  replicationSet: () => ({ pk: 'REPLICATION_SET', sk: 'REPLICATION_SET' }),

  triggerMapping: (sourceArn: string) => ({ pk: `TRIGGER#${sourceArn}`, sk: 'TRIGGER' }),

  /** A runbook: an SSM automation execution started for an incident (found by the execution id its events carry). */
  runbook: (executionId: string) => ({ pk: `RUNBOOK#${executionId}`, sk: 'RUNBOOK' }),

  // ---- ssm-contacts ----
  contactPartition: (alias: string) => `CONTACT#${alias}`,
  contact: (alias: string) => ({ pk: `CONTACT#${alias}`, sk: 'CONTACT' }),
  /** All contacts by alias (AliasPrefix is a begins_with on the sort key). */
  contactList: (alias: string) => ({ gsi1pk: 'CONTACTS', gsi1sk: alias }),
  /** Contacts of one type by alias (ListContacts with Type). */
  contactByType: (type: ContactType, alias: string) => ({ gsi2pk: `CONTACTS#${type}`, gsi2sk: alias }),
  contactChannel: (alias: string, channelId: string) => ({ pk: `CONTACT#${alias}`, sk: `CHANNEL#${channelId}` }),
  contactChannelPrefix: 'CHANNEL#',
  /** A contact's channels in creation order. */
  channelByCreation: (createdTime: number, channelId: string) => ({
    lsi1sk: `CHANNEL#${sortableMillis(createdTime)}#${channelId}`,
  }),

  rotationPartition: (rotationId: string) => `ROTATION#${rotationId}`,
  rotation: (rotationId: string) => ({ pk: `ROTATION#${rotationId}`, sk: 'ROTATION' }),
  /** Rotations by name (names are not unique; the id breaks ties). */
  rotationList: (name: string, rotationId: string) => ({ gsi1pk: 'ROTATIONS', gsi1sk: `${name}#${rotationId}` }),
  rotationOverride: (rotationId: string, overrideId: string) => ({
    pk: `ROTATION#${rotationId}`,
    sk: `OVERRIDE#${overrideId}`,
  }),
  rotationOverridePrefix: 'OVERRIDE#',
  /** A rotation's overrides by start time. */
  overrideByStart: (startTime: number, overrideId: string) => ({
    lsi1sk: `OVERRIDE#${sortableMillis(startTime)}#${overrideId}`,
  }),

  /**
   * A reference to a contact or rotation, kept in the referenced resource's item collection so one Query finds its
   * dependents: `REF#CONTACT#<alias>` (an escalation plan or on-call schedule) or `REF#ROTATION#<id>`.
   */
  reference: (referencedPartition: string, referrerKind: 'CONTACT' | 'ROTATION', referrerId: string) => ({
    pk: referencedPartition,
    sk: `REF#${referrerKind}#${referrerId}`,
  }),
  referencePrefix: 'REF#',

  // ---- ssm-contacts engagements and pages ----
  engagement: (engagementId: string) => ({ pk: `ENGAGEMENT#${engagementId}`, sk: 'ENGAGEMENT' }),
  /** All engagements (roots and the contacts they engaged) by start time (ListEngagements). */
  engagementList: (startTime: number, engagementId: string) => ({
    gsi1pk: 'ENGAGEMENTS',
    gsi1sk: `${sortableMillis(startTime)}#${engagementId}`,
  }),
  /** The engagements of one IncidentId (any string up to 1,024 characters, hence hashed) by start time. */
  engagementByIncident: (incidentId: string, startTime: number, engagementId: string) => ({
    gsi2pk: `ENGAGEMENTS#${sha256Hex(incidentId)}`,
    gsi2sk: `${sortableMillis(startTime)}#${engagementId}`,
  }),
  engagementsOfIncidentPartition: (incidentId: string) => `ENGAGEMENTS#${sha256Hex(incidentId)}`,
  page: (pageId: string) => ({ pk: `PAGE#${pageId}`, sk: 'PAGE' }),
  /** A contact's pages by creation time (ListPagesByContact). */
  pageByContact: (alias: string, createdTime: number, pageId: string) => ({
    gsi1pk: `PAGES#CONTACT#${alias}`,
    gsi1sk: `${sortableMillis(createdTime)}#${pageId}`,
  }),
  /** The pages of an engagement tree by creation time (ListPagesByEngagement; the worker's re-sends). */
  pageByEngagement: (rootEngagementId: string, createdTime: number, pageId: string) => ({
    gsi2pk: `PAGES#ENGAGEMENT#${rootEngagementId}`,
    gsi2sk: `${sortableMillis(createdTime)}#${pageId}`,
  }),
  /** The pages of the one engagement that created them (a contact's engagement inside a tree), by creation time. */
  pageOfEngagement: (engagementId: string, createdTime: number, pageId: string) => ({
    gsi4pk: `PAGES#OF#${engagementId}`,
    gsi4sk: `${sortableMillis(createdTime)}#${pageId}`,
  }),
  /** A page's receipts, in its item collection, by time. */
  pageReceipt: (pageId: string, receiptTime: number, sequence: string) => ({
    pk: `PAGE#${pageId}`,
    sk: `RECEIPT#${sortableMillis(receiptTime)}#${sequence}`,
  }),
  pageReceiptPrefix: 'RECEIPT#',

  // ---- paging per incident (issue 13: one page stream per person, acknowledgements that count everywhere) ----
  /** Who pages one person for one IncidentId, and their acknowledgement of it. */
  personClaim: (incidentId: string, alias: string) => ({
    pk: `PAGING#${sha256Hex(incidentId)}`,
    sk: `CONTACT#${alias}`,
  }),
  /** The latest essential acknowledgement of one IncidentId. */
  incidentPaging: (incidentId: string) => ({ pk: `PAGING#${sha256Hex(incidentId)}`, sk: 'INCIDENT' }),
  /** SMS reply lookup: a sender's number (hashed) and the hash of number and code, per page. */
  smsReply: (address: string, key: string, pageId: string) => ({
    pk: `SMSREPLY#${sha256Hex(address)}`,
    sk: `${key}#${pageId}`,
  }),
  smsReplyPartition: (address: string) => `SMSREPLY#${sha256Hex(address)}`,

  // ---- post-incident analysis ----
  analysisTemplate: (name: string) => ({ pk: `ANALYSIS_TEMPLATE#${name}`, sk: 'TEMPLATE' }),
  /** Stored templates by name (the built-in one is not stored). */
  analysisTemplateList: (name: string) => ({ gsi1pk: 'ANALYSIS_TEMPLATES', gsi1sk: name }),
  /** Every version of a template, in its item collection, oldest first. */
  analysisTemplateVersion: (name: string, templateVersion: number) => ({
    pk: `ANALYSIS_TEMPLATE#${name}`,
    sk: `VERSION#${String(templateVersion).padStart(6, '0')}`,
  }),
  analysisTemplateVersionPrefix: 'VERSION#',

  analysisPartition: (analysisId: string) => `ANALYSIS#${analysisId}`,
  /**
   * The analysis item. Its collection sorts ACTION#... < ANALYSIS < SECTION#... < TL#..., so one Query between
   * `ACTION#` and `SECTION#~` reads the analysis, its sections and its action items, and never its timeline copy.
   */
  analysis: (analysisId: string) => ({ pk: `ANALYSIS#${analysisId}`, sk: 'ANALYSIS' }),
  analysisWithoutTimeline: { from: 'ACTION#', to: 'SECTION#~' },
  /** All analyses, newest first. */
  analysisList: (createdTime: number, analysisId: string) => ({
    gsi1pk: 'ANALYSES',
    gsi1sk: `${sortableMillis(createdTime)}#${analysisId}`,
  }),
  /** The analyses of one incident, newest first. */
  analysisByIncident: (incidentId: string, createdTime: number, analysisId: string) => ({
    gsi2pk: `ANALYSES#${incidentId}`,
    gsi2sk: `${sortableMillis(createdTime)}#${analysisId}`,
  }),
  analysisSection: (analysisId: string, sectionId: string) => ({
    pk: `ANALYSIS#${analysisId}`,
    sk: `SECTION#${sectionId}`,
  }),
  /** The analysis's copy of the timeline: by event id in the table, by event time on lsi1. */
  analysisTimelineEvent: (analysisId: string, eventId: string) => ({
    pk: `ANALYSIS#${analysisId}`,
    sk: `TL#${eventId}`,
  }),
  analysisTimelineByTime: (eventTime: number, eventId: string) => ({
    lsi1sk: `ATL#${sortableMillis(eventTime)}#${eventId}`,
  }),
  /** An incident's one-per-incident analysis claim: exists while that analysis exists. */
  analysisClaim: (incidentId: string) => ({ pk: `ANALYSIS_CLAIM#${incidentId}`, sk: 'CLAIM' }),

  actionItem: (analysisId: string, itemId: string) => ({ pk: `ANALYSIS#${analysisId}`, sk: `ACTION#${itemId}` }),
  actionItemPrefix: 'ACTION#',
  /** Every action item, newest first. */
  actionItemList: (createdTime: number, itemId: string) => ({
    gsi1pk: 'ACTION_ITEMS',
    gsi1sk: `${sortableMillis(createdTime)}#${itemId}`,
  }),
  /**
   * Action items of one status across all analyses, by due date (items without one last), then creation: "what is
   * still open from past incidents" is one Query, whatever the number of analyses.
   */
  actionItemByStatus: (status: string, dueDate: number | undefined, createdTime: number, itemId: string) => ({
    gsi2pk: `ACTION_ITEMS#${status}`,
    gsi2sk: `${dueDate === undefined ? '9'.repeat(15) : sortableMillis(dueDate)}#${sortableMillis(createdTime)}#${itemId}`,
  }),

  /** Response facts of one incident (what the response metrics aggregate). */
  responseFacts: (incidentId: string) => ({ pk: `RESPONSE_FACTS#${incidentId}`, sk: 'FACTS' }),
  responseFactsList: (creationTime: number, incidentId: string) => ({
    gsi1pk: 'RESPONSE_FACTS',
    gsi1sk: `${sortableMillis(creationTime)}#${incidentId}`,
  }),
  // ---- notifications and chat ----
  /** The topics a change was notified to (its dedup key hashed: keys embed stream event ids of any length). */
  notificationMarker: (dedupKey: string) => ({ pk: `NOTIFIED#${sha256Hex(dedupKey)}`, sk: 'NOTIFIED' }),
  /** A Slack request already handled (replay guard), by its signature. */
  chatRequest: (signature: string) => ({ pk: `CHATREQ#${sha256Hex(signature)}`, sk: 'CHATREQ' }),
  // ---- workflows the local runtime resumes ----
  /**
   * Present exactly while a workflow runs (sparse): `ACTIVE#<kind>` / `<15-digit start ms>#<id>`. Written with the
   * item that starts it and removed by the write that ends it.
   */
  activeWorkflow: (kind: WorkflowKind, startTime: number, id: string) => ({
    gsi5pk: `ACTIVE#${kind}`,
    gsi5sk: `${sortableMillis(startTime)}#${id}`,
  }),
  activeWorkflowsOf: (kind: WorkflowKind) => `ACTIVE#${kind}`,
} as const;

/** The kinds of long-running workflows (one execution each) whose items carry the activeWorkflow keys. */
export type WorkflowKind = 'engagement';

/** Key attributes a nextToken may carry, per index queried. */
export const pageKeyAttributes = {
  table: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey],
  byList: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, INDEXES.byList.partitionKey, INDEXES.byList.sortKey],
  byStatus: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, INDEXES.byStatus.partitionKey, INDEXES.byStatus.sortKey],
  byImpact: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, INDEXES.byImpact.partitionKey, INDEXES.byImpact.sortKey],
  byOwner: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, INDEXES.byOwner.partitionKey, INDEXES.byOwner.sortKey],
  timelineByTime: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, LOCAL_INDEXES.timelineByTime.sortKey],
} as const;
