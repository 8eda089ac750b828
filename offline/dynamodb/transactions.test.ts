/**
 * TransactWriteItems / TransactGetItems on the local DynamoDB (real dynalite, the AWS SDK v3 client), with DynamoDB's
 * answers: all-or-nothing writes, cancellation reasons in request order, ALL_OLD items, request validation texts,
 * ClientRequestToken idempotency, and atomicity against concurrent transactions and ordinary writes on the same items.
 */
import { createRequire } from 'node:module';
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type TransactWriteItem,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureOf, type SdkError } from '../../tests/helpers/sdk-failure.js';
import { createLocalDynamoDbClient } from './client.js';
import { startDynamoDb, type LocalDynamoDb } from './server.js';
import { ensureTables } from './tables.js';
import { chatTables, tableFor } from '../../tests/helpers/chat-tables.js';
import { startDynaliteWithTransactions } from './transaction-endpoint.js';
import { IDEMPOTENCY_WINDOW_MS, MESSAGES } from './transactions.js';
import type { TableDescription } from '../loader/types.js';

type Item = Record<string, AttributeValue>;

const RATE_LIMIT: TableDescription = {
  name: 'SendRateLimit-test',
  keySchema: [{ attributeName: 'userId', keyType: 'HASH' }],
  attributeDefinitions: [{ attributeName: 'userId', attributeType: 'S' }],
  globalSecondaryIndexes: [],
  localSecondaryIndexes: [],
};
const MESSAGE = tableFor('Message').name;
const CONVERSATION = tableFor('Conversation').name;
const LIMIT_TABLE = RATE_LIMIT.name;
const BY_CONVERSATION = 'messagesByConversationIdAndCreatedAt';

let clock = 1_700_000_000_000;
let db: LocalDynamoDb;
let client: DynamoDBClient;

beforeAll(async () => {
  db = await startDynamoDb({ transactionClock: () => clock });
  client = db.client;
  await ensureTables(client, [...chatTables(), RATE_LIMIT]);
});
afterAll(() => db?.close());

const get = async (table: string, key: Item) => (await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
const messagesOf = async (conversationId: string) =>
  (
    await client.send(
      new QueryCommand({ TableName: MESSAGE, IndexName: BY_CONVERSATION, KeyConditionExpression: 'conversationId = :c', ExpressionAttributeValues: { ':c': { S: conversationId } } }),
    )
  ).Items ?? [];

/** The message-processor's future transaction: the message, the conversation's preview, the sender's counter. */
function sendMessage(opts: { conversation: string; message: string; user: string; limit: number; createdAt?: string }): TransactWriteItem[] {
  const createdAt = opts.createdAt ?? '2024-01-01T00:00:00.000Z';
  return [
    {
      Put: {
        TableName: MESSAGE,
        Item: { id: { S: opts.message }, conversationId: { S: opts.conversation }, createdAt: { S: createdAt }, content: { S: `hello ${opts.message}` } },
        ConditionExpression: 'attribute_not_exists(id)',
      },
    },
    {
      Update: {
        TableName: CONVERSATION,
        Key: { id: { S: opts.conversation } },
        UpdateExpression: 'SET lastMessageAt = :t, preview = :p',
        ConditionExpression: 'attribute_exists(id) AND (attribute_not_exists(lastMessageAt) OR lastMessageAt <= :t)',
        ExpressionAttributeValues: { ':t': { S: createdAt }, ':p': { S: `hello ${opts.message}` } },
      },
    },
    {
      Update: {
        TableName: LIMIT_TABLE,
        Key: { userId: { S: opts.user } },
        UpdateExpression: 'ADD sent :one',
        ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
        ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: String(opts.limit) } },
      },
    },
  ];
}

describe('TransactWriteItems', () => {
  it('writes every action, index entries included, and answers {}', async () => {
    await client.send(new PutItemCommand({ TableName: CONVERSATION, Item: { id: { S: 'c-ok' }, name: { S: 'room' } } }));
    const answer = await client.send(new TransactWriteItemsCommand({ TransactItems: sendMessage({ conversation: 'c-ok', message: 'm-ok', user: 'u-ok', limit: 5 }) }));
    expect(answer.ConsumedCapacity).toBeUndefined();
    expect(answer.ItemCollectionMetrics).toBeUndefined();
    expect(await get(MESSAGE, { id: { S: 'm-ok' } })).toMatchObject({ conversationId: { S: 'c-ok' }, content: { S: 'hello m-ok' } });
    expect(await get(CONVERSATION, { id: { S: 'c-ok' } })).toEqual({ id: { S: 'c-ok' }, name: { S: 'room' }, lastMessageAt: { S: '2024-01-01T00:00:00.000Z' }, preview: { S: 'hello m-ok' } });
    expect(await get(LIMIT_TABLE, { userId: { S: 'u-ok' } })).toEqual({ userId: { S: 'u-ok' }, sent: { N: '1' } });
    expect((await messagesOf('c-ok')).map((m) => m['id']?.S)).toEqual(['m-ok']);
  });

  it('a Delete and a passing ConditionCheck take effect together; ReturnConsumedCapacity gets a per-table answer', async () => {
    await client.send(new PutItemCommand({ TableName: MESSAGE, Item: { id: { S: 'm-del' }, conversationId: { S: 'c-del' }, createdAt: { S: '1' } } }));
    await client.send(new PutItemCommand({ TableName: CONVERSATION, Item: { id: { S: 'c-del' }, open: { BOOL: true } } }));
    const answer = await client.send(
      new TransactWriteItemsCommand({
        ReturnConsumedCapacity: 'TOTAL',
        ReturnItemCollectionMetrics: 'SIZE',
        TransactItems: [
          { ConditionCheck: { TableName: CONVERSATION, Key: { id: { S: 'c-del' } }, ConditionExpression: '#o = :t', ExpressionAttributeNames: { '#o': 'open' }, ExpressionAttributeValues: { ':t': { BOOL: true } } } },
          { Delete: { TableName: MESSAGE, Key: { id: { S: 'm-del' } }, ConditionExpression: 'attribute_exists(id)' } },
        ],
      }),
    );
    expect(answer.ConsumedCapacity).toEqual([
      { TableName: CONVERSATION, CapacityUnits: 2 },
      { TableName: MESSAGE, CapacityUnits: 2 },
    ]);
    expect(await get(MESSAGE, { id: { S: 'm-del' } })).toBeUndefined();
    expect(await messagesOf('c-del')).toEqual([]);
    expect(await get(CONVERSATION, { id: { S: 'c-del' } })).toEqual({ id: { S: 'c-del' }, open: { BOOL: true } });
  });

  it('a failing condition anywhere cancels everything, with one reason per action in order', async () => {
    const failed = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
    // The message exists already / the conversation has a later message / the sender is at the limit.
    await client.send(new PutItemCommand({ TableName: MESSAGE, Item: { id: { S: 'm-fail-0' }, conversationId: { S: 'elsewhere' }, createdAt: { S: '1' } } }));
    await client.send(new PutItemCommand({ TableName: LIMIT_TABLE, Item: { userId: { S: 'u-fail-2' }, sent: { N: '5' } } }));
    for (const failing of [0, 1, 2]) {
      await client.send(new PutItemCommand({ TableName: CONVERSATION, Item: { id: { S: `c-fail-${failing}` }, ...(failing === 1 ? { lastMessageAt: { S: '2030' } } : {}) } }));
      const items = sendMessage({ conversation: `c-fail-${failing}`, message: `m-fail-${failing}`, user: `u-fail-${failing}`, limit: 5 });
      const error = await failureOf(client.send(new TransactWriteItemsCommand({ TransactItems: items })));
      const codes = [0, 1, 2].map((i) => (i === failing ? 'ConditionalCheckFailed' : 'None'));
      expect(error.name).toBe('TransactionCanceledException');
      expect(error.$metadata.httpStatusCode).toBe(400);
      expect(error.message).toBe(`Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`);
      expect(error.CancellationReasons).toEqual(codes.map((code) => (code === 'None' ? { Code: 'None' } : failed)));
      // Nothing of the transaction was written.
      expect(await messagesOf(`c-fail-${failing}`)).toEqual([]);
      expect(await get(CONVERSATION, { id: { S: `c-fail-${failing}` } })).toEqual({ id: { S: `c-fail-${failing}` }, ...(failing === 1 ? { lastMessageAt: { S: '2030' } } : {}) });
    }
    expect(await get(MESSAGE, { id: { S: 'm-fail-0' } })).toEqual({ id: { S: 'm-fail-0' }, conversationId: { S: 'elsewhere' }, createdAt: { S: '1' } });
    expect(await get(MESSAGE, { id: { S: 'm-fail-1' } })).toBeUndefined();
    expect(await get(MESSAGE, { id: { S: 'm-fail-2' } })).toBeUndefined();
    expect(await get(LIMIT_TABLE, { userId: { S: 'u-fail-0' } })).toBeUndefined();
    expect(await get(LIMIT_TABLE, { userId: { S: 'u-fail-1' } })).toBeUndefined();
    expect(await get(LIMIT_TABLE, { userId: { S: 'u-fail-2' } })).toEqual({ userId: { S: 'u-fail-2' }, sent: { N: '5' } });
  });

  it('reports every failing action, and the old item for ReturnValuesOnConditionCheckFailure ALL_OLD', async () => {
    const counter = { userId: { S: 'u-old' }, sent: { N: '3' } };
    await client.send(new PutItemCommand({ TableName: LIMIT_TABLE, Item: counter }));
    await client.send(new PutItemCommand({ TableName: CONVERSATION, Item: { id: { S: 'c-old' }, closed: { BOOL: true } } }));
    const error = await failureOf(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Update: { TableName: LIMIT_TABLE, Key: { userId: { S: 'u-old' } }, UpdateExpression: 'ADD sent :one', ConditionExpression: 'sent < :limit', ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: '3' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            { ConditionCheck: { TableName: CONVERSATION, Key: { id: { S: 'c-old' } }, ConditionExpression: 'attribute_not_exists(closed)' } },
            { Put: { TableName: MESSAGE, Item: { id: { S: 'm-old' } }, ConditionExpression: 'attribute_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
            { Put: { TableName: MESSAGE, Item: { id: { S: 'm-old-2' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
          ],
        }),
      ),
    );
    expect(error.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, ConditionalCheckFailed, ConditionalCheckFailed, None]');
    expect(error.CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: counter },
      // No ALL_OLD asked: no item.
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      // ALL_OLD, but there is no old item.
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
    ]);
    expect(await get(LIMIT_TABLE, { userId: { S: 'u-old' } })).toEqual(counter);
    expect(await get(MESSAGE, { id: { S: 'm-old-2' } })).toBeUndefined();
  });

  it('refuses two actions on one item, changing nothing', async () => {
    for (const second of [
      { ConditionCheck: { TableName: LIMIT_TABLE, Key: { userId: { S: 'u-twice' } }, ConditionExpression: 'attribute_not_exists(userId)' } },
      { Put: { TableName: LIMIT_TABLE, Item: { userId: { S: 'u-twice' }, sent: { N: '9' } } } },
    ]) {
      const error = await failureOf(
        client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: MESSAGE, Item: { id: { S: 'm-twice' } } } },
              { Update: { TableName: LIMIT_TABLE, Key: { userId: { S: 'u-twice' } }, UpdateExpression: 'ADD sent :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
              second,
            ],
          }),
        ),
      );
      expect(error.name).toBe('ValidationException');
      expect(error.message).toBe('Transaction request cannot include multiple operations on one item');
    }
    expect(await get(MESSAGE, { id: { S: 'm-twice' } })).toBeUndefined();
    expect(await get(LIMIT_TABLE, { userId: { S: 'u-twice' } })).toBeUndefined();
  });

  it('answers malformed requests with DynamoDB’s validation texts', async () => {
    const put = (id: string): TransactWriteItem => ({ Put: { TableName: MESSAGE, Item: { id: { S: id } } } });
    const cases: [string, TransactWriteItemsCommandInput, string, string | RegExp][] = [
      ['no actions', { TransactItems: [] }, 'ValidationException', "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1"],
      [
        '101 actions',
        { TransactItems: Array.from({ length: 101 }, (_, i) => put(`m-many-${i}`)) },
        'ValidationException',
        /^1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/s,
      ],
      [
        'two operations in one action',
        { TransactItems: [{ Put: { TableName: MESSAGE, Item: { id: { S: 'm-two-ops' } } }, Delete: { TableName: MESSAGE, Key: { id: { S: 'm-two-ops' } } } }] },
        'ValidationException',
        'TransactItems can only contain one of Check, Put, Update or Delete',
      ],
      ['an action without operation', { TransactItems: [put('m-none'), {} as TransactWriteItem] }, 'ValidationException', 'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request'],
      [
        'a malformed table name',
        { TransactItems: [put('m-name'), { Update: { TableName: 'bad!name', Key: { id: { S: 'a' } }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } } }] },
        'ValidationException',
        "1 validation error detected: Value 'bad!name' at 'transactItems.2.member.update.tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      ],
      ['a table that does not exist', { TransactItems: [put('m-table'), { Put: { TableName: 'NoSuchTable', Item: { id: { S: 'x' } } } }] }, 'ResourceNotFoundException', 'Requested resource not found'],
      [
        'an empty ConditionExpression',
        { TransactItems: [{ ConditionCheck: { TableName: MESSAGE, Key: { id: { S: 'm-cc' } }, ConditionExpression: '' } }] },
        'ValidationException',
        'Invalid ConditionExpression: The expression can not be empty;',
      ],
      [
        'an unused expression value',
        { TransactItems: [put('m-unused'), { ConditionCheck: { TableName: MESSAGE, Key: { id: { S: 'm-cc' } }, ConditionExpression: 'attribute_not_exists(id)', ExpressionAttributeValues: { ':v': { S: 'x' } } } }] },
        'ValidationException',
        'Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}',
      ],
      [
        'an empty string key',
        { TransactItems: [put('m-empty'), { Delete: { TableName: MESSAGE, Key: { id: { S: '' } } } }] },
        'ValidationException',
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id',
      ],
      ['an item over 400 KB (dynalite’s check)', { TransactItems: [{ Put: { TableName: MESSAGE, Item: { id: { S: 'm-big' }, body: { S: 'x'.repeat(401 * 1024) } } } }] }, 'ValidationException', 'Item size has exceeded the maximum allowed size'],
    ];
    for (const [name, input, type, message] of cases) {
      const error = await failureOf(client.send(new TransactWriteItemsCommand(input)));
      expect(error.name, name).toBe(type);
      expect(error.$metadata.httpStatusCode, name).toBe(400);
      if (typeof message === 'string') expect(error.message, name).toBe(message);
      else expect(error.message, name).toMatch(message);
    }
    const written = (await client.send(new ScanCommand({ TableName: MESSAGE, FilterExpression: 'begins_with(id, :p)', ExpressionAttributeValues: { ':p': { S: 'm-' } } }))).Items ?? [];
    expect(written.map((i) => i['id']?.S).filter((id) => /^m-(many|two-ops|none|name|table|cc|unused|empty|big)/.test(id ?? ''))).toEqual([]);
  });

  it('cancels with ValidationError reasons for key and update errors of an action, as DynamoDB does', async () => {
    await client.send(new PutItemCommand({ TableName: CONVERSATION, Item: { id: { S: 'c-typed' }, title: { S: 'text' } } }));
    const error = await failureOf(
      client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: MESSAGE, Item: { content: { S: 'no id' } } } },
            { Put: { TableName: LIMIT_TABLE, Item: { userId: { N: '5' } } } },
            { Update: { TableName: CONVERSATION, Key: { id: { S: 'c-typed' }, extra: { S: 'x' } }, UpdateExpression: 'SET a = :a', ExpressionAttributeValues: { ':a': { S: 'x' } } } },
            { Update: { TableName: CONVERSATION, Key: { id: { S: 'c-typed' } }, UpdateExpression: 'ADD title :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
            { Put: { TableName: MESSAGE, Item: { id: { S: 'm-typed' } } } },
          ],
        }),
      ),
    );
    expect(error.name).toBe('TransactionCanceledException');
    expect(error.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, ValidationError, ValidationError, ValidationError, None]');
    expect(error.CancellationReasons).toEqual([
      { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Missing the key id in the item' },
      { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key userId expected: S actual: N' },
      { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
      { Code: 'ValidationError', Message: 'An operand in the update expression has an incorrect data type' },
      { Code: 'None' },
    ]);
    expect(await get(MESSAGE, { id: { S: 'm-typed' } })).toBeUndefined();
    expect(await get(CONVERSATION, { id: { S: 'c-typed' } })).toEqual({ id: { S: 'c-typed' }, title: { S: 'text' } });
  });
});

describe('ClientRequestToken', () => {
  const bump = (user: string, by = '1'): TransactWriteItem[] => [
    { Update: { TableName: LIMIT_TABLE, Key: { userId: { S: user } }, UpdateExpression: 'ADD sent :n', ExpressionAttributeValues: { ':n': { N: by } } } },
  ];
  const sent = async (user: string) => (await get(LIMIT_TABLE, { userId: { S: user } }))?.['sent']?.N;

  it('answers a repeated request the same, without writing twice, also with its keys in another order', async () => {
    const first = await client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-same', TransactItems: bump('u-idem') }));
    const again = await client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-same', TransactItems: bump('u-idem') }));
    const reordered = await client.send(
      new TransactWriteItemsCommand({
        ClientRequestToken: 'token-same',
        TransactItems: [{ Update: { ExpressionAttributeValues: { ':n': { N: '1' } }, UpdateExpression: 'ADD sent :n', Key: { userId: { S: 'u-idem' } }, TableName: LIMIT_TABLE } }],
      }),
    );
    expect([again.$metadata.httpStatusCode, reordered.$metadata.httpStatusCode]).toEqual([200, 200]);
    expect(again.ConsumedCapacity).toEqual(first.ConsumedCapacity);
    expect(await sent('u-idem')).toBe('1');
  });

  it('refuses the same token with other items: IdempotentParameterMismatchException, nothing written', async () => {
    await client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-mismatch', TransactItems: bump('u-mismatch') }));
    const error = await failureOf(client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-mismatch', TransactItems: bump('u-mismatch', '5') })));
    expect(error.name).toBe('IdempotentParameterMismatchException');
    expect(error.message).toBe(MESSAGES.mismatch);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(await sent('u-mismatch')).toBe('1');
  });

  it('forgets a token 10 minutes after its transaction completed', async () => {
    await client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-expiry', TransactItems: bump('u-expiry') }));
    clock += IDEMPOTENCY_WINDOW_MS;
    await client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-expiry', TransactItems: bump('u-expiry') }));
    expect(await sent('u-expiry')).toBe('1');
    clock += 1;
    await client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-expiry', TransactItems: bump('u-expiry', '7') }));
    expect(await sent('u-expiry')).toBe('8');
  });

  it('forgets expired tokens without another transaction to trigger it (the idle sweep)', async () => {
    let now = 1_700_000_000_000;
    const local = startDynaliteWithTransactions({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }, { now: () => now });
    await new Promise<void>((resolve) => local.server.listen(0, '127.0.0.1', resolve));
    const localClient = createLocalDynamoDbClient(`http://127.0.0.1:${(local.server.address() as AddressInfo).port}`);
    try {
      await ensureTables(localClient, [RATE_LIMIT]);
      const put = (id: string): TransactWriteItem[] => [{ Put: { TableName: LIMIT_TABLE, Item: { userId: { S: id } } } }];
      await localClient.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-idle-1', TransactItems: put('u-idle-1') }));
      await localClient.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-idle-2', TransactItems: put('u-idle-2') }));
      expect(local.engine.rememberedTokens).toBe(2);
      now += IDEMPOTENCY_WINDOW_MS;
      local.engine.forgetExpired();
      expect(local.engine.rememberedTokens).toBe(2);
      now += 1;
      local.engine.forgetExpired(); // what the engine's timer runs once a minute
      expect(local.engine.rememberedTokens).toBe(0);
    } finally {
      localClient.destroy();
      await new Promise((resolve) => local.server.close(resolve));
    }
  });

  it('does not bind a token to a cancelled transaction', async () => {
    const guarded: TransactWriteItem[] = [
      { Update: { TableName: LIMIT_TABLE, Key: { userId: { S: 'u-retry' } }, UpdateExpression: 'ADD sent :n', ConditionExpression: 'attribute_exists(userId)', ExpressionAttributeValues: { ':n': { N: '1' } } } },
    ];
    const error = await failureOf(client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-retry', TransactItems: guarded })));
    expect(error.name).toBe('TransactionCanceledException');
    await client.send(new PutItemCommand({ TableName: LIMIT_TABLE, Item: { userId: { S: 'u-retry' }, sent: { N: '0' } } }));
    await client.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-retry', TransactItems: guarded }));
    expect(await sent('u-retry')).toBe('1');
  });
});

describe('TransactGetItems', () => {
  it('reads the items in order, {} for a missing one, with projections', async () => {
    await client.send(new PutItemCommand({ TableName: CONVERSATION, Item: { id: { S: 'c-read' }, name: { S: 'n' }, secret: { S: 's' } } }));
    await client.send(new PutItemCommand({ TableName: LIMIT_TABLE, Item: { userId: { S: 'u-read' }, sent: { N: '2' } } }));
    const answer = await client.send(
      new TransactGetItemsCommand({
        ReturnConsumedCapacity: 'TOTAL',
        TransactItems: [
          { Get: { TableName: LIMIT_TABLE, Key: { userId: { S: 'u-read' } } } },
          { Get: { TableName: MESSAGE, Key: { id: { S: 'm-missing' } } } },
          { Get: { TableName: CONVERSATION, Key: { id: { S: 'c-read' } }, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'name' } } },
        ],
      }),
    );
    expect(answer.Responses).toEqual([{ Item: { userId: { S: 'u-read' }, sent: { N: '2' } } }, {}, { Item: { name: { S: 'n' } } }]);
    expect(answer.ConsumedCapacity?.map((c) => c.TableName)).toEqual([LIMIT_TABLE, MESSAGE, CONVERSATION]);
  });

  it('refuses two reads of one item and cancels on a key that does not fit', async () => {
    const twice = await failureOf(
      client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: MESSAGE, Key: { id: { S: 'x' } } } }, { Get: { TableName: MESSAGE, Key: { id: { S: 'x' } } } }] })),
    );
    expect([twice.name, twice.message]).toEqual(['ValidationException', 'Transaction request cannot include multiple operations on one item']);
    const badKey = await failureOf(client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: MESSAGE, Key: {} } }, { Get: { TableName: MESSAGE, Key: { id: { S: 'x' } } } }] })));
    expect(badKey.name).toBe('TransactionCanceledException');
    expect(badKey.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, None]');
    expect(badKey.CancellationReasons).toEqual([{ Code: 'ValidationError', Message: 'The provided key element does not match the schema' }, { Code: 'None' }]);
    const empty = await failureOf(client.send(new TransactGetItemsCommand({ TransactItems: [] })));
    expect(empty.message).toBe("1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });
});

describe('atomicity', () => {
  it('N concurrent rate-limited sends: exactly `limit` succeed, with ordinary writes to the same items interleaved and none lost', async () => {
    const N = 40;
    const limit = 12;
    const other = createLocalDynamoDbClient(db.endpoint); // ordinary traffic on its own connections
    try {
      await client.send(new PutItemCommand({ TableName: CONVERSATION, Item: { id: { S: 'c-race' } } }));
      await client.send(new PutItemCommand({ TableName: LIMIT_TABLE, Item: { userId: { S: 'u-race' }, touches: { N: '0' } } }));
      const sends = Array.from({ length: N }, (_, i) =>
        client.send(
          new TransactWriteItemsCommand({
            TransactItems: sendMessage({ conversation: 'c-race', message: `m-race-${String(i).padStart(2, '0')}`, user: 'u-race', limit, createdAt: '2024-06-01T00:00:00.000Z' }).reverse(),
          }),
        ),
      );
      const ordinary = Array.from({ length: N }, (_, i) => [
        // The counter item: an ADD that a stale transaction commit would lose.
        other.send(new UpdateItemCommand({ TableName: LIMIT_TABLE, Key: { userId: { S: 'u-race' } }, UpdateExpression: 'ADD touches :one', ExpressionAttributeValues: { ':one': { N: '1' } } })),
        // The conversation item.
        other.send(new UpdateItemCommand({ TableName: CONVERSATION, Key: { id: { S: 'c-race' } }, UpdateExpression: 'ADD #v :one', ExpressionAttributeNames: { '#v': 'views' }, ExpressionAttributeValues: { ':one': { N: '1' } } })),
        // The message items, only once they exist (never creating one a transaction is about to put).
        other.send(
          new PutItemCommand({
            TableName: MESSAGE,
            Item: { id: { S: `m-race-${String(i).padStart(2, '0')}` }, conversationId: { S: 'c-race' }, createdAt: { S: '2024-06-01T00:00:00.000Z' }, content: { S: `hello m-race-${String(i).padStart(2, '0')}` }, seen: { BOOL: true } },
            ConditionExpression: 'attribute_exists(id)',
          }),
        ),
      ]).flat();
      const [sent, touched] = await Promise.all([Promise.allSettled(sends), Promise.allSettled(ordinary)]);

      const succeeded = sent.flatMap((r, i) => (r.status === 'fulfilled' ? [`m-race-${String(i).padStart(2, '0')}`] : []));
      expect(succeeded).toHaveLength(limit);
      for (const r of sent) {
        if (r.status === 'fulfilled') continue;
        const error = r.reason as SdkError;
        expect(error.name).toBe('TransactionCanceledException');
        // Reversed order: counter, conversation, message.
        expect(error.CancellationReasons).toEqual([{ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' }, { Code: 'None' }, { Code: 'None' }]);
      }
      for (const [i, r] of touched.entries()) {
        const outcome = r.status === 'fulfilled' ? 'ok' : (r.reason as SdkError).name;
        // A message put finds its message only if that send succeeded and came first.
        if (i % 3 === 2) expect(['ok', 'ConditionalCheckFailedException'], `ordinary write ${i}`).toContain(outcome);
        else expect(outcome, `ordinary write ${i}`).toBe('ok');
      }
      expect(await get(LIMIT_TABLE, { userId: { S: 'u-race' } })).toEqual({ userId: { S: 'u-race' }, touches: { N: String(N) }, sent: { N: String(limit) } });
      expect(await get(CONVERSATION, { id: { S: 'c-race' } })).toMatchObject({ views: { N: String(N) }, lastMessageAt: { S: '2024-06-01T00:00:00.000Z' } });
      const stored = (await messagesOf('c-race')).map((m) => m['id']?.S).sort();
      expect(stored).toEqual(succeeded.sort());
    } finally {
      other.destroy();
    }
  });

  it('waits for a write that holds dynalite’s item lock; a second request with the token meanwhile is in progress', async () => {
    const require = createRequire(import.meta.url);
    const dynaliteDb = require('dynalite/db/index.js') as { createKey(item: Item, table: unknown): string };
    const local = startDynaliteWithTransactions({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => local.server.listen(0, '127.0.0.1', resolve));
    const localClient = createLocalDynamoDbClient(`http://127.0.0.1:${(local.server.address() as AddressInfo).port}`);
    try {
      await ensureTables(localClient, [RATE_LIMIT]);
      const key = { userId: { S: 'u-held' } };
      await localClient.send(new PutItemCommand({ TableName: LIMIT_TABLE, Item: { ...key, sent: { N: '0' } } }));
      const table = await new Promise((resolve) => local.store.getTable(LIMIT_TABLE, (_e, t) => resolve(t)));
      const itemDb = local.store.getItemDb(LIMIT_TABLE);
      // Hold the item's lock as dynalite's UpdateItem does while it writes.
      const release = await new Promise<() => void>((resolve) => itemDb.lock(dynaliteDb.createKey(key, table), (r) => resolve(r(() => undefined))));
      // Observe the transaction asking for the lock (a synchronisation point, not a delay).
      const lock = itemDb.lock;
      const asked = new Promise<void>((resolve) => {
        itemDb.lock = (k, exec) => {
          if (Array.isArray(k)) resolve();
          lock(k, exec);
        };
      });
      const bump: TransactWriteItem[] = [{ Update: { TableName: LIMIT_TABLE, Key: key, UpdateExpression: 'ADD sent :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }];
      const first = localClient.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-held', TransactItems: bump }));
      await asked;
      const inProgress = await failureOf(localClient.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-held', TransactItems: bump })));
      expect([inProgress.name, inProgress.message]).toEqual(['TransactionInProgressException', 'Transaction from previous request is still in progress']);
      const ordinary = localClient.send(new UpdateItemCommand({ TableName: LIMIT_TABLE, Key: key, UpdateExpression: 'SET touched = :t', ExpressionAttributeValues: { ':t': { BOOL: true } } }));
      // Nothing was written while the lock is held.
      expect((await localClient.send(new GetItemCommand({ TableName: LIMIT_TABLE, Key: key }))).Item).toEqual({ ...key, sent: { N: '0' } });
      itemDb.lock = lock;
      release();
      await first;
      await ordinary;
      // The transaction was first in line, the ordinary update after it: both applied, nothing lost.
      expect((await localClient.send(new GetItemCommand({ TableName: LIMIT_TABLE, Key: key }))).Item).toEqual({ ...key, sent: { N: '1' }, touched: { BOOL: true } });
    } finally {
      localClient.destroy();
      await new Promise((resolve) => local.server.close(resolve));
    }
  });
});
