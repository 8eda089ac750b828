/**
 * TransactWriteItems / TransactGetItems on the functions' direct DynamoDB path: the loaded chat backend (its role
 * policies), the aws-endpoints server, the local DynamoDB (real dynalite), and the AWS SDK v3 client signing with a
 * function's credentials. Every action is authorized as DynamoDB does (its own action on its own table), and the
 * transaction is atomic against ordinary writes arriving through the sandbox's own client at the same time.
 */
import { join } from 'node:path';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, type SdkError } from '../../tests/helpers/sdk-failure';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '../dynamodb/index';
import { loadCdkOut } from '../loader/load-cdk-out';
import type { BackendDescription, IamStatement } from '../loader/types';
import { credentialsByAccessKey, functionCredentials, LOCAL_REGION } from './credentials';
import { dynamoDbAuthorizations } from './dynamodb-proxy';
import { startAwsEndpoints, type AwsEndpoints } from './server';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');
const FUNCTION = 'message-processor';

type Item = Record<string, AttributeValue>;
let backend: BackendDescription;
let dynamo: LocalDynamoDb;
let endpoints: AwsEndpoints;
let client: DynamoDBClient;
const tables: Record<'message' | 'conversation' | 'rateLimit' | 'profile' | 'presence', string> = { message: '', conversation: '', rateLimit: '', profile: '', presence: '' };
const logs: string[] = [];

const arn = (table: string) => `arn:aws:dynamodb:${backend.region}:${backend.accountId}:table/${table}`;
const allow = (actions: string[], resources: string[]): IamStatement => ({ effect: 'Allow', actions, resources, source: 'test' });
const deny = (actions: string[], resources: string[]): IamStatement => ({ effect: 'Deny', actions, resources, source: 'test' });

/**
 * The backend with the function's DynamoDB grants replaced by `statements` (what amplify/backend.ts would grant), its
 * other statements (SSM, AppSync) kept: the tests do not depend on what the synthesized role grants today.
 */
function withStatements(statements: IamStatement[]): BackendDescription {
  const dynamoDbOnly = (s: IamStatement) => (s.actions ?? []).length > 0 && (s.actions ?? []).every((a) => a.toLowerCase().startsWith('dynamodb:'));
  return {
    ...backend,
    lambdas: backend.lambdas.map((fn) =>
      fn.name !== FUNCTION ? fn : { ...fn, policy: { ...fn.policy, statements: [...fn.policy.statements.filter((s) => !dynamoDbOnly(s)), ...statements] } },
    ),
  };
}
/** Least privilege for the send transaction: the message, the conversation's preview, the sender's counter. */
const leastPrivilege = () => [allow(['dynamodb:PutItem'], [arn(tables.message)]), allow(['dynamodb:UpdateItem'], [arn(tables.conversation), arn(tables.rateLimit)])];

/** A send-rate counter's key: one item per user and window (epoch seconds), as the message processor counts. */
const counter = (user: string): Item => ({ userId: { S: user }, windowStart: { N: '1000' } });

const get = async (table: string, key: Item) => (await dynamo.client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;

function sendMessage(conversation: string, message: string, user: string, limit: number): TransactWriteItem[] {
  return [
    { Put: { TableName: tables.message, Item: { id: { S: message }, conversationId: { S: conversation }, createdAt: { S: '2024-06-01T00:00:00.000Z' } }, ConditionExpression: 'attribute_not_exists(id)' } },
    {
      Update: {
        TableName: tables.conversation,
        Key: { id: { S: conversation } },
        UpdateExpression: 'SET lastMessageAt = :t, preview = :p',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeValues: { ':t': { S: '2024-06-01T00:00:00.000Z' }, ':p': { S: message } },
      },
    },
    {
      Update: {
        TableName: tables.rateLimit,
        Key: counter(user),
        UpdateExpression: 'ADD sent :one',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: String(limit) } },
      },
    },
  ];
}

/** AccessDeniedException as the existing check words it. */
function denied(action: string, table: string, reason: 'implicit' | 'explicit'): string {
  const role = backend.lambdas.find((fn) => fn.name === FUNCTION)!.policy.roleName!;
  const because = reason === 'explicit' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
  return `User: arn:aws:sts::${backend.accountId}:assumed-role/${role}/${FUNCTION} is not authorized to perform: ${action} on resource: ${arn(table)} ${because}`;
}

beforeAll(async () => {
  backend = loadCdkOut(CDK_OUT);
  const named = (model: string) => backend.tables.find((t) => t.model === model)!.name;
  Object.assign(tables, {
    message: named('Message'),
    conversation: named('Conversation'),
    profile: named('UserProfile'),
    presence: named('UserPresence'),
    rateLimit: backend.tables.find((t) => t.name.includes('SendRateLimit'))!.name,
  });
  dynamo = await startDynamoDb();
  await ensureTables(dynamo.client, backend.tables);
  const keys = credentialsByAccessKey(backend.lambdas, backend.accountId);
  endpoints = await startAwsEndpoints({ description: backend, accessKeyIds: () => keys.keys(), dynamoDb: dynamo, logger: (line) => logs.push(line) });
  const { accessKeyId, secretAccessKey } = functionCredentials(FUNCTION, backend.accountId);
  client = new DynamoDBClient({ endpoint: endpoints.url, region: LOCAL_REGION, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
});

afterAll(async () => {
  client?.destroy();
  await endpoints?.close();
  await dynamo?.close();
});

describe('dynamoDbAuthorizations of transactions', () => {
  const T = (name: string) => `arn:aws:dynamodb:us-east-1:123456789012:table/${name}`;
  it('asks for each action’s own permission on its table, the operation itself for a malformed action', () => {
    const write = {
      TransactItems: [
        { Put: { TableName: 'A' } },
        { ConditionCheck: { TableName: 'B' } },
        // A null member is no operation (the local DynamoDB drops it too); a table ARN is taken as is.
        { Update: { TableName: T('C') }, Delete: null },
        { Delete: { TableName: 'D' }, Unknown: { TableName: 'E' } },
        { Put: { TableName: 'A' }, Update: { TableName: 'B' } },
        {},
        { Put: 'not an object' },
      ],
    };
    expect(dynamoDbAuthorizations('TransactWriteItems', write, 'us-east-1', '123456789012')).toEqual([
      { action: 'dynamodb:PutItem', resource: T('A') },
      { action: 'dynamodb:ConditionCheckItem', resource: T('B') },
      { action: 'dynamodb:UpdateItem', resource: T('C') },
      { action: 'dynamodb:DeleteItem', resource: T('D') },
      { action: 'dynamodb:TransactWriteItems', resource: undefined },
      { action: 'dynamodb:TransactWriteItems', resource: undefined },
      { action: 'dynamodb:PutItem', resource: undefined },
    ]);
    expect(dynamoDbAuthorizations('TransactGetItems', { TransactItems: [{ Get: { TableName: 'A' } }, { Put: { TableName: 'A' } }] }, 'us-east-1', '123456789012')).toEqual([
      { action: 'dynamodb:GetItem', resource: T('A') },
      { action: 'dynamodb:TransactGetItems', resource: undefined },
    ]);
  });
});

describe('transactions through aws-endpoints, authorized action by action', () => {
  it('refuses the send transaction when one of its actions (PutItem on Message) is not granted, writing nothing', async () => {
    endpoints.setDescription(withStatements([allow(['dynamodb:UpdateItem'], [arn(tables.conversation), arn(tables.rateLimit)])]));
    await dynamo.client.send(new PutItemCommand({ TableName: tables.conversation, Item: { id: { S: 'c-today' } } }));
    const error = await failureOf(client.send(new TransactWriteItemsCommand({ TransactItems: sendMessage('c-today', 'm-today', 'u-today', 5) })));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toBe(denied('dynamodb:PutItem', tables.message, 'implicit'));
    expect(await get(tables.message, { id: { S: 'm-today' } })).toBeUndefined();
    expect(await get(tables.conversation, { id: { S: 'c-today' } })).toEqual({ id: { S: 'c-today' } });
    expect(await get(tables.rateLimit, counter('u-today'))).toBeUndefined();
    expect(logs.some((l) => l.includes(`DynamoDB TransactWriteItems (${FUNCTION})`) && l.includes('AccessDeniedException'))).toBe(true);
  });

  it('runs it under a least-privilege grant of exactly its three actions', async () => {
    endpoints.setDescription(withStatements(leastPrivilege()));
    await dynamo.client.send(new PutItemCommand({ TableName: tables.conversation, Item: { id: { S: 'c-grant' } } }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: sendMessage('c-grant', 'm-grant', 'u-grant', 5) }));
    expect(await get(tables.message, { id: { S: 'm-grant' } })).toMatchObject({ conversationId: { S: 'c-grant' } });
    expect(await get(tables.conversation, { id: { S: 'c-grant' } })).toEqual({ id: { S: 'c-grant' }, lastMessageAt: { S: '2024-06-01T00:00:00.000Z' }, preview: { S: 'm-grant' } });
    expect(await get(tables.rateLimit, counter('u-grant'))).toEqual({ ...counter('u-grant'), sent: { N: '1' } });
  });

  it('needs each action’s own permission on its own table: ConditionCheckItem, DeleteItem, UpdateItem, GetItem', async () => {
    endpoints.setDescription(withStatements(leastPrivilege()));
    const base = sendMessage('c-each', 'm-each', 'u-each', 5);
    const cases: [string, TransactWriteItem, string][] = [
      ['dynamodb:ConditionCheckItem', { ConditionCheck: { TableName: tables.profile, Key: { id: { S: 'u-each' } }, ConditionExpression: 'attribute_exists(id)' } }, tables.profile],
      // UpdateItem on the table does not grant a ConditionCheck there either.
      ['dynamodb:ConditionCheckItem', { ConditionCheck: { TableName: tables.conversation, Key: { id: { S: 'c-other' } }, ConditionExpression: 'attribute_exists(id)' } }, tables.conversation],
      ['dynamodb:DeleteItem', { Delete: { TableName: tables.message, Key: { id: { S: 'm-old' } } } }, tables.message],
      ['dynamodb:UpdateItem', { Update: { TableName: tables.presence, Key: { id: { S: 'u-each' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'x' } } } }, tables.presence],
      ['dynamodb:PutItem', { Put: { TableName: tables.rateLimit, Item: { ...counter('u-other'), sent: { N: '0' } } } }, tables.rateLimit],
    ];
    for (const [action, extra, table] of cases) {
      const error = await failureOf(client.send(new TransactWriteItemsCommand({ TransactItems: [...base, extra] })));
      expect(error.name, action).toBe('AccessDeniedException');
      expect(error.message).toBe(denied(action, table, 'implicit'));
    }
    const read = await failureOf(client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: tables.rateLimit, Key: counter('u-each') } }] })));
    expect([read.name, read.message]).toEqual(['AccessDeniedException', denied('dynamodb:GetItem', tables.rateLimit, 'implicit')]);
    expect(await get(tables.message, { id: { S: 'm-each' } })).toBeUndefined();
    expect(await get(tables.rateLimit, counter('u-each'))).toBeUndefined();

    endpoints.setDescription(withStatements([...leastPrivilege(), allow(['dynamodb:GetItem'], [arn(tables.rateLimit)])]));
    const answer = await client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: tables.rateLimit, Key: counter('u-grant') } }] }));
    expect(answer.Responses).toEqual([{ Item: { ...counter('u-grant'), sent: { N: '1' } } }]);
  });

  it('lets an explicit Deny of one action on one table win over an Allow of everything', async () => {
    endpoints.setDescription(withStatements([allow(['dynamodb:*'], ['*']), deny(['dynamodb:UpdateItem'], [arn(tables.conversation)])]));
    await dynamo.client.send(new PutItemCommand({ TableName: tables.conversation, Item: { id: { S: 'c-deny' } } }));
    const error = await failureOf(client.send(new TransactWriteItemsCommand({ TransactItems: sendMessage('c-deny', 'm-deny', 'u-deny', 5) })));
    expect([error.name, error.message]).toEqual(['AccessDeniedException', denied('dynamodb:UpdateItem', tables.conversation, 'explicit')]);
    expect(await get(tables.message, { id: { S: 'm-deny' } })).toBeUndefined();
    // The Deny names UpdateItem only: a ConditionCheck on the same table is still allowed.
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tables.conversation, Key: { id: { S: 'c-deny' } }, ConditionExpression: 'attribute_exists(id)' } },
          { Put: { TableName: tables.message, Item: { id: { S: 'm-deny' }, conversationId: { S: 'c-deny' }, createdAt: { S: '1' } } } },
        ],
      }),
    );
    expect(await get(tables.message, { id: { S: 'm-deny' } })).toBeDefined();
  });

  it('answers a malformed transaction as DynamoDB does (ValidationException), not as an authorization failure', async () => {
    endpoints.setDescription(withStatements(leastPrivilege()));
    const error = await failureOf(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: tables.message, Item: { id: { S: 'm-two' } } }, Update: { TableName: tables.rateLimit, Key: counter('u-two'), UpdateExpression: 'ADD sent :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }],
        }),
      ),
    );
    expect([error.name, error.message]).toEqual(['ValidationException', 'TransactItems can only contain one of Check, Put, Update or Delete']);
    const empty = await failureOf(client.send(new TransactWriteItemsCommand({ TransactItems: [] })));
    expect([empty.name, empty.message]).toEqual(['ValidationException', "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"]);
    expect(await get(tables.message, { id: { S: 'm-two' } })).toBeUndefined();
    expect(await get(tables.rateLimit, counter('u-two'))).toBeUndefined();
  });

  it('keeps ClientRequestToken idempotency and DynamoDB’s cancellation answer through the proxy', async () => {
    endpoints.setDescription(withStatements(leastPrivilege()));
    await dynamo.client.send(new PutItemCommand({ TableName: tables.conversation, Item: { id: { S: 'c-token' } } }));
    const items = sendMessage('c-token', 'm-token', 'u-token', 1);
    await client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'send-m-token', TransactItems: items }));
    await client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'send-m-token', TransactItems: items }));
    expect(await get(tables.rateLimit, counter('u-token'))).toEqual({ ...counter('u-token'), sent: { N: '1' } });
    const mismatch = await failureOf(client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'send-m-token', TransactItems: sendMessage('c-token', 'm-token-2', 'u-token', 1) })));
    expect(mismatch.name).toBe('IdempotentParameterMismatchException');
    const limited = await failureOf(client.send(new TransactWriteItemsCommand({ TransactItems: sendMessage('c-token', 'm-token-2', 'u-token', 1) })));
    expect(limited.name).toBe('TransactionCanceledException');
    expect(limited.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed]');
    expect(limited.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
    expect(await get(tables.message, { id: { S: 'm-token-2' } })).toBeUndefined();
  });

  it('the rate-limit shape under concurrency: exactly `limit` of N sends succeed, with the sandbox’s own writes to the same items interleaved', async () => {
    endpoints.setDescription(withStatements(leastPrivilege()));
    const N = 40;
    const limit = 15;
    await dynamo.client.send(new PutItemCommand({ TableName: tables.conversation, Item: { id: { S: 'c-race' } } }));
    await dynamo.client.send(new PutItemCommand({ TableName: tables.rateLimit, Item: { ...counter('u-race'), touches: { N: '0' } } }));
    const id = (i: number) => `m-race-${String(i).padStart(2, '0')}`;
    const sends = Array.from({ length: N }, (_, i) => client.send(new TransactWriteItemsCommand({ TransactItems: sendMessage('c-race', id(i), 'u-race', limit) })));
    // The other path: the sandbox's own client (what the AppSync data sources use), straight to the local DynamoDB.
    const ordinary = Array.from({ length: N }, (_, i) => [
      dynamo.client.send(new UpdateItemCommand({ TableName: tables.rateLimit, Key: counter('u-race'), UpdateExpression: 'ADD touches :one', ExpressionAttributeValues: { ':one': { N: '1' } } })),
      dynamo.client.send(new UpdateItemCommand({ TableName: tables.conversation, Key: { id: { S: 'c-race' } }, UpdateExpression: 'ADD #r :one', ExpressionAttributeNames: { '#r': 'reads' }, ExpressionAttributeValues: { ':one': { N: '1' } } })),
      dynamo.client
        .send(new PutItemCommand({ TableName: tables.message, Item: { id: { S: id(i) }, conversationId: { S: 'c-race' }, createdAt: { S: '2024-06-01T00:00:00.000Z' }, seen: { BOOL: true } }, ConditionExpression: 'attribute_exists(id)' }))
        .catch((error: SdkError) => {
          if (error.name !== 'ConditionalCheckFailedException') throw error;
        }),
    ]).flat();
    const [sent] = await Promise.all([Promise.allSettled(sends), Promise.all(ordinary)]);

    const succeeded = sent.flatMap((r, i) => (r.status === 'fulfilled' ? [id(i)] : []));
    expect(succeeded).toHaveLength(limit);
    for (const r of sent) {
      if (r.status === 'rejected') expect((r.reason as SdkError).CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }]);
    }
    expect(await get(tables.rateLimit, counter('u-race'))).toEqual({ ...counter('u-race'), touches: { N: String(N) }, sent: { N: String(limit) } });
    expect(await get(tables.conversation, { id: { S: 'c-race' } })).toMatchObject({ reads: { N: String(N) } });
    const { Items } = await dynamo.client.send(
      new QueryCommand({ TableName: tables.message, IndexName: 'messagesByConversationIdAndCreatedAt', KeyConditionExpression: 'conversationId = :c', ExpressionAttributeValues: { ':c': { S: 'c-race' } } }),
    );
    expect((Items ?? []).map((m) => m['id']?.S).sort()).toEqual(succeeded.sort());
  });
});
