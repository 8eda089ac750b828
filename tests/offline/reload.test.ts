/**
 * Reload: the running sandbox takes a new synthesis — schema, resolver code, a function bundle —
 * without a restart and without losing data, re-checks live subscriptions against the new resolvers, and refuses
 * (still serving the old backend) a synthesis whose table keys changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmSignUp, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../amplify/data/resource';
import { configureAmplify } from '../../src/amplify-config';
import { copyCdkOut, removeCdkOutCopy } from '../../scripts/lib/cdk-out-copy.mjs';
import { addQueryField, changeTablePartitionKey, editResolverCode, wrapFunctionBundle } from './cdk-out-edits';
import { historyOf } from './stock-client';
import { CDK_OUT, installWebSocket, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';

installWebSocket();
const PASSWORD = 'Correct-Horse-9';
const emails = { a: 'ann.reload@example.com', b: 'bob.reload@example.com' };
let env: TestSandbox;
let baseline: string;
const copies: string[] = [];
const copy = (from: string) => {
  const to = copyCdkOut(from);
  copies.push(to);
  return to;
};
let conversationId = '';
let userA = '';
let userB = '';

const PROBE_QUERY = 'query Probe { reloadProbe }';
const PROBE_CONTENT = 'reload-probe';

async function as(user: 'a' | 'b') {
  await signOut();
  await signIn({ username: emails[user], password: PASSWORD });
  return generateClient<Schema>();
}

async function probe(client: ReturnType<typeof generateClient<Schema>>): Promise<{ data?: unknown; errors?: { message: string }[] }> {
  try {
    return (await client.graphql({ query: PROBE_QUERY })) as { data?: unknown };
  } catch (failure) {
    return failure as { errors?: { message: string }[] };
  }
}

beforeAll(async () => {
  baseline = copy(CDK_OUT);
  env = await startTestSandbox(undefined, baseline);
  configureAmplify(env.outputs);
  for (const user of ['a', 'b'] as const) {
    await signUp({ username: emails[user], password: PASSWORD, options: { userAttributes: { email: emails[user] } } });
    await confirmSignUp({ username: emails[user], confirmationCode: env.sandbox.userPool.lastCodeFor(emails[user])! });
  }
  const b = await as('b');
  userB = (await getCurrentUser()).userId;
  void b;
  const a = await as('a');
  userA = (await getCurrentUser()).userId;
  const created = await a.mutations.createConversation({ input: { name: 'reload', participants: [userA, userB] } });
  expect(created.errors).toBeUndefined();
  conversationId = created.data!.conversationId;
  const sent = await a.mutations.sendMessage({ input: { conversationId, content: 'before the reload', clientMessageId: 'r-1' } });
  expect(sent.errors).toBeUndefined();
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
  for (const directory of copies) removeCdkOutCopy(directory);
});

describe('reloading a new synthesis', () => {
  it('serves the new schema, resolver code and function bundle, keeps the data, and re-checks live subscriptions', async () => {
    const a = await as('a');
    const before = await probe(a);
    // graphql-js wording (docs/offline-fidelity.md); AppSync says "FieldUndefined".
    expect(before.errors?.[0]?.message).toMatch(/reloadProbe/);
    const probeSent = await a.mutations.sendMessage({ input: { conversationId, content: PROBE_CONTENT, clientMessageId: 'r-2' } });
    expect(probeSent.errors).toBeUndefined();

    // A live onMessageSent subscription, authorized by the current resolver.
    const acked = subscriptionAcks(1);
    const ended = new Promise<unknown>((resolve) => {
      a.subscriptions.onMessageSent({ conversationId }).subscribe({ next: () => undefined, error: resolve });
    });
    await acked;

    const edited = copy(baseline);
    addQueryField(edited, 'reloadProbe');
    // The new subscribe-time resolver refuses everyone: the live subscription must not survive the reload.
    editResolverCode(edited, 'onMessageSent(conversationId)', (code) => code.replace('export function response(ctx) {', 'export function response(ctx) {\n  util.unauthorized();'));
    wrapFunctionBundle(edited, 'data/message-processor-lambda/Code', `  if (event?.arguments?.input?.content === '${PROBE_CONTENT}') throw new Error('answered by the edited bundle');`);

    const report = await env.sandbox.reload(edited);
    const processor = env.sandbox.description.lambdas.find((fn) => fn.codeDirectory.endsWith('-edited'));
    expect(processor).toBeDefined();
    expect(report.functions.changed).toEqual([processor!.name]);
    expect(report.functions.added).toEqual([]);
    expect(report.subscriptions).toEqual({ kept: 0, ended: 1 });
    expect(report.userPoolNeedsRestart).toBe(false);
    expect(JSON.stringify(await ended)).toMatch(/Unauthorized/);

    // Same signed-in user and tokens, new backend.
    expect(await probe(a)).toEqual({ data: { reloadProbe: null } });
    const refused = await a.mutations.sendMessage({ input: { conversationId, content: PROBE_CONTENT, clientMessageId: 'r-3' } });
    expect(refused.errors?.[0]?.message).toBe('answered by the edited bundle');
    const ordinary = await a.mutations.sendMessage({ input: { conversationId, content: 'after the reload', clientMessageId: 'r-4' } });
    expect(ordinary.errors).toBeUndefined();
    const restarted = await new Promise<unknown>((resolve) => {
      a.subscriptions.onMessageSent({ conversationId }).subscribe({ next: () => resolve('delivered'), error: resolve });
    });
    expect(JSON.stringify(restarted)).toMatch(/Unauthorized/);

    const history = await historyOf(a, { conversationId, sortDirection: 'ASC' });
    expect(history.data.map((m) => m.content)).toEqual(['before the reload', PROBE_CONTENT, 'after the reload']);
  });

  it('refuses a synthesis whose table keys changed and keeps serving the backend it had', async () => {
    const changedKeys = copy(baseline);
    changeTablePartitionKey(changedKeys, 'MessageTable', 'conversationId');
    addQueryField(changedKeys, 'neverServed');
    await expect(env.sandbox.reload(changedKeys)).rejects.toThrow(/keys changed[\s\S]*--reset/);

    const a = await as('a');
    expect(await probe(a)).toEqual({ data: { reloadProbe: null } });
    const history = await historyOf(a, { conversationId });
    expect(history.data).toHaveLength(3);
  });
});
