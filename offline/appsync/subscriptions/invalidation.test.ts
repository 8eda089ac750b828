/**
 * Subscription invalidation driven end to end (`extensions.invalidateSubscriptions` closes matching
 * subscriptions with a `complete` frame): the real AppSync server
 * (`startAppSyncServer`: GraphQLExecutor, SubscriptionEngine, HTTP handler, real-time transport over TLS) on a small
 * hand-written backend with a NONE data source, a raw `ws` client speaking the AppSync protocol, and mutations over
 * HTTPS with an API key.
 *
 * A subscription resolver sets `extensions.setSubscriptionInvalidationFilter(...)` at subscribe time; a mutation
 * resolver calls `extensions.invalidateSubscriptions({subscriptionField, payload})`; once the mutation completes every
 * subscription on that field whose invalidation filter matches the payload ends with `{"type":"complete","id":…}`.
 *
 * "No further data" is proven without waiting for silence: frames on one socket are ordered, and each mutation's
 * frames are handed to the socket before the next mutation is sent, so after posting to the invalidated channel and
 * then to a channel a still-live subscription on the same socket watches, the next frame must be the latter's data.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LambdaRunner } from '../../lambda/runner.js';
import type { BackendDescription, ResolverDescription } from '../../loader/types.js';
import type { LocalCertificate } from '../../tls/certificate.js';
import { FrameClient, base64Url, testCertificate, type Frame } from '../../../tests/helpers/realtime-server.js';
import { startAppSyncServer, type AppSyncServer } from '../server.js';
import { rawPost, type HttpAnswer } from '../../../tests/helpers/appsync-harness.js';

const API_KEY = 'da2-invalidationtestkey0000000000';

const SCHEMA = `
type Post { id: ID! channelId: ID! text: String }
type Channel { id: ID! closed: Boolean }
type Query { ping: String }
type Mutation {
  post(channelId: ID!, text: String!): Post
  closeChannel(id: ID!): Channel
  closeChannelVtl(id: ID!): Channel
  invalidate(subscriptionField: String!, channelId: ID!): Boolean
}
type Subscription {
  onPost(channelId: ID!): Post @aws_subscribe(mutations: ["post"])
  onPostVtl(channelId: ID!): Post @aws_subscribe(mutations: ["post"])
  onDigest(channelIds: [ID!]!): Post @aws_subscribe(mutations: ["post"])
  onPostUnguarded(channelId: ID!): Post @aws_subscribe(mutations: ["post"])
  onBadInvalidation(channelId: ID!): Post @aws_subscribe(mutations: ["post"])
  onBadInvalidationVtl(channelId: ID!): Post @aws_subscribe(mutations: ["post"])
}
`;

const js = (typeName: string, fieldName: string, code: string): ResolverDescription => ({
  typeName,
  fieldName,
  kind: 'UNIT',
  dataSourceName: 'NONE',
  functions: [],
  code: { runtime: 'APPSYNC_JS', code: `import { util, extensions } from '@aws-appsync/utils';\n${code}` },
});

const vtl = (typeName: string, fieldName: string, request: string, response: string): ResolverDescription => ({
  typeName,
  fieldName,
  kind: 'UNIT',
  dataSourceName: 'NONE',
  functions: [],
  code: { runtime: 'VTL', request, response },
});

const NULL_REQUEST = 'export function request(ctx) { return { payload: null }; }';

const RESOLVERS: ResolverDescription[] = [
  js('Mutation', 'post', `export function request(ctx) { return { payload: { id: ctx.args.text, channelId: ctx.args.channelId, text: ctx.args.text } }; }
export function response(ctx) { return ctx.result; }`),
  js('Mutation', 'closeChannel', `export function request(ctx) { return { payload: { id: ctx.args.id, closed: true } }; }
export function response(ctx) {
  extensions.invalidateSubscriptions({ subscriptionField: 'onPost', payload: { channelId: ctx.args.id } });
  return ctx.result;
}`),
  vtl(
    'Mutation',
    'closeChannelVtl',
    '{"version": "2018-05-29", "payload": {"id": $util.toJson($ctx.args.id), "closed": true}}',
    '$extensions.invalidateSubscriptions({"subscriptionField": "onPostVtl", "payload": {"channelId": $ctx.args.id}})\n$util.toJson($ctx.result)',
  ),
  js('Mutation', 'invalidate', `export function request(ctx) { return { payload: true }; }
export function response(ctx) {
  extensions.invalidateSubscriptions({ subscriptionField: ctx.args.subscriptionField, payload: { channelId: ctx.args.channelId } });
  return ctx.result;
}`),
  js('Subscription', 'onPost', `${NULL_REQUEST}
export function response(ctx) {
  extensions.setSubscriptionInvalidationFilter(util.transform.toSubscriptionFilter({ channelId: { eq: ctx.args.channelId } }));
  return null;
}`),
  vtl(
    'Subscription',
    'onPostVtl',
    '{"version": "2018-05-29", "payload": {}}',
    '$extensions.setSubscriptionInvalidationFilter($util.transform.toSubscriptionFilter({"channelId": {"eq": $ctx.args.channelId}}))\n$util.toJson($ctx.result)',
  ),
  js('Subscription', 'onDigest', `${NULL_REQUEST}
export function response(ctx) {
  const filter = util.transform.toSubscriptionFilter({ channelId: { in: ctx.args.channelIds } });
  extensions.setSubscriptionInvalidationFilter(filter);
  extensions.setSubscriptionFilter(filter);
  return null;
}`),
  js('Subscription', 'onBadInvalidation', `${NULL_REQUEST}
export function response(ctx) {
  extensions.setSubscriptionInvalidationFilter({ filterGroup: [{ filters: [{ fieldName: 'channelId', operator: 'like', value: ctx.args.channelId }] }] });
  return null;
}`),
  vtl(
    'Subscription',
    'onBadInvalidationVtl',
    '{"version": "2018-05-29", "payload": {}}',
    '$extensions.setSubscriptionInvalidationFilter({"filterGroup": [{"filters": [{"fieldName": "channelId", "operator": "like", "value": $ctx.args.channelId}]}]})\n$util.toJson($ctx.result)',
  ),
];

const description = {
  cdkOut: '',
  stackName: 'invalidation-test',
  region: 'us-east-1',
  accountId: '123456789012',
  api: { id: 'invalidationtest', name: 'invalidation-test', defaultAuthMode: 'API_KEY', additionalAuthModes: [], schema: SCHEMA, apiKeys: [API_KEY] },
  dataSources: { NONE: { name: 'NONE', type: 'NONE' } },
  functions: {},
  resolvers: RESOLVERS,
  tables: [],
  userPool: {} as BackendDescription['userPool'],
  lambdas: [],
  modelIntrospection: null,
  unsupported: [],
} satisfies BackendDescription;

const SELECTION = '{ id channelId text }';
const ON_POST = `subscription S($channelId: ID!) { onPost(channelId: $channelId) ${SELECTION} }`;
const ON_POST_VTL = `subscription S($channelId: ID!) { onPostVtl(channelId: $channelId) ${SELECTION} }`;
const ON_DIGEST = `subscription S($channelIds: [ID!]!) { onDigest(channelIds: $channelIds) ${SELECTION} }`;
const ON_POST_UNGUARDED = `subscription S($channelId: ID!) { onPostUnguarded(channelId: $channelId) ${SELECTION} }`;

let server: AppSyncServer;
let certificate: LocalCertificate;
const logs: string[] = [];
const lambdas = new LambdaRunner([]);
const clients: FrameClient[] = [];

beforeAll(async () => {
  certificate = await testCertificate();
  server = await startAppSyncServer({
    description,
    dynamodb: {} as DynamoDBClient, // NONE data sources only
    lambdas,
    verifyUserPoolToken: () => Promise.reject(new Error('user pools are not enabled on this API')),
    iamCredentials: new Map(),
    tls: { key: certificate.key, cert: certificate.cert },
    logger: (line) => logs.push(line),
  });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.ws.close();
});

afterAll(async () => {
  await server?.close();
  await lambdas.close();
});

/** A failure guard only: every wait below is for a frame or a response that must come. */
function guarded<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within 10 s`)), 10_000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function authorization(): Record<string, unknown> {
  return { 'x-api-key': API_KEY, host: new URL(server.url).host };
}

async function connect(): Promise<FrameClient> {
  const client = FrameClient.open(server.realtimeUrl, ['graphql-ws', `header-${base64Url(authorization())}`], certificate);
  clients.push(client);
  await guarded(client.opened, 'socket open');
  await guarded(client.init(), 'connection_ack');
  return client;
}

function nextFrame(client: FrameClient): Promise<Frame> {
  return guarded(client.nextNonKa(), 'frame');
}

async function startFrame(client: FrameClient, id: string, query: string, variables: Record<string, unknown>): Promise<Frame> {
  client.start(id, query, authorization(), variables);
  return nextFrame(client);
}

async function subscribe(client: FrameClient, id: string, query: string, variables: Record<string, unknown>): Promise<void> {
  expect((await startFrame(client, id, query, variables)).json).toEqual({ type: 'start_ack', id });
}

function mutate(query: string, variables: Record<string, unknown>): Promise<HttpAnswer> {
  return guarded(rawPost(server.url, JSON.stringify({ query, variables }), { 'content-type': 'application/json', 'x-api-key': API_KEY }, certificate.ca), 'HTTP response');
}

async function post(channelId: string, text: string): Promise<void> {
  const answer = await mutate(`mutation P($channelId: ID!, $text: String!) { post(channelId: $channelId, text: $text) ${SELECTION} }`, { channelId, text });
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({ data: { post: { id: text, channelId, text } } });
}

async function invalidate(subscriptionField: string, channelId: string): Promise<void> {
  const answer = await mutate('mutation I($f: String!, $c: ID!) { invalidate(subscriptionField: $f, channelId: $c) }', { f: subscriptionField, c: channelId });
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({ data: { invalidate: true } });
}

function dataFrame(id: string, field: string, channelId: string, text: string): Record<string, unknown> {
  return { id, type: 'data', payload: { data: { [field]: { id: text, channelId, text } } } };
}

/** AppSync's invalidation frame, byte for byte (`{"type":"complete","id":"<id>"}`). */
const completeRaw = (id: string): string => `{"type":"complete","id":"${id}"}`;

describe.each([
  { engine: 'APPSYNC_JS', field: 'onPost', query: ON_POST, close: 'closeChannel' },
  { engine: 'VTL', field: 'onPostVtl', query: ON_POST_VTL, close: 'closeChannelVtl' },
])('$engine: $close(id) invalidates $field(channelId) subscriptions whose filter is {channelId: {eq: id}}', ({ field, query, close }) => {
  it('the matching subscription gets `complete` and no further data; the other channel keeps receiving; the id is free again', async () => {
    const client = await connect();
    await subscribe(client, 'c1-sub', query, { channelId: 'c1' });
    await subscribe(client, 'c2-sub', query, { channelId: 'c2' });

    // Live before the close: the later absence of data is the invalidation's doing.
    await post('c1', `${field}-before`);
    expect((await nextFrame(client)).json).toEqual(dataFrame('c1-sub', field, 'c1', `${field}-before`));

    const closed = await mutate(`mutation C($id: ID!) { ${close}(id: $id) { id closed } }`, { id: 'c1' });
    expect(closed.status).toBe(200);
    expect(closed.json).toEqual({ data: { [close]: { id: 'c1', closed: true } } });
    expect((await nextFrame(client)).raw).toBe(completeRaw('c1-sub'));

    await post('c1', `${field}-after-close`);
    await post('c2', `${field}-c2`);
    expect((await nextFrame(client)).json).toEqual(dataFrame('c2-sub', field, 'c2', `${field}-c2`));

    // Amplify ignores `complete` and sends `stop` when the app unsubscribes later: nothing answers it (the socket
    // handles messages in order, so a frame for the stop would come before the probe's start_ack), the socket carries on.
    client.send({ type: 'stop', id: 'c1-sub' });
    await subscribe(client, 'probe', query, { channelId: 'c9' });

    // The transport and the engine both dropped the id: the same id starts afresh (no DuplicatedOperationError).
    await subscribe(client, 'c1-sub', query, { channelId: 'c1' });
    await post('c1', `${field}-resubscribed`);
    expect((await nextFrame(client)).json).toEqual(dataFrame('c1-sub', field, 'c1', `${field}-resubscribed`));
  });

  it('every matching subscription on the socket is closed, each with its own `complete`', async () => {
    const client = await connect();
    await subscribe(client, 'first', query, { channelId: 'c5' });
    await subscribe(client, 'second', query, { channelId: 'c5' });
    await subscribe(client, 'witness', query, { channelId: 'c6' });
    const closed = await mutate(`mutation C($id: ID!) { ${close}(id: $id) { id } }`, { id: 'c5' });
    expect(closed.json).toEqual({ data: { [close]: { id: 'c5' } } });
    const completes = [(await nextFrame(client)).raw, (await nextFrame(client)).raw].sort();
    expect(completes).toEqual([completeRaw('first'), completeRaw('second')]);
    await post('c5', `${field}-c5-after`);
    await post('c6', `${field}-c6`);
    expect((await nextFrame(client)).json).toEqual(dataFrame('witness', field, 'c6', `${field}-c6`));
  });
});

describe('scope of an invalidation', () => {
  it('connections are handled independently, even when they use the same subscription id', async () => {
    const a = await connect();
    const b = await connect();
    await subscribe(a, 'same-id', ON_POST, { channelId: 'x1' });
    await subscribe(a, 'a-witness', ON_POST, { channelId: 'x3' });
    await subscribe(b, 'same-id', ON_POST, { channelId: 'x2' });
    await subscribe(b, 'b-x1', ON_POST, { channelId: 'x1' });

    const closed = await mutate('mutation C($id: ID!) { closeChannel(id: $id) { id } }', { id: 'x1' });
    expect(closed.json).toEqual({ data: { closeChannel: { id: 'x1' } } });
    expect((await nextFrame(a)).raw).toBe(completeRaw('same-id'));
    expect((await nextFrame(b)).raw).toBe(completeRaw('b-x1'));

    await post('x1', 'x1-after');
    await post('x2', 'x2-post');
    await post('x3', 'x3-post');
    // b's "same-id" (x2) survived a's "same-id" (x1) being closed; neither socket sees the x1 post.
    expect((await nextFrame(b)).json).toEqual(dataFrame('same-id', 'onPost', 'x2', 'x2-post'));
    expect((await nextFrame(a)).json).toEqual(dataFrame('a-witness', 'onPost', 'x3', 'x3-post'));
  });

  it('only the named subscription field is invalidated; a subscription without an invalidation filter is never closed', async () => {
    const client = await connect();
    await subscribe(client, 'js', ON_POST, { channelId: 'y1' });
    await subscribe(client, 'vtl', ON_POST_VTL, { channelId: 'y1' });
    await subscribe(client, 'unguarded', ON_POST_UNGUARDED, { channelId: 'y1' });

    const closed = await mutate('mutation C($id: ID!) { closeChannel(id: $id) { id } }', { id: 'y1' });
    expect(closed.json).toEqual({ data: { closeChannel: { id: 'y1' } } });
    expect((await nextFrame(client)).raw).toBe(completeRaw('js'));

    // onPostUnguarded has no subscription resolver, so no invalidation filter: naming it closes nothing.
    await invalidate('onPostUnguarded', 'y1');
    await post('y1', 'y1-after');
    const frames = [(await nextFrame(client)).json, (await nextFrame(client)).json];
    expect(frames).toEqual(expect.arrayContaining([dataFrame('vtl', 'onPostVtl', 'y1', 'y1-after'), dataFrame('unguarded', 'onPostUnguarded', 'y1', 'y1-after')]));
    expect(frames).toHaveLength(2);
  });

  it('an invalidation payload the filter does not match closes nothing', async () => {
    const client = await connect();
    await subscribe(client, 'kept', ON_POST, { channelId: 'z1' });
    await invalidate('onPost', 'z1-other');
    const closedOther = await mutate('mutation C($id: ID!) { closeChannel(id: $id) { id } }', { id: 'z2' });
    expect(closedOther.json).toEqual({ data: { closeChannel: { id: 'z2' } } });
    await post('z1', 'z1-still-live');
    expect((await nextFrame(client)).json).toEqual(dataFrame('kept', 'onPost', 'z1', 'z1-still-live'));
  });
});

describe('invalidation filters with other operators', () => {
  it('`in`: a digest of [d1, d2] is closed when d2 is invalidated; a digest of [d3] is not', async () => {
    const client = await connect();
    await subscribe(client, 'digest-12', ON_DIGEST, { channelIds: ['d1', 'd2'] });
    await subscribe(client, 'digest-3', ON_DIGEST, { channelIds: ['d3'] });

    await post('d1', 'd1-before');
    expect((await nextFrame(client)).json).toEqual(dataFrame('digest-12', 'onDigest', 'd1', 'd1-before'));

    await invalidate('onDigest', 'd2');
    expect((await nextFrame(client)).raw).toBe(completeRaw('digest-12'));

    await post('d1', 'd1-after');
    await post('d3', 'd3-post');
    expect((await nextFrame(client)).json).toEqual(dataFrame('digest-3', 'onDigest', 'd3', 'd3-post'));

    await invalidate('onDigest', 'd4');
    await invalidate('onDigest', 'd3');
    expect((await nextFrame(client)).raw).toBe(completeRaw('digest-3'));
  });
});

describe('an invalid invalidation filter fails the start (SubscriptionFilterError in an error frame)', () => {
  it.each([
    ['APPSYNC_JS', 'onBadInvalidation'],
    ['VTL', 'onBadInvalidationVtl'],
  ])('%s: unsupported operator', async (_engine, field) => {
    const client = await connect();
    const frame = await startFrame(client, 'bad', `subscription S($channelId: ID!) { ${field}(channelId: $channelId) { id } }`, { channelId: 'b1' });
    expect(frame.json).toEqual({
      id: 'bad',
      type: 'error',
      payload: { errors: [{ errorType: 'SubscriptionFilterError', message: 'Invalid subscription invalidation filter: filterGroup[0].filters[0]: unsupported operator like' }] },
    });
    // Nothing was registered under the id, and the socket is still serviceable.
    await subscribe(client, 'bad', ON_POST, { channelId: 'b1' });
    await post('b1', 'b1-post');
    expect((await nextFrame(client)).json).toEqual(dataFrame('bad', 'onPost', 'b1', 'b1-post'));
  });

  it('`in` with more than 5 values exceeds the enhanced-filter limits', async () => {
    const client = await connect();
    const frame = await startFrame(client, 'too-many', ON_DIGEST, { channelIds: ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'] });
    expect(frame.json).toEqual({
      id: 'too-many',
      type: 'error',
      payload: { errors: [{ errorType: 'SubscriptionFilterError', message: 'Invalid subscription invalidation filter: filterGroup[0].filters[0]: in has 6 values (max 5)' }] },
    });
  });
});

describe('invalidateSubscriptions naming a field that is not a subscription field', () => {
  it.each(['onNothing', 'post', ''])('%j: the mutation succeeds, nothing is closed, the server keeps serving', async (name) => {
    const client = await connect();
    await subscribe(client, 'live', ON_POST, { channelId: 'n1' });
    const before = logs.length;
    await invalidate(name, 'n1');
    await post('n1', `n1-after-${name}`);
    expect((await nextFrame(client)).json).toEqual(dataFrame('live', 'onPost', 'n1', `n1-after-${name}`));
    expect(logs.slice(before).filter((line) => /internal error|ERROR/.test(line))).toEqual([]);
    // A real invalidation afterwards still works.
    const closed = await mutate('mutation C($id: ID!) { closeChannel(id: $id) { id } }', { id: 'n1' });
    expect(closed.json).toEqual({ data: { closeChannel: { id: 'n1' } } });
    expect((await nextFrame(client)).raw).toBe(completeRaw('live'));
  });
});

describe('more than 5 invalidateSubscriptions calls in one request (AppSync allows 5)', () => {
  // Distinct payloads, so the calls count as distinct whichever way "≤ 5 distinct calls" is read.
  const aliased = (count: number, channel: string): string =>
    `mutation { ${Array.from({ length: count }, (_v, i) => `i${i}: invalidate(subscriptionField: "onPost", channelId: "${channel}-${i}")`).join(' ')} }`;

  it('5 are applied', async () => {
    const client = await connect();
    await subscribe(client, 'first-of-five', ON_POST, { channelId: 'f5-0' });
    await subscribe(client, 'last-of-five', ON_POST, { channelId: 'f5-4' });
    const answer = await mutate(aliased(5, 'f5'), {});
    expect(answer.json).toEqual({ data: { i0: true, i1: true, i2: true, i3: true, i4: true } });
    const completes = [(await nextFrame(client)).raw, (await nextFrame(client)).raw].sort();
    expect(completes).toEqual([completeRaw('first-of-five'), completeRaw('last-of-five')]);
  });

  it('6 are a GraphQL error (InvalidationError) and, in this emulator, none is applied', async () => {
    const client = await connect();
    await subscribe(client, 'six', ON_POST, { channelId: 'f6-0' });
    const answer = await mutate(aliased(6, 'f6'), {});
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toEqual([
      { path: null, locations: null, errorType: 'InvalidationError', message: 'At most 5 invalidateSubscriptions calls are allowed per request' },
    ]);
    await post('f6-0', 'f6-still-live');
    expect((await nextFrame(client)).json).toEqual(dataFrame('six', 'onPost', 'f6-0', 'f6-still-live'));
  });
});
