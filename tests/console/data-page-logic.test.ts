/**
 * The Data page's pure parts: the search form as a Query or Scan request, DynamoDB's typed values (checked, shown,
 * converted), and the AppSync mutation built from an introspected schema.
 */
import { describe, expect, it } from 'vitest';
import { compactValue, parseItem, unmarshallItem } from '../../offline/console/ui/data/dynamo-values';
import { mutationFor, mutationPlan, type IntrospectedSchema, type TypeRef } from '../../offline/console/ui/data/appsync-mutation';
import { EMPTY_SEARCH, searchRequest } from '../../offline/console/ui/data/query-request';
import type { ConsoleTable } from '../../offline/console/ui/data/types';

const messages: ConsoleTable = {
  name: 'Message-abc-NONE',
  model: 'Message',
  keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
  attributeDefinitions: [
    { attributeName: 'id', attributeType: 'S' },
    { attributeName: 'conversationId', attributeType: 'S' },
    { attributeName: 'createdAt', attributeType: 'S' },
    { attributeName: 'seq', attributeType: 'N' },
  ],
  globalSecondaryIndexes: [
    { indexName: 'byConversation', keySchema: [{ attributeName: 'conversationId', keyType: 'HASH' }, { attributeName: 'createdAt', keyType: 'RANGE' }], projectionType: 'ALL' },
    { indexName: 'bySeq', keySchema: [{ attributeName: 'conversationId', keyType: 'HASH' }, { attributeName: 'seq', keyType: 'RANGE' }], projectionType: 'ALL' },
  ],
  localSecondaryIndexes: [],
};

describe('the search form as a request', () => {
  it('a scan with a filter passes the filter, its names and values, and the page size', () => {
    expect(searchRequest(messages, { ...EMPTY_SEARCH, filterExpression: ' #c = :v ', names: '{"#c": "content"}', values: '{":v": {"S": "hi"}}', limit: 10 })).toEqual({
      operation: 'scan',
      body: { Limit: 10, FilterExpression: '#c = :v', ExpressionAttributeNames: { '#c': 'content' }, ExpressionAttributeValues: { ':v': { S: 'hi' } } },
    });
  });

  it('a query on an index: the partition key, each sort condition with the key type, newest first', () => {
    const base = { ...EMPTY_SEARCH, mode: 'query' as const, indexName: 'byConversation', partitionValue: 'c1', newestFirst: true };
    expect(searchRequest(messages, base)).toEqual({
      operation: 'query',
      body: { Limit: 25, IndexName: 'byConversation', KeyConditionExpression: '#pk = :pk', ScanIndexForward: false, ExpressionAttributeNames: { '#pk': 'conversationId' }, ExpressionAttributeValues: { ':pk': { S: 'c1' } } },
    });
    const conditions = [
      ['>=', '#pk = :pk AND #sk >= :sk'],
      ['begins_with', '#pk = :pk AND begins_with(#sk, :sk)'],
      ['between', '#pk = :pk AND #sk BETWEEN :sk AND :skTo'],
    ] as const;
    for (const [sortOperator, expression] of conditions) {
      const request = searchRequest(messages, { ...base, indexName: 'bySeq', sortOperator, sortValue: '1', sortValueTo: '9' });
      expect(request).toMatchObject({ body: { KeyConditionExpression: expression, ExpressionAttributeNames: { '#pk': 'conversationId', '#sk': 'seq' } } });
      if ('error' in request) throw new Error(request.error);
      expect((request.body['ExpressionAttributeValues'] as Record<string, unknown>)[':sk']).toEqual({ N: '1' });
    }
  });

  it('says what is missing or broken instead of sending it', () => {
    expect(searchRequest(messages, { ...EMPTY_SEARCH, mode: 'query' })).toEqual({ error: "A query needs the partition key's value (id)." });
    expect(searchRequest(messages, { ...EMPTY_SEARCH, mode: 'query', partitionValue: 'x', sortOperator: '=' })).toEqual({ error: 'This key has no sort key.' });
    expect(searchRequest(messages, { ...EMPTY_SEARCH, names: '{"#c": ' })).toMatchObject({ error: expect.stringMatching(/^Expression attribute names is not JSON/) });
    expect(searchRequest(messages, { ...EMPTY_SEARCH, values: '[1]' })).toEqual({ error: 'Expression attribute values must be a JSON object.' });
  });
});

describe('typed values', () => {
  const item = { id: { S: 'm1' }, n: { N: '1.5' }, ok: { BOOL: true }, none: { NULL: true }, tags: { SS: ['a', 'b'] }, list: { L: [{ S: 'x' }, { N: '2' }] }, map: { M: { k: { S: 'v' } } } };

  it('shows each compactly and converts to plain JSON', () => {
    expect(Object.values(item).map(compactValue)).toEqual(['m1', '1.5', 'true', 'null', '{a, b}', '[x, 2]', '{"k":"v"}']);
    expect(compactValue({ S: 'x'.repeat(200) })).toHaveLength(80);
    expect(unmarshallItem(item)).toEqual({ id: 'm1', n: 1.5, ok: true, none: null, tags: ['a', 'b'], list: ['x', 2], map: { k: 'v' } });
  });

  it('accepts an item only as JSON with one known type per value, nested ones too', () => {
    expect(parseItem(JSON.stringify(item))).toEqual({ item });
    expect(parseItem('{"id": ')).toMatchObject({ error: expect.stringMatching(/^Not JSON: /) });
    expect(parseItem('[]')).toEqual({ error: 'The item must be a JSON object: attribute name → typed value.' });
    expect(parseItem('{"content": "plain"}')).toEqual({ error: 'content: must be a typed value such as {"S": "text"} or {"N": "1"}.' });
    expect(parseItem('{"n": {"N": 1}}')).toEqual({ error: 'n: N takes a string (numbers too: {"N": "1"}).' });
    expect(parseItem('{"x": {"S": "a", "N": "1"}}')).toMatchObject({ error: expect.stringContaining('exactly one type') });
    expect(parseItem('{"l": {"L": [{"Q": "1"}]}}')).toMatchObject({ error: expect.stringMatching(/^l: in L: must have exactly one type/) });
    expect(parseItem('{"m": {"M": {"k": "v"}}}')).toMatchObject({ error: expect.stringMatching(/^m: in M.k: must be a typed value/) });
  });
});

const ref = (kind: string, name: string | null, ofType: TypeRef | null = null): TypeRef => ({ kind, name, ofType });
const nonNull = (type: TypeRef) => ref('NON_NULL', null, type);
const scalar = (name: string) => ref('SCALAR', name);

const schema: IntrospectedSchema = {
  mutationType: { name: 'Mutation' },
  types: [
    {
      name: 'Mutation',
      kind: 'OBJECT',
      inputFields: null,
      fields: [
        { name: 'updateNote', type: ref('OBJECT', 'Note'), args: [{ name: 'input', type: nonNull(ref('INPUT_OBJECT', 'UpdateNoteInput')) }, { name: 'condition', type: ref('INPUT_OBJECT', 'ModelNoteConditionInput') }] },
        { name: 'createNote', type: ref('OBJECT', 'Note'), args: [{ name: 'input', type: nonNull(ref('INPUT_OBJECT', 'CreateNoteInput')) }] },
        { name: 'createMessage', type: ref('OBJECT', 'SentMessage'), args: [{ name: 'input', type: nonNull(ref('INPUT_OBJECT', 'SendInput')) }] },
      ],
    },
    {
      name: 'UpdateNoteInput',
      kind: 'INPUT_OBJECT',
      fields: null,
      inputFields: [
        { name: 'id', type: nonNull(scalar('ID')) },
        { name: 'text', type: scalar('String') },
        { name: 'meta', type: scalar('AWSJSON') },
        { name: 'tags', type: ref('LIST', null, scalar('String')) },
      ],
    },
    {
      name: 'Note',
      kind: 'OBJECT',
      inputFields: null,
      fields: [
        { name: 'id', type: nonNull(scalar('ID')) },
        { name: 'text', type: scalar('String') },
        { name: 'kind', type: ref('ENUM', 'Kind') },
        { name: 'tags', type: ref('LIST', null, nonNull(scalar('String'))) },
        { name: 'author', type: ref('OBJECT', 'User') },
        { name: 'createdAt', type: nonNull(scalar('AWSDateTime')) },
      ],
    },
  ],
};

describe('the AppSync mutation for an item', () => {
  it('finds the model mutation, its input type and the scalar fields to select; none for a model without one', () => {
    const plan = mutationPlan(schema, 'Note', 'update')!;
    expect(plan).toMatchObject({ field: 'updateNote', inputType: 'UpdateNoteInput!', selection: ['id', 'text', 'kind', 'tags', 'createdAt'] });
    expect(mutationPlan(schema, 'Message', 'update')).toBeUndefined();
    // A custom mutation that happens to be named create<Model> but returns something else is not the model's.
    expect(mutationPlan(schema, 'Message', 'create')).toBeUndefined();
    expect(mutationPlan({ mutationType: null, types: [] }, 'Note', 'update')).toBeUndefined();
  });

  it('sends only what the input accepts; an update sends the key and what changed (a removed attribute as null)', () => {
    const plan = mutationPlan(schema, 'Note', 'update')!;
    const stored = { id: { S: 'n1' }, text: { S: 'old' }, meta: { M: { a: { N: '1' } } }, tags: { L: [{ S: 'x' }] }, __typename: { S: 'Note' }, createdAt: { S: '2026-01-01T00:00:00.000Z' } };
    const edited = { id: { S: 'n1' }, text: { S: 'new' }, meta: { M: { a: { N: '2' } } }, __typename: { S: 'Note' }, createdAt: { S: '2026-01-01T00:00:00.000Z' } };
    const update = mutationFor(plan, edited, { item: stored, keyNames: ['id'] });
    expect(update.query).toBe('mutation ConsoleSave($input: UpdateNoteInput!) {\n  updateNote(input: $input) { id text kind tags createdAt }\n}');
    expect(update.variables).toEqual({ input: { id: 'n1', text: 'new', meta: '{"a":2}', tags: null } });
    expect(update.dropped).toEqual([]);
    const whole = mutationFor(plan, edited);
    expect(whole.variables.input).toEqual({ id: 'n1', text: 'new', meta: '{"a":2}' });
    expect(whole.dropped).toEqual(['__typename', 'createdAt']);
  });
});
