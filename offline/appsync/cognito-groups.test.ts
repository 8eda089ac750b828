/**
 * `cognito_groups` end to end: the real AppSync server (HTTPS + real-time) on a small backend shaped like what Amplify
 * Gen 2 synthesizes for a custom mutation with `.authorization((allow) => [allow.group('ChatBackend')])` — the mutation
 * and its return type carry `@aws_cognito_user_pools(cognito_groups: ["ChatBackend"]) @aws_iam` — with an in-memory
 * Cognito pool minting real tokens and a SigV4-signed IAM caller (rules in schema/auth-directives.ts).
 *
 * Users in groups: the offline pool has no group-management API, so their tokens are minted by the pool's own token
 * code (`mintTokens`, the claim set Cognito issues, `cognito:groups` included) with the pool's key, for a real
 * sign-in session of a real user — what Cognito issues after AdminAddUserToGroup. The verifier checks them like any.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ID, chatPoolDescription, createConfirmedUser, signInTokens } from '../../tests/helpers/cognito-pool.js';
import { createUserPool, type UserPool } from '../cognito/index.js';
import { mintTokens } from '../cognito/tokens.js';
import { startDynamoDb, type LocalDynamoDb } from '../dynamodb/index.js';
import { LambdaRunner } from '../lambda/runner.js';
import type { BackendDescription } from '../loader/types.js';
import { loadOrCreateCertificate } from '../tls/certificate.js';
import { startAppSyncServer } from './server.js';
import { IAM_KEY, RealtimeClient, graphqlAs, graphqlIam, type Frame, type Harness } from '../../tests/helpers/appsync-harness.js';

const SCHEMA = `
type ConversationEvent @aws_cognito_user_pools(cognito_groups: ["ChatBackend"]) @aws_iam {
  conversationId: ID!
  kind: String
  note: String @aws_cognito_user_pools @aws_iam
}
type Query @aws_cognito_user_pools @aws_iam {
  myGroups: [String]
  lastEvent: ConversationEvent
}
type Mutation {
  publishConversationEvent(conversationId: ID!, kind: String): ConversationEvent @aws_cognito_user_pools(cognito_groups: ["ChatBackend"]) @aws_iam
}
type Subscription {
  onConversationEvent(conversationId: ID!): ConversationEvent @aws_subscribe(mutations: ["publishConversationEvent"]) @aws_cognito_user_pools @aws_iam
  onBackendEvent(conversationId: ID!): ConversationEvent @aws_subscribe(mutations: ["publishConversationEvent"]) @aws_cognito_user_pools(cognito_groups: ["ChatBackend"]) @aws_iam
}
`;

const vtl = (request: string, response = '$util.toJson($ctx.result)') => ({ runtime: 'VTL' as const, request, response });
const unit = (typeName: string, fieldName: string, request: string) => ({ typeName, fieldName, kind: 'UNIT', dataSourceName: 'NONE', functions: [], code: vtl(request) });

function backend(schema: string): BackendDescription {
  return {
    cdkOut: '',
    stackName: 'groups',
    region: 'us-east-1',
    accountId: '123456789012',
    api: { id: 'groups', name: 'groups', defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS', additionalAuthModes: ['AWS_IAM'], schema, apiKeys: [] },
    dataSources: { NONE: { name: 'NONE', type: 'NONE' } },
    functions: {},
    resolvers: [
      unit('Query', 'myGroups', '{"version": "2018-05-29", "payload": $util.toJson($ctx.identity.groups)}'),
      unit('Query', 'lastEvent', '{"version": "2018-05-29", "payload": {"conversationId": "c0", "kind": "seen", "note": "n"}}'),
      unit('Mutation', 'publishConversationEvent', '{"version": "2018-05-29", "payload": {"conversationId": $util.toJson($ctx.args.conversationId), "kind": $util.toJson($ctx.args.kind), "note": "n"}}'),
    ],
    tables: [],
    userPool: chatPoolDescription(),
    lambdas: [],
    modelIntrospection: null,
    unsupported: [],
  } as unknown as BackendDescription;
}

const PUBLISH = 'mutation P($c: ID!, $k: String) { publishConversationEvent(conversationId: $c, kind: $k) { conversationId kind } }';
const ON_BACKEND_EVENT = 'subscription S($c: ID!) { onBackendEvent(conversationId: $c) { conversationId kind } }';
const ON_EVENT = (selection: string) => `subscription S($c: ID!) { onConversationEvent(conversationId: $c) { ${selection} } }`;
const unauthorized = (field: string, type: string, path: (string | number)[], line: number, column: number) => ({
  path,
  data: null,
  errorType: 'Unauthorized',
  errorInfo: null,
  locations: [{ line, column, sourceName: null }],
  message: `Not Authorized to access ${field} on type ${type}`,
});
const startRefused = (id: string, field: string, type: string): Frame => ({ id, type: 'error', payload: { errors: [{ errorType: 'Unauthorized', message: `Not Authorized to access ${field} on type ${type}` }] } });

let h: Harness;
let dynamo: LocalDynamoDb;
let pool: UserPool;
/** Access tokens: no group; only another group; ChatBackend among others; and ChatBackend's ID token. */
const tokens = { plain: '', reader: '', member: '', memberId: '' };

async function tokensInGroups(email: string, groups: string[]): Promise<{ IdToken: string; AccessToken: string }> {
  const signedIn = await signInTokens(pool, email, 'Passw0rdOK');
  const user = pool.getUser(email)!;
  const session = user.sessions.find((s) => s.clientId === CLIENT_ID)!;
  expect(signedIn.AccessToken.split('.')).toHaveLength(3);
  return mintTokens({ key: pool.key, issuer: pool.issuer, now: pool.now(), user: { ...user, groups }, clientId: CLIENT_ID, session, validity: pool.tokenValidity });
}

async function subscribe(token: string, id: string, query: string, variables: Record<string, unknown>): Promise<{ client: RealtimeClient; answer: Frame }> {
  const client = await RealtimeClient.connect(h, RealtimeClient.userHeader(h, token));
  expect((await client.next()).type).toBe('connection_ack');
  return { client, answer: await client.start(id, query, variables) };
}

beforeAll(async () => {
  dynamo = await startDynamoDb();
  pool = await createUserPool({ description: chatPoolDescription(), issuerBaseUrl: 'http://127.0.0.1:9229' });
  for (const name of ['plain', 'reader', 'member']) await createConfirmedUser(pool, `${name}@example.com`, 'Passw0rdOK');
  tokens.plain = (await signInTokens(pool, 'plain@example.com', 'Passw0rdOK')).AccessToken;
  tokens.reader = (await tokensInGroups('reader@example.com', ['Readers'])).AccessToken;
  const member = await tokensInGroups('member@example.com', ['Readers', 'ChatBackend']);
  tokens.member = member.AccessToken;
  tokens.memberId = member.IdToken;
  const certificate = await loadOrCreateCertificate(await mkdtemp(join(tmpdir(), 'appsync-groups-tls-')));
  const lambdas = new LambdaRunner([]);
  const description = backend(SCHEMA);
  const server = await startAppSyncServer({
    description,
    dynamodb: dynamo.client,
    lambdas,
    verifyUserPoolToken: (token) => pool.verifyUserPoolToken(token),
    iamCredentials: new Map([[IAM_KEY.accessKeyId, { secretAccessKey: IAM_KEY.secretAccessKey, principal: IAM_KEY.principal }]]),
    tls: { key: certificate.key, cert: certificate.cert },
  });
  const none = { sub: '', token: '' };
  h = {
    description,
    server,
    ca: certificate.ca,
    pool,
    users: { A: none, B: none, C: none },
    logs: [],
    async close() {
      await server.close();
      await lambdas.close();
    },
  };
});

afterAll(async () => {
  await h?.close();
  pool?.close();
  await dynamo?.close();
});

describe('HTTP', () => {
  it("ctx.identity.groups is the token's cognito:groups claim (null without one)", async () => {
    expect((await graphqlAs(h, tokens.plain, '{ myGroups }')).json).toEqual({ data: { myGroups: null } });
    expect((await graphqlAs(h, tokens.member, '{ myGroups }')).json).toEqual({ data: { myGroups: ['Readers', 'ChatBackend'] } });
    expect((await graphqlAs(h, tokens.memberId, '{ myGroups }')).json).toEqual({ data: { myGroups: ['Readers', 'ChatBackend'] } });
  });

  it('a user-pool caller in no listed group gets Unauthorized on the group-restricted mutation, as AppSync answers', async () => {
    for (const token of [tokens.plain, tokens.reader]) {
      const answer = await graphqlAs(h, token, PUBLISH, { c: 'c1', k: 'denied' });
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ data: { publishConversationEvent: null }, errors: [unauthorized('publishConversationEvent', 'Mutation', ['publishConversationEvent'], 1, 35)] });
    }
  });

  it('a member of a listed group (access or ID token) and an IAM caller pass', async () => {
    for (const token of [tokens.member, tokens.memberId]) {
      expect((await graphqlAs(h, token, PUBLISH, { c: 'c1', k: 'member' })).json).toEqual({ data: { publishConversationEvent: { conversationId: 'c1', kind: 'member' } } });
    }
    expect((await graphqlIam(h, PUBLISH, { c: 'c1', k: 'iam' })).json).toEqual({ data: { publishConversationEvent: { conversationId: 'c1', kind: 'iam' } } });
  });

  it("nested fields: the type's groups apply where the field has no directive of its own; the field's own override them", async () => {
    const query = '{ lastEvent { kind note } }';
    expect((await graphqlAs(h, tokens.plain, query)).json).toEqual({ data: { lastEvent: { kind: null, note: 'n' } }, errors: [unauthorized('kind', 'ConversationEvent', ['lastEvent', 'kind'], 1, 15)] });
    expect((await graphqlAs(h, tokens.member, query)).json).toEqual({ data: { lastEvent: { kind: 'seen', note: 'n' } } });
    expect((await graphqlIam(h, query)).json).toEqual({ data: { lastEvent: { kind: 'seen', note: 'n' } } });
  });
});

describe('subscriptions', () => {
  it('start: a group-restricted subscription field is refused to a user-pool caller outside the group, accepted for a member', async () => {
    const plain = await subscribe(tokens.plain, 'p1', ON_BACKEND_EVENT, { c: 'c2' });
    expect(plain.answer).toEqual(startRefused('p1', 'onBackendEvent', 'Subscription'));
    const reader = await subscribe(tokens.reader, 'r1', ON_BACKEND_EVENT, { c: 'c2' });
    expect(reader.answer).toEqual(startRefused('r1', 'onBackendEvent', 'Subscription'));
    const member = await subscribe(tokens.member, 'm1', ON_BACKEND_EVENT, { c: 'c2' });
    expect(member.answer).toEqual({ id: 'm1', type: 'start_ack' });

    // A refused publish delivers nothing: the member's first frame is the event of the allowed (IAM) publish.
    expect((await graphqlAs(h, tokens.plain, PUBLISH, { c: 'c2', k: 'denied' })).json.data).toEqual({ publishConversationEvent: null });
    expect((await graphqlIam(h, PUBLISH, { c: 'c2', k: 'from the backend' })).json.errors).toBeUndefined();
    expect(await member.client.next()).toEqual({ id: 'm1', type: 'data', payload: { data: { onBackendEvent: { conversationId: 'c2', kind: 'from the backend' } } } });
    for (const s of [plain, reader, member]) s.client.close();
  });

  it("start: selecting a group-restricted field of the payload is refused; the fields the caller may read are accepted", async () => {
    const restricted = await subscribe(tokens.plain, 'p2', ON_EVENT('note conversationId'), { c: 'c3' });
    expect(restricted.answer).toEqual(startRefused('p2', 'conversationId', 'ConversationEvent'));
    const open = await subscribe(tokens.plain, 'p3', ON_EVENT('note'), { c: 'c3' });
    expect(open.answer).toEqual({ id: 'p3', type: 'start_ack' });
    const member = await subscribe(tokens.member, 'm2', ON_EVENT('note conversationId'), { c: 'c3' });
    expect(member.answer).toEqual({ id: 'm2', type: 'start_ack' });

    expect((await graphqlAs(h, tokens.member, 'mutation { publishConversationEvent(conversationId: "c3") { conversationId note } }')).json.errors).toBeUndefined();
    expect(await open.client.next()).toEqual({ id: 'p3', type: 'data', payload: { data: { onConversationEvent: { note: 'n' } } } });
    expect(await member.client.next()).toEqual({ id: 'm2', type: 'data', payload: { data: { onConversationEvent: { note: 'n', conversationId: 'c3' } } } });
    for (const s of [restricted, open, member]) s.client.close();
  });

  it('a reload that restricts a field ends the live subscriptions of callers outside the group, with their groups as they started', async () => {
    const plain = await subscribe(tokens.plain, 'p4', ON_EVENT('note'), { c: 'c4' });
    const member = await subscribe(tokens.member, 'm4', ON_EVENT('note'), { c: 'c4' });
    expect([plain.answer.type, member.answer.type]).toEqual(['start_ack', 'start_ack']);
    const restricted = SCHEMA.replace('note: String @aws_cognito_user_pools @aws_iam', 'note: String @aws_cognito_user_pools(cognito_groups: ["ChatBackend"]) @aws_iam');
    expect(restricted).not.toBe(SCHEMA);
    // (Counts are not asserted: sockets of earlier tests may still be closing.)
    expect((await h.server.reload(backend(restricted))).ended).toBeGreaterThanOrEqual(1);
    expect(await plain.client.next()).toEqual(startRefused('p4', 'note', 'ConversationEvent'));
    expect((await graphqlIam(h, 'mutation { publishConversationEvent(conversationId: "c4") { conversationId note } }')).json.errors).toBeUndefined();
    expect(await member.client.next()).toEqual({ id: 'm4', type: 'data', payload: { data: { onConversationEvent: { note: 'n' } } } });
    for (const s of [plain, member]) s.client.close();
  });
});
