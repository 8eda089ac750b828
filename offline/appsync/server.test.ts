/**
 * End to end over the real synthesized backend: HTTPS + real-time, three users A, B, C (sub == username, e-mail
 * sign-in), an IAM caller (the Lambdas' role) and the app's own Lambda functions (the harness runs them as the sandbox
 * does). Each expectation states what AppSync would do (reference sections in comments).
 *
 * What the chat schema offers the engine: Conversation and Message are read-only models (ownersDefinedIn
 * `participants` read rules; their model mutations and subscriptions are off, the message processor writes them and
 * publishes events), UserPresence (IAM-written, every signed-in user reads) and UserProfile (its owner may update the
 * display name) keep their model mutations and subscriptions, and conversation events reach clients through
 * `publishConversationEvent` (IAM only) and the event subscriptions, whose APPSYNC_JS resolvers filter on the event's
 * `participants` list.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeClient, graphqlAs, graphqlIam, rawPost, startHarness, type Frame, type StartedHarness } from '../../tests/helpers/appsync-harness.js';
import { EMPTY_BODY, errorBody, SUBSCRIPTION_OVER_HTTP, UNAUTHORIZED_HEADER, UNPARSABLE } from '../errors.js';

let h: StartedHarness;
/** Created by A with B through createConversation (the message processor). */
let conversationId: string;
/** Sent by A to it through sendMessage (the message processor). */
let messageId: string;

const CREATE_CONVERSATION = `mutation C($input: NewConversationInput!) { createConversation(input: $input) { conversationId id name participants } }`;
const SEND_MESSAGE = `mutation S($input: SendMessageInputInput!) { sendMessage(input: $input) { messageId conversationId content } }`;
const PUBLISH = (selection: string) => `mutation P($event: ConversationEventInput!) { publishConversationEvent(event: $event) { ${selection} } }`;
const EVENT_FIELDS = 'conversationId type userId at content participants';
const ON_MY_CONVERSATIONS = `subscription { onMyConversations { conversationId type content participants } }`;
const CREATE_PRESENCE = (selection: string) => `mutation P($input: CreateUserPresenceInput!) { createUserPresence(input: $input) { ${selection} } }`;
const ON_CREATE_PRESENCE = `subscription S($owner: String, $filter: ModelSubscriptionUserPresenceFilterInput) { onCreateUserPresence(owner: $owner, filter: $filter) { id owner status } }`;
const UPDATE_PROFILE = `mutation U($input: UpdateUserProfileInput!) { updateUserProfile(input: $input) { id displayName owner } }`;

/** How owner fields store a user ("<sub>::<username>"; here username == sub). */
const canonical = (sub: string): string => `${sub}::${sub}`;

function event(conversation: string, content: string, participants: string[]): Record<string, unknown> {
  return { event: { conversationId: conversation, type: 'MESSAGE_SENT', userId: participants[0], at: '2026-01-01T00:00:00.000Z', content, participants: participants.map(canonical) } };
}

function presence(sub: string, status: string): Record<string, unknown> {
  return { input: { id: sub, owner: canonical(sub), status, lastSeen: '2026-01-01T00:00:00.000Z' } };
}

const dataOf = (frame: Frame, field: string) => (frame.payload?.['data'] as Record<string, Record<string, unknown>> | undefined)?.[field];

beforeAll(async () => {
  h = await startHarness({ functions: true });
  const { A, B } = h.users;
  const created = await graphqlAs(h, A.token, CREATE_CONVERSATION, { input: { name: 'ab', participants: [B.sub] } });
  expect(created.status).toBe(200);
  expect(created.json.errors).toBeUndefined();
  conversationId = (created.json.data?.['createConversation'] as { id: string }).id;
  const sent = await graphqlAs(h, A.token, SEND_MESSAGE, { input: { conversationId, content: 'hello B', clientMessageId: 'first' } });
  expect(sent.json.errors).toBeUndefined();
  messageId = (sent.json.data?.['sendMessage'] as { messageId: string }).messageId;
});

afterAll(async () => {
  await h?.close();
});

describe('HTTP, user pools: read rules of ownersDefinedIn(participants)', () => {
  it('B can get and list the conversation A created with B, and read its messages', async () => {
    const { A, B } = h.users;
    const got = await graphqlAs(h, B.token, `query G($id: ID!) { getConversation(id: $id) { id name participants } }`, { id: conversationId });
    expect(got.json.errors).toBeUndefined();
    // Stored as "<sub>::<username>"; the owner-field resolver returns the username part.
    expect(got.json.data?.['getConversation']).toEqual({ id: conversationId, name: 'ab', participants: [A.sub, B.sub] });
    const listed = await graphqlAs(h, B.token, `{ listConversations { items { id } } }`);
    expect((listed.json.data?.['listConversations'] as { items: { id: string }[] }).items.map((i) => i.id)).toContain(conversationId);
    const history = await graphqlAs(h, B.token, `query H($c: ID!) { listConversationMessages(conversationId: $c) { items { id content sender } } }`, { c: conversationId });
    expect(history.json.errors).toBeUndefined();
    expect(history.json.data).toEqual({ listConversationMessages: { items: [{ id: messageId, content: 'hello B', sender: A.sub }] } });
  });

  it("C's get is Unauthorized with AppSync's error shape (errorType Unauthorized, 'Not Authorized to access …'), for the conversation and for the message", async () => {
    const got = await graphqlAs(h, h.users.C.token, `query G($id: ID!) { getConversation(id: $id) { id } }`, { id: conversationId });
    expect(got.status).toBe(200);
    expect(got.json.data).toEqual({ getConversation: null });
    expect(got.json.errors).toEqual([
      { path: ['getConversation'], data: null, errorType: 'Unauthorized', errorInfo: null, locations: [{ line: 1, column: 21, sourceName: null }], message: 'Not Authorized to access getConversation on type Query' },
    ]);
    // The conversation's history (Message has no model queries: history is read through the membership check).
    const history = await graphqlAs(h, h.users.C.token, `query H($c: ID!) { listConversationMessages(conversationId: $c) { items { id content } } }`, { c: conversationId });
    expect(history.json.data).toEqual({ listConversationMessages: null });
    expect(history.json.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access listConversationMessages on type Query' });
  });

  it("C's lists return nothing whatever filter C passes", async () => {
    for (const filter of [undefined, { participants: { contains: h.users.A.sub } }, { or: [{ id: { eq: conversationId } }, { name: { eq: 'ab' } }] }]) {
      const listed = await graphqlAs(h, h.users.C.token, `query L($f: ModelConversationFilterInput) { listConversations(filter: $f) { items { id } } }`, { f: filter });
      expect(listed.json.errors).toBeUndefined();
      expect((listed.json.data?.['listConversations'] as { items: unknown[] }).items).toEqual([]);
    }
  });

  it('an item written straight to the table is read under the same rules (B listed in the bare <sub> form)', async () => {
    const { A, B, C } = h.users;
    await h.dynamodb.send(
      new PutItemCommand({
        TableName: h.tableOf('Conversation'),
        Item: {
          id: { S: 'direct' },
          __typename: { S: 'Conversation' },
          name: { S: 'direct' },
          participants: { L: [{ S: canonical(A.sub) }, { S: B.sub }] },
          createdAt: { S: '2026-01-01T00:00:00.000Z' },
          updatedAt: { S: '2026-01-01T00:00:00.000Z' },
        },
      }),
    );
    const query = `query G($id: ID!) { getConversation(id: $id) { id participants } }`;
    for (const user of [A, B]) {
      const got = await graphqlAs(h, user.token, query, { id: 'direct' });
      expect(got.json).toEqual({ data: { getConversation: { id: 'direct', participants: [A.sub, B.sub] } } });
    }
    const refused = await graphqlAs(h, C.token, query, { id: 'direct' });
    expect(refused.json.data).toEqual({ getConversation: null });
    expect(refused.json.errors?.[0]?.['errorType']).toBe('Unauthorized');
  });

  it('__typename needs no auth directive', async () => {
    const got = await graphqlAs(h, h.users.A.token, `query G($id: ID!) { getConversation(id: $id) { __typename id } }`, { id: conversationId });
    expect(got.json.data).toEqual({ getConversation: { __typename: 'Conversation', id: conversationId } });
  });
});

describe('HTTP, user pools: model mutations and their rules', () => {
  it('the disabled model mutations and subscriptions of Conversation and Message do not exist (validation errors, nothing runs)', async () => {
    for (const [field, input] of [
      ['createConversation', 'CreateConversationInput'],
      ['updateConversation', 'UpdateConversationInput'],
      ['createMessage', 'CreateMessageInput'],
      ['deleteMessage', 'DeleteMessageInput'],
    ] as const) {
      const answer = await graphqlAs(h, h.users.A.token, `mutation M($input: ${input}!) { ${field}(input: $input) { id } }`, { input: { id: 'x' } });
      expect(answer.status).toBe(200);
      expect(answer.json.data).toBeNull();
      expect(answer.json.errors?.map((e) => e['message'])).toContainEqual(expect.stringMatching(new RegExp(`^Unknown type "${input}"`)));
      expect(answer.json.errors?.every((e) => e['errorType'] === undefined && e['path'] === null)).toBe(true);
    }
    const subscription = await RealtimeClient.connect(h, RealtimeClient.userHeader(h, h.users.A.token));
    expect((await subscription.next()).type).toBe('connection_ack');
    const refused = await subscription.start('m1', 'subscription { onCreateMessage { id } }');
    expect(refused).toEqual({ id: 'm1', type: 'error', payload: { errors: [{ message: 'Cannot query field "onCreateMessage" on type "Subscription".' }] } });
    subscription.close();
  });

  it('users cannot write presence (IAM only): createUserPresence and updateUserPresence are Unauthorized for a user pool caller', async () => {
    const { A } = h.users;
    const created = await graphqlAs(h, A.token, CREATE_PRESENCE('id'), presence(A.sub, 'ONLINE'));
    expect(created.json.data).toEqual({ createUserPresence: null });
    expect(created.json.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access createUserPresence on type Mutation' });
    const updated = await graphqlAs(h, A.token, `mutation U($input: UpdateUserPresenceInput!) { updateUserPresence(input: $input) { id } }`, { input: { id: A.sub, status: 'AWAY' } });
    expect(updated.json.data).toEqual({ updateUserPresence: null });
    expect(updated.json.errors?.[0]).toMatchObject({ errorType: 'Unauthorized' });
    const stored = await graphqlAs(h, A.token, `query G($id: ID!) { getUserPresence(id: $id) { id } }`, { id: A.sub });
    expect(stored.json).toEqual({ data: { getUserPresence: null } });
  });

  it('UserProfile: the owner renames it and subscribers see it; the owner cannot reassign it, B cannot rename it', async () => {
    const { A, B } = h.users;
    const created = await graphqlIam(h, `mutation C($input: CreateUserProfileInput!) { createUserProfile(input: $input) { id displayName owner } }`, {
      input: { id: A.sub, displayName: 'Ann', email: 'a@example.com', owner: canonical(A.sub) },
    });
    expect(created.json.errors).toBeUndefined();
    expect(created.json.data?.['createUserProfile']).toEqual({ id: A.sub, displayName: 'Ann', owner: A.sub });

    const watcher = await RealtimeClient.connect(h, RealtimeClient.userHeader(h, B.token));
    expect((await watcher.next()).type).toBe('connection_ack');
    expect(await watcher.start('p1', 'subscription { onUpdateUserProfile { id displayName } }')).toEqual({ id: 'p1', type: 'start_ack' });

    const reassigned = await graphqlAs(h, A.token, UPDATE_PROFILE, { input: { id: A.sub, owner: canonical(B.sub) } });
    expect(reassigned.json.data).toEqual({ updateUserProfile: null });
    expect(reassigned.json.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Unauthorized on [owner]' });
    const byOther = await graphqlAs(h, B.token, UPDATE_PROFILE, { input: { id: A.sub, displayName: 'Mallory' } });
    expect(byOther.json.data).toEqual({ updateUserProfile: null });
    expect(byOther.json.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access updateUserProfile on type Mutation' });

    const renamed = await graphqlAs(h, A.token, UPDATE_PROFILE, { input: { id: A.sub, displayName: 'Ann A.' } });
    expect(renamed.json.errors).toBeUndefined();
    expect(renamed.json.data?.['updateUserProfile']).toEqual({ id: A.sub, displayName: 'Ann A.', owner: A.sub });
    // The refused updates published nothing: B's first frame is the rename.
    expect((await watcher.next()).payload).toEqual({ data: { onUpdateUserProfile: { id: A.sub, displayName: 'Ann A.' } } });
    watcher.close();
    const stored = await graphqlAs(h, B.token, `query G($id: ID!) { getUserProfile(id: $id) { displayName owner } }`, { id: A.sub });
    expect(stored.json.data).toEqual({ getUserProfile: { displayName: 'Ann A.', owner: A.sub } });
  });
});

describe('HTTP, IAM (SigV4)', () => {
  it('an IAM-signed createUserPresence succeeds (what the presence Lambda does)', async () => {
    const created = await graphqlIam(h, CREATE_PRESENCE('id owner status'), presence(h.users.B.sub, 'ONLINE'));
    expect(created.status).toBe(200);
    expect(created.json.errors).toBeUndefined();
    expect(created.json.data?.['createUserPresence']).toEqual({ id: h.users.B.sub, owner: h.users.B.sub, status: 'ONLINE' });
  });

  it('the internal plain-HTTP endpoint serves the same IAM requests', async () => {
    const got = await graphqlIam(h, `query G($id: ID!) { getConversation(id: $id) { id } }`, { id: conversationId }, undefined, h.server.internalUrl);
    expect(got.json.data).toEqual({ getConversation: { id: conversationId } });
  });

  it('a wrong secret is refused with 403 InvalidSignatureException; an unknown key with UnrecognizedClientException', async () => {
    const bad = await graphqlIam(h, CREATE_PRESENCE('id'), presence('nobody-1', 'ONLINE'), { accessKeyId: 'AKIAOFFLINETEST00001', secretAccessKey: 'wrong', principal: '' });
    expect(bad.status).toBe(403);
    expect(bad.json.errors?.[0]?.['errorType']).toBe('InvalidSignatureException');
    const unknown = await graphqlIam(h, CREATE_PRESENCE('id'), presence('nobody-2', 'ONLINE'), { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x', principal: '' });
    expect(unknown.status).toBe(403);
    expect(unknown.json.errors?.[0]?.['errorType']).toBe('UnrecognizedClientException');
    const stored = await graphqlIam(h, `{ listUserPresences { items { id } } }`);
    const ids = (stored.json.data?.['listUserPresences'] as { items: { id: string }[] }).items.map((i) => i.id);
    expect(ids).not.toContain('nobody-1');
    expect(ids).not.toContain('nobody-2');
  });
});

describe('HTTP error shapes (status codes and whole-request error bodies)', () => {
  const post = (body: string, headers: Record<string, string> = { authorization: h.users.A.token }) => rawPost(h.server.url, body, { 'content-type': 'application/json', ...headers }, h.ca);

  it('empty body → 400 Request body is empty.', async () => {
    const answer = await post('');
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual(JSON.parse(errorBody(EMPTY_BODY)));
  });

  it('bad JSON and a body without a query → 400 Unable to parse GraphQL query.', async () => {
    for (const body of ['meow', '{}', '{"query": "{ listConversations { items { id } "}']) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual(JSON.parse(errorBody(UNPARSABLE)));
    }
  });

  it('no auth and a forged token → 401 UnauthorizedException', async () => {
    const expected = { errors: [UNAUTHORIZED_HEADER] };
    const none = await post(JSON.stringify({ query: '{ listConversations { items { id } } }' }), {});
    expect(none.status).toBe(401);
    expect(none.json).toEqual(expected);
    const [header, payload] = h.users.A.token.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    const rejected = await post(JSON.stringify({ query: '{ listConversations { items { id } } }' }), { authorization: forged });
    expect(rejected.status).toBe(401);
    expect(rejected.json).toEqual(expected);
  });

  it('validation error → 200 with data null, path null, locations with sourceName null', async () => {
    const answer = await post(JSON.stringify({ query: '{ badfield }' }));
    expect(answer.status).toBe(200);
    expect(answer.json.data).toBeNull();
    expect(answer.json.errors?.[0]).toMatchObject({ path: null, locations: [{ line: 1, column: 3, sourceName: null }] });
    expect(answer.json.errors?.[0]?.['errorType']).toBeUndefined();
  });

  it('several operations without operationName, and subscriptions over HTTP, are refused', async () => {
    const two = await post(JSON.stringify({ query: 'query A { listConversations { items { id } } } query B { listUserProfiles { items { id } } }' }));
    expect(two.json.data).toBeNull();
    expect(two.json.errors?.[0]?.['message']).toMatch(/operation name/);
    const picked = await post(JSON.stringify({ query: 'query A { listConversations { items { id } } } query B { listUserProfiles { items { id } } }', operationName: 'A' }));
    expect(picked.json.errors).toBeUndefined();
    const sub = await post(JSON.stringify({ query: 'subscription { onCreateUserPresence { id } }' }));
    expect(sub.json.errors?.[0]?.['message']).toBe(SUBSCRIPTION_OVER_HTTP);
  });

  it('GET → 405; CORS preflight allows the Amplify headers', async () => {
    const get = await rawPost(h.server.url, '', {}, h.ca, 'GET');
    expect(get.status).toBe(405);
    const preflight = await rawPost(h.server.url, '', { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' }, h.ca, 'OPTIONS');
    expect(preflight.status).toBe(204);
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('x-amz-security-token');
    expect(preflight.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('an oversized body → 413 without crashing the server', async () => {
    const answer = await post(JSON.stringify({ query: `{ listConversations { items { id } } }`, variables: { pad: 'x'.repeat(1_100_000) } }));
    expect(answer.status).toBe(413);
    const after = await post(JSON.stringify({ query: '{ listConversations { items { id } } }' }));
    expect(after.status).toBe(200);
  });
});

describe('subscriptions', () => {
  const subscribe = async (token: string, id: string, query = ON_MY_CONVERSATIONS, variables?: Record<string, unknown>) => {
    const client = await RealtimeClient.connect(h, RealtimeClient.userHeader(h, token));
    expect((await client.next()).type).toBe('connection_ack');
    const answer = await client.start(id, query, variables);
    return { client, answer };
  };

  it('A and B receive an IAM-published event of their conversation (filter on the participants list); C does not', async () => {
    const { A, B, C } = h.users;
    const a = await subscribe(A.token, 'a1');
    const b = await subscribe(B.token, 'b1');
    const c = await subscribe(C.token, 'c1');
    for (const s of [a, b, c]) expect(s.answer.type).toBe('start_ack');

    const sent = await graphqlIam(h, PUBLISH(EVENT_FIELDS), event(conversationId, 'for A and B', [A.sub, B.sub]));
    expect(sent.json.errors).toBeUndefined();
    for (const s of [a, b]) {
      const frame = await s.client.next();
      expect(frame.type).toBe('data');
      expect(frame.payload).toEqual({ data: { onMyConversations: { conversationId, type: 'MESSAGE_SENT', content: 'for A and B', participants: [canonical(A.sub), canonical(B.sub)] } } });
    }
    // Sentinel: an event C may see. C's next frame must be it, proving the earlier one never reached C.
    const sentinel = await graphqlIam(h, PUBLISH(EVENT_FIELDS), event('other', 'for C', [C.sub]));
    expect(sentinel.json.errors).toBeUndefined();
    expect(dataOf(await c.client.next(), 'onMyConversations')?.['content']).toBe('for C');
    for (const s of [a, b, c]) s.client.close();
  });

  it('a mutation that does not select participants delivers to nobody; unselected fields arrive as null', async () => {
    const { A } = h.users;
    const a = await subscribe(A.token, 'a2');
    expect(a.answer.type).toBe('start_ack');
    const unselected = await graphqlIam(h, PUBLISH('conversationId type content'), event(conversationId, 'invisible', [A.sub]));
    expect(unselected.json.errors).toBeUndefined();
    const partial = await graphqlIam(h, PUBLISH('content participants'), event(conversationId, 'partial', [A.sub]));
    expect(partial.json.errors).toBeUndefined();
    const frame = await a.client.next();
    expect(frame.payload).toEqual({ data: { onMyConversations: { conversationId: null, type: null, content: 'partial', participants: [canonical(A.sub)] } } });
    a.client.close();
  });

  it('model subscription onCreateUserPresence: every signed-in subscriber (authenticated read), narrowed by the owner argument or a filter', async () => {
    const { A, B, C } = h.users;
    const all = await subscribe(A.token, 'a3', ON_CREATE_PRESENCE);
    const byOwner = await subscribe(B.token, 'b3', ON_CREATE_PRESENCE, { owner: C.sub });
    const byFilter = await subscribe(C.token, 'c3', ON_CREATE_PRESENCE, { filter: { status: { eq: 'AWAY' } } });
    for (const s of [all, byOwner, byFilter]) expect(s.answer.type).toBe('start_ack');

    const first = await graphqlIam(h, CREATE_PRESENCE('id owner status'), presence(A.sub, 'ONLINE'));
    expect(first.json.errors).toBeUndefined();
    const second = await graphqlIam(h, CREATE_PRESENCE('id owner status'), presence(C.sub, 'AWAY'));
    expect(second.json.errors).toBeUndefined();

    expect(dataOf(await all.client.next(), 'onCreateUserPresence')).toEqual({ id: A.sub, owner: A.sub, status: 'ONLINE' });
    expect(dataOf(await all.client.next(), 'onCreateUserPresence')).toEqual({ id: C.sub, owner: C.sub, status: 'AWAY' });
    // The first presence matched neither the owner argument nor the filter: their first frame is the second.
    expect(dataOf(await byOwner.client.next(), 'onCreateUserPresence')).toEqual({ id: C.sub, owner: C.sub, status: 'AWAY' });
    expect(dataOf(await byFilter.client.next(), 'onCreateUserPresence')).toEqual({ id: C.sub, owner: C.sub, status: 'AWAY' });
    for (const s of [all, byOwner, byFilter]) s.client.close();
  });

  it('onMessageSent(conversationId): C gets an Unauthorized error frame, A a start_ack', async () => {
    const query = `subscription S($id: ID!) { onMessageSent(conversationId: $id) { conversationId } }`;
    const c = await subscribe(h.users.C.token, 'c4', query, { id: conversationId });
    expect(c.answer).toEqual({ id: 'c4', type: 'error', payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onMessageSent on type Subscription' }] } });
    const a = await subscribe(h.users.A.token, 'a4', query, { id: conversationId });
    expect(a.answer).toEqual({ id: 'a4', type: 'start_ack' });
    for (const s of [a, c]) s.client.close();
  });

  it('two root fields in one subscription → DuplicatedOperationError', async () => {
    const a = await subscribe(h.users.A.token, 'a5', `subscription { onCreateUserPresence { id } onUpdateUserPresence { id } }`);
    expect(a.answer.payload).toEqual({ errors: [{ errorType: 'DuplicatedOperationError', message: 'Duplicated operation with id a5' }] });
    a.client.close();
  });

  it('a bad token at connect → connection_error UnauthorizedException', async () => {
    const client = await RealtimeClient.connect(h, RealtimeClient.userHeader(h, 'not-a-jwt'));
    const frame = await client.next();
    expect(frame.type).toBe('connection_error');
    expect(frame.payload?.['errors']).toEqual([expect.objectContaining({ errorType: 'UnauthorizedException', errorCode: 401 })]);
    client.close();
  });
});

describe('custom Lambda mutations (the message processor, run by the harness as the sandbox runs it)', () => {
  const subscribe = async (token: string, id: string, query: string, variables?: Record<string, unknown>) => {
    const client = await RealtimeClient.connect(h, RealtimeClient.userHeader(h, token));
    expect((await client.next()).type).toBe('connection_ack');
    expect(await client.start(id, query, variables)).toEqual({ id, type: 'start_ack' });
    return client;
  };

  it("createConversation: the function gets the caller's identity, writes the table and publishes through IAM to the participants only", async () => {
    const { A, B, C } = h.users;
    const [a, b, c] = await Promise.all([subscribe(A.token, 'l1', ON_MY_CONVERSATIONS), subscribe(B.token, 'l2', ON_MY_CONVERSATIONS), subscribe(C.token, 'l3', ON_MY_CONVERSATIONS)]);
    const created = await graphqlAs(h, B.token, CREATE_CONVERSATION, { input: { name: 'ba', participants: [A.sub] } });
    expect(created.json.errors).toBeUndefined();
    const conversation = created.json.data?.['createConversation'] as { conversationId: string; id: string; name: string; participants: string[] };
    // The caller (B, from the token, not the input) comes first.
    expect(conversation).toEqual({ conversationId: conversation.id, id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'ba', participants: [B.sub, A.sub] });
    for (const client of [a, b]) {
      expect(dataOf(await client.next(), 'onMyConversations')).toEqual({ conversationId: conversation.id, type: 'CONVERSATION_CREATED', content: null, participants: [canonical(B.sub), canonical(A.sub)] });
    }
    const stored = await graphqlAs(h, A.token, `query G($id: ID!) { getConversation(id: $id) { id name participants } }`, { id: conversation.id });
    expect(stored.json.data).toEqual({ getConversation: { id: conversation.id, name: 'ba', participants: [B.sub, A.sub] } });
    // Sentinel: C's own conversation is C's next frame.
    const own = await graphqlAs(h, C.token, CREATE_CONVERSATION, { input: { name: 'c alone', participants: [] } });
    expect(own.json.errors).toBeUndefined();
    expect(dataOf(await c.next(), 'onMyConversations')).toMatchObject({ type: 'CONVERSATION_CREATED', conversationId: (own.json.data?.['createConversation'] as { id: string }).id });
    for (const client of [a, b, c]) client.close();
  });

  it("sendMessage: a participant's message is stored and delivered on onMessageSent; C's is refused and writes nothing", async () => {
    const { A, B, C } = h.users;
    const b = await subscribe(B.token, 'l4', `subscription S($id: ID!) { onMessageSent(conversationId: $id) { messageId conversationId content userId } }`, { id: conversationId });
    const refused = await graphqlAs(h, C.token, SEND_MESSAGE, { input: { conversationId, content: 'from C' } });
    expect(refused.json.data).toEqual({ sendMessage: null });
    expect(refused.json.errors?.[0]).toMatchObject({ path: ['sendMessage'], errorType: 'Lambda:Unhandled', message: expect.stringMatching(/^Unauthorized: /) });

    const sent = await graphqlAs(h, A.token, SEND_MESSAGE, { input: { conversationId, content: 'second' } });
    expect(sent.json.errors).toBeUndefined();
    const message = sent.json.data?.['sendMessage'] as { messageId: string };
    expect(message).toEqual({ messageId: expect.any(String), conversationId, content: 'second' });
    // C's refused send published nothing: B's first frame is A's message.
    expect(dataOf(await b.next(), 'onMessageSent')).toEqual({ messageId: message.messageId, conversationId, content: 'second', userId: A.sub });
    b.close();

    const history = await graphqlAs(h, B.token, `query H($c: ID!) { listConversationMessages(conversationId: $c, sortDirection: ASC) { items { content } } }`, { c: conversationId });
    expect(history.json.data).toEqual({ listConversationMessages: { items: [{ content: 'hello B' }, { content: 'second' }] } });
  });
});
