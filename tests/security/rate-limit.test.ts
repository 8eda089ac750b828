/**
 * Abuse limit: the per-user sendMessage rate limit of the message-processor Lambda, run in the
 * offline sandbox on a copy of the synthesized backend whose function environment says what
 * `CHAT_APP_SEND_RATE_LIMIT=3 CHAT_APP_SEND_RATE_WINDOW_SECONDS=3600` would synthesize. The counters live in the real
 * SendRateLimit table (dynalite), written by the real bundle through the AWS SDK: one item per user and window (key
 * userId + windowStart), counted in the send's own transaction, so a refused send neither writes a message nor counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { windowStartOf } from '../../amplify/functions/message-processor/send-rate-limiter';
import { copyCdkOut, removeCdkOutCopy, setFunctionEnvironment } from '../../scripts/lib/cdk-out-copy.mjs';
import { CDK_OUT, startTestSandbox, type TestSandbox } from '../offline/helpers';
import { graphql, newId, signInUser, signUpUser, type GraphQLAnswer, type SignedInUser } from './support';

const LIMIT = 3;
const WINDOW_SECONDS = 3600;

const SEND = 'mutation S($input: SendMessageInputInput!) { sendMessage(input: $input) { id conversationId content } }';
const CREATE_CONVERSATION = 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { id } }';
const EDIT = 'mutation E($messageId: ID!, $content: String!) { editMessage(messageId: $messageId, content: $content) { id content } }';
const HISTORY =
  'query H($conversationId: ID!) { listConversationMessages(conversationId: $conversationId, limit: 100) { items { id sender content } nextToken } }';

let cdkOut: string;
let env: TestSandbox;
let userCount = 0;

beforeAll(async () => {
  cdkOut = copyCdkOut(CDK_OUT);
  setFunctionEnvironment(cdkOut, 'message-processor', { SEND_RATE_LIMIT_MESSAGES: String(LIMIT), SEND_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS) });
  env = await startTestSandbox(undefined, cdkOut);
});

afterAll(async () => {
  await env?.sandbox.close();
  if (cdkOut) removeCdkOutCopy(cdkOut);
});

async function newUser(): Promise<SignedInUser> {
  const email = `limit-${(userCount += 1)}@example.com`;
  await signUpUser(env, email);
  return signInUser(env, email);
}

async function conversationOf(creator: SignedInUser, ...others: SignedInUser[]): Promise<string> {
  const answer = await graphql(env, creator.accessToken, CREATE_CONVERSATION, { input: { participants: [creator.sub, ...others.map((o) => o.sub)] } });
  const id = (answer.json.data?.['createConversation'] as { id?: string } | null)?.id;
  if (!id) throw new Error(`createConversation failed: ${answer.text}`);
  return id;
}

/** The user's counter items in the SendRateLimit table (read with the sandbox's own client, as an operator would). */
async function countersOf(user: SignedInUser): Promise<Record<string, unknown>[]> {
  const table = env.sandbox.description.lambdas.find((l) => l.name === 'message-processor')?.environment['SEND_RATE_LIMIT_TABLE'];
  if (!table) throw new Error('the message processor has no SEND_RATE_LIMIT_TABLE');
  const page = await env.sandbox.dynamodb.send(
    new QueryCommand({ TableName: table, KeyConditionExpression: 'userId = :user', ExpressionAttributeValues: { ':user': { S: user.sub } }, ConsistentRead: true }),
  );
  return (page.Items ?? []).map((item) => unmarshall(item));
}

/** What the counters of one user hold after `sent` counted sends in the window starting at `windowStart`. */
const counterItem = (user: SignedInUser, windowStart: number, sent: number) => ({ userId: user.sub, windowStart, sent, expiresAt: expect.any(Number) });

const send = (user: SignedInUser, conversationId: string, content: string): Promise<GraphQLAnswer> =>
  graphql(env, user.accessToken, SEND, { input: { conversationId, content, clientMessageId: newId() } });

/**
 * Runs a scenario whose expectations assume every send falls into one rate window; if the clock crossed a window
 * boundary meanwhile (at most once an hour), the scenario runs again with new users rather than asserting on a count
 * that legitimately restarted.
 */
async function inOneWindow(scenario: () => Promise<void>): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const before = windowStartOf(new Date(), WINDOW_SECONDS);
    let failure: unknown;
    try {
      await scenario();
    } catch (error) {
      failure = error;
    }
    if (windowStartOf(new Date(), WINDOW_SECONDS) === before) {
      if (failure) throw failure;
      return;
    }
  }
  throw new Error('two rate windows ended during the scenario');
}

describe('per-user send rate limit', () => {
  it(`accepts ${LIMIT} messages per window, refuses the next with a RateLimited error, and stores nothing of it`, async () => {
    await inOneWindow(async () => {
      const windowStart = windowStartOf(new Date(), WINDOW_SECONDS);
      const ann = await newUser();
      const bob = await newUser();
      const conversationId = await conversationOf(ann, bob);

      for (let i = 1; i <= LIMIT; i += 1) {
        const ok = await send(ann, conversationId, `message ${i}`);
        expect(ok.json.errors).toBeUndefined();
      }
      const refused = await send(ann, conversationId, 'one too many');
      expect(refused.status).toBe(200);
      expect(refused.json.data).toEqual({ sendMessage: null });
      expect(refused.json.errors).toHaveLength(1);
      expect(refused.json.errors?.[0]).toMatchObject({ errorType: 'Lambda:Unhandled', path: ['sendMessage'] });
      expect(refused.json.errors?.[0]?.message).toMatch(
        new RegExp(`^RateLimited: you sent ${LIMIT} messages in the last ${WINDOW_SECONDS} s, the most allowed; try again in \\d+ s$`),
      );

      // The limit is per user: Bob, in the same conversation, still sends; Ann can still edit.
      const fromBob = await send(bob, conversationId, 'from Bob');
      expect(fromBob.json.errors).toBeUndefined();
      const first = (await graphql(env, ann.accessToken, HISTORY, { conversationId })).json.data?.['listConversationMessages'] as {
        items: { id: string; sender: string; content: string }[];
      };
      const annsFirst = first.items.find((m) => m.content === 'message 1');
      const edited = await graphql(env, ann.accessToken, EDIT, { messageId: annsFirst?.id, content: 'message 1 (edited)' });
      expect(edited.json.errors).toBeUndefined();

      const history = (await graphql(env, bob.accessToken, HISTORY, { conversationId })).json.data?.['listConversationMessages'] as {
        items: { sender: string; content: string }[];
      };
      expect(history.items.filter((m) => m.sender === ann.sub).map((m) => m.content).sort()).toEqual(['message 1 (edited)', 'message 2', 'message 3']);
      expect(history.items.some((m) => m.content === 'one too many')).toBe(false);
      // One counter item per user and window: the refused send and the edit counted nothing; creating the conversation
      // is not a send. The item expires (TTL) after its window.
      expect(await countersOf(ann)).toEqual([counterItem(ann, windowStart, LIMIT)]);
      expect(await countersOf(bob)).toEqual([counterItem(bob, windowStart, 1)]);
      expect(((await countersOf(ann))[0]!['expiresAt'] as number) > windowStart + WINDOW_SECONDS).toBe(true);
    });
  });

  it('counts attempts on conversations the sender is not in, so a flood of refused sends is limited too', async () => {
    await inOneWindow(async () => {
      const windowStart = windowStartOf(new Date(), WINDOW_SECONDS);
      const ann = await newUser();
      const eve = await newUser();
      const conversationId = await conversationOf(ann);
      const answers = [];
      for (let i = 0; i <= LIMIT; i += 1) answers.push(await send(eve, conversationId, `intrusion ${i}`));
      const codes = answers.map((a) => a.json.errors?.[0]?.message.split(':')[0]);
      expect(codes).toEqual([...Array<string>(LIMIT).fill('Unauthorized'), 'RateLimited']);
      const history = (await graphql(env, ann.accessToken, HISTORY, { conversationId })).json.data?.['listConversationMessages'] as { items: unknown[] };
      expect(history.items).toEqual([]);
      expect(await countersOf(eve)).toEqual([counterItem(eve, windowStart, LIMIT)]);
      expect(await countersOf(ann)).toEqual([]);
    });
  });

  it('refuses concurrent sends beyond the limit exactly (the count is shared, not per request)', async () => {
    await inOneWindow(async () => {
      const windowStart = windowStartOf(new Date(), WINDOW_SECONDS);
      const ann = await newUser();
      const conversationId = await conversationOf(ann);
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => send(ann, conversationId, `burst ${i}`)));
      const accepted = answers.filter((a) => !a.json.errors);
      const limited = answers.filter((a) => a.json.errors?.[0]?.message.startsWith('RateLimited: '));
      expect(accepted).toHaveLength(LIMIT);
      expect(limited).toHaveLength(10 - LIMIT);
      const history = (await graphql(env, ann.accessToken, HISTORY, { conversationId })).json.data?.['listConversationMessages'] as { items: unknown[] };
      expect(history.items).toHaveLength(LIMIT);
      expect(await countersOf(ann)).toEqual([counterItem(ann, windowStart, LIMIT)]);
    });
  });
});
