import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RuntimeConfig } from './config.ts';

/** In AWS the client uses the function's role; locally it points at DynamoDB Local, which takes any credentials. */
export const createDynamoDbClient = (config: RuntimeConfig) =>
  new DynamoDBClient({
    region: config.region,
    ...(config.dynamodbEndpoint
      ? { endpoint: config.dynamodbEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  });
