/**
 * The explorer's server side against a real sandbox: the console's IAM caller (`as: {iam: true}`), which AppSync
 * authenticates by its SigV4 signature and authorizes as any IAM caller, also after a reload; and the subscription
 * socket (`/api/subscriptions`), which runs each subscription on AppSync's real-time endpoint as the chosen caller: a
 * participant receives what is sent to them and not what is sent to others, a non-participant is refused by the
 * subscription's own resolver, the number per page is bounded, and the socket needs the console's secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { realtimeEndpoint } from '../../offline/console/subscriptions-api';
import { newDataDirectory, startTestSandbox, type TestSandbox } from '../offline/helpers';
import { signUpUser } from '../security/support';

let env: TestSandbox;
let origin: string;
let secret: string;

beforeAll(async () => {
  env = await startTestSandbox(newDataDirectory());
  origin = env.sandbox.console!.origin;
  secret = env.sandbox.console!.secret;
  for (const name of ['ann', 'bob', 'cat']) await signUpUser(env, `explorer-${name}@example.com`);
});

afterAll(async () => {
  await env?.sandbox.close();
});

interface GraphQLAnswer<T = Record<string, unknown>> {
  status: number;
  body: { data?: T; errors?: { errorType?: string; message: string }[] };
}

async function graphql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, as?: Record<string, unknown>): Promise<GraphQLAnswer<T>> {
  const response = await fetch(`${origin}/api/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, ...(as ? { as } : {}) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as GraphQLAnswer<T>;
}

const sub = (email: string) => env.sandbox.userPool.getUser(email)!.attributes['sub']!;
const user = (name: string) => ({ user: `explorer-${name}@example.com` });

async function createConversation(name: string, creator: string, others: string[]): Promise<string> {
  const created = await graphql<{ createConversation: { conversationId: string } }>(
    'mutation C($input: NewConversationInput!) { createConversation(input: $input) { conversationId } }',
    { input: { name, participants: others.map((other) => sub(`explorer-${other}@example.com`)) } },
    user(creator),
  );
  expect(created.body.errors).toBeUndefined();
  return created.body.data!.createConversation.conversationId;
}

async function send(from: string, conversationId: string, content: string): Promise<void> {
  const sent = await graphql('mutation S($input: SendMessageInputInput!) { sendMessage(input: $input) { messageId } }', { input: { conversationId, content } }, user(from));
  expect(sent.body.errors).toBeUndefined();
}

const GET_CONVERSATION = 'query G($id: ID!) { getConversation(id: $id) { id name } }';
const MY_CONVERSATIONS = 'subscription { onMyConversations { conversationId type content } }';

describe('the callers the explorer offers', () => {
  it('GET /api/graphql names the API\'s authorization modes: user pool and IAM here, no API key', async () => {
    const response = await fetch(`${origin}/api/graphql`, { headers: { authorization: `Bearer ${secret}` } });
    expect(await response.json()).toEqual({ userPool: true, apiKey: false, iam: true, defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS' });
  });
});

describe('as IAM: the console\'s own principal', () => {
  it('answers data, as AppSync lets any IAM caller through the Gen 2 resolvers', async () => {
    const id = await createConversation('IAM room', 'ann', ['bob']);
    const answer = await graphql<{ getConversation: { id: string; name: string } }>(GET_CONVERSATION, { id }, { iam: true });
    expect(answer).toEqual({ status: 200, body: { data: { getConversation: { id, name: 'IAM room' } } } });
    // The log names the caller AppSync saw: an IAM request (never the secret).
    expect(env.log.join('\n')).not.toContain(secret);
  });

  it('is still known to AppSync after a reload', async () => {
    const id = await createConversation('After reload', 'ann', ['bob']);
    await env.sandbox.reload();
    const answer = await graphql<{ getConversation: { name: string } }>(GET_CONVERSATION, { id }, { iam: true });
    expect(answer.body.data?.getConversation.name).toBe('After reload');
  });

  it('a request AppSync cannot attribute is refused: no caller is 401', async () => {
    const answer = await graphql(GET_CONVERSATION, { id: 'x' });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.errorType).toBe('UnauthorizedException');
  });
});

type PageFrame = { type: string; id?: string; payload?: { data?: Record<string, { conversationId: string; type: string; content: string | null }> }; errors?: { errorType?: string; message: string }[] };

/** The explorer's subscription socket as the page uses it: frames kept in order, awaited by id. */
class SubscriptionPage {
  private readonly frames: PageFrame[] = [];
  private readonly waiters: { match: (frame: PageFrame) => boolean; resolve: (frame: PageFrame) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as PageFrame;
      this.frames.push(frame);
      const index = this.waiters.findIndex((waiter) => waiter.match(frame));
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(frame);
    });
  }

  static open(headers: Record<string, string> = { authorization: `Bearer ${secret}` }): Promise<SubscriptionPage> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${origin.replace('http', 'ws')}/api/subscriptions`, { headers });
      socket.once('open', () => resolve(new SubscriptionPage(socket)));
      socket.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      socket.once('error', reject);
    });
  }

  /** The first frame for `id` whose type is one of `types`, among those from the `from`th on (kept or to come). */
  next(id: string, types: string[], from = 0): Promise<PageFrame> {
    const match = (frame: PageFrame) => frame.id === id && types.includes(frame.type);
    const kept = this.frames.slice(from).find(match);
    if (kept) return Promise.resolve(kept);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  received(id: string, type = 'data'): PageFrame[] {
    return this.frames.filter((frame) => frame.id === id && frame.type === type);
  }

  start(id: string, query: string, as?: Record<string, unknown>, variables?: Record<string, unknown>): Promise<PageFrame> {
    const from = this.frames.length;
    this.socket.send(JSON.stringify({ type: 'start', id, query, ...(variables ? { variables } : {}), ...(as ? { as } : {}) }));
    return this.next(id, ['start_ack', 'error'], from);
  }

  stop(id: string): Promise<PageFrame> {
    const from = this.frames.length;
    this.socket.send(JSON.stringify({ type: 'stop', id }));
    return this.next(id, ['complete'], from);
  }

  close(): void {
    this.socket.close();
  }
}

describe('subscriptions over AppSync\'s real-time endpoint', () => {
  it('reach AppSync on loopback when it listens on every address (the certificate names loopback, not 0.0.0.0)', () => {
    expect(realtimeEndpoint('wss://0.0.0.0:20002/graphql/realtime').href).toBe('wss://127.0.0.1:20002/graphql/realtime');
    expect(realtimeEndpoint('wss://[::]:20002/graphql/realtime').href).toBe('wss://[::1]:20002/graphql/realtime');
    expect(realtimeEndpoint('wss://localhost:20002/graphql/realtime').href).toBe('wss://localhost:20002/graphql/realtime');
  });

  it('without the console\'s secret, or with a forged one, the socket is refused with 401', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer forged' }, { authorization: `Bearer ${secret}x` }, { cookie: 'amplify_gen2_offline_console=forged' }];
    for (const headers of attempts) {
      await expect(SubscriptionPage.open(headers)).rejects.toThrow('refused: 401');
    }
  });

  it('as a user: delivers what that user may see, and not what they may not', async () => {
    const withBob = await createConversation('Ann and Bob', 'ann', ['bob']);
    const withCat = await createConversation('Ann and Cat', 'ann', ['cat']);
    const page = await SubscriptionPage.open();
    try {
      expect(await page.start('bob', MY_CONVERSATIONS, user('bob'))).toEqual({ type: 'start_ack', id: 'bob' });
      expect(await page.start('cat', MY_CONVERSATIONS, user('cat'))).toEqual({ type: 'start_ack', id: 'cat' });

      await send('ann', withCat, 'only for Cat');
      const toCat = await page.next('cat', ['data']);
      expect(toCat.payload?.data?.['onMyConversations']).toMatchObject({ conversationId: withCat, type: 'MESSAGE_SENT', content: 'only for Cat' });

      await send('ann', withBob, 'hello Bob');
      const toBob = await page.next('bob', ['data']);
      expect(toBob.payload?.data?.['onMyConversations']).toMatchObject({ conversationId: withBob, type: 'MESSAGE_SENT', content: 'hello Bob' });
      // Cat's message was delivered before Bob's was sent, and never to Bob.
      expect(page.received('bob').map((frame) => frame.payload?.data?.['onMyConversations']?.content)).toEqual(['hello Bob']);

      expect(await page.stop('bob')).toEqual({ type: 'complete', id: 'bob' });
    } finally {
      page.close();
    }
  });

  it('a non-participant is refused by the subscription\'s resolver; no caller is refused at connect; a bad caller is named', async () => {
    const conversationId = await createConversation('Private', 'ann', ['bob']);
    const page = await SubscriptionPage.open();
    try {
      const cat = await page.start('cat', 'subscription S($id: ID!) { onMessageSent(conversationId: $id) { content } }', user('cat'), { id: conversationId });
      expect(cat).toMatchObject({ type: 'error', id: 'cat', errors: [{ errorType: 'Unauthorized' }] });
      const nobody = await page.start('nobody', MY_CONVERSATIONS);
      expect(nobody).toMatchObject({ type: 'error', id: 'nobody', errors: [{ errorType: 'UnauthorizedException' }] });
      expect(await page.start('ghost', MY_CONVERSATIONS, { user: 'ghost@example.com' })).toEqual({
        type: 'error',
        id: 'ghost',
        errors: [{ errorType: 'UserNotFoundException', message: 'User does not exist.' }],
      });
      expect(await page.start('odd', MY_CONVERSATIONS, { role: 'admin' })).toEqual({
        type: 'error',
        id: 'odd',
        errors: [{ errorType: 'BadRequest', message: 'as must be {"user": "<username>"}, {"apiKey": true} or {"iam": true}.' }],
      });
    } finally {
      page.close();
    }
  });

  it('as IAM: AppSync accepts the signed connection and start, and the resolver decides (it wants a pool user)', async () => {
    const page = await SubscriptionPage.open();
    try {
      const answer = await page.start('iam', MY_CONVERSATIONS, { iam: true });
      expect(answer).toMatchObject({ type: 'error', id: 'iam', errors: [{ errorType: 'Unauthorized' }] });
    } finally {
      page.close();
    }
  });

  it('refuses more than 10 subscriptions on one page, and takes another once one stops', async () => {
    const page = await SubscriptionPage.open();
    try {
      for (let i = 0; i < 10; i++) expect(await page.start(`s${i}`, MY_CONVERSATIONS, user('bob'))).toEqual({ type: 'start_ack', id: `s${i}` });
      expect(await page.start('s10', MY_CONVERSATIONS, user('bob'))).toEqual({
        type: 'error',
        id: 's10',
        errors: [{ errorType: 'TooManySubscriptions', message: 'A page may have at most 10 subscriptions open at once: stop one first.' }],
      });
      expect(await page.start('s0', MY_CONVERSATIONS, user('bob'))).toMatchObject({ type: 'error', errors: [{ errorType: 'DuplicateSubscription' }] });
      await page.stop('s3');
      expect(await page.start('s10', MY_CONVERSATIONS, user('bob'))).toEqual({ type: 'start_ack', id: 's10' });
    } finally {
      page.close();
    }
  });

  it('closes the real-time connections of a page that goes (as the live log shows)', async () => {
    // The sandbox's log, through the console's live stream: AppSync's real-time connections opened and closed.
    const live = new WebSocket(`${origin.replace('http', 'ws')}/api/live`, { headers: { authorization: `Bearer ${secret}` } });
    const opened = new Set<string>();
    const closed = new Set<string>();
    let onClosed = () => undefined as void;
    live.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type: string; entry?: { line: string } };
      const line = message.type === 'log' ? (message.entry?.line ?? '') : '';
      const id = /"connectionId":"([^"]+)"/.exec(line)?.[1];
      if (id === undefined) return;
      if (line.includes('realtime connection open')) opened.add(id);
      if (line.includes('realtime connection closed') && opened.has(id)) {
        closed.add(id);
        onClosed();
      }
    });
    await new Promise((resolve) => live.once('message', resolve));
    const page = await SubscriptionPage.open();
    for (const id of ['a', 'b', 'c']) expect(await page.start(id, MY_CONVERSATIONS, user('ann'))).toEqual({ type: 'start_ack', id });
    expect(opened.size).toBe(3);
    expect(closed.size).toBe(0);
    const allClosed = new Promise<void>((resolve) => (onClosed = () => (closed.size === opened.size ? resolve() : undefined)));
    page.close();
    await allClosed;
    live.close();
  });

  it('a subscription stopped before AppSync acknowledged it completes, and nothing of it follows', async () => {
    const page = await SubscriptionPage.open();
    try {
      page.socket.send(JSON.stringify({ type: 'start', id: 'early', query: MY_CONVERSATIONS, as: user('ann') }));
      expect(await page.stop('early')).toEqual({ type: 'complete', id: 'early' });
      expect(await page.start('after', MY_CONVERSATIONS, user('ann'))).toEqual({ type: 'start_ack', id: 'after' });
      expect(page.received('early', 'start_ack')).toEqual([]);
      expect(page.received('early', 'complete')).toHaveLength(1);
    } finally {
      page.close();
    }
  });

  it('answers a malformed message with an error and keeps the socket', async () => {
    const page = await SubscriptionPage.open();
    try {
      page.socket.send('not json');
      page.socket.send(JSON.stringify({ type: 'start', id: 'q' }));
      expect(await page.next('q', ['error'])).toEqual({ type: 'error', id: 'q', errors: [{ errorType: 'BadRequest', message: 'query must be a non-empty string.' }] });
      expect(await page.start('ok', MY_CONVERSATIONS, user('ann'))).toEqual({ type: 'start_ack', id: 'ok' });
    } finally {
      page.close();
    }
  });
});
