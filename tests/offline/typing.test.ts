/**
 * Typing indicators (`sendTyping` / `onTyping`) on the offline sandbox, driven by the stock aws-amplify v6
 * client as the web app uses it. A and B share a conversation; C has its own conversation with A and is never
 * in A+B's. Typing events are ephemeral: delivered to the conversation's participants, never stored.
 *
 * Every user's subscriptions share the client's one WebSocket (each `start` carries its own user's token, so
 * signing in as someone else does not touch subscriptions already acknowledged). Frames on that socket arrive
 * in order, which is how "never receives" is asserted without sleeping: a later event that must arrive is
 * the fence, and whatever was wrongly delivered would have arrived before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListTablesCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { confirmSignUp, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../amplify/data/resource';
import { configureAmplify } from '../../src/amplify-config';
import { installWebSocket, modelTable, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';

installWebSocket();
type User = 'a' | 'b' | 'c';
type TypingEvent = Schema['TypingEvent']['type'];
type ConversationEvent = Schema['ConversationEvent']['type'];

/** What a TYPING event delivered to onTyping says about the typing, in sendTyping's answer's shape. */
function typingOf(event: ConversationEvent): TypingEvent {
  return { conversationId: event.conversationId, userId: event.userId, typing: event.typing!, at: event.at };
}
type Client = ReturnType<typeof generateClient<Schema>>;

const PASSWORD = 'Correct-Horse-9';
const emails: Record<User, string> = { a: 'ann.typing@example.com', b: 'bob.typing@example.com', c: 'cat.typing@example.com' };
const ids: Record<User, string> = { a: '', b: '', c: '' };
/** A and B's conversation. */
let ab = '';
/** C's own conversation (with A). */
let ca = '';
/** A well-formed id that no conversation has. */
const MISSING = '00000000-0000-4000-8000-000000000000';
let tablesBefore: Record<string, string[]>;
const subscriptions: { unsubscribe(): void }[] = [];
let env: TestSandbox;

async function as(user: User): Promise<Client> {
  await signOut();
  await signIn({ username: emails[user], password: PASSWORD });
  return generateClient<Schema>();
}

/** Every item of every table of the sandbox's DynamoDB, one stable JSON string per item, sorted. */
async function tableContents(): Promise<Record<string, string[]>> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await env.sandbox.dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  const contents: Record<string, string[]> = {};
  for (const name of names) {
    const items: string[] = [];
    let key: Record<string, AttributeValue> | undefined;
    do {
      const page = await env.sandbox.dynamodb.send(new ScanCommand({ TableName: name, ExclusiveStartKey: key, ConsistentRead: true }));
      items.push(...(page.Items ?? []).map((item) => JSON.stringify(Object.entries(item).sort(([x], [y]) => (x < y ? -1 : 1)))));
      key = page.LastEvaluatedKey;
    } while (key);
    contents[name] = items.sort();
  }
  return contents;
}

const tableOf = (model: string): string => modelTable(env, model);

/** Subscribes `client` to onTyping(conversationId) and resolves once AppSync acknowledged the subscription. */
async function watchTyping(client: Client, conversationId: string) {
  const delivered: ConversationEvent[] = [];
  let failure: unknown;
  const waiters: { count: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  const settle = () => {
    for (const w of [...waiters]) {
      if (failure === undefined && delivered.length < w.count) continue;
      waiters.splice(waiters.indexOf(w), 1);
      if (failure === undefined) w.resolve();
      else w.reject(new Error(`onTyping(${conversationId}) failed: ${JSON.stringify(failure)}`));
    }
  };
  const acked = subscriptionAcks(1);
  const subscription = client.subscriptions.onTyping({ conversationId }).subscribe({
    next: (event) => {
      if (event) delivered.push(event);
      settle();
    },
    error: (error: unknown) => {
      failure = error ?? 'error';
      settle();
    },
  });
  subscriptions.push(subscription);
  await acked;
  return {
    /** Every event delivered, as the typing it reports (each checked to be a TYPING event for this conversation). */
    get events(): TypingEvent[] {
      for (const event of delivered) expect(event).toMatchObject({ type: 'TYPING', conversationId, messageId: null, content: null });
      return delivered.map(typingOf);
    },
    delivered,
    /** Resolves once `count` events in total have been delivered; rejects if the subscription fails. */
    received: (count: number) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ count, resolve, reject });
        settle();
      }),
  };
}

/** The error a subscription start ends with ('acknowledged' if AppSync accepted it instead). */
function subscriptionFailure(client: Client, conversationId: string): Promise<unknown> {
  const acked = subscriptionAcks(1).then(() => 'acknowledged');
  const failed = new Promise<unknown>((resolve) => {
    subscriptions.push(client.subscriptions.onTyping({ conversationId }).subscribe({ next: () => resolve('delivered'), error: resolve }));
  });
  return Promise.race([acked, failed]);
}

beforeAll(async () => {
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  for (const user of ['a', 'b', 'c'] as const) {
    await signUp({ username: emails[user], password: PASSWORD, options: { userAttributes: { email: emails[user] } } });
    await confirmSignUp({ username: emails[user], confirmationCode: env.sandbox.userPool.lastCodeFor(emails[user])! });
    await signIn({ username: emails[user], password: PASSWORD });
    ids[user] = (await getCurrentUser()).userId;
    await signOut();
  }
  const a = await as('a');
  const created = await a.mutations.createConversation({ input: { name: 'A+B', participants: [ids.a, ids.b] } });
  expect(created.errors).toBeUndefined();
  ab = created.data!.conversationId;
  const c = await as('c');
  const own = await c.mutations.createConversation({ input: { name: 'C+A', participants: [ids.c, ids.a] } });
  expect(own.errors).toBeUndefined();
  ca = own.data!.conversationId;
  tablesBefore = await tableContents();
});

afterAll(async () => {
  for (const subscription of subscriptions) subscription.unsubscribe();
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('typing indicators', () => {
  it('refuse C on a conversation it is not in, with the same answer as for a conversation that does not exist', async () => {
    const c = await as('c');
    // The message processor's refusal, as for sendMessage: the same words for both but the id asked about.
    const foreignSend = await c.mutations.sendTyping({ conversationId: ab, typing: true });
    expect(foreignSend.data).toBeNull();
    expect(foreignSend.errors).toHaveLength(1);
    expect(foreignSend.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled', message: `Unauthorized: not a participant of conversation ${ab}` });
    const missingSend = await c.mutations.sendTyping({ conversationId: MISSING, typing: true });
    expect(JSON.parse(JSON.stringify(missingSend).replaceAll(MISSING, ab))).toEqual(foreignSend);

    const foreignWatch = await subscriptionFailure(c, ab);
    expect(JSON.stringify(foreignWatch)).toMatch(/Unauthorized/);
    expect(JSON.stringify(foreignWatch)).toContain('Not Authorized to access onTyping on type Subscription');
    const missingWatch = await subscriptionFailure(c, MISSING);
    expect(missingWatch).toEqual(foreignWatch);
  });

  it('deliver a participant\'s typing start and stop to the other participant only, with the sender\'s sub', async () => {
    const bWatch = await watchTyping(await as('b'), ab);
    const cWatch = await watchTyping(await as('c'), ca);

    const a = await as('a');
    const started = await a.mutations.sendTyping({ conversationId: ab, typing: true });
    const stopped = await a.mutations.sendTyping({ conversationId: ab, typing: false });
    for (const [sent, typing] of [
      [started, true],
      [stopped, false],
    ] as const) {
      expect(sent.errors).toBeUndefined();
      expect(sent.data).toEqual({ conversationId: ab, userId: ids.a, typing, at: expect.any(String) });
      expect(new Date(sent.data!.at).toISOString()).toBe(sent.data!.at);
    }
    await bWatch.received(2);
    expect(bWatch.events).toEqual([started.data, stopped.data]);
    // The backend published it to the conversation's participants, whatever the sender selected.
    expect(bWatch.delivered[0]!.participants).toEqual(expect.arrayContaining([`${ids.a}::${ids.a}`, `${ids.b}::${ids.b}`]));
    expect(bWatch.delivered[0]!.participants).toHaveLength(2);

    // C is refused in A+B's conversation, then types in its own: C's subscription gets that event and
    // nothing of A's (which went out on the same socket before it).
    const c = await as('c');
    expect((await c.mutations.sendTyping({ conversationId: ab, typing: true })).errors?.[0]?.message).toMatch(/^Unauthorized: /);
    const own = await c.mutations.sendTyping({ conversationId: ca, typing: true });
    expect(own.errors).toBeUndefined();
    expect(own.data).toMatchObject({ conversationId: ca, userId: ids.c, typing: true });
    await cWatch.received(1);
    expect(cWatch.events).toEqual([own.data]);

    // B got neither C's refused attempt nor C's event in C+A: A's next event is the next thing B sees.
    const again = await (await as('a')).mutations.sendTyping({ conversationId: ab, typing: true });
    expect(again.errors).toBeUndefined();
    await bWatch.received(3);
    expect(bWatch.events).toEqual([started.data, stopped.data, again.data]);
    expect(cWatch.events).toEqual([own.data]);
  });

  it('store nothing: every table holds exactly the items it held before the typing events', async () => {
    // The snapshot is meaningful: it saw the two conversations and the three directory profiles.
    expect(tablesBefore[tableOf('Conversation')]).toHaveLength(2);
    expect(tablesBefore[tableOf('UserProfile')]).toHaveLength(3);
    // Self-contained even when run alone: one more accepted event right before the comparison.
    const sent = await (await as('b')).mutations.sendTyping({ conversationId: ab, typing: false });
    expect(sent.data).toMatchObject({ conversationId: ab, userId: ids.b, typing: false });
    const after = await tableContents();
    expect(Object.keys(after).sort()).toEqual(Object.keys(tablesBefore).sort());
    for (const [table, items] of Object.entries(after)) {
      expect(items.length, table).toBe(tablesBefore[table]!.length);
      expect(items, table).toEqual(tablesBefore[table]);
    }
  });
});
