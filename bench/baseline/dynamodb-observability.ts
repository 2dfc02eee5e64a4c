/**
 * A reference of bench/bundles.ts: the DynamoDB-only baseline plus what issue 7 requires of every function and
 * nothing of its own: Powertools Logger and Metrics as Middy middlewares (lambdas/runtime/observability.ts, Tracer
 * off as in every function by default). Its init time over the baseline's is what no function can go below.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { lambdaObservability } from '#runtime/observability.ts';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = middy()
  .use(lambdaObservability().middlewares())
  .handler(async () => documents.send(new GetCommand({ TableName: 'bench', Key: { pk: 'x', sk: 'x' } })));
