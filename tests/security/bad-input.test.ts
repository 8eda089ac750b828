/**
 * Bad input on the offline sandbox: oversized messages and documents, deeply nested and aliased documents, invalid
 * enum values, malformed JSON, binary frames and garbage on the real-time socket, 1,000 rapid `start`s on one
 * connection. Each gets a clear, AppSync-shaped error, and after each the sandbox still serves the next request
 * correctly: `healthy()` sends a message over HTTP (GraphQL → message Lambda → DynamoDB, then the Lambda's
 * publishConversationEvent) and waits for a witness subscription, opened at the start on its own socket, to deliver
 * its MESSAGE_SENT event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpsRequest } from 'node:https';
import WebSocket from 'ws';
import { DEFAULT_MAX_BODY_BYTES } from '../../offline/appsync/http/handler';
import { DEFAULT_RESOLVER_COUNT_LIMIT } from '../../offline/appsync/executor/executor';
import { BINARY_FRAME_TEXT, EMPTY_BODY, MALFORMED_FRAME, maxSubscriptionsReached, notAuthorizedToAccess, resolverExecutionLimitReached, subProtocolNotSupported, TOO_LARGE, unauthorizedConnection, UNPARSABLE, unsupportedOperation } from '../../offline/errors';
import { startTestSandbox, type TestSandbox } from '../offline/helpers';
import { RealtimeSocket, adminCreateUser, frameErrors, graphql, postBody, signInUser, userHeader, type Frame, type SignedInUser } from './support';

let env: TestSandbox;
let a: SignedInUser;
let b: SignedInUser;
let conversation: string;
let witness: RealtimeSocket;
let checks = 0;

const SEND = 'mutation Send($input: SendMessageInputInput!) { sendMessage(input: $input) { messageId id conversationId userId sender content messageType clientMessageId createdAt } }';
const WATCH = 'subscription Watch($c: ID!) { onMessageSent(conversationId: $c) { type id content sender } }';
/** The backend's publish, which no signed-in user may call (IAM only): bad input to it must not get past that. */
const PUBLISH = 'mutation P($e: ConversationEventInput!) { publishConversationEvent(event: $e) { conversationId type userId at content participants } }';
const PUBLISH_REFUSED = notAuthorizedToAccess('publishConversationEvent', 'Mutation');
const MALFORMED = { errors: [{ errorType: UNPARSABLE.errorType, message: UNPARSABLE.message }] };

/** The sandbox serves the next request correctly: a send succeeds and the witness subscription delivers it. */
async function healthy(): Promise<void> {
  const content = `health check ${++checks}`;
  const sent = await graphql(env, a.accessToken, SEND, { input: { conversationId: conversation, content } });
  expect(sent.status).toBe(200);
  expect(sent.json.errors).toBeUndefined();
  expect(sent.json.data?.['sendMessage']).toMatchObject({ content, sender: a.sub, conversationId: conversation });
  const frame = await witness.waitForData('witness', (f) => JSON.stringify(f).includes(content));
  expect(frame.payload).toEqual({ data: { onMessageSent: { type: 'MESSAGE_SENT', id: (sent.json.data!['sendMessage'] as { id: string }).id, content, sender: a.sub } } });
}

/** POSTs raw bytes to /graphql with A's token (node:https, so the body and its headers are exactly what is given). */
function rawPost(body: Buffer | string | ((write: (chunk: Buffer) => boolean) => void), headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const url = new URL(env.sandbox.urls.graphql);
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: a.accessToken, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    if (typeof body === 'function') {
      body((chunk) => request.write(chunk));
      request.end();
    } else request.end(body);
  });
}

beforeAll(async () => {
  env = await startTestSandbox();
  // Administrator-created users: no PostConfirmation trigger (no profile, and no Lambda cold start to wait for).
  await adminCreateUser(env, 'ann.badinput@example.com');
  await adminCreateUser(env, 'bob.badinput@example.com');
  a = await signInUser(env, 'ann.badinput@example.com');
  b = await signInUser(env, 'bob.badinput@example.com');
  const created = await graphql(env, a.accessToken, 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { id participants } }', { input: { name: 'A+B', participants: [b.sub] } });
  expect(created.json.errors).toBeUndefined();
  conversation = (created.json.data!['createConversation'] as { id: string }).id;
  witness = await RealtimeSocket.connect(env, b.accessToken);
  expect((await witness.start('witness', WATCH, { c: conversation }, userHeader(env, b.accessToken))).type).toBe('start_ack');
  await healthy();
});

afterAll(async () => {
  witness?.close();
  await env?.sandbox.close();
});

describe('oversized input', () => {
  it('a message over 4,000 code points is a ValidationError; 4,000 emoji (8,000 UTF-16 units) are accepted', async () => {
    const send = (content: string) => graphql(env, a.accessToken, SEND, { input: { conversationId: conversation, content } });
    const fits = await send('👍'.repeat(4000));
    expect(fits.json.errors).toBeUndefined();
    expect([...((fits.json.data!['sendMessage'] as { content: string }).content)]).toHaveLength(4000);
    const over = await send('👍'.repeat(4001));
    expect(over.json.data).toEqual({ sendMessage: null });
    expect(over.json.errors).toEqual([expect.objectContaining({ errorType: 'Lambda:Unhandled', message: 'ValidationError: content is 4001 characters long; the limit is 4000', path: ['sendMessage'] })]);
    // Well past the limit but inside the request body limit: the same error, not a crash.
    const huge = await send('y'.repeat(900_000));
    expect(huge.json.errors?.[0]?.message).toBe('ValidationError: content is 900000 characters long; the limit is 4000');
    await healthy();
  });

  it('an oversized event handed to publishConversationEvent is refused like any publish by a signed-in user, and reaches nobody', async () => {
    const content = `oversized ${'z'.repeat(900_000)}`;
    const event = { conversationId: conversation, type: 'MESSAGE_SENT', userId: a.sub, at: new Date().toISOString(), messageId: 'm-1', id: 'm-1', sender: a.sub, content, participants: [`${a.sub}::${a.sub}`, `${b.sub}::${b.sub}`] };
    const answer = await graphql(env, a.accessToken, PUBLISH, { e: event });
    expect(answer.status).toBe(200);
    expect(answer.json.data).toEqual({ publishConversationEvent: null });
    expect(answer.json.errors).toEqual([expect.objectContaining(PUBLISH_REFUSED)]);
    await healthy();
    expect(witness.received.join('\n')).not.toContain('oversized ');
  });

  it('a request body over the limit is refused with 413 PayloadTooLargeException, declared or streamed', async () => {
    const document = JSON.stringify({ query: `{ ${'__typename '.repeat(Math.ceil(DEFAULT_MAX_BODY_BYTES / 11) + 10)}}` });
    expect(Buffer.byteLength(document)).toBeGreaterThan(DEFAULT_MAX_BODY_BYTES);
    const { errorType, message } = TOO_LARGE(DEFAULT_MAX_BODY_BYTES);
    const expected = { errors: [{ errorType, message }] };
    const declared = await rawPost(document);
    expect(declared.status).toBe(413);
    expect(declared.headers['x-amzn-errortype']).toBe('PayloadTooLargeException');
    expect(JSON.parse(declared.text)).toEqual(expected);
    // Chunked, no Content-Length: the server stops reading at the limit.
    const streamed = await rawPost((write) => {
      for (let i = 0; i < 40; i++) write(Buffer.alloc(64 * 1024, 0x20));
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.text)).toEqual(expected);
    // A body just under the limit is served.
    const underBody = JSON.stringify({ query: `{ __typename }\n# ${'p'.repeat(DEFAULT_MAX_BODY_BYTES - 200)}` });
    expect(Buffer.byteLength(underBody)).toBeLessThanOrEqual(DEFAULT_MAX_BODY_BYTES);
    const under = await postBody(env, a.accessToken, underBody);
    expect(under.status).toBe(200);
    expect(under.json).toEqual({ data: { __typename: 'Query' } });
    await healthy();
  });
});

describe('deeply nested and aliased documents', () => {
  it('deep nesting: no depth limit by default (as AppSync), and what is too deep to parse is a 400, never a 500', async () => {
    const nested = (depth: number): string => `{ __schema { types { fields { type { ${'ofType { '.repeat(depth)}name${' }'.repeat(depth)} } } } } }`;
    const moderate = await postBody(env, a.accessToken, JSON.stringify({ query: nested(100) }));
    expect(moderate.status).toBe(200);
    expect(moderate.json.errors).toBeUndefined();
    for (const depth of [1_000, 3_000, 10_000, 60_000]) {
      const answer = await postBody(env, a.accessToken, JSON.stringify({ query: nested(depth) }));
      if (answer.status === 200) expect(answer.json.data?.['__schema']).toBeTruthy();
      else expect({ status: answer.status, body: answer.json }).toEqual({ status: 400, body: MALFORMED });
    }
    // Depth through a chain of fragments (validation walks it recursively).
    const chain = Array.from({ length: 5_000 }, (_, i) => `fragment F${i} on __Type { ofType { ${i === 4_999 ? 'name' : `...F${i + 1}`} } }`).join('\n');
    const fragments = await postBody(env, a.accessToken, JSON.stringify({ query: `{ __schema { types { ...F0 } } }\n${chain}` }));
    expect([200, 400]).toContain(fragments.status);
    if (fragments.status === 400) expect(fragments.json).toEqual(MALFORMED);
    // The same on the socket: an error frame, and the connection goes on.
    const socket = await RealtimeSocket.connect(env, b.accessToken);
    const deep = await socket.start('deep', `subscription { onMessageSent(conversationId: "${conversation}") { id ${'__typename '.repeat(2)} } ${'{'.repeat(20_000)}`, undefined, userHeader(env, b.accessToken));
    expect(deep.type).toBe('error');
    expect((await socket.start('after-deep', WATCH, { c: conversation }, userHeader(env, b.accessToken))).type).toBe('start_ack');
    socket.close();
    await healthy();
  });

  it(`aliases: resolvers past the ${DEFAULT_RESOLVER_COUNT_LIMIT.toLocaleString('en')}th of a request fail with ResolverExecutionLimitReached and do not run`, async () => {
    // A's one conversation × 12,000 aliased `participants` fields (a field resolver each) + the list = 12,001 executions.
    const aliases = Array.from({ length: 12_000 }, (_, i) => `p${i}: participants`).join(' ');
    const answer = await postBody(env, a.accessToken, JSON.stringify({ query: `{ listConversations { items { id ${aliases} } } }` }));
    expect(answer.status).toBe(200);
    const items = (answer.json.data?.['listConversations'] as { items: Record<string, unknown>[] }).items;
    expect(items.map((item) => item['id'])).toEqual([conversation]);
    const resolved = Object.entries(items[0]!).filter(([key, value]) => key !== 'id' && value !== null);
    expect(resolved).toHaveLength(DEFAULT_RESOLVER_COUNT_LIMIT - 1);
    for (const [, value] of resolved) expect(value).toEqual([a.sub, b.sub]);
    const errors = answer.json.errors ?? [];
    expect(errors).toHaveLength(12_001 - DEFAULT_RESOLVER_COUNT_LIMIT);
    expect(new Set(errors.map((e) => `${e.errorType}: ${e.message}`))).toEqual(new Set([`${resolverExecutionLimitReached(DEFAULT_RESOLVER_COUNT_LIMIT).errorType}: ${resolverExecutionLimitReached(DEFAULT_RESOLVER_COUNT_LIMIT).message}`]));
    await healthy();
  });

  it('the same field repeated 20,000 times: the field-merge check has a work budget, and stops with a validation error', async () => {
    const answer = await postBody(env, a.accessToken, JSON.stringify({ query: `{ ${'__typename '.repeat(20_000)}}` }));
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ data: null, errors: [{ path: null, locations: [], message: 'Validation aborted.' }] });
    await healthy();
  });

  it("aliased denials: 50 aliases of another conversation's getConversation are each Unauthorized", async () => {
    const c = await (async () => {
      await adminCreateUser(env, 'cat.badinput@example.com');
      return signInUser(env, 'cat.badinput@example.com');
    })();
    const query = `{ ${Array.from({ length: 50 }, (_, i) => `g${i}: getConversation(id: "${conversation}") { id name participants lastMessagePreview }`).join(' ')} }`;
    const answer = await postBody(env, c.accessToken, JSON.stringify({ query }));
    expect(answer.status).toBe(200);
    expect(Object.values(answer.json.data ?? {}).every((value) => value === null)).toBe(true);
    expect(answer.json.errors).toHaveLength(50);
    expect(answer.json.errors!.every((e) => e.errorType === 'Unauthorized')).toBe(true);
    expect(answer.text).not.toContain('health check');
    await healthy();
  });
});

describe('invalid values and malformed requests', () => {
  it('invalid enum values are validation errors (200, data null, no errorType), as literals, variables and inside inputs', async () => {
    const cases: [string, Record<string, unknown> | undefined][] = [
      ['mutation { heartbeat(status: BOGUS) { id } }', undefined],
      ['mutation { heartbeat(status: "ONLINE") { id } }', undefined],
      ['mutation H($s: PresenceStatus) { heartbeat(status: $s) { id } }', { s: 'online' }],
      ['mutation H($s: PresenceStatus) { heartbeat(status: $s) { id } }', { s: 1 }],
      [SEND, { input: { conversationId: conversation, content: 'x', messageType: 'VIDEO' } }],
      ['query L($d: HistoryOrder) { listConversationMessages(conversationId: "x", sortDirection: $d) { items { id } } }', { d: 'SIDEWAYS' }],
      // Validation comes before authorization: a refused field with an invalid value is still a validation error.
      [PUBLISH, { e: { conversationId: conversation, type: 'MESSAGE_PURGED', userId: a.sub, at: new Date().toISOString(), participants: [] } }],
    ];
    for (const [query, variables] of cases) {
      const answer = await graphql(env, a.accessToken, query, variables);
      expect(answer.status, query).toBe(200);
      expect(answer.json.data, query).toBeNull();
      expect(answer.json.errors?.length, query).toBeGreaterThan(0);
      for (const error of answer.json.errors ?? []) {
        expect(error.errorType, query).toBeUndefined();
        expect(error.path, query).toBeNull();
        expect(error.message, query).toMatch(/enum|PresenceStatus|MessageType|ModelSortDirection|ConversationEventType/);
      }
    }
    await healthy();
  });

  it('malformed JSON and wrongly typed request fields are 400 MalformedHttpRequestException', async () => {
    const bodies: (string | Buffer)[] = [
      '{"query": ',
      '[]',
      '"{ __typename }"',
      'null',
      '{"query": 42}',
      '{"variables": {}}',
      '{"query": "{ __typename }", "variables": [1]}',
      '{"query": "{ __typename }", "operationName": 7}',
      '{"query": "{ __typename "}',
      Buffer.from([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x00, 0x22, 0x7d]),
    ];
    for (const body of bodies) {
      const answer = await rawPost(body);
      expect({ body: String(body), status: answer.status, json: JSON.parse(answer.text) as unknown }).toEqual({ body: String(body), status: 400, json: MALFORMED });
    }
    const empty = await rawPost('');
    expect(empty.status).toBe(400);
    expect(JSON.parse(empty.text)).toEqual({ errors: [{ errorType: EMPTY_BODY.errorType, message: EMPTY_BODY.message }] });
    await healthy();
  });
});

describe('the real-time socket', () => {
  it('binary frames, garbage and malformed messages get error frames; the connection keeps serving', async () => {
    const socket = await RealtimeSocket.connect(env, b.accessToken);
    const badRequest = (message: string) => ({ type: 'error', payload: { errors: [{ errorType: 'BadRequestException', message }] } });
    const cases: [string | Buffer, object][] = [
      [Buffer.from([0x00, 0x01, 0x02, 0xff]), badRequest(BINARY_FRAME_TEXT)],
      ['not json at all', badRequest(MALFORMED_FRAME.notJson)],
      ['[1,2,3]', badRequest(MALFORMED_FRAME.notAnObject)],
      ['{"id":"x"}', { type: 'error', id: 'x', payload: { errors: [{ errorType: 'BadRequestException', message: MALFORMED_FRAME.noType }] } }],
      ['{"type":"start","payload":{"data":"{}"}}', badRequest(MALFORMED_FRAME.startWithoutId)],
    ];
    for (const [data, expected] of cases) {
      const id = (expected as Frame).id;
      const next = id ? socket.answer(id) : socket.nextAnonymousError();
      if (typeof data === 'string') socket.send(data);
      else socket.ws.send(data, { binary: true });
      expect(await next).toEqual(expected);
    }
    const startErrors: [string, object, string][] = [
      ['no-data', { id: 'no-data', type: 'start', payload: {} }, MALFORMED_FRAME.dataNotAString],
      ['data-object', { id: 'data-object', type: 'start', payload: { data: { query: 'subscription { x }' } } }, MALFORMED_FRAME.dataNotAString],
      ['data-garbage', { id: 'data-garbage', type: 'start', payload: { data: '{"query": ' } }, MALFORMED_FRAME.dataNotJson],
      ['query-number', { id: 'query-number', type: 'start', payload: { data: '{"query": 5}' } }, MALFORMED_FRAME.noQuery],
      ['variables-list', { id: 'variables-list', type: 'start', payload: { data: '{"query": "subscription { x }", "variables": [1]}' } }, MALFORMED_FRAME.variablesNotAnObject],
    ];
    for (const [id, message, text] of startErrors) {
      const answer = socket.answer(id);
      socket.send(message);
      expect(frameErrors(await answer)).toEqual([{ errorType: 'BadRequestException', message: text }]);
    }
    // An unknown message type is unsupported; a stop for an unknown id is ignored (the next frame is the start's ack).
    const unknown = socket.answer('sub-1');
    socket.send({ id: 'sub-1', type: 'subscribe', payload: {} });
    expect(frameErrors(await unknown)).toEqual([unsupportedOperation('subscribe')]);
    socket.send({ id: 'never-started', type: 'stop' });
    // Queries and mutations are not served on the socket; bad variables and unknown fields are validation errors.
    expect(frameErrors(await socket.start('a-query', '{ listConversations { items { id } } }', undefined, userHeader(env, b.accessToken)))[0]?.errorType).toBe('UnsupportedOperation');
    const coercion = await socket.start('bad-variable', 'subscription W($s: ModelSubscriptionUserPresenceFilterInput) { onUpdateUserPresence(filter: $s) { id } }', { s: { status: { eq: 5 } } }, userHeader(env, b.accessToken));
    expect(frameErrors(coercion)[0]?.errorType).toBeUndefined();
    expect(frameErrors(coercion)[0]?.message).toMatch(/got invalid value/);
    expect(frameErrors(await socket.start('no-field', 'subscription { onNothing { id } }', undefined, userHeader(env, b.accessToken)))[0]?.errorType).toBeUndefined();
    // After all that, the same connection still subscribes and receives.
    expect((await socket.start('still-works', WATCH, { c: conversation }, userHeader(env, b.accessToken))).type).toBe('start_ack');
    await healthy();
    await socket.waitForData('still-works', (f) => JSON.stringify(f).includes(`health check ${checks}`));
    socket.close();
  });

  it('a frame over the inbound limit (1 MiB) or with invalid UTF-8 closes that socket only', async () => {
    const big = await RealtimeSocket.connect(env, b.accessToken);
    big.send(JSON.stringify({ type: 'start', id: 'big', payload: { data: 'x'.repeat(1024 * 1024 + 10) } }));
    expect((await big.closed).code).toBe(1009);
    const utf8 = await RealtimeSocket.connect(env, b.accessToken);
    // A text frame whose bytes are not UTF-8 (ws sends the buffer as a text frame when binary is false).
    utf8.ws.send(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), { binary: false });
    expect((await utf8.closed).code).toBe(1007);
    await healthy();
  });

  it('1,000 rapid starts on one connection: 100 are served, the other 900 get MaxSubscriptionsReachedError; the server stays up', async () => {
    const socket = await RealtimeSocket.connect(env, b.accessToken);
    const header = userHeader(env, b.accessToken);
    // All 1,000 are written before the first answer is read.
    const answers = Array.from({ length: 1000 }, (_, i) => socket.start(`rapid-${i}`, WATCH, { c: conversation }, header));
    const frames = await Promise.all(answers);
    const acked = frames.filter((f) => f.type === 'start_ack');
    const refused = frames.filter((f) => f.type === 'error');
    expect(acked).toHaveLength(100);
    expect(refused).toHaveLength(900);
    for (const frame of refused) expect(frameErrors(frame)).toEqual([maxSubscriptionsReached(100)]);
    // The limit counts subscriptions, not time: still full; a stop frees exactly one slot.
    expect(frameErrors(await socket.start('one-more', WATCH, { c: conversation }, header))[0]?.errorType).toBe('MaxSubscriptionsReachedError');
    const first = acked[0]!.id!;
    socket.send({ type: 'stop', id: first });
    await socket.waitForData(first, (f) => f.type === 'complete');
    expect((await socket.start('one-more-after-stop', WATCH, { c: conversation }, header)).type).toBe('start_ack');
    // Every live subscription of the burst delivers the next message, exactly once.
    await healthy();
    const content = `health check ${checks}`;
    const live = [...acked.slice(1).map((f) => f.id!), 'one-more-after-stop'];
    await Promise.all(live.map((id) => socket.waitForData(id, (f) => JSON.stringify(f).includes(content))));
    for (const id of live) expect(socket.framesOf(id).filter((f) => f.type === 'data')).toHaveLength(1);
    expect(socket.framesOf(first).filter((f) => f.type === 'data')).toHaveLength(0);
    socket.close();
    // Other connections were never affected.
    const fresh = await RealtimeSocket.connect(env, a.accessToken);
    expect((await fresh.start('fresh', WATCH, { c: conversation }, userHeader(env, a.accessToken))).type).toBe('start_ack');
    fresh.close();
    await healthy();
  });

  it('a connection without the graphql-ws subprotocol, or without a header, is answered and closed; the server stays up', async () => {
    const noProtocol = await RealtimeSocket.open(env, undefined, { protocols: [] });
    expect(await noProtocol.init()).toEqual({ type: 'connection_error', payload: { errors: [subProtocolNotSupported()] } });
    const noHeader = await RealtimeSocket.open(env, undefined);
    expect(await noHeader.init()).toEqual({ type: 'connection_error', payload: { errors: [unauthorizedConnection()] } });
    const garbageHeader = new WebSocket(env.sandbox.urls.realtime, ['graphql-ws', 'header-%%%notbase64%%%']);
    const refused = await new Promise<string>((resolve) => {
      garbageHeader.on('open', () => garbageHeader.send(JSON.stringify({ type: 'connection_init' })));
      garbageHeader.on('message', (data) => resolve(String(data)));
      garbageHeader.on('unexpected-response', (_req, response) => resolve(`HTTP ${response.statusCode}`));
      garbageHeader.on('error', () => undefined);
    });
    expect(refused).toMatch(/UnauthorizedException|HTTP 400/);
    garbageHeader.terminate();
    await healthy();
  });
});
