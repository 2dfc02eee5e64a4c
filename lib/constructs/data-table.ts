/**
 * The one stateful resource: the DynamoDB table, created from the same schema module the adapters query and the
 * local runtime creates in DynamoDB Local (lambdas/runtime/table-schema.ts), so the three cannot drift.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type CfnTable,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '#runtime/environment.ts';
import {
  type GlobalIndex,
  INDEXES,
  LOCAL_INDEXES,
  STREAM_VIEW_TYPE,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
} from '#runtime/table-schema.ts';

/**
 * The table's CloudFormation logical id, pinned: a changed logical id makes CloudFormation create a new, empty table
 * (and, with RETAIN, orphan the old one), so moving this construct in the tree must not change it.
 */
export const TABLE_LOGICAL_ID = 'IncidentsTable';

/**
 * Item actions the DynamoDB adapter sends (Get/Put/Update/Delete, and the ConditionCheck/Put/Update/Delete items of
 * TransactWriteItems, which DynamoDB authorizes per item action). No Scan exists in the adapter; BatchWriteItem only
 * in adapters/dynamodb/bulk-writes.ts, granted separately (grantBulkWrites) to the functions that use it.
 */
export const TABLE_ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
] as const;
/** Listing goes through Query on the table and its indexes. */
export const TABLE_QUERY_ACTIONS = ['dynamodb:Query'] as const;
/** BatchWriteItem (puts and deletes of many items outside a transaction: an analysis's timeline copy). */
export const TABLE_BULK_WRITE_ACTIONS = ['dynamodb:BatchWriteItem'] as const;

const string = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The cdk context key naming global indexes to leave out of this deployment (comma-separated). CloudFormation adds at
 * most one global index to an existing table per update, so a stack deployed before two indexes were added upgrades
 * in two deploys: `npx cdk deploy -c skipTableIndexes=gsi4`, then `npx cdk deploy` (docs/data-model.md, migration).
 */
export const SKIP_TABLE_INDEXES_CONTEXT_KEY = 'skipTableIndexes';

const skippedIndexes = (scope: Construct): Set<string> => {
  const value: unknown = scope.node.tryGetContext(SKIP_TABLE_INDEXES_CONTEXT_KEY);
  return new Set(
    String(value ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
  );
};

export class DataTable extends Construct {
  public readonly table: Table;
  private readonly globalIndexes: GlobalIndex[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const skipped = skippedIndexes(this);
    this.globalIndexes = Object.values(INDEXES).filter((index) => !skipped.has(index.name));

    this.table = new Table(this, 'Table', {
      partitionKey: string(TABLE_KEYS.partitionKey),
      sortKey: string(TABLE_KEYS.sortKey),
      // Incident traffic is spiky and mostly idle: on-demand costs nothing at rest and needs no capacity planning.
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The AWS managed key (aws/dynamodb): every use of it is visible in CloudTrail, unlike the default AWS owned
      // key, and there is no customer key policy to manage or lose. The role needs no KMS grant for it.
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      // Incident records are the audit trail: deleting the stack must never delete them.
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      // Every committed change, with its old and new image: the stream consumers derive domain events from it.
      stream: StreamViewType[STREAM_VIEW_TYPE],
    });
    (this.table.node.defaultChild as CfnTable).overrideLogicalId(TABLE_LOGICAL_ID);

    for (const index of this.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: string(index.partitionKey),
        sortKey: string(index.sortKey),
        ...(index.projection.type === 'ALL'
          ? { projectionType: ProjectionType.ALL }
          : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.attributes] }),
      });
    }
    for (const index of Object.values(LOCAL_INDEXES)) {
      this.table.addLocalSecondaryIndex({
        indexName: index.name,
        sortKey: string(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /** ARNs of the table's own indexes, named one by one so no policy needs `index/*`. */
  get indexArns(): string[] {
    return [...this.globalIndexes, ...Object.values(LOCAL_INDEXES)].map(
      (index) => `${this.table.tableArn}/index/${index.name}`,
    );
  }

  /**
   * Gives a function the table: sets TABLE_NAME and grants exactly the actions the adapter uses, in one call so the
   * environment variable and the permission never drift apart.
   */
  bindTo(fn: LambdaFunction): void {
    fn.addEnvironment(ENV.tableName, this.table.tableName);
    fn.addToRolePolicy(new PolicyStatement({ actions: [...TABLE_ITEM_ACTIONS], resources: [this.table.tableArn] }));
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...TABLE_QUERY_ACTIONS], resources: [this.table.tableArn, ...this.indexArns] }),
    );
  }

  /** BatchWriteItem on the table, for a function whose adapter writes in bulk (adapters/dynamodb/bulk-writes.ts). */
  grantBulkWrites(fn: LambdaFunction): void {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...TABLE_BULK_WRITE_ACTIONS], resources: [this.table.tableArn] }),
    );
  }
}
