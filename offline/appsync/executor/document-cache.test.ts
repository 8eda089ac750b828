/** The parsed + validated document cache: same answers as without it, never across schemas, limits still applied. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaRunner } from '../../lambda/runner.js';
import type { BackendDescription } from '../../loader/types.js';
import type { AuthenticatedCaller } from '../auth/index.js';
import { graphqlIam, startHarness, type Harness } from '../../../tests/helpers/appsync-harness.js';
import { GraphQLExecutor } from './executor.js';

const SCHEMA = `
type Query @aws_cognito_user_pools @aws_iam {
  me: Profile
  echo(v: String): String
}
type Profile @aws_cognito_user_pools @aws_iam {
  name: String
  nick: String
  friend: Profile
}
`;
const vtl = (request: string, response: string) => ({ runtime: 'VTL' as const, request, response });

const description = {
  cdkOut: '',
  stackName: 's',
  region: 'us-east-1',
  accountId: '123456789012',
  api: { id: 'x', name: 'x', defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS', additionalAuthModes: ['AWS_IAM'], schema: SCHEMA, apiKeys: [] },
  dataSources: { NONE: { name: 'NONE', type: 'NONE' } },
  functions: {},
  resolvers: [
    { typeName: 'Query', fieldName: 'me', kind: 'UNIT', dataSourceName: 'NONE', functions: [], code: vtl('{"payload": {"name": "$ctx.identity.username", "nick": "n", "friend": {"name": "f", "friend": {"name": "ff"}}}}', '$util.toJson($ctx.result)') },
    { typeName: 'Query', fieldName: 'echo', kind: 'UNIT', dataSourceName: 'NONE', functions: [], code: vtl('{"payload": $util.toJson($ctx.args.v)}', '$util.toJson($ctx.result)') },
  ],
  tables: [],
  userPool: {} as BackendDescription['userPool'],
  lambdas: [],
  modelIntrospection: null,
  unsupported: [],
} as unknown as BackendDescription;

const executorFor = (api: Partial<BackendDescription['api']> = {}) =>
  new GraphQLExecutor({ ...description, api: { ...description.api, ...api } } as BackendDescription, { dynamodb: {} as DynamoDBClient, lambdas: new LambdaRunner([]) });
const user: AuthenticatedCaller = { mode: 'AMAZON_COGNITO_USER_POOLS', authType: 'User Pool Authorization', identity: { username: 'alice', sub: 'alice' }, principalKey: 'u' };

describe('GraphQLExecutor document cache', () => {
  it('serves a repeated query from the cache with per-request variables and operation names', async () => {
    const executor = executorFor();
    const query = 'query A($v: String) { echo(v: $v) } query B { me { name } }';
    const a1 = await executor.execute({ query, variables: { v: 'one' }, operationName: 'A' }, user, {});
    const a2 = await executor.execute({ query, variables: { v: 'two' }, operationName: 'A' }, user, {});
    const b = await executor.execute({ query, operationName: 'B' }, user, {});
    const none = await executor.execute({ query }, user, {});
    expect([a1.body, a2.body, b.body]).toEqual([{ data: { echo: 'one' } }, { data: { echo: 'two' } }, { data: { me: { name: 'alice' } } }]);
    expect(none.body.errors?.[0]?.message).toBe('Must provide operation name if query contains multiple operations.');
    expect(executor.documents.stats).toMatchObject({ hits: 3, misses: 1, size: 1 });
  });

  it('returns the same validation errors for a cached invalid document, as new objects each time', async () => {
    const executor = executorFor();
    const query = '{ me { name missing } nope }';
    const first = await executor.execute({ query }, user, {});
    const expected = [
      { path: null, locations: [{ line: 1, column: 13, sourceName: null }], message: 'Cannot query field "missing" on type "Profile".' },
      { path: null, locations: [{ line: 1, column: 23, sourceName: null }], message: 'Cannot query field "nope" on type "Query".' },
    ];
    expect(first.body).toEqual({ data: null, errors: expected });
    first.body.errors![0]!.message = 'tampered';
    first.body.errors![1]!.locations!.length = 0;
    const second = await executor.execute({ query }, user, {});
    expect(second.body).toEqual({ data: null, errors: expected });
    expect(executor.documents.stats.hits).toBe(1);
    // Unparsable text stays unparsable.
    expect((await executor.execute({ query: '{ me { ' }, user, {})).kind).toBe('malformed');
    expect((await executor.execute({ query: '{ me { ' }, user, {})).kind).toBe('malformed');
    expect(executor.documents.stats.hits).toBe(2);
  });

  it('never answers from a document validated against another schema (what a reload swaps in)', async () => {
    const before = executorFor();
    const query = '{ me { name nick } }';
    expect((await before.execute({ query }, user, {})).body).toEqual({ data: { me: { name: 'alice', nick: 'n' } } });
    expect((await before.execute({ query }, user, {})).body.errors).toBeUndefined();
    const after = executorFor({ schema: SCHEMA.replace('  nick: String\n', '') });
    const refused = await after.execute({ query }, user, {});
    expect(refused.body).toEqual({ data: null, errors: [{ path: null, locations: [{ line: 1, column: 13, sourceName: null }], message: 'Cannot query field "nick" on type "Profile".' }] });
  });

  it('still applies QueryDepthLimit, the resolver count limit and IntrospectionConfig to cached documents', async () => {
    const deep = '{ me { friend { friend { name } } } }';
    const shallow = executorFor({ queryDepthLimit: 3 });
    for (let round = 0; round < 2; round++) {
      const out = await shallow.execute({ query: deep }, user, {});
      expect(out.body.errors?.map((e) => [e.path, e.errorType])).toEqual([[['me', 'friend', 'friend', 'name'], 'QueryDepthLimitReached']]);
    }
    const counted = executorFor({ resolverCountLimit: 1 });
    for (let round = 0; round < 2; round++) {
      const out = await counted.execute({ query: '{ a: echo(v: "a") b: echo(v: "b") }' }, user, {});
      expect(out.body.data).toEqual({ a: 'a', b: null });
      expect(out.body.errors?.map((e) => e.errorType)).toEqual(['ResolverExecutionLimitReached']);
    }
    const closed = executorFor({ introspection: 'DISABLED' });
    for (let round = 0; round < 2; round++) {
      const out = await closed.execute({ query: '{ __schema { queryType { name } } }' }, user, {});
      expect(out.body.errors?.[0]?.message).toContain('introspection has been disabled');
    }
    expect([shallow, counted, closed].map((e) => e.documents.stats.hits)).toEqual([1, 1, 1]);
  });

  it('freezes cached documents, which every request and subscription shares', () => {
    const executor = executorFor();
    const parsed = executor.parseOperation('{ me { name } }', undefined);
    if (!('document' in parsed)) throw new Error('expected a document');
    expect(Object.isFrozen(parsed.document)).toBe(true);
    expect(Object.isFrozen(parsed.operation.selectionSet.selections)).toBe(true);
    expect(() => (parsed.document.definitions as unknown[]).push({})).toThrow(TypeError);
  });
});

describe('AppSyncServer.reload and the document cache', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses, after a reload that removed a field, the very query text the old schema had validated', async () => {
    const query = 'query G($id: ID!) { getConversation(id: $id) { id lastMessagePreview } }';
    for (let round = 0; round < 2; round++) {
      const answer = await graphqlIam(h, query, { id: 'none' });
      expect(answer.status).toBe(200);
      expect(answer.json.errors).toBeUndefined();
    }
    const schema = h.description.api.schema;
    const edited = schema.replace(/(type Conversation [^{]*\{[^}]*?)\n\s*lastMessagePreview: String/, '$1');
    expect(edited).not.toBe(schema);
    await h.server.reload({ ...h.description, api: { ...h.description.api, schema: edited } });
    const refused = await graphqlIam(h, query, { id: 'none' });
    expect(refused.json.data ?? null).toBeNull();
    expect(refused.json.errors?.map((e) => e['message'])).toEqual([expect.stringMatching(/^Cannot query field "lastMessagePreview" on type "Conversation"\./)]);
  });
});
