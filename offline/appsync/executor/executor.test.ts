/** The executor on a small hand-written backend: nested field auth, pipeline semantics, AppSync error entries. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LambdaRunner } from '../../lambda/runner.js';
import type { BackendDescription } from '../../loader/types.js';
import type { AuthenticatedCaller } from '../auth/index.js';
import { GraphQLExecutor } from './executor.js';

const SCHEMA = `
type Query @aws_cognito_user_pools @aws_iam {
  me: Profile
  pipeline(n: Int): String
  partial: String
  secret: String @aws_iam
}
type Mutation @aws_iam { publish(v: String): Item }
type Item @aws_iam { v: String other: String }
type Subscription @aws_iam { onPublish: Item @aws_subscribe(mutations: ["publish"]) }
type Profile @aws_cognito_user_pools @aws_iam {
  name: String
  internal: Internal
}
type Internal @aws_iam { note: String }
`;

const vtl = (request: string, response: string) => ({ runtime: 'VTL' as const, request, response });

const description = {
  cdkOut: '',
  stackName: 's',
  region: 'us-east-1',
  accountId: '123456789012',
  api: { id: 'x', name: 'x', defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS', additionalAuthModes: ['AWS_IAM'], schema: SCHEMA, apiKeys: [] },
  dataSources: { NONE: { name: 'NONE', type: 'NONE' } },
  functions: {
    f1: { id: 'f1', name: 'f1', dataSourceName: 'NONE', code: vtl('$util.qr($ctx.stash.put("seen", $ctx.prev.result.start)) {"payload": "$ctx.args.n"}', '$util.toJson("${ctx.result}-${ctx.stash.seen}")') },
    f2: {
      id: 'f2',
      name: 'f2',
      dataSourceName: 'NONE',
      code: { runtime: 'APPSYNC_JS', code: 'export function request(ctx) { return { payload: ctx.prev.result + "+" + ctx.info.selectionSetList.length }; }\nexport function response(ctx) { return ctx.result; }' },
    },
  },
  resolvers: [
    { typeName: 'Query', fieldName: 'me', kind: 'UNIT', dataSourceName: 'NONE', functions: [], code: vtl('{"payload": {"name": "$ctx.identity.username", "internal": {"note": "n"}}}', '$util.toJson($ctx.result)') },
    { typeName: 'Query', fieldName: 'pipeline', kind: 'PIPELINE', functions: ['f1', 'f2'], code: vtl('{"start": "before"}', '$util.toJson($ctx.prev.result)') },
    { typeName: 'Query', fieldName: 'partial', kind: 'UNIT', dataSourceName: 'NONE', functions: [], code: vtl('$util.appendError("soft", "Soft") {"payload": "kept"}', '$util.toJson($ctx.result)') },
    { typeName: 'Mutation', fieldName: 'publish', kind: 'UNIT', dataSourceName: 'NONE', functions: [], code: vtl('{"payload": {"v": "$ctx.args.v", "other": "o"}}', '$util.toJson($ctx.result)') },
  ],
  tables: [],
  userPool: {} as BackendDescription['userPool'],
  lambdas: [],
  modelIntrospection: null,
  unsupported: [],
} as unknown as BackendDescription;

const executor = new GraphQLExecutor(description, { dynamodb: {} as DynamoDBClient, lambdas: new LambdaRunner([]) });
const user: AuthenticatedCaller = { mode: 'AMAZON_COGNITO_USER_POOLS', authType: 'User Pool Authorization', identity: { username: 'alice', sub: 'alice' }, principalKey: 'u' };
const iam: AuthenticatedCaller = { mode: 'AWS_IAM', authType: 'IAM Authorization', identity: { userArn: 'arn' }, principalKey: 'i' };

describe('GraphQLExecutor', () => {
  it('refuses a nested field whose type does not allow the mode, keeping the rest (the field is null with an error)', async () => {
    const out = await executor.execute({ query: '{ me { name internal { note } } }' }, user, {});
    expect(out.body.data).toEqual({ me: { name: 'alice', internal: { note: null } } });
    expect(out.body.errors).toEqual([
      { path: ['me', 'internal', 'note'], data: null, errorType: 'Unauthorized', errorInfo: null, locations: [{ line: 1, column: 24, sourceName: null }], message: 'Not Authorized to access note on type Internal' },
    ]);
    const asIam = await executor.execute({ query: '{ me { internal { note } } }' }, iam, {});
    expect(asIam.body).toEqual({ data: { me: { internal: { note: 'n' } } } });
  });

  it('applies field directives over type directives', async () => {
    const out = await executor.execute({ query: '{ secret }' }, user, {});
    expect(out.body.errors?.[0]?.message).toBe('Not Authorized to access secret on type Query');
  });

  it('runs a pipeline: before output as prev.result, shared stash, VTL then JS, selectionSetList in info', async () => {
    const out = await executor.execute({ query: '{ pipeline(n: 7) }' }, user, {});
    expect(out.body).toEqual({ data: { pipeline: '7-before+0' } });
  });

  it('appendError keeps the value and adds an error entry', async () => {
    const out = await executor.execute({ query: '{ partial }' }, user, {});
    expect(out.body.data).toEqual({ partial: 'kept' });
    expect(out.body.errors).toEqual([{ path: ['partial'], data: null, errorType: 'Soft', errorInfo: null, locations: [{ line: 1, column: 3, sourceName: null }], message: 'soft' }]);
  });

  it('publishes the mutation response limited to its own selection, keyed by field name (what subscribers receive)', async () => {
    const out = await executor.execute({ query: 'mutation { p: publish(v: "x") { v } }' }, iam, {});
    expect(out.body).toEqual({ data: { p: { v: 'x' } } });
    expect(out.published).toEqual([{ mutationField: 'publish', payload: { v: 'x' } }]);
  });

  it('refuses mutations for a mode the Mutation type does not allow', async () => {
    const out = await executor.execute({ query: 'mutation { publish(v: "x") { v } }' }, user, {});
    expect(out.body.data).toEqual({ publish: null });
    expect(out.published).toEqual([]);
  });
});

describe('execution limits (AppSync "configuration limits": resolver count, query depth, introspection)', () => {
  const limited = (api: Partial<BackendDescription['api']>) =>
    new GraphQLExecutor({ ...description, api: { ...description.api, ...api } } as BackendDescription, { dynamodb: {} as DynamoDBClient, lambdas: new LambdaRunner([]) });

  it('runs at most ResolverCountLimit resolvers per request; the rest fail with ResolverExecutionLimitReached without running', async () => {
    const out = await limited({ resolverCountLimit: 2 }).execute({ query: '{ a: me { name } b: me { name } c: me { name } d: partial }' }, user, {});
    expect(out.body.data).toEqual({ a: { name: 'alice' }, b: { name: 'alice' }, c: null, d: null });
    // `partial` would have appended its "soft" error had it run.
    expect(out.body.errors?.map((e) => [e.path, e.errorType, e.message])).toEqual([
      [['c'], 'ResolverExecutionLimitReached', 'Resolver execution limit of 2 reached'],
      [['d'], 'ResolverExecutionLimitReached', 'Resolver execution limit of 2 reached'],
    ]);
    // Fields without a resolver are not counted; each request starts from zero.
    const again = await limited({ resolverCountLimit: 2 }).execute({ query: '{ a: me { name internal { note } } b: me { name } }' }, iam, {});
    expect(again.body.errors).toBeUndefined();
  });

  it('fails fields deeper than QueryDepthLimit with QueryDepthLimitReached; unset means no limit', async () => {
    // (The 10,000 default is exercised end to end in tests/security/bad-input.test.ts.)
    const query = '{ me { name } }';
    const out = await limited({ queryDepthLimit: 1 }).execute({ query }, user, {});
    expect(out.body.data).toEqual({ me: { name: null } });
    expect(out.body.errors?.map((e) => [e.path, e.errorType, e.message])).toEqual([[['me', 'name'], 'QueryDepthLimitReached', 'Query depth limit of 1 reached']]);
    expect((await limited({ queryDepthLimit: 2 }).execute({ query }, user, {})).body).toEqual({ data: { me: { name: 'alice' } } });
    expect((await executor.execute({ query: '{ me { name internal { note } } }' }, iam, {})).body.errors).toBeUndefined();
  });

  it('refuses __schema and __type as validation errors when IntrospectionConfig is DISABLED; __typename stays', async () => {
    const closed = limited({ introspection: 'DISABLED' });
    const out = await closed.execute({ query: '{ __schema { queryType { name } } }' }, user, {});
    expect(out.body.data).toBeNull();
    expect(out.body.errors?.[0]).toMatchObject({ path: null, message: expect.stringContaining('introspection has been disabled') });
    expect((await closed.execute({ query: '{ __typename }' }, user, {})).body).toEqual({ data: { __typename: 'Query' } });
    expect((await executor.execute({ query: '{ __schema { queryType { name } } }' }, user, {})).body.errors).toBeUndefined();
  });

  it('answers a document nested deeper than validation can follow as unparsable (400), not with an internal error', async () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => `fragment F${i} on Profile { ${i === 19_999 ? 'name' : `...F${i + 1}`} }`).join('\n');
    const out = await executor.execute({ query: `{ me { ...F0 } }\n${chain}` }, user, {});
    expect(out.kind).toBe('malformed');
  });
});
