/**
 * Abuse limit: a real-time consumer that stops reading cannot make the sandbox buffer without bound. Each socket may
 * hold 8 MiB of unsent frames; past that the server closes it with 1008 instead of growing its memory, and every other
 * subscriber keeps receiving. The slow socket holds 100 onMessageSent subscriptions of the same conversation (the
 * per-connection maximum), so each message — published by the message processor as a MESSAGE_SENT event — queues 100
 * frames on it, and a few dozen real sendMessage calls (within the per-user send limit) fill its buffer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_LENGTH } from '../../amplify/shared/limits';
import { startTestSandbox, type TestSandbox } from '../offline/helpers';
import { graphql, newId, RealtimeSocket, signInUser, signUpUser, userHeader, type Frame, type SignedInUser } from './support';

const BUFFER_LIMIT = 8 * 1024 * 1024;
const SUBSCRIPTIONS_ON_SLOW_SOCKET = 100;
/** Upper bound on sends: 3 senders × 30 (the default per-user limit per 10 s) ≈ 36 MiB queued for the slow socket. */
const MAX_SENDS = 90;

const ON_MESSAGE_SENT = 'subscription S($conversationId: ID!) { onMessageSent(conversationId: $conversationId) { id conversationId content } }';
/** Selects only `id`: the event subscribers receive is published by the backend with every field, whatever this selects. */
const SEND = 'mutation M($input: SendMessageInputInput!) { sendMessage(input: $input) { id } }';
const CREATE_CONVERSATION = 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { id } }';

let env: TestSandbox;
let senders: SignedInUser[];
let reader: SignedInUser;
let conversationId: string;

beforeAll(async () => {
  env = await startTestSandbox();
  const users: SignedInUser[] = [];
  for (const name of ['ann', 'bob', 'cat', 'dan']) {
    await signUpUser(env, `${name}@example.com`);
    users.push(await signInUser(env, `${name}@example.com`));
  }
  senders = users.slice(0, 3);
  reader = users[3]!;
  const created = await graphql(env, senders[0]!.accessToken, CREATE_CONVERSATION, { input: { participants: users.map((u) => u.sub) } });
  conversationId = (created.json.data?.['createConversation'] as { id: string }).id;
});

afterAll(async () => {
  await env?.sandbox.close();
});

const slowConsumerLogged = () => env.log.some((line) => line.includes('realtime slow consumer disconnected'));

describe('slow real-time consumers', () => {
  it('are disconnected with 1008 once 8 MiB is unsent, while everyone else keeps receiving every message', async () => {
    const slow = await RealtimeSocket.connect(env, reader.accessToken);
    const starts: Promise<Frame>[] = [];
    for (let i = 0; i < SUBSCRIPTIONS_ON_SLOW_SOCKET; i += 1) {
      starts.push(slow.start(`slow-${i}`, ON_MESSAGE_SENT, { conversationId }, userHeader(env, reader.accessToken)));
    }
    expect(new Set((await Promise.all(starts)).map((frame) => frame.type))).toEqual(new Set(['start_ack']));
    const healthy = await RealtimeSocket.connect(env, reader.accessToken);
    expect((await healthy.start('healthy', ON_MESSAGE_SENT, { conversationId }, userHeader(env, reader.accessToken))).type).toBe('start_ack');

    slow.ws.pause();
    const sent: string[] = [];
    const content = 'x'.repeat(MAX_MESSAGE_LENGTH);
    while (!slowConsumerLogged()) {
      expect(sent.length, 'the slow socket was never disconnected').toBeLessThan(MAX_SENDS);
      const sender = senders[sent.length % senders.length]!;
      const answer = await graphql(env, sender.accessToken, SEND, { input: { conversationId, content, clientMessageId: newId() } });
      expect(answer.json.errors).toBeUndefined();
      const id = (answer.json.data?.['sendMessage'] as { id: string }).id;
      sent.push(id);
      // The healthy subscriber's copy arrives after the fan-out of this message has queued the slow socket's copies.
      await healthy.waitForData('healthy', (frame) => JSON.stringify(frame.payload).includes(id));
    }
    // Far more than the buffer limit was produced for the slow socket, and the log names the limit.
    expect(sent.length * SUBSCRIPTIONS_ON_SLOW_SOCKET * MAX_MESSAGE_LENGTH).toBeGreaterThan(BUFFER_LIMIT);
    expect(env.log.find((line) => line.includes('realtime slow consumer disconnected'))).toContain(`"limit":${BUFFER_LIMIT}`);

    // The healthy subscriber got every message exactly once, in order.
    const received = healthy.framesOf('healthy').map((frame) => (frame.payload as { data: { onMessageSent: { id: string } } }).data.onMessageSent.id);
    expect(received).toEqual(sent);

    // The server still serves: one more message reaches the healthy socket, and a new subscription is acknowledged.
    const after = await graphql(env, senders[0]!.accessToken, SEND, { input: { conversationId, content: 'after', clientMessageId: newId() } });
    const afterId = (after.json.data?.['sendMessage'] as { id: string }).id;
    await healthy.waitForData('healthy', (frame) => JSON.stringify(frame.payload).includes(afterId));
    const fresh = await RealtimeSocket.connect(env, reader.accessToken);
    expect((await fresh.start('fresh', ON_MESSAGE_SENT, { conversationId }, userHeader(env, reader.accessToken))).type).toBe('start_ack');

    // Once the slow reader reads again, it finds the close behind the frames that were already queued.
    slow.ws.resume();
    expect(await slow.closed).toEqual({ code: 1008, reason: `Slow consumer: more than ${BUFFER_LIMIT} bytes unsent` });
    healthy.close();
    fresh.close();
  });
});
