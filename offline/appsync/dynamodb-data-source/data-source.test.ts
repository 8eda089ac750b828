/**
 * The DynamoDB data source against real dynalite (in memory), with request objects shaped like those Amplify's
 * generated model resolvers render (conditional create, list by index with filters and pages), on the chat tables.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDynamoDb, type LocalDynamoDb } from '../../dynamodb/server.js';
import { resetTable, ensureTables } from '../../dynamodb/tables.js';
import { chatTables, tableFor } from '../../../tests/helpers/chat-tables.js';
import { DataSourceError, executeDynamoDbRequest } from './index.js';

const MESSAGE = tableFor('Message').name;
const CONVERSATION = tableFor('Conversation').name;
const PROFILE = tableFor('UserProfile').name;
const INDEX = 'messagesByConversationIdAndCreatedAt';
const CONDITION_FAILED = 'The conditional request failed (Service: DynamoDb, Status Code: 400, Request ID: null)';

let db: LocalDynamoDb;
beforeAll(async () => {
  db = await startDynamoDb({});
  await ensureTables(db.client, chatTables());
});
afterAll(() => db.close());
beforeEach(async () => {
  for (const table of chatTables()) await resetTable(db.client, table);
});

const run = (table: string, request: object) => executeDynamoDbRequest(db.client, table, request);

async function failure(promise: Promise<unknown>): Promise<DataSourceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataSourceError);
  return error as DataSourceError;
}

/** What Amplify's generated create resolver renders (e.g. createUserPresence): a put conditioned on the key, no duplicate ids. */
function createItem(id: string, fields: Record<string, unknown>) {
  return {
    version: '2018-05-29',
    operation: 'PutItem',
    key: { id: { S: id } },
    attributeValues: fields,
    condition: { expression: 'attribute_not_exists(#id)', expressionNames: { '#id': 'id' } },
  };
}

function message(i: number, extra: Record<string, unknown> = {}) {
  return {
    __typename: { S: 'Message' },
    conversationId: { S: 'c1' },
    createdAt: { S: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString() },
    body: { S: `message ${i}` },
    authorId: { S: i % 3 === 0 ? 'alice' : 'bob' },
    seq: { N: i },
    ...extra,
  };
}

async function seedMessages(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) await run(MESSAGE, createItem(`m${String(i).padStart(2, '0')}`, message(i)));
}

function listByConversation(extra: Record<string, unknown> = {}) {
  return {
    version: '2018-05-29',
    operation: 'Query',
    index: INDEX,
    query: { expression: '#conversationId = :conversationId', expressionNames: { '#conversationId': 'conversationId' }, expressionValues: { ':conversationId': { S: 'c1' } } },
    scanIndexForward: false,
    ...extra,
  };
}

interface Page {
  items: Record<string, unknown>[];
  nextToken: string | null;
  scannedCount: number;
}

async function allPages(request: (nextToken: string | null) => object, table = MESSAGE): Promise<Page[]> {
  const pages: Page[] = [];
  let nextToken: string | null = null;
  do {
    const page = (await run(table, request(nextToken))) as Page;
    pages.push(page);
    nextToken = page.nextToken;
  } while (nextToken !== null && pages.length < 100);
  return pages;
}

describe('GetItem / PutItem / UpdateItem / DeleteItem', () => {
  it('PutItem merges key and attributeValues, converts JSON numbers and returns the item', async () => {
    const result = await run(MESSAGE, createItem('m1', message(1, { tags: { SS: ['a', 'b'] }, meta: { M: { n: { N: '2.5' }, ok: { BOOL: true }, none: { NULL: true } } } })));
    expect(result).toMatchObject({ id: 'm1', conversationId: 'c1', seq: 1, tags: ['a', 'b'], meta: { n: 2.5, ok: true, none: null } });
    expect(await run(MESSAGE, { version: '2018-05-29', operation: 'GetItem', key: { id: { S: 'm1' } }, consistentRead: true })).toEqual(result);
  });

  it('GetItem returns null for a missing item and honours a projection', async () => {
    await run(MESSAGE, createItem('m1', message(1)));
    expect(await run(MESSAGE, { operation: 'GetItem', key: { id: { S: 'nope' } } })).toBeNull();
    expect(
      await run(MESSAGE, { operation: 'GetItem', key: { id: { S: 'm1' } }, projection: { expression: '#b, id', expressionNames: { '#b': 'body' } } }),
    ).toEqual({ id: 'm1', body: 'message 1' });
  });

  it('a duplicate create fails with ConditionalCheckFailed, carrying the current item', async () => {
    await run(MESSAGE, createItem('m1', message(1)));
    const error = await failure(run(MESSAGE, createItem('m1', message(1, { body: { S: 'other' } }))));
    expect(error.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(error.message).toBe(CONDITION_FAILED);
    expect(error.data).toMatchObject({ id: 'm1', body: 'message 1' });
  });

  it('a put whose condition fails but whose item is already stored succeeds (AppSync equality rule, equalsIgnore)', async () => {
    await run(MESSAGE, createItem('m1', message(1)));
    expect(await run(MESSAGE, createItem('m1', message(1)))).toMatchObject({ id: 'm1', body: 'message 1' });
    const ignoring = { ...createItem('m1', message(1, { seq: { N: 99 } })) };
    ignoring.condition = { ...ignoring.condition, equalsIgnore: ['seq'] } as typeof ignoring.condition;
    expect(await run(MESSAGE, ignoring)).toMatchObject({ seq: 1 });
  });

  it('expression values must be exactly those the expression uses (DynamoDB refuses unused or missing values)', async () => {
    const unused = await failure(
      run(MESSAGE, {
        ...createItem('m1', message(1)),
        condition: { expression: 'attribute_not_exists(#id)', expressionNames: { '#id': 'id' }, expressionValues: { ':unused': { S: 'x' } } },
      }),
    );
    expect(unused.type).toBe('DynamoDB:ValidationException');
    expect(unused.message).toMatch(/Value provided in ExpressionAttributeValues unused in expressions: keys: \{:unused\}/);
    const undefinedValue = await failure(
      run(MESSAGE, { ...createItem('m1', message(1)), condition: { expression: '#id = :missing', expressionNames: { '#id': 'id' } } }),
    );
    expect(undefinedValue.type).toBe('DynamoDB:ValidationException');
    expect(undefinedValue.message).toMatch(/An expression attribute value used in expression is not defined; attribute value: :missing/);
  });

  it('UpdateItem applies SET under a condition on an attribute and returns ALL_NEW', async () => {
    await run(CONVERSATION, createItem('c1', { name: { S: 'old' }, owner: { S: 'alice' }, version: { N: 1 } }));
    const update = (owner: string) => ({
      version: '2018-05-29',
      operation: 'UpdateItem',
      key: { id: { S: 'c1' } },
      update: {
        expression: 'SET #name = :name, #version = #version + :one',
        expressionNames: { '#name': 'name', '#version': 'version' },
        expressionValues: { ':name': { S: 'new' }, ':one': { N: 1 } },
      },
      condition: {
        expression: 'attribute_exists(#id) AND #owner = :owner',
        expressionNames: { '#id': 'id', '#owner': 'owner' },
        expressionValues: { ':owner': { S: owner } },
      },
    });
    expect(await run(CONVERSATION, update('alice'))).toEqual({ id: 'c1', name: 'new', owner: 'alice', version: 2 });
    const error = await failure(run(CONVERSATION, update('mallory')));
    expect(error.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(error.message).toBe(CONDITION_FAILED);
    expect(await run(CONVERSATION, { operation: 'GetItem', key: { id: { S: 'c1' } } })).toMatchObject({ name: 'new', version: 2 });
  });

  it('DeleteItem returns the old item; deleting it again under attribute_exists fails', async () => {
    await run(MESSAGE, createItem('m1', message(1)));
    const remove = {
      version: '2018-05-29',
      operation: 'DeleteItem',
      key: { id: { S: 'm1' } },
      condition: { expression: 'attribute_exists(#id)', expressionNames: { '#id': 'id' } },
    };
    expect(await run(MESSAGE, remove)).toMatchObject({ id: 'm1', body: 'message 1' });
    expect(await run(MESSAGE, { operation: 'GetItem', key: { id: { S: 'm1' } } })).toBeNull();
    expect((await failure(run(MESSAGE, remove))).type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(await run(MESSAGE, { operation: 'DeleteItem', key: { id: { S: 'm1' } } })).toBeNull();
  });
});

describe('Query / Scan', () => {
  it('pages through 25 messages newest first with no gap or duplicate', async () => {
    await seedMessages(25);
    const pages = await allPages((nextToken) => listByConversation({ limit: 7, nextToken }));
    expect(pages.map((p) => p.items.length)).toEqual([7, 7, 7, 4]);
    expect(pages.at(-1)?.nextToken).toBeNull();
    const ids = pages.flatMap((p) => p.items.map((i) => i.id));
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `m${String(24 - i).padStart(2, '0')}`));
  });

  it('a page that ends exactly at the last item still carries a nextToken; the next page is empty', async () => {
    await seedMessages(10);
    const pages = await allPages((nextToken) => listByConversation({ limit: 5, nextToken }));
    expect(pages.map((p) => [p.items.length, p.nextToken === null])).toEqual([
      [5, false],
      [5, false],
      [0, true],
    ]);
  });

  it('applies the filter after the limit: short or empty pages that still carry nextToken', async () => {
    await seedMessages(25);
    const pages = await allPages((nextToken) =>
      listByConversation({
        limit: 5,
        nextToken,
        filter: {
          expression: '#authorId = :authorId AND #seq >= :min',
          expressionNames: { '#authorId': 'authorId', '#seq': 'seq' },
          expressionValues: { ':authorId': { S: 'alice' }, ':min': { N: 15 } },
        },
      }),
    );
    // Each page evaluates 5 items (the limit) before filtering; alice wrote 24, 21, 18, 15 of those ≥ 15.
    expect(pages.map((p) => [p.items.map((i) => i.seq), p.scannedCount, p.nextToken === null])).toEqual([
      [[24, 21], 5, false],
      [[18, 15], 5, false],
      [[], 5, false],
      [[], 5, false],
      [[], 5, false],
      [[], 0, true],
    ]);
  });

  it('Scan with a filter and paging', async () => {
    await seedMessages(12);
    const pages = await allPages(
      (nextToken) => ({
        version: '2018-05-29',
        operation: 'Scan',
        limit: 4,
        nextToken,
        filter: { expression: '#seq >= :min', expressionNames: { '#seq': 'seq' }, expressionValues: { ':min': { N: 8 } } },
      }),
    );
    expect(pages.reduce((n, p) => n + p.scannedCount, 0)).toBe(12);
    expect(pages.flatMap((p) => p.items.map((i) => i.seq)).sort((a, b) => Number(a) - Number(b))).toEqual([8, 9, 10, 11]);
  });

  it('rejects a tampered, foreign or garbage nextToken with the AppSync pagination error', async () => {
    await seedMessages(6);
    const first = (await run(MESSAGE, listByConversation({ limit: 2 }))) as Page;
    expect(first.nextToken).toEqual(expect.any(String));
    const token = first.nextToken as string;
    const envelope = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { version: number; token: string };
    // The token reveals nothing of the key: an envelope around ciphertext (matching short ids like "m0" against
    // random base64 would fail by chance, so look for the key's JSON shape and attribute name instead).
    expect(Object.keys(envelope).sort()).toEqual(['token', 'version']);
    expect(Buffer.from(envelope.token, 'base64').toString('latin1')).not.toMatch(/"S":"|createdAt|conversationId/);
    const flipped = envelope.token.slice(0, 20) + (envelope.token[20] === 'A' ? 'B' : 'A') + envelope.token.slice(21);
    const tampered = Buffer.from(JSON.stringify({ ...envelope, token: flipped })).toString('base64');
    const scanToken = ((await run(MESSAGE, { operation: 'Scan', limit: 2 })) as Page).nextToken;
    const otherTable = ((await run(MESSAGE, listByConversation({ limit: 2 }))) as Page).nextToken;
    for (const bad of [tampered, 'abc', 'eyJ2ZXJzaW9uIjoxfQ==', scanToken, Buffer.from('{"id":{"S":"m01"}}').toString('base64')]) {
      const error = await failure(run(MESSAGE, listByConversation({ limit: 2, nextToken: bad })));
      expect(error.type).toBe('DynamoDB:UserIllegalArgumentException');
      expect(error.message).toMatch(/InvalidPaginationTokenException: Invalid pagination token given\./);
    }
    const foreign = await failure(run(CONVERSATION, { operation: 'Query', query: listByConversation().query, index: INDEX, nextToken: otherTable }));
    expect(foreign.type).toBe('DynamoDB:UserIllegalArgumentException');
    // The genuine token still works.
    expect(((await run(MESSAGE, listByConversation({ limit: 2, nextToken: token }))) as Page).items).toHaveLength(2);
  });
});

describe('batch operations', () => {
  it('BatchPutItem, BatchGetItem (request order, null for missing) and BatchDeleteItem across tables', async () => {
    const put = await run(MESSAGE, {
      version: '2018-05-29',
      operation: 'BatchPutItem',
      tables: {
        [MESSAGE]: [{ id: { S: 'm1' }, ...message(1) }, { id: { S: 'm2' }, ...message(2) }],
        [PROFILE]: [{ id: { S: 'u1' }, name: { S: 'Alice' } }],
      },
    });
    expect(put).toMatchObject({
      data: { [MESSAGE]: [{ id: 'm1' }, { id: 'm2' }], [PROFILE]: [{ id: 'u1', name: 'Alice' }] },
      unprocessedItems: { [MESSAGE]: [], [PROFILE]: [] },
    });
    const get = await run(MESSAGE, {
      version: '2018-05-29',
      operation: 'BatchGetItem',
      tables: {
        [MESSAGE]: { keys: [{ id: { S: 'm2' } }, { id: { S: 'missing' } }, { id: { S: 'm1' } }], consistentRead: true },
        [PROFILE]: { keys: [{ id: { S: 'u1' } }] },
      },
    });
    expect(get).toEqual({
      data: {
        [MESSAGE]: [expect.objectContaining({ id: 'm2' }), null, expect.objectContaining({ id: 'm1' })],
        [PROFILE]: [{ id: 'u1', name: 'Alice' }],
      },
      unprocessedKeys: { [MESSAGE]: [], [PROFILE]: [] },
    });
    const deleted = await run(MESSAGE, { operation: 'BatchDeleteItem', tables: { [MESSAGE]: [{ id: { S: 'm1' } }] } });
    expect(deleted).toEqual({ data: { [MESSAGE]: [{ id: 'm1' }] }, unprocessedKeys: { [MESSAGE]: [] } });
    expect(await run(MESSAGE, { operation: 'GetItem', key: { id: { S: 'm1' } } })).toBeNull();
  });

  it('rejects duplicate keys in one batch as DynamoDB does', async () => {
    const error = await failure(run(MESSAGE, { operation: 'BatchGetItem', tables: { [MESSAGE]: { keys: [{ id: { S: 'a' } }, { id: { S: 'a' } }] } } }));
    expect(error.type).toBe('DynamoDB:ValidationException');
  });
});

describe('transactions', () => {
  const newConversation = (id: string) => ({
    table: CONVERSATION,
    operation: 'PutItem',
    key: { id: { S: id } },
    attributeValues: { name: { S: id } },
    condition: { expression: 'attribute_not_exists(#id)', expressionNames: { '#id': 'id' } },
  });

  it('TransactWriteItems applies every action and returns the keys; TransactGetItems reads them', async () => {
    await run(PROFILE, createItem('u1', { count: { N: 0 } }));
    await run(PROFILE, createItem('u2', {}));
    const result = await run(CONVERSATION, {
      version: '2018-05-29',
      operation: 'TransactWriteItems',
      transactItems: [
        newConversation('c1'),
        {
          table: PROFILE,
          operation: 'UpdateItem',
          key: { id: { S: 'u1' } },
          update: { expression: 'SET #count = #count + :one', expressionNames: { '#count': 'count' }, expressionValues: { ':one': { N: 1 } } },
        },
        { table: PROFILE, operation: 'ConditionCheck', key: { id: { S: 'u2' } }, condition: { expression: 'attribute_exists(id)' } },
      ],
    });
    expect(result).toEqual({ keys: [{ id: 'c1' }, { id: 'u1' }, { id: 'u2' }], cancellationReasons: null });
    const read = await run(CONVERSATION, {
      operation: 'TransactGetItems',
      transactItems: [
        { table: CONVERSATION, key: { id: { S: 'c1' } } },
        { table: PROFILE, key: { id: { S: 'u1' } } },
        { table: PROFILE, key: { id: { S: 'nobody' } } },
      ],
    });
    expect(read).toEqual({ items: [{ id: 'c1', name: 'c1' }, { id: 'u1', count: 1 }, null], cancellationReasons: null });
  });

  it('a failed condition cancels the whole transaction with per-item reasons', async () => {
    await run(CONVERSATION, { ...newConversation('taken'), condition: undefined });
    const error = await failure(
      run(CONVERSATION, { operation: 'TransactWriteItems', transactItems: [newConversation('fresh'), newConversation('taken')] }),
    );
    expect(error.type).toBe('DynamoDB:TransactionCanceledException');
    expect(error.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed] (Service: DynamoDb, Status Code: 400, Request ID: null)',
    );
    expect(error.data).toEqual({
      keys: null,
      cancellationReasons: [
        { type: 'None', message: null },
        { type: 'ConditionalCheckFailed', message: 'The conditional request failed', item: { id: 'taken', name: 'taken' } },
      ],
    });
    expect(await run(CONVERSATION, { operation: 'GetItem', key: { id: { S: 'fresh' } } })).toBeNull();
  });

  it('a write failing midway restores the items already written', async () => {
    await run(PROFILE, createItem('u1', { count: { S: 'not a number' } }));
    const error = await failure(
      run(CONVERSATION, {
        operation: 'TransactWriteItems',
        transactItems: [
          newConversation('c1'),
          {
            table: PROFILE,
            operation: 'UpdateItem',
            key: { id: { S: 'u1' } },
            update: { expression: 'SET #count = #count + :one', expressionNames: { '#count': 'count' }, expressionValues: { ':one': { N: 1 } } },
          },
        ],
      }),
    );
    expect(error.type).toBe('DynamoDB:ValidationException');
    expect(await run(CONVERSATION, { operation: 'GetItem', key: { id: { S: 'c1' } } })).toBeNull();
  });

  it('refuses two actions on one item, and an empty transaction', async () => {
    const twice = await failure(run(CONVERSATION, { operation: 'TransactWriteItems', transactItems: [newConversation('c1'), newConversation('c1')] }));
    expect(twice.type).toBe('DynamoDB:ValidationException');
    expect(twice.message).toMatch(/multiple operations on one item/);
    expect((await failure(run(CONVERSATION, { operation: 'TransactWriteItems', transactItems: [] }))).type).toBe('DynamoDB:ValidationException');
  });

  it('serialises with concurrent conditional creates of the same item: exactly one wins', async () => {
    const attempts = await Promise.allSettled([
      run(CONVERSATION, { operation: 'TransactWriteItems', transactItems: [newConversation('race')] }),
      run(CONVERSATION, { ...newConversation('race'), attributeValues: { name: { S: 'single' } } }),
      run(CONVERSATION, { operation: 'TransactWriteItems', transactItems: [{ ...newConversation('race'), attributeValues: { name: { S: 'tx2' } } }] }),
    ]);
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('malformed request objects', () => {
  it.each([
    ['no operation', { version: '2018-05-29', key: { id: { S: 'x' } } }, /no "operation"/],
    ['an unknown operation', { operation: 'Frobnicate' }, /Unsupported DynamoDB operation "Frobnicate"/],
    ['Sync', { operation: 'Sync' }, /Sync .* not supported/],
    ['a bad version', { version: '2099-01-01', operation: 'GetItem', key: { id: { S: 'x' } } }, /Unsupported DynamoDB request version/],
    ['GetItem without key', { operation: 'GetItem' }, /GetItem requires a non-empty "key"/],
    ['PutItem without key', { operation: 'PutItem', attributeValues: {} }, /PutItem requires a non-empty "key"/],
    ['an untyped key', { operation: 'GetItem', key: { id: 'x' } }, /Expected a typed value/],
    ['an unknown type', { operation: 'GetItem', key: { id: { X: 'x' } } }, /Unknown DynamoDB type "X"/],
    ['a non-numeric N', { operation: 'PutItem', key: { id: { S: 'x' } }, attributeValues: { n: { N: 'abc' } } }, null],
    ['UpdateItem without update', { operation: 'UpdateItem', key: { id: { S: 'x' } } }, /requires an "update"/],
    ['Query without query', { operation: 'Query' }, /requires a "query"/],
    ['a non-integer limit', { operation: 'Scan', limit: '10' }, /limit" must be an integer/],
  ])('rejects %s', async (_name, request, message) => {
    const error = await failure(run(MESSAGE, request));
    if (message) {
      expect(error.type).toBe('MappingTemplate');
      expect(error.message).toMatch(message);
    } else {
      expect(error.type).toBe('DynamoDB:ValidationException');
    }
  });
});
