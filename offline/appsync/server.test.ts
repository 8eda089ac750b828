/**
 * End to end over the real synthesized backend: HTTPS + real-time, three users A, B, C (sub == username) and an
 * IAM caller (the Lambdas' role). Each expectation states what AppSync would do (reference sections in comments).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeClient, graphqlAs, graphqlIam, rawPost, startHarness, type Harness } from './test-harness.js';

let h: Harness;
let conversationId: string;

const CREATE_CONVERSATION = `mutation C($input: CreateConversationInput!) { createConversation(input: $input) { id name participants } }`;
const CREATE_MESSAGE = (selection: string) => `mutation M($input: CreateMessageInput!) { createMessage(input: $input) { ${selection} } }`;
const ON_CREATE_MESSAGE = `subscription S($filter: ModelSubscriptionMessageFilterInput) { onCreateMessage(filter: $filter) { id conversationId content participants } }`;

function messageInput(conversation: string, content: string, participants: string[]): Record<string, unknown> {
  return { input: { conversationId: conversation, content, messageType: 'TEXT', sender: participants[0], participants } };
}

beforeAll(async () => {
  h = await startHarness();
  const { A, B } = h.users;
  const created = await graphqlAs(h, A.token, CREATE_CONVERSATION, { input: { name: 'ab', participants: [A.sub, B.sub] } });
  expect(created.status).toBe(200);
  expect(created.json.errors).toBeUndefined();
  conversationId = (created.json.data?.['createConversation'] as { id: string }).id;
});

afterAll(async () => {
  await h?.close();
});

describe('HTTP, user pools: owner enforcement of ownersDefinedIn(participants)', () => {
  it('B can get and list the conversation A created with [A, B]', async () => {
    const got = await graphqlAs(h, h.users.B.token, `query G($id: ID!) { getConversation(id: $id) { id participants } }`, { id: conversationId });
    expect(got.json.errors).toBeUndefined();
    expect(got.json.data?.['getConversation']).toEqual({ id: conversationId, participants: [h.users.A.sub, h.users.B.sub] });
    const listed = await graphqlAs(h, h.users.B.token, `{ listConversations { items { id } } }`);
    expect((listed.json.data?.['listConversations'] as { items: { id: string }[] }).items.map((i) => i.id)).toContain(conversationId);
  });

  it("C's get is Unauthorized with AppSync's error shape (§3.3, §3.4)", async () => {
    const got = await graphqlAs(h, h.users.C.token, `query G($id: ID!) { getConversation(id: $id) { id } }`, { id: conversationId });
    expect(got.status).toBe(200);
    expect(got.json.data).toEqual({ getConversation: null });
    expect(got.json.errors).toEqual([
      { path: ['getConversation'], data: null, errorType: 'Unauthorized', errorInfo: null, locations: [{ line: 1, column: 21, sourceName: null }], message: 'Not Authorized to access getConversation on type Query' },
    ]);
  });

  it("C's list returns nothing whatever filter C passes", async () => {
    for (const filter of [undefined, { participants: { contains: h.users.A.sub } }, { or: [{ id: { eq: conversationId } }, { name: { eq: 'ab' } }] }]) {
      const listed = await graphqlAs(h, h.users.C.token, `query L($f: ModelConversationFilterInput) { listConversations(filter: $f) { items { id } } }`, { f: filter });
      expect(listed.json.errors).toBeUndefined();
      expect((listed.json.data?.['listConversations'] as { items: unknown[] }).items).toEqual([]);
    }
  });

  it('C cannot create a conversation listing only others', async () => {
    const created = await graphqlAs(h, h.users.C.token, CREATE_CONVERSATION, { input: { participants: [h.users.A.sub, h.users.B.sub] } });
    expect(created.json.data).toEqual({ createConversation: null });
    expect(created.json.errors?.[0]?.['errorType']).toBe('Unauthorized');
  });

  it('updating participants is refused', async () => {
    const updated = await graphqlAs(h, h.users.A.token, `mutation U($input: UpdateConversationInput!) { updateConversation(input: $input) { id participants } }`, {
      input: { id: conversationId, participants: [h.users.A.sub, h.users.C.sub] },
    });
    expect(updated.json.data).toEqual({ updateConversation: null });
    expect(updated.json.errors?.[0]?.['errorType']).toBe('Unauthorized');
  });

  it('users cannot write messages: createMessage is Unauthorized for a user pool caller', async () => {
    const created = await graphqlAs(h, h.users.A.token, CREATE_MESSAGE('id'), messageInput(conversationId, 'hi', [h.users.A.sub, h.users.B.sub]));
    expect(created.json.data).toEqual({ createMessage: null });
    expect(created.json.errors?.[0]).toMatchObject({ errorType: 'Unauthorized', message: 'Not Authorized to access createMessage on type Mutation' });
  });

  it('__typename needs no auth directive', async () => {
    const got = await graphqlAs(h, h.users.A.token, `query G($id: ID!) { getConversation(id: $id) { __typename id } }`, { id: conversationId });
    expect(got.json.data).toEqual({ getConversation: { __typename: 'Conversation', id: conversationId } });
  });
});

describe('HTTP, IAM (SigV4)', () => {
  it('an IAM-signed createMessage succeeds', async () => {
    const created = await graphqlIam(h, CREATE_MESSAGE('id content participants'), messageInput(conversationId, 'from iam', [h.users.A.sub, h.users.B.sub]));
    expect(created.status).toBe(200);
    expect(created.json.errors).toBeUndefined();
    expect(created.json.data?.['createMessage']).toMatchObject({ content: 'from iam', participants: [h.users.A.sub, h.users.B.sub] });
  });

  it('the internal plain-HTTP endpoint serves the same IAM requests', async () => {
    const created = await graphqlIam(h, `query G($id: ID!) { getConversation(id: $id) { id } }`, { id: conversationId }, undefined, h.server.internalUrl);
    expect(created.json.data).toEqual({ getConversation: { id: conversationId } });
  });

  it('a wrong secret is refused with 403 InvalidSignatureException; an unknown key with UnrecognizedClientException', async () => {
    const bad = await graphqlIam(h, CREATE_MESSAGE('id'), messageInput(conversationId, 'x', [h.users.A.sub]), { accessKeyId: 'AKIAOFFLINETEST00001', secretAccessKey: 'wrong', principal: '' });
    expect(bad.status).toBe(403);
    expect(bad.json.errors?.[0]?.['errorType']).toBe('InvalidSignatureException');
    const unknown = await graphqlIam(h, CREATE_MESSAGE('id'), messageInput(conversationId, 'x', [h.users.A.sub]), { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x', principal: '' });
    expect(unknown.status).toBe(403);
    expect(unknown.json.errors?.[0]?.['errorType']).toBe('UnrecognizedClientException');
  });
});

describe('HTTP error shapes (§3.2)', () => {
  const post = (body: string, headers: Record<string, string> = { authorization: h.users.A.token }) => rawPost(h.server.url, body, { 'content-type': 'application/json', ...headers }, h.ca);

  it('empty body → 400 Request body is empty.', async () => {
    const answer = await post('');
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ errors: [{ errorType: 'MalformedHttpRequestException', message: 'Request body is empty.' }] });
  });

  it('bad JSON and a body without a query → 400 Unable to parse GraphQL query.', async () => {
    for (const body of ['meow', '{}', '{"query": "{ listConversations { items { id } "}']) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ errors: [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }] });
    }
  });

  it('no auth and a forged token → 401 UnauthorizedException', async () => {
    const expected = { errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] };
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
    const two = await post(JSON.stringify({ query: 'query A { listConversations { items { id } } } query B { listMessages { items { id } } }' }));
    expect(two.json.data).toBeNull();
    expect(two.json.errors?.[0]?.['message']).toMatch(/operation name/);
    const picked = await post(JSON.stringify({ query: 'query A { listConversations { items { id } } } query B { listMessages { items { id } } }', operationName: 'A' }));
    expect(picked.json.errors).toBeUndefined();
    const sub = await post(JSON.stringify({ query: 'subscription { onCreateMessage { id } }' }));
    expect(sub.json.errors?.[0]?.['message']).toBe('Subscription request is only supported in realtime url');
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

describe('subscriptions (§4)', () => {
  const subscribe = async (token: string, id: string, query = ON_CREATE_MESSAGE, variables?: Record<string, unknown>) => {
    const client = await RealtimeClient.connect(h, RealtimeClient.userHeader(h, token));
    expect((await client.next()).type).toBe('connection_ack');
    const answer = await client.start(id, query, variables);
    return { client, answer };
  };

  it('A and B receive an IAM-created message of their conversation; C does not, with no filter or a crafted one', async () => {
    const a = await subscribe(h.users.A.token, 'a1');
    const b = await subscribe(h.users.B.token, 'b1');
    const c = await subscribe(h.users.C.token, 'c1');
    const cCrafted = await subscribe(h.users.C.token, 'c2', ON_CREATE_MESSAGE, { filter: { conversationId: { eq: conversationId } } });
    for (const s of [a, b, c, cCrafted]) expect(s.answer.type).toBe('start_ack');

    const sent = await graphqlIam(h, CREATE_MESSAGE('id conversationId content participants'), messageInput(conversationId, 'for A and B', [h.users.A.sub, h.users.B.sub]));
    expect(sent.json.errors).toBeUndefined();
    for (const s of [a, b]) {
      const frame = await s.client.next();
      expect(frame.type).toBe('data');
      expect(frame.payload).toEqual({ data: { onCreateMessage: { id: expect.any(String), conversationId, content: 'for A and B', participants: [h.users.A.sub, h.users.B.sub] } } });
    }
    // Sentinel: a message C may see. C's next frame must be it, proving the earlier one never reached C.
    const sentinel = await graphqlIam(h, CREATE_MESSAGE('id conversationId content participants'), messageInput('other', 'for C', [h.users.C.sub]));
    expect(sentinel.json.errors).toBeUndefined();
    expect(((await c.client.next()).payload?.['data'] as Record<string, { content: string }>)['onCreateMessage']?.content).toBe('for C');
    // The crafted filter (conversationId eq A/B's) is ANDed with C's participant filter: the sentinel does not match either.
    const third = await graphqlIam(h, CREATE_MESSAGE('id conversationId content participants'), messageInput(conversationId, 'C listed', [h.users.C.sub]));
    expect(third.json.errors).toBeUndefined();
    expect(((await cCrafted.client.next()).payload?.['data'] as Record<string, { content: string }>)['onCreateMessage']?.content).toBe('C listed');
    for (const s of [a, b, c, cCrafted]) s.client.close();
  });

  it('a mutation that does not select participants delivers to nobody; unselected fields arrive as null', async () => {
    const a = await subscribe(h.users.A.token, 'a2');
    expect(a.answer.type).toBe('start_ack');
    const unselected = await graphqlIam(h, CREATE_MESSAGE('id conversationId content'), messageInput(conversationId, 'invisible', [h.users.A.sub]));
    expect(unselected.json.errors).toBeUndefined();
    const partial = await graphqlIam(h, CREATE_MESSAGE('id participants'), messageInput(conversationId, 'partial', [h.users.A.sub]));
    expect(partial.json.errors).toBeUndefined();
    const frame = await a.client.next();
    expect(frame.payload).toEqual({ data: { onCreateMessage: { id: expect.any(String), conversationId: null, content: null, participants: [h.users.A.sub] } } });
    a.client.close();
  });

  it('onMessageSent(conversationId): C gets an Unauthorized error frame, A a start_ack', async () => {
    const query = `subscription S($id: ID!) { onMessageSent(conversationId: $id) { conversationId } }`;
    const c = await subscribe(h.users.C.token, 'c3', query, { id: conversationId });
    expect(c.answer).toEqual({ id: 'c3', type: 'error', payload: { errors: [{ errorType: 'Unauthorized', message: 'Not Authorized to access onMessageSent on type Subscription' }] } });
    const a = await subscribe(h.users.A.token, 'a3', query, { id: conversationId });
    expect(a.answer).toEqual({ id: 'a3', type: 'start_ack' });
    for (const s of [a, c]) s.client.close();
  });

  it('two root fields in one subscription → DuplicatedOperationError', async () => {
    const a = await subscribe(h.users.A.token, 'a4', `subscription { onCreateMessage { id } onUpdateMessage { id } }`);
    expect(a.answer.payload).toEqual({ errors: [{ errorType: 'DuplicatedOperationError', message: 'Duplicated operation with id a4' }] });
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
