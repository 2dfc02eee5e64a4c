/** The baseline of bench/bundles.ts: a function that holds only the DynamoDB clients and does one GetItem. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async () => documents.send(new GetCommand({ TableName: 'bench', Key: { pk: 'x', sk: 'x' } }));
