import { deepStrictEqual } from 'node:assert';
import { createRequire } from 'node:module';
import { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynaliteExpressionCacheStats, installDynaliteExpressionCache } from './expression-cache.js';
import { startDynamoDb, type LocalDynamoDb } from './server.js';

/** dynalite's own entry point for expressions: builds the parser context, parses, stores `_updates`, `_condition`, …. */
const require = createRequire(import.meta.url);
const validations = require('dynalite/validations/index.js') as { validateExpressions(data: Record<string, unknown>): string | undefined };

type Request = Record<string, unknown>;
const PARSED = ['_updates', '_condition', '_keyCondition', '_filter', '_projection'] as const;

/** What dynalite keeps from a request's expressions: the error (if any) and every parse tree. */
function validate(request: Request): { error: string | undefined; data: Request } {
  const data = structuredClone(request);
  const error = validations.validateExpressions(data);
  return { error, data };
}

const parsedPart = (data: Request) => Object.fromEntries(PARSED.filter((k) => k in data).map((k) => [k, data[k]]));

const values = (entries: Record<string, unknown>) => entries;
const CASES: Array<{ name: string; request: Request }> = [
  { name: 'update SET/ADD', request: { UpdateExpression: 'SET #n = :v, updatedAt = :t ADD #c :one', ExpressionAttributeNames: { '#n': 'title', '#c': 'total' }, ExpressionAttributeValues: values({ ':v': { S: 'a' }, ':t': { S: '2020' }, ':one': { N: '1' } }) } },
  { name: 'update SET/ADD, other values', request: { UpdateExpression: 'SET #n = :v, updatedAt = :t ADD #c :one', ExpressionAttributeNames: { '#n': 'title', '#c': 'total' }, ExpressionAttributeValues: values({ ':v': { S: 'b' }, ':t': { S: '2021' }, ':one': { N: '5' } }) } },
  { name: 'update + condition sharing a value', request: { UpdateExpression: 'SET a = :v REMOVE b', ConditionExpression: 'attribute_exists(id) AND c <> :v', ExpressionAttributeValues: values({ ':v': { N: '3' } }) } },
  { name: 'ADD with a string operand (type error)', request: { UpdateExpression: 'ADD #c :v', ExpressionAttributeNames: { '#c': 'total' }, ExpressionAttributeValues: values({ ':v': { S: 'x' } }) } },
  { name: 'ADD with a number operand (same text, other type)', request: { UpdateExpression: 'ADD #c :v', ExpressionAttributeNames: { '#c': 'total' }, ExpressionAttributeValues: values({ ':v': { N: '2' } }) } },
  { name: 'list_append and if_not_exists', request: { UpdateExpression: 'SET l = list_append(if_not_exists(l, :empty), :items)', ExpressionAttributeValues: values({ ':empty': { L: [] }, ':items': { L: [{ S: 'x' }] } }) } },
  { name: 'begins_with with a number (type error)', request: { ConditionExpression: 'begins_with(#n, :p)', ExpressionAttributeNames: { '#n': 'title' }, ExpressionAttributeValues: values({ ':p': { N: '1' } }) } },
  { name: 'begins_with with a string', request: { ConditionExpression: 'begins_with(#n, :p)', ExpressionAttributeNames: { '#n': 'title' }, ExpressionAttributeValues: values({ ':p': { S: 'a' } }) } },
  { name: 'size() compared to a number', request: { ConditionExpression: 'size(#n) > :len OR NOT contains(tags, :t)', ExpressionAttributeNames: { '#n': 'title' }, ExpressionAttributeValues: values({ ':len': { N: '3' }, ':t': { S: 'x' } }) } },
  { name: 'BETWEEN, bounds reversed (value-dependent error)', request: { ConditionExpression: '#n BETWEEN :lo AND :hi', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: values({ ':lo': { N: '9' }, ':hi': { N: '1' } }) } },
  { name: 'BETWEEN, bounds in order', request: { ConditionExpression: '#n BETWEEN :lo AND :hi', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: values({ ':lo': { N: '1' }, ':hi': { N: '9' } }) } },
  { name: 'attribute_type, unknown type name', request: { ConditionExpression: 'attribute_type(#n, :t)', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: values({ ':t': { S: 'XX' } }) } },
  { name: 'attribute_type, known type name', request: { ConditionExpression: 'attribute_type(#n, :t)', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: values({ ':t': { S: 'N' } }) } },
  { name: 'key condition + filter + projection', request: { KeyConditionExpression: '#pk = :pk AND #sk > :sk', FilterExpression: 'contains(#tags, :t)', ProjectionExpression: '#pk, info.#tags[0]', ExpressionAttributeNames: { '#pk': 'conversationId', '#sk': 'createdAt', '#tags': 'tags' }, ExpressionAttributeValues: values({ ':pk': { S: 'c1' }, ':sk': { S: '2020' }, ':t': { S: 'x' } }) } },
  { name: 'an undefined name', request: { ConditionExpression: '#missing = :v', ExpressionAttributeValues: values({ ':v': { S: 'x' } }) } },
  { name: 'an unused value', request: { ConditionExpression: 'a = :v', ExpressionAttributeValues: values({ ':v': { S: 'x' }, ':unused': { S: 'y' } }) } },
  { name: 'a reserved word', request: { ConditionExpression: 'name = :v', ExpressionAttributeValues: values({ ':v': { S: 'x' } }) } },
  { name: 'a syntax error', request: { UpdateExpression: 'SET = :v', ExpressionAttributeValues: values({ ':v': { S: 'x' } }) } },
  { name: 'overlapping paths', request: { UpdateExpression: 'SET a.b = :v, a = :v' , ExpressionAttributeValues: values({ ':v': { S: 'x' } }) } },
];

describe('dynalite expression cache', () => {
  let expected: Array<{ error: string | undefined; data: Request }>;

  beforeAll(() => {
    // Ground truth from dynalite's own, uncached parsers (this file's process has not installed the cache yet).
    expect(dynaliteExpressionCacheStats().misses + dynaliteExpressionCacheStats().hits).toBe(0);
    expected = CASES.map((c) => validate(c.request));
    installDynaliteExpressionCache();
  });

  it('gives the same errors and parse trees as the uncached parsers, on a miss and on a hit', () => {
    for (const round of ['miss', 'hit']) {
      CASES.forEach((c, index) => {
        const got = validate(c.request);
        const want = expected[index]!;
        expect(got.error, `${c.name} (${round})`).toBe(want.error);
        // deepStrictEqual also compares prototypes (dynalite's maps are Object.create(null)).
        deepStrictEqual(parsedPart(got.data), parsedPart(want.data), `${c.name} (${round})`);
      });
    }
    const stats = dynaliteExpressionCacheStats();
    expect(stats.hits).toBeGreaterThan(10);
    expect(stats.bypassed).toBeGreaterThan(0); // BETWEEN / attribute_type
  });

  it('puts the current request’s value objects into a fresh tree on every hit', () => {
    const request = (v: string) => ({ UpdateExpression: 'SET title = :v', ConditionExpression: 'attribute_exists(id) AND title <> :v', ExpressionAttributeValues: { ':v': { S: v } } });
    validate(request('warm'));
    const before = dynaliteExpressionCacheStats().hits;
    const first = validate(request('one')).data;
    const second = validate(request('two')).data;
    expect(dynaliteExpressionCacheStats().hits).toBe(before + 4);
    const updates = (data: Request) => data['_updates'] as { sections: Array<{ val: unknown; path: unknown[] }>; paths: unknown[][] };
    const condition = (data: Request) => data['_condition'] as { expression: { args: Array<{ args: unknown[] }> } };
    // The very value objects of each request, as the parser places them (by reference).
    expect(updates(first).sections[0]!.val).toBe((first['ExpressionAttributeValues'] as Record<string, unknown>)[':v']);
    expect(updates(second).sections[0]!.val).toEqual({ S: 'two' });
    expect(condition(second).expression.args[1]!.args[1]).toEqual({ S: 'two' });
    // Sharing inside one tree is kept (the parser's `paths` holds the sections' path arrays)…
    expect(updates(second).paths[0]).toBe(updates(second).sections[0]!.path);
    // …but nothing is shared between requests: dynalite may mutate its per-request trees.
    expect(updates(second).sections).not.toBe(updates(first).sections);
    updates(first).sections[0]!.path.push('mutated');
    (updates(first).sections[0] as { type?: string }).type = 'mutated';
    const third = validate(request('three')).data;
    expect(updates(third).sections[0]).toEqual({ type: 'set', path: ['title'], val: { S: 'three' }, attrType: 'S' });
  });
});

describe('dynalite with the cache, end to end', () => {
  let db: LocalDynamoDb;
  beforeAll(async () => {
    db = await startDynamoDb();
    await db.client.send(
      new CreateTableCommand({
        TableName: 'Items',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  afterAll(() => db.close());

  it('answers two requests sharing an expression text with their own values', async () => {
    for (const pk of ['a', 'b']) for (const sk of [1, 2, 3]) await db.client.send(new PutItemCommand({ TableName: 'Items', Item: { pk: { S: pk }, sk: { N: String(sk) }, owner: { S: `${pk}-owner` }, n: { N: '0' } } }));
    const hitsBefore = dynaliteExpressionCacheStats().hits;

    const query = async (pk: string, after: number) =>
      (await db.client.send(new QueryCommand({ TableName: 'Items', KeyConditionExpression: 'pk = :pk AND sk > :sk', ExpressionAttributeValues: { ':pk': { S: pk }, ':sk': { N: String(after) } } }))).Items?.map((i) => `${i['pk']?.S}${i['sk']?.N}`);
    expect(await query('a', 1)).toEqual(['a2', 'a3']);
    expect(await query('b', 2)).toEqual(['b3']);

    const bump = (pk: string, owner: string, by: number) =>
      db.client.send(new UpdateItemCommand({ TableName: 'Items', Key: { pk: { S: pk }, sk: { N: '1' } }, UpdateExpression: 'SET #last = :owner ADD n :by', ConditionExpression: '#o = :owner', ExpressionAttributeNames: { '#o': 'owner', '#last': 'lastBy' }, ExpressionAttributeValues: { ':owner': { S: owner }, ':by': { N: String(by) } } }));
    await bump('a', 'a-owner', 5);
    await bump('b', 'b-owner', 7);
    // Same text, a value the condition refuses: must fail, not reuse the earlier request's value.
    await expect(bump('a', 'b-owner', 100)).rejects.toThrow(/conditional request failed/i);
    const item = async (pk: string) => (await db.client.send(new GetItemCommand({ TableName: 'Items', Key: { pk: { S: pk }, sk: { N: '1' } } }))).Item;
    expect(await item('a')).toMatchObject({ n: { N: '5' }, lastBy: { S: 'a-owner' } });
    expect(await item('b')).toMatchObject({ n: { N: '7' }, lastBy: { S: 'b-owner' } });
    expect(dynaliteExpressionCacheStats().hits - hitsBefore).toBeGreaterThanOrEqual(4);
  });
});
