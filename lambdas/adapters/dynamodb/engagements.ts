/**
 * Engagements (`ENGAGEMENT#<id>`), pages (`PAGE#<id>`) and their receipts (`PAGE#<id>` / `RECEIPT#<ms>#<seq>`), on
 * the one table. Lists go through gsi1 (all engagements by start time; a contact's pages) and gsi2 (an incident's
 * engagements; an engagement tree's pages). Every paging step is a conditional write, so a repeated workflow step or
 * a concurrent acknowledgement can never page twice or page after the end (docs/data-model.md).
 */
import { ConditionalCheckFailedException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ClaimCondition,
  DeliveryState,
  EngagementQuery,
  EngagementRecord,
  EngagementStatus,
  EngagementStore,
  EscalationStageCommit,
  IncidentPagingState,
  PageRecord,
  PageSummary,
  PersonalStageCommit,
  PersonClaim,
  ReceiptRecord,
  ReplyCode,
  StageCommit,
} from '#core/contacts/engagements/model.ts';
import type { IdempotencyKey, Page } from '#core/shared/storage.ts';
import { sortableMillis } from '#core/shared/time.ts';
import { INDEXES, TTL_ATTRIBUTE } from '#runtime/table-schema.ts';
import { keys, pageKeyAttributes } from './keys.ts';
import { unmarshallItem } from './map-keys.ts';
import { type Item, type LabelledWrite, type StoreFunctions, stripStorageAttributes, type Table } from './table.ts';

const isRoot = (e: EngagementRecord) => e.rootEngagementId === e.engagementId;

export const engagementItem = (e: EngagementRecord): Item => ({
  ...keys.engagement(e.engagementId),
  ...keys.engagementList(e.startTime, e.engagementId),
  ...(e.incidentId ? keys.engagementByIncident(e.incidentId, e.startTime, e.engagementId) : {}),
  // A root engagement IS its workflow (one execution per tree): listed as active until it ends.
  ...(isRoot(e) && e.status === 'ENGAGED' ? keys.activeWorkflow('engagement', e.startTime, e.engagementId) : {}),
  entityType: 'Engagement',
  ...e,
});

export const pageItem = (p: PageRecord): Item => ({
  ...keys.page(p.pageId),
  ...keys.pageByContact(p.contactAlias, p.createdTime, p.pageId),
  ...keys.pageByEngagement(p.rootEngagementId, p.createdTime, p.pageId),
  ...keys.pageOfEngagement(p.engagementId, p.createdTime, p.pageId),
  entityType: 'Page',
  ...p,
});

const receiptItem = (r: ReceiptRecord): Item => ({
  ...keys.pageReceipt(r.pageId, r.receiptTime, r.sequence),
  entityType: 'PageReceipt',
  ...r,
});

const ENGAGED = { '#status': 'status' };

const isEngaged = (table: Table, label: string, engagementId: string): LabelledWrite => ({
  label,
  write: {
    ConditionCheck: {
      TableName: table.tableName,
      Key: keys.engagement(engagementId),
      ConditionExpression: '#status = :engaged',
      ExpressionAttributeNames: ENGAGED,
      ExpressionAttributeValues: { ':engaged': 'ENGAGED' },
    },
  },
});

const putReceipt = (table: Table, receipt: ReceiptRecord): LabelledWrite => ({
  label: 'receipt',
  write: { Put: { TableName: table.tableName, Item: receiptItem(receipt) } },
});

// ---- paging per incident (issue 13) ----------------------------------------------------------------------------
//
// Two kinds of items in the partition `PAGING#<sha256(IncidentId)>`, written only by paging transactions:
// - `CONTACT#<alias>` (PagingClaim): which engagement pages this person for the incident. A stage that pages them
//   writes it in the same transaction as its pages, conditional on nobody else owning it, so a person reached by
//   two paths is paged by one. Their acknowledgement of any page of the incident is kept on it.
// - `INCIDENT` (PagingIncidentState): the latest essential acknowledgement. Every transaction that creates a page of an
//   incident checks it, so nothing pages after an essential acknowledgement commits (the stops come after).
// And SMS reply lookups (`SMSREPLY#<sha256(number)>`, one per SMS page and code, with a TTL), written with the page.

/** How long an SMS reply still finds its page: late answers are answered, a week later the code means nothing. */
const REPLY_LOOKUP_SECONDS = 7 * 24 * 3600;

/** Nothing essential acknowledged the incident since this tree began (or ever). */
const incidentNotAcknowledged = (table: Table, claim: ClaimCondition): LabelledWrite => ({
  label: 'incident',
  write: {
    ConditionCheck: {
      TableName: table.tableName,
      Key: keys.incidentPaging(claim.incidentId),
      ConditionExpression: 'attribute_not_exists(acknowledgedTime) OR acknowledgedTime < :treeStart',
      ExpressionAttributeValues: { ':treeStart': claim.treeStartTime },
    },
  },
});

/**
 * The claim on a person's page stream: taken when nobody holds it, kept by its owner, taken over from an owner that
 * ended without an acknowledgement (`replacing`, checked by the engine), or renewed by a tree that began after the
 * person's last acknowledgement (a deliberate new engagement pages them again).
 */
const claimPerson = (table: Table, e: EngagementRecord, claim: ClaimCondition): LabelledWrite => ({
  label: 'claim',
  write: {
    Put: {
      TableName: table.tableName,
      Item: {
        ...keys.personClaim(claim.incidentId, e.contactAlias),
        entityType: 'PagingClaim',
        incidentId: claim.incidentId,
        contactAlias: e.contactAlias,
        ownerEngagementId: e.engagementId,
      },
      // Not acknowledged since this tree began; and the claim is free, ours, replaceable, or answered by an
      // acknowledgement that came before this tree (whose owner then pages no more).
      ConditionExpression: `(attribute_not_exists(acknowledgedTime) OR acknowledgedTime < :treeStart) AND (${[
        'attribute_not_exists(ownerEngagementId)',
        'ownerEngagementId = :me',
        ...(claim.replacing ? ['ownerEngagementId = :replacing'] : []),
        'attribute_exists(acknowledgedTime)',
      ].join(' OR ')})`,
      ExpressionAttributeValues: {
        ':me': e.engagementId,
        ':treeStart': claim.treeStartTime,
        ...(claim.replacing ? { ':replacing': claim.replacing } : {}),
      },
    },
  },
});

const putReplyCode = (table: Table, reply: ReplyCode, now: number): LabelledWrite => ({
  label: `reply:${reply.pageId}`,
  write: {
    Put: {
      TableName: table.tableName,
      Item: {
        ...keys.smsReply(reply.address, reply.key, reply.pageId),
        entityType: 'SmsReplyCode',
        pageId: reply.pageId,
        pageArn: reply.pageArn,
        createdTime: now,
        [TTL_ATTRIBUTE]: Math.floor(now / 1000) + REPLY_LOOKUP_SECONDS,
      },
    },
  },
});

export async function getPersonClaim(
  table: Table,
  incidentId: string,
  alias: string,
): Promise<PersonClaim | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.personClaim(incidentId, alias), ConsistentRead: true }),
  );
  return Item ? stripStorageAttributes<PersonClaim>(Item) : undefined;
}

export async function recordPersonAcknowledged(
  table: Table,
  incidentId: string,
  alias: string,
  time: number,
  pageArn: string,
): Promise<void> {
  // The latest acknowledgement wins: it answers every engagement of the incident that began before it.
  await table.conditionalWrite(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.personClaim(incidentId, alias),
        UpdateExpression:
          'SET entityType = :type, incidentId = :incident, contactAlias = :alias, acknowledgedTime = :time, acknowledgedPageArn = :page',
        ConditionExpression: 'attribute_not_exists(acknowledgedTime) OR acknowledgedTime < :time',
        ExpressionAttributeValues: {
          ':type': 'PagingClaim',
          ':incident': incidentId,
          ':alias': alias,
          ':time': time,
          ':page': pageArn,
        },
      }),
    ),
  );
}

export async function getIncidentPagingState(
  table: Table,
  incidentId: string,
): Promise<IncidentPagingState | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.incidentPaging(incidentId), ConsistentRead: true }),
  );
  return Item ? stripStorageAttributes<IncidentPagingState>(Item) : undefined;
}

export async function recordIncidentAcknowledged(
  table: Table,
  incidentId: string,
  time: number,
  contactArn: string,
): Promise<void> {
  await table.conditionalWrite(() =>
    table.doc.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: keys.incidentPaging(incidentId),
        UpdateExpression:
          'SET entityType = :type, incidentId = :incident, acknowledgedTime = :time, acknowledgedBy = :by',
        ConditionExpression: 'attribute_not_exists(acknowledgedTime) OR acknowledgedTime < :time',
        ExpressionAttributeValues: {
          ':type': 'PagingIncidentState',
          ':incident': incidentId,
          ':time': time,
          ':by': contactArn,
        },
      }),
    ),
  );
}

export async function pagesForReply(table: Table, address: string, key: string, now: number): Promise<PageRecord[]> {
  const items = await queryAll(table, {
    TableName: table.tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :key)',
    FilterExpression: '#expiresAt > :now',
    ExpressionAttributeNames: { '#expiresAt': TTL_ATTRIBUTE },
    ExpressionAttributeValues: {
      ':pk': keys.smsReplyPartition(address),
      ':key': `${key}#`,
      ':now': Math.floor(now / 1000),
    },
    ConsistentRead: true,
  });
  const pages = await Promise.all(items.map((i) => getPage(table, String(i.pageId))));
  return pages.filter((p): p is PageRecord => p !== undefined).sort((a, b) => b.createdTime - a.createdTime);
}

// ---- engagements -----------------------------------------------------------------------------------------------

export async function createEngagement(
  table: Table,
  engagement: EngagementRecord,
  idempotency: IdempotencyKey | undefined,
  now: number,
): Promise<{ engagementId: string; arn: string; replayed: boolean }> {
  const result = await table.transactIdempotent(
    [
      {
        label: 'engagement',
        write: {
          Put: {
            TableName: table.tableName,
            Item: engagementItem(engagement),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
    ],
    idempotency,
    { engagementId: engagement.engagementId, arn: engagement.arn },
    now,
  );
  if (result.replayed) return { ...(result.result as { engagementId: string; arn: string }), replayed: true };
  if (!result.outcome.ok)
    throw new Error(`StartEngagement transaction failed on ${[...result.outcome.failed.keys()].join(', ')}`);
  return { engagementId: engagement.engagementId, arn: engagement.arn, replayed: false };
}

export async function getEngagement(table: Table, engagementId: string): Promise<EngagementRecord | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.engagement(engagementId), ConsistentRead: true }),
  );
  return Item ? stripStorageAttributes<EngagementRecord>(Item) : undefined;
}

/** Sort-key bounds for "started between": `<15-digit ms>#<id>` keys, inclusive at both ends. */
const startBounds = (from: number | undefined, to: number | undefined) => ({
  ':from': `${sortableMillis(from ?? 0)}#`,
  ':to': `${sortableMillis(to ?? 999_999_999_999_999)}#~`,
});

export async function listEngagements(
  table: Table,
  query: EngagementQuery,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<EngagementRecord>> {
  const byIncident = query.incidentId !== undefined;
  const index = byIncident ? INDEXES.byStatus : INDEXES.byList;
  const attributes = byIncident ? pageKeyAttributes.byStatus : pageKeyAttributes.byList;
  const tokenQuery = { engagements: query };
  return table.queryPage<EngagementRecord>(
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#pk': index.partitionKey, '#sk': index.sortKey },
      ExpressionAttributeValues: {
        ':pk': byIncident ? keys.engagementsOfIncidentPartition(query.incidentId!) : 'ENGAGEMENTS',
        ...startBounds(query.startedFrom, query.startedTo),
      },
      // Newest first.
      ScanIndexForward: false,
    },
    { keyAttributes: attributes, tokenQuery: tokenQuery, maxResults, nextToken, tokenField: 'NextToken' },
  );
}

async function queryAll(table: Table, input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Item[]> {
  const found: Item[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await table.doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    found.push(...((page.Items ?? []) as Item[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
}

/**
 * The engagements of an incident as its index lists them. The index is eventually consistent, which is enough for
 * stopping them: a status only ever moves on from ENGAGED, and every stop is a write conditional on ENGAGED, so an
 * engagement the index still shows as ENGAGED costs one failed condition, never a wrong change.
 */
export async function engagementsOfIncident(table: Table, incidentId: string): Promise<EngagementRecord[]> {
  const items = await queryAll(table, {
    TableName: table.tableName,
    IndexName: INDEXES.byStatus.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': INDEXES.byStatus.partitionKey },
    ExpressionAttributeValues: { ':pk': keys.engagementsOfIncidentPartition(incidentId) },
  });
  return items.map((i) => stripStorageAttributes<EngagementRecord>(i));
}

/** The SET clauses a stage commit adds for skipped stages and unreachable targets (both engagement kinds). */
const stageBookkeeping = (
  stageIndex: number,
  options: { skip?: boolean; unreachable?: readonly unknown[] },
): { sets: string[]; values: Record<string, unknown> } => {
  const sets: string[] = [];
  const values: Record<string, unknown> = {};
  if (options.skip) {
    sets.push('skippedStages = list_append(if_not_exists(skippedStages, :none), :skipped)');
    values[':skipped'] = [stageIndex];
    values[':none'] = [];
  }
  if (options.unreachable?.length) {
    sets.push('unreachable = list_append(if_not_exists(unreachable, :none), :unreachable)');
    values[':unreachable'] = options.unreachable;
    values[':none'] = [];
  }
  return { sets, values };
};

export async function commitPersonalStage(
  table: Table,
  engagement: EngagementRecord,
  stageIndex: number,
  pages: PageRecord[],
  now: number,
  options: PersonalStageCommit = {},
): Promise<StageCommit> {
  const isChild = engagement.rootEngagementId !== engagement.engagementId;
  const bookkeeping = stageBookkeeping(stageIndex, options);
  const sets = ['nextStage = :next', ...bookkeeping.sets];
  if (pages.length) sets.push('pagedTime = if_not_exists(pagedTime, :now)');
  if (options.pagedThrough) sets.push('pagedThrough = :through');
  // Pages of an incident also claim the person and check that nothing essential acknowledged the incident since the
  // tree began (issue 13): both in this transaction, so two paths never page one person and nothing pages late.
  const claim = pages.length && options.claim ? options.claim : undefined;
  const outcome = await table.transact([
    {
      label: 'engagement',
      write: {
        Update: {
          TableName: table.tableName,
          Key: keys.engagement(engagement.engagementId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#status = :engaged AND nextStage = :current',
          ExpressionAttributeNames: ENGAGED,
          ExpressionAttributeValues: {
            ':next': stageIndex + 1,
            ':current': stageIndex,
            ':engaged': 'ENGAGED',
            ...bookkeeping.values,
            ...(pages.length ? { ':now': now } : {}),
            ...(options.pagedThrough ? { ':through': options.pagedThrough } : {}),
          },
        },
      },
    },
    ...(isChild ? [isEngaged(table, 'root', engagement.rootEngagementId)] : []),
    ...pages.map(
      (p): LabelledWrite => ({
        label: `page:${p.pageId}`,
        write: {
          Put: { TableName: table.tableName, Item: pageItem(p), ConditionExpression: 'attribute_not_exists(pk)' },
        },
      }),
    ),
    ...(claim ? [claimPerson(table, engagement, claim), incidentNotAcknowledged(table, claim)] : []),
    ...(pages.length ? (options.replyCodes ?? []).map((r) => putReplyCode(table, r, now)) : []),
  ]);
  if (outcome.ok) return 'committed';
  if (outcome.failed.has('root')) return 'root-ended';
  if (outcome.failed.has('engagement')) return 'engagement-changed';
  if (outcome.failed.has('incident')) return 'incident-acknowledged';
  if (outcome.failed.has('claim')) return 'person-claimed';
  return 'engagement-changed';
}

export async function commitEscalationStage(
  table: Table,
  root: EngagementRecord,
  stageIndex: number,
  children: EngagementRecord[],
  promoteToEssential: string[],
  options: EscalationStageCommit = {},
): Promise<StageCommit> {
  const refs = children.map((c) => ({ engagementId: c.engagementId, alias: c.contactAlias, stageIndex }));
  const bookkeeping = stageBookkeeping(stageIndex, options);
  const outcome = await table.transact([
    {
      label: 'root',
      write: {
        Update: {
          TableName: table.tableName,
          Key: keys.engagement(root.engagementId),
          UpdateExpression: `SET ${[
            'nextStage = :next',
            'children = list_append(if_not_exists(children, :none), :refs)',
            ...bookkeeping.sets,
          ].join(', ')}`,
          ConditionExpression: '#status = :engaged AND nextStage = :current',
          ExpressionAttributeNames: ENGAGED,
          ExpressionAttributeValues: {
            ':next': stageIndex + 1,
            ':current': stageIndex,
            ':engaged': 'ENGAGED',
            ...bookkeeping.values,
            ':none': [],
            ':refs': refs,
          },
        },
      },
    },
    ...children.map(
      (c): LabelledWrite => ({
        label: `child:${c.engagementId}`,
        write: {
          Put: { TableName: table.tableName, Item: engagementItem(c), ConditionExpression: 'attribute_not_exists(pk)' },
        },
      }),
    ),
    ...promoteToEssential.map(
      (id): LabelledWrite => ({
        label: `promote:${id}`,
        write: {
          Update: {
            TableName: table.tableName,
            Key: keys.engagement(id),
            UpdateExpression: 'SET essential = :yes',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':yes': true },
          },
        },
      }),
    ),
  ]);
  return outcome.ok ? 'committed' : 'engagement-changed';
}

const endUpdate = (
  table: Table,
  engagementId: string,
  from: readonly EngagementStatus[],
  to: EngagementStatus,
  time: number,
  reason: string | undefined,
) => {
  const fromValues = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
  return {
    TableName: table.tableName,
    Key: keys.engagement(engagementId),
    // Leaving ENGAGED ends the workflow: it drops out of the active-workflows index.
    UpdateExpression: `SET #status = :to, stopTime = :time${reason ? ', stopReason = :reason' : ''}${
      to === 'ENGAGED' ? '' : ' REMOVE #activePk, #activeSk'
    }`,
    ConditionExpression: `#status IN (${Object.keys(fromValues).join(', ')})`,
    ExpressionAttributeNames: {
      ...ENGAGED,
      ...(to === 'ENGAGED'
        ? {}
        : { '#activePk': INDEXES.activeWorkflows.partitionKey, '#activeSk': INDEXES.activeWorkflows.sortKey }),
    },
    ExpressionAttributeValues: {
      ...fromValues,
      ':to': to,
      ':time': time,
      ...(reason ? { ':reason': reason } : {}),
    },
  };
};

const CONFLICT_RETRIES = 8;

/**
 * A status change from one of `from`: ended, or not (with the item as it is, when it exists). A paging transaction
 * holding the engagement at that instant is waited out, never taken for "not in `from`": an acknowledgement or a
 * stop must not be lost to a workflow step running at the same moment.
 */
async function changeStatus(
  table: Table,
  engagementId: string,
  from: readonly EngagementStatus[],
  to: EngagementStatus,
  time: number,
  reason: string | undefined,
): Promise<{ ended: boolean; item?: Item }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const output = await table.doc.send(
        new UpdateCommand({
          ...endUpdate(table, engagementId, from, to, time, reason),
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { ended: true, ...(output.Attributes ? { item: output.Attributes } : {}) };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        return { ended: false, ...(error.Item ? { item: unmarshallItem(error.Item) } : {}) };
      if (!(error instanceof TransactionConflictException) || attempt >= CONFLICT_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

export async function endEngagement(
  table: Table,
  engagementId: string,
  from: readonly EngagementStatus[],
  to: EngagementStatus,
  time: number,
  reason?: string,
): Promise<boolean> {
  return (await changeStatus(table, engagementId, from, to, time, reason)).ended;
}

export async function endEngagementReturning(
  table: Table,
  engagementId: string,
  from: readonly EngagementStatus[],
  to: EngagementStatus,
  time: number,
  reason?: string,
): Promise<{ ended: boolean; engagement?: EngagementRecord }> {
  const { ended, item } = await changeStatus(table, engagementId, from, to, time, reason);
  return { ended, ...(item ? { engagement: stripStorageAttributes<EngagementRecord>(item) } : {}) };
}

// ---- pages and receipts ----------------------------------------------------------------------------------------

export async function getPage(table: Table, pageId: string): Promise<PageRecord | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: keys.page(pageId), ConsistentRead: true }),
  );
  return Item ? stripStorageAttributes<PageRecord>(Item) : undefined;
}

export async function listPagesByContact(
  table: Table,
  alias: string,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<PageRecord>> {
  const tokenQuery = { pagesOf: alias };
  return table.queryPage<PageRecord>(
    {
      IndexName: INDEXES.byList.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': INDEXES.byList.partitionKey },
      ExpressionAttributeValues: { ':pk': keys.pageByContact(alias, 0, '').gsi1pk },
    },
    { keyAttributes: pageKeyAttributes.byList, tokenQuery: tokenQuery, maxResults, nextToken, tokenField: 'NextToken' },
  );
}

/** A tree's pages (gsi2), or those of one engagement in it (gsi4, which holds each page under its own engagement). */
export async function listPagesByEngagement(
  table: Table,
  rootEngagementId: string,
  engagementId: string | undefined,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<PageSummary>> {
  const tokenQuery = { pagesOfEngagement: engagementId ?? rootEngagementId };
  const index = engagementId ? INDEXES.byOwner : INDEXES.byStatus;
  const attributes = engagementId ? pageKeyAttributes.byOwner : pageKeyAttributes.byStatus;
  const partition = engagementId
    ? keys.pageOfEngagement(engagementId, 0, '').gsi4pk
    : keys.pageByEngagement(rootEngagementId, 0, '').gsi2pk;
  return table.queryPage<PageSummary>(
    {
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': partition },
    },
    { keyAttributes: attributes, tokenQuery: tokenQuery, maxResults, nextToken, tokenField: 'NextToken' },
  );
}

export async function pagesOfTree(table: Table, rootEngagementId: string): Promise<PageRecord[]> {
  const items = await queryAll(table, {
    TableName: table.tableName,
    IndexName: INDEXES.byStatus.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': INDEXES.byStatus.partitionKey },
    ExpressionAttributeValues: { ':pk': keys.pageByEngagement(rootEngagementId, 0, '').gsi2pk },
  });
  return items.map((i) => stripStorageAttributes<PageRecord>(i));
}

export async function claimRetry(
  table: Table,
  page: PageRecord,
  attempt: number,
  codeHash: string,
  now: number,
  replyCode?: ReplyCode,
  claim?: ClaimCondition,
): Promise<boolean> {
  const outcome = await table.transact([
    {
      label: 'page',
      write: {
        Update: {
          TableName: table.tableName,
          Key: keys.page(page.pageId),
          UpdateExpression:
            'SET attempts = :attempt, acceptCodeHashes = list_append(acceptCodeHashes, :hash), deliveryState = :pending REMOVE nextAttemptAt',
          ConditionExpression: 'attempts = :previous AND nextAttemptAt = :due',
          ExpressionAttributeValues: {
            ':attempt': attempt,
            ':previous': attempt - 1,
            ':hash': [codeHash],
            ':pending': 'PENDING',
            ':due': page.nextAttemptAt ?? -1,
          },
        },
      },
    },
    isEngaged(table, 'engagement', page.engagementId),
    ...(page.rootEngagementId !== page.engagementId ? [isEngaged(table, 'root', page.rootEngagementId)] : []),
    // No re-send after an essential acknowledgement of the incident (issue 13), and the re-sent code answers SMS.
    ...(claim ? [incidentNotAcknowledged(table, claim)] : []),
    ...(replyCode ? [putReplyCode(table, replyCode, now)] : []),
  ]);
  return outcome.ok;
}

export async function recordDelivery(
  table: Table,
  page: PageRecord,
  receipt: ReceiptRecord,
  update: { deliveryState: DeliveryState; sentTime?: number; nextAttemptAt?: number },
): Promise<void> {
  const sets = ['deliveryState = :state'];
  const values: Record<string, unknown> = { ':state': update.deliveryState };
  if (update.sentTime !== undefined) {
    sets.push('sentTime = if_not_exists(sentTime, :sent)');
    values[':sent'] = update.sentTime;
  }
  if (update.nextAttemptAt !== undefined) {
    sets.push('nextAttemptAt = :next');
    values[':next'] = update.nextAttemptAt;
  }
  await table.transact([
    putReceipt(table, receipt),
    {
      label: 'page',
      write: {
        Update: {
          TableName: table.tableName,
          Key: keys.page(page.pageId),
          UpdateExpression: `SET ${sets.join(', ')}${update.nextAttemptAt === undefined ? ' REMOVE nextAttemptAt' : ''}`,
          ExpressionAttributeValues: values,
        },
      },
    },
  ]);
}

export async function recordAcceptance(
  table: Table,
  page: PageRecord,
  receipt: ReceiptRecord,
  field: 'readTime' | 'deliveryTime',
  options: { onlyIfUnread?: boolean } = {},
): Promise<boolean> {
  const outcome = await table.transact([
    putReceipt(table, receipt),
    {
      label: 'page',
      write: {
        Update: {
          TableName: table.tableName,
          Key: keys.page(page.pageId),
          UpdateExpression: 'SET #field = if_not_exists(#field, :time)',
          // An acknowledge link or SMS reply counts once: a second one (or one racing it) writes nothing.
          ...(options.onlyIfUnread ? { ConditionExpression: 'attribute_not_exists(readTime)' } : {}),
          ExpressionAttributeNames: { '#field': field },
          ExpressionAttributeValues: { ':time': receipt.receiptTime },
        },
      },
    },
  ]);
  return outcome.ok;
}

const stopWrites = (table: Table, { page, receipt }: { page: PageRecord; receipt: ReceiptRecord }, n = 0) => [
  {
    label: `page${n}`,
    write: {
      Update: {
        TableName: table.tableName,
        Key: keys.page(page.pageId),
        UpdateExpression: 'SET stopTime = :time REMOVE nextAttemptAt',
        ConditionExpression: 'attribute_not_exists(stopTime) AND attribute_not_exists(readTime)',
        ExpressionAttributeValues: { ':time': receipt.receiptTime },
      },
    },
  },
  { ...putReceipt(table, receipt), label: `receipt${n}` },
];

/** Two writes per page, so a transaction stops up to 50 pages. */
const PAGES_PER_STOP_TRANSACTION = 50;

export async function stopPages(table: Table, stops: { page: PageRecord; receipt: ReceiptRecord }[]): Promise<void> {
  for (let i = 0; i < stops.length; i += PAGES_PER_STOP_TRANSACTION) {
    const chunk = stops.slice(i, i + PAGES_PER_STOP_TRANSACTION);
    const outcome = await table.transact(chunk.flatMap((stop, n) => stopWrites(table, stop, n)));
    if (outcome.ok || chunk.length === 1) continue;
    // A page was read (or stopped) meanwhile: stop the others one by one, each under its own condition.
    for (const stop of chunk) await table.transact(stopWrites(table, stop));
  }
}

export async function listReceipts(
  table: Table,
  pageId: string,
  maxResults: number,
  nextToken: string | undefined,
): Promise<Page<ReceiptRecord>> {
  return table.listCollection<ReceiptRecord>(
    keys.page(pageId).pk,
    keys.pageReceiptPrefix,
    { receiptsOf: pageId },
    maxResults,
    nextToken,
    'NextToken',
  );
}

/** The EngagementStore methods of engagements, pages and acknowledgements, each taking the table first (bound by bindTable). */
export const engagementStoreFunctions = {
  createEngagement,
  getEngagement,
  listEngagements,
  engagementsOfIncident,
  commitPersonalStage,
  commitEscalationStage,
  endEngagement,
  endEngagementReturning,
  getPage,
  listPagesByContact,
  listPagesByEngagement,
  pagesOfTree,
  claimRetry,
  recordDelivery,
  recordAcceptance,
  stopPages,
  listReceipts,
  getPersonClaim,
  recordPersonAcknowledged,
  getIncidentPagingState,
  recordIncidentAcknowledged,
  pagesForReply,
} satisfies StoreFunctions<EngagementStore>;
