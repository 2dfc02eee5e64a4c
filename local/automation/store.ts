/**
 * Where the local Automation engine keeps its state: its own DynamoDB Local table (not the product table; this engine
 * does not exist in AWS, where SSM keeps this state). One table, string keys `pk`/`sk`:
 *
 * | item | pk | sk |
 * |---|---|---|
 * | document (latest/default versions, owner, tags) | `DOC#<name>` | `META` |
 * | one document version (content as submitted, parsed tree) | `DOC#<name>` | `V#<000000n>` |
 * | document list entry | `DOCS` | `<name>` |
 * | execution (parameters, step outputs, status, the running step) | `EXEC#<id>` | `META` |
 * | step execution n | `EXEC#<id>` | `STEP#<0000n>` |
 * | execution list entry (for DescribeAutomationExecutions, and resuming after a restart) | `EXECS` | `<start>#<id>` |
 * | ClientToken -> execution | `TOKEN#<token>` | `TOKEN` |
 * | status-change event not yet delivered (the outbox) | `OUTBOX` | `<time>#<seq>#<id>` |
 * | a local runbook workflow still running (re-run after a restart) | `WORKFLOW#runbook` | `<execution name>` |
 *
 * Each state change of an execution writes the execution, the changed step executions and the events it causes in one
 * transaction, so a restart never loses a status change nor the event announcing it.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AutomationDocument, DocumentFormat, ParameterType } from './document.ts';
import type { Value } from './interpolation.ts';

export type AutomationStatus =
  | 'Pending'
  | 'InProgress'
  | 'Waiting'
  | 'Success'
  | 'TimedOut'
  | 'Cancelling'
  | 'Cancelled'
  | 'Failed';

export const TERMINAL_STATUSES: readonly AutomationStatus[] = ['Success', 'TimedOut', 'Cancelled', 'Failed'];
export const isTerminal = (status: AutomationStatus) => TERMINAL_STATUSES.includes(status);

export interface DocumentMeta {
  name: string;
  /** `Self` documents belong to the local account; `Amazon` ones ship with the engine (read-only). */
  owner: 'Self' | 'Amazon';
  createdDate: number;
  latestVersion: number;
  defaultVersion: number;
  displayName?: string;
  tags: { Key: string; Value: string }[];
  /** Version names in use, for DuplicateDocumentVersionName. */
  versionNames: Record<string, number>;
}

export interface DocumentVersion {
  name: string;
  version: number;
  versionName?: string;
  format: DocumentFormat;
  /** The content exactly as submitted (GetDocument returns it when asked for the same format). */
  content: string;
  parsed: AutomationDocument;
  hash: string;
  createdDate: number;
}

export interface ApprovalDecision {
  Approver: string;
  Decision: 'Approved' | 'Rejected';
  ApprovalDecisionTime: string;
  Comment?: string;
}

export interface StepRecord {
  seq: number;
  /** Index of the step in the document's mainSteps. */
  docIndex: number;
  name: string;
  action: string;
  id: string;
  status: AutomationStatus;
  startTime?: number;
  endTime?: number;
  inputs?: Record<string, string>;
  outputs?: Record<string, string[]>;
  failureMessage?: string;
  failureDetails?: { FailureStage: string; FailureType: string; Details?: Record<string, string[]> };
  response?: string;
  timeoutSeconds?: number;
  onFailure: string;
  maxAttempts: number;
  isEnd: boolean;
  isCritical: boolean;
  nextStep?: string;
  /** Attempts made so far. */
  attempts: number;
  /** Real-time deadline (epoch ms) of a sleep, or of the current wait's timeout. */
  deadline?: number;
  approvals?: ApprovalDecision[];
}

export interface ExecutionRecord {
  id: string;
  documentName: string;
  documentVersion: string;
  /** The document as it was when the execution started (later updates or deletes do not change a run). */
  document: AutomationDocument;
  status: AutomationStatus;
  startTime: number;
  endTime?: number;
  executedBy: string;
  /** Parameters as the API shows them (defaults filled in). */
  parameters: Record<string, string[]>;
  /** The same, typed. */
  values: Record<string, Value>;
  /** Outputs of the steps that succeeded, typed, by step name (a revisited step's latest run wins). */
  stepOutputs: Record<string, Record<string, { value: Value; type: ParameterType }>>;
  outputs?: Record<string, string[]>;
  failureMessage?: string;
  /** seq of the step execution that runs now. */
  current?: number;
  /** A critical step failed (or timed out) while the run went on: the final status, unless something worse happens. */
  criticalFailure?: 'Failed' | 'TimedOut';
  assumeRole?: string;
  clientToken?: string;
  requestHash?: string;
  tags?: { Key: string; Value: string }[];
  stepCount: number;
}

/** An EventBridge event waiting in the outbox. */
export interface PendingEvent {
  key: string;
  event: Record<string, unknown>;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const keys = {
  document: (name: string) => ({ pk: `DOC#${name}`, sk: 'META' }),
  version: (name: string, version: number) => ({ pk: `DOC#${name}`, sk: `V#${pad(version, 7)}` }),
  documentList: (name: string) => ({ pk: 'DOCS', sk: name }),
  execution: (id: string) => ({ pk: `EXEC#${id}`, sk: 'META' }),
  step: (id: string, seq: number) => ({ pk: `EXEC#${id}`, sk: `STEP#${pad(seq, 5)}` }),
  executionList: (startTime: number, id: string) => ({ pk: 'EXECS', sk: `${pad(startTime, 15)}#${id}` }),
  token: (token: string) => ({ pk: `TOKEN#${token.toLowerCase()}`, sk: 'TOKEN' }),
  outbox: (time: number, seq: number, id: string) => ({ pk: 'OUTBOX', sk: `${pad(time, 15)}#${pad(seq, 6)}#${id}` }),
};

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
};

export class AutomationStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  /** Creates the engine's table when it does not exist yet (the local runtime calls this at start). */
  async ensureTable(client: DynamoDBClient): Promise<void> {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: this.tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
    } catch (error) {
      if (error instanceof ResourceInUseException) return;
      throw error;
    }
    for (;;) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: this.tableName }));
      if (Table?.TableStatus === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private async queryAll(pk: string, prefix?: string, descending = false): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(prefix ? { ':prefix': prefix } : {}) },
          ConsistentRead: true,
          ScanIndexForward: !descending,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  // ---- documents -------------------------------------------------------------------------------------------------

  async getDocument(name: string): Promise<DocumentMeta | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.document(name), ConsistentRead: true }),
    );
    return Item ? strip<DocumentMeta>(Item) : undefined;
  }

  async getVersion(name: string, version: number): Promise<DocumentVersion | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.version(name, version), ConsistentRead: true }),
    );
    return Item ? strip<DocumentVersion>(Item) : undefined;
  }

  async listVersions(name: string): Promise<DocumentVersion[]> {
    return (await this.queryAll(`DOC#${name}`, 'V#')).map((item) => strip<DocumentVersion>(item));
  }

  /** Writes a new document, or a new version of one; false when another writer got there first. */
  async putVersion(meta: DocumentMeta, version: DocumentVersion, previousLatest: number | undefined): Promise<boolean> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.document(meta.name), ...meta },
                ConditionExpression:
                  previousLatest === undefined ? 'attribute_not_exists(pk)' : 'latestVersion = :previous',
                ...(previousLatest === undefined ? {} : { ExpressionAttributeValues: { ':previous': previousLatest } }),
              },
            },
            { Put: { TableName: this.tableName, Item: { ...keys.version(meta.name, version.version), ...version } } },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.documentList(meta.name), name: meta.name, owner: meta.owner },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'TransactionCanceledException') return false;
      throw error;
    }
  }

  async putDocumentMeta(meta: DocumentMeta): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.document(meta.name), ...meta } }));
  }

  async deleteVersions(name: string, versions: number[] | 'all'): Promise<void> {
    const targets =
      versions === 'all'
        ? [
            keys.document(name),
            keys.documentList(name),
            ...(await this.listVersions(name)).map((v) => keys.version(name, v.version)),
          ]
        : versions.map((v) => keys.version(name, v));
    for (let i = 0; i < targets.length; i += 25)
      await this.doc.send(
        new BatchWriteCommand({
          RequestItems: { [this.tableName]: targets.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })) },
        }),
      );
  }

  async listDocumentNames(): Promise<string[]> {
    return (await this.queryAll('DOCS')).map((item) => String(item.sk));
  }

  // ---- executions ------------------------------------------------------------------------------------------------

  /** The execution a ClientToken started, if any. */
  async getToken(token: string): Promise<{ executionId: string; requestHash: string } | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: keys.token(token), ConsistentRead: true }),
    );
    return Item ? { executionId: String(Item.executionId), requestHash: String(Item.requestHash) } : undefined;
  }

  /** Stores a new execution with its steps; false when its ClientToken was taken by a concurrent start. */
  async createExecution(execution: ExecutionRecord, steps: StepRecord[], events: PendingEvent[]) {
    // Steps first (there may be more than a transaction holds); they are invisible until the execution item exists.
    for (let i = 0; i < steps.length; i += 25)
      await this.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [this.tableName]: steps
              .slice(i, i + 25)
              .map((step) => ({ PutRequest: { Item: { ...keys.step(execution.id, step.seq), ...step } } })),
          },
        }),
      );
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...keys.execution(execution.id), ...execution } } },
            { Put: { TableName: this.tableName, Item: this.listItem(execution) } },
            ...(execution.clientToken
              ? [
                  {
                    Put: {
                      TableName: this.tableName,
                      Item: {
                        ...keys.token(execution.clientToken),
                        executionId: execution.id,
                        requestHash: execution.requestHash,
                      },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]
              : []),
            ...this.outboxWrites(events),
          ],
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'TransactionCanceledException') return false;
      throw error;
    }
  }

  private listItem(execution: ExecutionRecord) {
    return {
      ...keys.executionList(execution.startTime, execution.id),
      id: execution.id,
      documentName: execution.documentName,
      status: execution.status,
      startTime: execution.startTime,
      ...(execution.tags?.length ? { tagKeys: execution.tags.map((t) => t.Key) } : {}),
    };
  }

  private outboxSequence = 0;

  /** Gives events their outbox keys (in the order they happened). */
  outboxEntries(events: Record<string, unknown>[]): PendingEvent[] {
    const now = Date.now();
    return events.map((event) => ({
      key: keys.outbox(now, this.outboxSequence++ % 1_000_000, String(event.id)).sk,
      event,
    }));
  }

  private outboxWrites(events: PendingEvent[]) {
    return events.map(({ key, event }) => ({
      Put: { TableName: this.tableName, Item: { pk: 'OUTBOX', sk: key, event } },
    }));
  }

  /** Saves an execution's new state, the step executions that changed and the events the change causes, atomically. */
  async saveExecution(execution: ExecutionRecord, changed: StepRecord[], events: PendingEvent[]) {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: { ...keys.execution(execution.id), ...execution } } },
          { Put: { TableName: this.tableName, Item: this.listItem(execution) } },
          ...changed.map((step) => ({
            Put: { TableName: this.tableName, Item: { ...keys.step(execution.id, step.seq), ...step } },
          })),
          ...this.outboxWrites(events),
        ],
      }),
    );
  }

  async getExecution(id: string): Promise<{ execution: ExecutionRecord; steps: StepRecord[] } | undefined> {
    const items = await this.queryAll(`EXEC#${id}`);
    const meta = items.find((item) => item.sk === 'META');
    if (!meta) return undefined;
    const steps = items
      .filter((item) => String(item.sk).startsWith('STEP#'))
      .map((item) => strip<StepRecord>(item))
      .filter((step) => step.seq < Number(meta.stepCount));
    return { execution: strip<ExecutionRecord>(meta), steps };
  }

  /** Every execution's list entry, newest first. */
  async listExecutions(): Promise<{ id: string; documentName: string; status: AutomationStatus; startTime: number }[]> {
    return (await this.queryAll('EXECS', undefined, true)).map((item) => strip(item));
  }

  // ---- local workflow journal (for the local Step Functions runner, which has no service to keep executions) ----

  async saveWorkflow(kind: string, name: string, input: unknown): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { pk: `WORKFLOW#${kind}`, sk: name, input } }),
    );
  }

  async deleteWorkflow(kind: string, name: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: `WORKFLOW#${kind}`, sk: name } }));
  }

  async listWorkflows(kind: string): Promise<{ name: string; input: unknown }[]> {
    return (await this.queryAll(`WORKFLOW#${kind}`)).map((item) => ({ name: String(item.sk), input: item.input }));
  }

  // ---- outbox ----------------------------------------------------------------------------------------------------

  async pendingEvents(): Promise<PendingEvent[]> {
    return (await this.queryAll('OUTBOX')).map((item) => ({
      key: String(item.sk),
      event: item.event as Record<string, unknown>,
    }));
  }

  async deleteEvent(key: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: 'OUTBOX', sk: key } }));
  }
}
