/**
 * The direct DynamoDB path, end to end on real parts: the loaded chat backend (its role policies), a real dynalite and
 * the real AWS SDK client signing with a function's credentials, pointed at the aws-endpoints server.
 */
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '../dynamodb/index';
import { loadCdkOut } from '../loader/load-cdk-out';
import type { BackendDescription, LambdaDescription } from '../loader/types';
import { credentialsByAccessKey, functionCredentials, LOCAL_REGION } from './credentials';
import { startAwsEndpoints, type AwsEndpoints } from './server';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');

let backend: BackendDescription;
let dynamo: LocalDynamoDb;
let endpoints: AwsEndpoints;
let rateLimitTable: string;
let presenceTable: string;
const logs: string[] = [];
const clients: DynamoDBClient[] = [];

function clientFor(accessKeyId: string, secretAccessKey: string): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint: endpoints.url, region: LOCAL_REGION, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  clients.push(client);
  return client;
}
function functionClient(name: string): DynamoDBClient {
  const { accessKeyId, secretAccessKey } = functionCredentials(name, backend.accountId);
  return clientFor(accessKeyId, secretAccessKey);
}
const lambda = (name: string): LambdaDescription => backend.lambdas.find((fn) => fn.name === name)!;

/** The error the SDK throws for a request, or undefined if it succeeded. */
async function failureOf(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as { name: string; message: string; $metadata: { httpStatusCode?: number } };
  }
  throw new Error('the request succeeded');
}

/** A send-rate counter's key: one item per user and window (epoch seconds). */
const key = (userId: string) => ({ userId: { S: userId }, windowStart: { N: '1000' } });
const directItem = async (table: string, userId: string) =>
  (await dynamo.client.send(new GetItemCommand({ TableName: table, Key: key(userId), ConsistentRead: true }))).Item;

beforeAll(async () => {
  backend = loadCdkOut(CDK_OUT);
  rateLimitTable = backend.tables.find((t) => t.name.includes('SendRateLimit'))!.name;
  presenceTable = backend.tables.find((t) => t.model === 'UserPresence')!.name;
  dynamo = await startDynamoDb();
  await ensureTables(dynamo.client, backend.tables);
  const keys = credentialsByAccessKey(backend.lambdas, backend.accountId);
  endpoints = await startAwsEndpoints({ description: backend, accessKeyIds: () => keys.keys(), dynamoDb: dynamo, logger: (line) => logs.push(line) });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await endpoints?.close();
  await dynamo?.close();
});

describe('DynamoDB through the aws-endpoints server, under the function role policy', () => {
  it('passes an allowed UpdateItem to dynalite and returns its answer (also its errors) unchanged', async () => {
    const client = functionClient('message-processor');
    const answer = await client.send(
      new UpdateItemCommand({
        TableName: rateLimitTable,
        Key: key('user-1'),
        UpdateExpression: 'ADD sent :one SET expiresAt = :e',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: '30' }, ':e': { N: '87410' } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(answer.Attributes).toEqual({ userId: { S: 'user-1' }, windowStart: { N: '1000' }, sent: { N: '1' }, expiresAt: { N: '87410' } });
    expect(await directItem(rateLimitTable, 'user-1')).toEqual(answer.Attributes);

    // dynalite's own error comes back as dynalite sent it.
    const conditionFailed = await failureOf(
      client.send(new UpdateItemCommand({ TableName: rateLimitTable, Key: key('user-1'), UpdateExpression: 'ADD sent :one', ConditionExpression: 'sent > :one', ExpressionAttributeValues: { ':one': { N: '1' } } })),
    );
    expect(conditionFailed.name).toBe('ConditionalCheckFailedException');
    expect(await directItem(rateLimitTable, 'user-1')).toEqual(answer.Attributes);
  });

  it('refuses GetItem, PutItem and DeleteTable on that table and UpdateItem on a table it has no grant on, changing nothing', async () => {
    const client = functionClient('message-processor');
    const role = lambda('message-processor').policy.roleName!;
    await dynamo.client.send(new PutItemCommand({ TableName: rateLimitTable, Item: { ...key('user-2'), sent: { N: '5' } } }));
    const tableArn = (name: string) => `arn:aws:dynamodb:${backend.region}:${backend.accountId}:table/${name}`;
    const attempts: [string, Promise<unknown>, string][] = [
      ['GetItem', client.send(new GetItemCommand({ TableName: rateLimitTable, Key: key('user-2') })), tableArn(rateLimitTable)],
      ['PutItem', client.send(new PutItemCommand({ TableName: rateLimitTable, Item: { ...key('user-2'), sent: { N: '0' } } })), tableArn(rateLimitTable)],
      ['DeleteTable', client.send(new DeleteTableCommand({ TableName: rateLimitTable })), tableArn(rateLimitTable)],
      [
        'UpdateItem',
        client.send(new UpdateItemCommand({ TableName: presenceTable, Key: { id: { S: 'u-1' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'ONLINE' } } })),
        tableArn(presenceTable),
      ],
    ];
    for (const [operation, attempt, resource] of attempts) {
      const error = await failureOf(attempt);
      expect(error.name, operation).toBe('AccessDeniedException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(
        `User: arn:aws:sts::${backend.accountId}:assumed-role/${role}/message-processor is not authorized to perform: dynamodb:${operation} ` +
          `on resource: ${resource} because no identity-based policy allows the dynamodb:${operation} action`,
      );
    }
    expect(await directItem(rateLimitTable, 'user-2')).toEqual({ ...key('user-2'), sent: { N: '5' } });
    expect((await dynamo.client.send(new DescribeTableCommand({ TableName: rateLimitTable }))).Table?.TableStatus).toBe('ACTIVE');
    expect((await dynamo.client.send(new GetItemCommand({ TableName: presenceTable, Key: { id: { S: 'u-1' } } }))).Item).toBeUndefined();
    expect(logs.some((line) => line.includes('DynamoDB DeleteTable (message-processor)') && line.includes('AccessDeniedException'))).toBe(true);
  });

  it('requires every table of a batch to be allowed, and gives other functions nothing on the table', async () => {
    const batch = await failureOf(
      functionClient('message-processor').send(
        new BatchWriteItemCommand({ RequestItems: { [rateLimitTable]: [{ PutRequest: { Item: { ...key('user-3'), sent: { N: '1' } } } }] } }),
      ),
    );
    expect(batch.name).toBe('AccessDeniedException');
    expect(batch.message).toContain('dynamodb:BatchWriteItem');
    const presence = await failureOf(
      functionClient('presence').send(new UpdateItemCommand({ TableName: rateLimitTable, Key: key('user-3'), UpdateExpression: 'SET sent = :n', ExpressionAttributeValues: { ':n': { N: '0' } } })),
    );
    expect(presence.name).toBe('AccessDeniedException');
    expect(presence.message).toContain(`assumed-role/${lambda('presence').policy.roleName!}/presence`);
    expect(await directItem(rateLimitTable, 'user-3')).toBeUndefined();
  });

  it('applies an explicit Deny over the Allow (policy swapped in with setDescription)', async () => {
    const denied: BackendDescription = {
      ...backend,
      lambdas: backend.lambdas.map((fn) =>
        fn.name !== 'message-processor'
          ? fn
          : { ...fn, policy: { ...fn.policy, statements: [...fn.policy.statements, { effect: 'Deny' as const, actions: ['dynamodb:*'], resources: ['*'], source: 'test' }] } },
      ),
    };
    endpoints.setDescription(denied);
    try {
      const error = await failureOf(
        functionClient('message-processor').send(new UpdateItemCommand({ TableName: rateLimitTable, Key: key('user-4'), UpdateExpression: 'SET sent = :n', ExpressionAttributeValues: { ':n': { N: '1' } } })),
      );
      expect(error.name).toBe('AccessDeniedException');
      expect(error.message).toMatch(/dynamodb:UpdateItem on resource: .* with an explicit deny in an identity-based policy$/);
    } finally {
      endpoints.setDescription(backend);
    }
    expect(await directItem(rateLimitTable, 'user-4')).toBeUndefined();
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const error = await failureOf(
      clientFor('AKIAUNKNOWNKEY000000', 'secret').send(
        new UpdateItemCommand({ TableName: rateLimitTable, Key: key('user-5'), UpdateExpression: 'SET sent = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }),
      ),
    );
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(await directItem(rateLimitTable, 'user-5')).toBeUndefined();
  });
});
