/**
 * What the ssm-contacts core needs from the outside, in domain words: storage (ContactsStore, implemented on the one
 * DynamoDB table by lambdas/adapters/dynamodb/contacts-store.ts) and message delivery (MessageSender, messaging.ts).
 * A separate port from IncidentsStore: the two services share the table and the Table helpers, not their operations.
 *
 * Records are camelCase with epoch-millisecond instants; the operations convert from and to the wire (PascalCase,
 * epoch seconds). Invariants that need atomicity are the adapter's job, stated here as method contracts.
 */
import type { DomainError } from '#core/shared/errors.ts';
import type { IdempotencyKey, IdempotencyRecords, Page, Tags, Versioned } from '#core/shared/storage.ts';
import type { RecurrenceSettings } from './rotations/index.ts';

export type ContactType = 'PERSONAL' | 'ESCALATION' | 'ONCALL_SCHEDULE';
export const CONTACT_TYPES = ['PERSONAL', 'ESCALATION', 'ONCALL_SCHEDULE'] as const satisfies readonly ContactType[];
export type ChannelType = 'SMS' | 'VOICE' | 'EMAIL';
export const CHANNEL_TYPES = ['SMS', 'VOICE', 'EMAIL'] as const satisfies readonly ChannelType[];
export type ActivationStatus = 'ACTIVATED' | 'NOT_ACTIVATED';

export interface ChannelTarget {
  contactChannelId: string;
  retryIntervalInMinutes?: number;
}

export interface ContactTarget {
  contactId: string;
  isEssential: boolean;
}

/** Exactly one of the two is set. */
export interface PlanTarget {
  channelTargetInfo?: ChannelTarget;
  contactTargetInfo?: ContactTarget;
}

export interface PlanStage {
  durationInMinutes: number;
  targets: PlanTarget[];
}

export interface Plan {
  stages: PlanStage[];
  rotationIds?: string[];
}

export interface ContactRecord {
  arn: string;
  alias: string;
  type: ContactType;
  displayName?: string;
  plan: Plan;
  tags: Tags;
  /** PutContactPolicy's document. */
  policy?: string;
  createdTime: number;
  lastModifiedTime: number;
}

export interface PendingActivation {
  /** sha256 of the code (the code itself is only ever in the message that delivered it). */
  codeHash: string;
  sentTime: number;
}

export interface ContactChannelRecord {
  arn: string;
  channelId: string;
  contactAlias: string;
  contactArn: string;
  name: string;
  type: ChannelType;
  /** DeliveryAddress.SimpleAddress: an E.164 number (SMS, VOICE) or an email address. */
  address: string;
  activationStatus: ActivationStatus;
  /** The last activation code sent, while the channel is not activated. */
  pendingActivation?: PendingActivation;
  /** When activation codes were sent recently (for the per-channel sending quota). */
  recentCodeSends: number[];
  createdTime: number;
}

export interface RotationRecord {
  arn: string;
  rotationId: string;
  name: string;
  /** Members in shift order (contact ARNs; a contact may appear more than once). */
  contactIds: string[];
  startTime: number;
  timeZoneId: string;
  recurrence: RecurrenceSettings;
  tags: Tags;
  createdTime: number;
  lastModifiedTime: number;
}

export interface RotationOverrideRecord {
  rotationId: string;
  overrideId: string;
  newContactIds: string[];
  startTime: number;
  endTime: number;
  createTime: number;
}

// ---- references between resources ------------------------------------------------------------------------------

/** A resource that can be referenced: a contact (by alias) or a rotation (by id). */
export type ReferenceableResource = { kind: 'contact'; alias: string } | { kind: 'rotation'; rotationId: string };

/** A reference the referrer's write must make, checked atomically with it. */
export interface ReferenceTarget {
  resource: ReferenceableResource;
  /** For contacts: the types the referenced contact may have. */
  allowedTypes?: readonly ContactType[];
  /** The error to raise when, at write time, the target does not exist (or has another type). */
  unavailable: () => DomainError;
}

/** The resource holding references (an escalation plan, an on-call schedule, a rotation) and how it relates. */
export interface Referrer {
  resource: ReferenceableResource;
  arn: string;
  /** The DependentEntity.RelationType the referenced resource reports for this referrer. */
  relationType: string;
}

/** References a write adds and removes; unchanged ones are in neither list. */
export interface ReferenceChanges {
  referrer: Referrer;
  add: ReferenceTarget[];
  remove: ReferenceableResource[];
}

/** One resource that references another (the other's dependent). */
export interface Dependent {
  relationType: string;
  referrerArn: string;
}

export type ContactsTaggable = ReferenceableResource;

export interface ContactQuery {
  aliasPrefix?: string;
  type?: ContactType;
}

export interface TimeWindow {
  from: number;
  to: number;
}

/** A window of overrides to list, with a bound on their start that lets the store skip old ones unread. */
export interface OverrideWindow extends TimeWindow {
  /** No override overlapping the window starts before this (overrides have a maximum length). */
  earliestStart?: number;
}

export interface ContactsStore extends IdempotencyRecords {
  // Contacts (and their plans' references)
  /** ConflictError when the alias is taken; a reference's `unavailable()` when a target is gone. */
  createContact(
    contact: ContactRecord,
    references: ReferenceChanges,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<void>;
  getContact(alias: string): Promise<Versioned<ContactRecord> | undefined>;
  /** StaleVersionError when the contact changed since `expectedVersion` (including being referenced anew). */
  replaceContact(contact: ContactRecord, expectedVersion: number, references: ReferenceChanges): Promise<void>;
  /**
   * Deletes the contact, its channels and its outgoing references. StaleVersionError when the contact changed
   * since `expectedVersion` (a new reference to it bumps the version, so a delete never races a new dependent).
   */
  deleteContact(alias: string, expectedVersion: number, references: ReferenceChanges): Promise<void>;
  listContacts(query: ContactQuery, maxResults: number, nextToken: string | undefined): Promise<Page<ContactRecord>>;
  /** Who references a contact or rotation now (at most `limit`). */
  dependentsOf(resource: ReferenceableResource, limit: number): Promise<Dependent[]>;

  // Contact channels (in their contact's item collection)
  /**
   * Creates the channel if its contact exists and is PERSONAL (`contactUnavailable()` otherwise); a repeated
   * idempotency token returns the first channel's ARN and writes nothing.
   */
  createContactChannel(
    channel: ContactChannelRecord,
    contactUnavailable: () => DomainError,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ arn: string; replayed: boolean }>;
  getContactChannel(alias: string, channelId: string): Promise<Versioned<ContactChannelRecord> | undefined>;
  replaceContactChannel(channel: ContactChannelRecord, expectedVersion: number): Promise<void>;
  /** Returns false when there was no such channel. */
  deleteContactChannel(alias: string, channelId: string): Promise<boolean>;
  listContactChannels(
    alias: string,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<ContactChannelRecord>>;
  /** Every channel of a contact (plan validation); at most `limit`. */
  contactChannelIds(alias: string, limit: number): Promise<string[]>;

  // Rotations and their overrides
  createRotation(
    rotation: RotationRecord,
    references: ReferenceChanges,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ arn: string; replayed: boolean }>;
  getRotation(rotationId: string): Promise<Versioned<RotationRecord> | undefined>;
  replaceRotation(rotation: RotationRecord, expectedVersion: number, references: ReferenceChanges): Promise<void>;
  /** Deletes the rotation, its overrides and its outgoing references; StaleVersionError as for contacts. */
  deleteRotation(rotationId: string, expectedVersion: number, references: ReferenceChanges): Promise<void>;
  listRotations(
    namePrefix: string | undefined,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<RotationRecord>>;

  /** Creates the override if the rotation still exists (`rotationUnavailable()` otherwise). */
  createRotationOverride(
    override: RotationOverrideRecord,
    rotationUnavailable: () => DomainError,
    idempotency: IdempotencyKey | undefined,
    now: number,
  ): Promise<{ overrideId: string; replayed: boolean }>;
  getRotationOverride(rotationId: string, overrideId: string): Promise<RotationOverrideRecord | undefined>;
  deleteRotationOverride(rotationId: string, overrideId: string): Promise<boolean>;
  /** Overrides overlapping the window, by start time. */
  listRotationOverrides(
    rotationId: string,
    window: OverrideWindow,
    maxResults: number,
    nextToken: string | undefined,
  ): Promise<Page<RotationOverrideRecord>>;

  // Tags (a map on the contact's or rotation's own item)
  getTags(resource: ContactsTaggable): Promise<Versioned<Tags> | undefined>;
  replaceTags(resource: ContactsTaggable, tags: Tags, expectedVersion: number): Promise<void>;
}
