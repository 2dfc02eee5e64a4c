/** Environment variable names, shared by the CDK constructs that set them and the runtime that reads them. */
export const ENV = {
  tableName: 'TABLE_NAME',
  accountId: 'ACCOUNT_ID',
  /** Set by Lambda itself in AWS; set by the local runtime. */
  region: 'AWS_REGION',
  partition: 'AWS_PARTITION',
  /** Only set locally: DynamoDB Local's URL. */
  dynamodbEndpoint: 'DYNAMODB_ENDPOINT',
  /** How long a clientToken is remembered, in hours (default 24). */
  idempotencyWindowHours: 'IDEMPOTENCY_WINDOW_HOURS',
  logLevel: 'LOG_LEVEL',
} as const;
