/**
 * The console's live stream as structured events, against a real sandbox: requests with their operation and caller
 * and a resolver trace fetched by id, a Cognito trigger's and a resolver's Lambda invocations, a subscription's start,
 * the deliveries of a message to it and its end, and a schedule run now with its function's console output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RequestTrace, SandboxEvent } from '../../offline/sandbox/events';
import { newDataDirectory, startTestSandbox, type TestSandbox } from '../offline/helpers';
import { graphql, RealtimeSocket, signInUser, signUpUser, userHeader, type SignedInUser } from '../security/support';

type Message = { type: string; entries?: unknown[]; events?: SandboxEvent[]; entry?: { line: string }; event?: SandboxEvent };
type Kind<K extends SandboxEvent['kind']> = Extract<SandboxEvent, { kind: K }>;

/** How long an awaited event may take before the test fails (a failure guard, not synchronisation). */
const GUARD_MS = 20_000;

let env: TestSandbox;
let live: LiveStream;
const users = {} as Record<'ann' | 'bob', SignedInUser>;

/** The live stream: every message kept, and a way to wait for the first event (from now on, or ever) that matches. */
class LiveStream {
  readonly messages: Message[] = [];
  private readonly waiters: { from: number; test: (event: SandboxEvent) => boolean; resolve: (event: SandboxEvent) => void }[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      for (const waiter of [...this.waiters]) {
        const found = this.find(waiter.test, waiter.from);
        if (found) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(found);
        }
      }
    });
  }

  static open(): Promise<LiveStream> {
    const api = env.sandbox.console!;
    const socket = new WebSocket(`${api.origin.replace('http', 'ws')}/api/live`, { headers: { authorization: `Bearer ${api.secret}` } });
    const stream = new LiveStream(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(stream));
      socket.once('error', reject);
    });
  }

  get mark(): number {
    return this.messages.length;
  }

  private find(test: (event: SandboxEvent) => boolean, from: number): SandboxEvent | undefined {
    for (const message of this.messages.slice(from)) if (message.type === 'event' && test(message.event!)) return message.event;
    return undefined;
  }

  /** The first event after message `from` (default: the start) of `kind` that passes `test`. */
  event<K extends SandboxEvent['kind']>(kind: K, test: (event: Kind<K>) => boolean = () => true, from = 0): Promise<Kind<K>> {
    const matches = (event: SandboxEvent) => event.kind === kind && test(event as Kind<K>);
    const found = this.find(matches, from);
    if (found) return Promise.resolve(found as Kind<K>);
    return new Promise((resolve, reject) => {
      // A failure guard only: the event is awaited, never slept for.
      const guard = setTimeout(() => reject(new Error(`no ${kind} event came; the stream had: ${JSON.stringify(this.messages.slice(from).map((m) => m.event ?? m.entry?.line))}`)), GUARD_MS);
      this.waiters.push({ from, test: matches, resolve: (event) => (clearTimeout(guard), resolve(event as Kind<K>)) });
    });
  }
}

async function consoleGet(path: string): Promise<{ status: number; json: unknown }> {
  const api = env.sandbox.console!;
  const response = await fetch(`${api.origin}${path}`, { headers: { authorization: `Bearer ${api.secret}` } });
  return { status: response.status, json: await response.json() };
}

beforeAll(async () => {
  env = await startTestSandbox(newDataDirectory());
  live = await LiveStream.open();
  for (const [key, email] of [['ann', 'ann.live@example.com'], ['bob', 'bob.live@example.com']] as const) {
    await signUpUser(env, email);
    users[key] = await signInUser(env, email);
  }
});

afterAll(async () => {
  live?.socket.close();
  await env?.sandbox.close();
});

describe('the live stream', () => {
  it('starts with the latest log lines and events', async () => {
    const first = live.messages[0]!;
    expect(first.type).toBe('recent');
    expect(Array.isArray(first.entries)).toBe(true);
    expect(Array.isArray(first.events)).toBe(true);
    // A late watcher gets the events so far in its first message.
    const late = await LiveStream.open();
    await new Promise<void>((resolve) => (late.messages.length > 0 ? resolve() : late.socket.once('message', () => resolve())));
    expect(late.messages[0]!.events!.some((e) => e.kind === 'lambda' && e.functionName === 'post-confirmation')).toBe(true);
    late.socket.close();
  });

  it('shows a Cognito trigger as a Lambda invocation with what invoked it', async () => {
    const trigger = await live.event('lambda', (e) => e.functionName === 'post-confirmation');
    expect(trigger.invoker).toEqual({ kind: 'trigger', trigger: 'PostConfirmation_ConfirmSignUp' });
    expect(trigger.error).toBeUndefined();
    expect(trigger.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('shows a request with its operation, caller and outcome, and its resolver trace by id', async () => {
    const from = live.mark;
    const answer = await graphql(env, users.ann.accessToken, 'mutation StartChat($input: NewConversationInput!) { createConversation(input: $input) { conversationId } }', {
      input: { name: 'live', participants: [users.ann.sub, users.bob.sub] },
    });
    expect(answer.json.errors).toBeUndefined();
    const request = await live.event('request', (e) => e.operationName === 'StartChat', from);
    expect(request).toMatchObject({ operationType: 'mutation', rootFields: ['createConversation'], status: 200, errors: [], traced: true });
    expect(request.caller?.authType).toBe('AMAZON_COGNITO_USER_POOLS');
    expect([request.caller?.who, request.caller?.sub]).toContain(users.ann.sub);

    const lambda = await live.event('lambda', (e) => e.invoker.kind === 'appsync', from);
    expect(lambda).toMatchObject({ functionName: 'message-processor', invoker: { kind: 'appsync', field: 'Mutation.createConversation' } });

    const { status, json } = await consoleGet(`/api/requests/${request.requestId}/trace`);
    expect(status).toBe(200);
    const trace = json as RequestTrace;
    expect(trace.requestId).toBe(request.requestId);
    const resolver = trace.resolvers.find((r) => r.field === 'Mutation.createConversation')!;
    expect(resolver).toMatchObject({ path: 'createConversation' });
    const step = resolver.steps.find((s) => s.dataSource?.type === 'AWS_LAMBDA')!;
    expect(step.request).toMatchObject({ operation: 'Invoke' });
    expect(step.result).toMatchObject({ conversationId: expect.any(String) });
    expect(step.error).toBeUndefined();
  });

  it('shows a refused request with its status and error', async () => {
    const from = live.mark;
    await graphql(env, 'not-a-token', 'query Nope { __typename }');
    const refused = await live.event('request', (e) => e.status === 401, from);
    expect(refused.errors[0]).toMatchObject({ type: 'UnauthorizedException' });
    expect(refused.caller).toBeUndefined();
  });

  it('answers 404 for a trace it does not keep', async () => {
    const { status, json } = await consoleGet('/api/requests/no-such-request/trace');
    expect(status).toBe(404);
    expect(json).toEqual({ error: { code: 'TraceNotKept', message: 'No trace of request no-such-request: traces are kept for the latest 200 requests made while the Live page is open.' } });
  });

  it('shows a subscription starting, a message delivered to it (one event per message), and its end', async () => {
    const created = await graphql(env, users.ann.accessToken, 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { conversationId } }', {
      input: { name: 'subscribed', participants: [users.ann.sub, users.bob.sub] },
    });
    const conversationId = (created.json.data!['createConversation'] as { conversationId: string }).conversationId;
    const from = live.mark;
    const bob = await RealtimeSocket.connect(env, users.bob.accessToken);
    const answer = await bob.start('bob-messages', 'subscription S($c: ID!) { onMessageSent(conversationId: $c) { messageId content } }', { c: conversationId }, userHeader(env, users.bob.accessToken));
    expect(answer.type).toBe('start_ack');
    const started = await live.event('subscription-started', (e) => e.subscriptionId === 'bob-messages', from);
    expect(started.field).toBe('onMessageSent');
    expect(JSON.stringify(started.caller)).toContain(users.bob.sub);
    expect(JSON.stringify(started.filter)).toContain(conversationId);

    const sent = await graphql(env, users.ann.accessToken, 'mutation Send($input: SendMessageInputInput!) { sendMessage(input: $input) { messageId } }', { input: { conversationId, content: 'hello live' } });
    expect(sent.json.errors).toBeUndefined();
    // The message processor publishes the message through AppSync (IAM): that request's event reaches Bob.
    const delivery = await live.event('delivery', (e) => e.subscriptions.some((s) => s.subscriptionId === 'bob-messages'), from);
    expect(delivery.subscriptionFields).toContain('onMessageSent');
    expect(delivery).toMatchObject({ matched: 1, delivered: 1 });
    const publish = await live.event('request', (e) => e.requestId === delivery.requestId, from);
    expect(publish).toMatchObject({ operationType: 'mutation', rootFields: [delivery.mutationField], caller: { authType: 'AWS_IAM' } });
    expect(live.messages.slice(from).filter((m) => m.event?.kind === 'delivery' && m.event.requestId === delivery.requestId)).toHaveLength(1);

    bob.ws.close();
    const stopped = await live.event('subscription-stopped', (e) => e.subscriptions.some((s) => s.subscriptionId === 'bob-messages'), from);
    expect(stopped).toMatchObject({ reason: 'connection closed', count: 1 });
  });

  it('shows a schedule run now, and its function\'s invocation with its console output', async () => {
    const from = live.mark;
    const api = env.sandbox.console!;
    const run = await fetch(`${api.origin}/api/schedules/presence-sweeper/run`, { method: 'POST', headers: { authorization: `Bearer ${api.secret}` } });
    expect(run.status).toBe(200);
    const lambda = await live.event('lambda', (e) => e.functionName === 'presence-sweeper', from);
    expect(lambda.invoker).toEqual({ kind: 'schedule', schedule: 'presence-sweeper-schedule-0' });
    expect(lambda.output.some((line) => line.includes('"message":"presence sweep"'))).toBe(true);
    const schedule = await live.event('schedule', (e) => e.functionName === 'presence-sweeper', from);
    expect(schedule).toMatchObject({ expression: 'cron(*/1 * * * ? *)', manual: true, outcome: 'ok' });
    // The sweeper's own requests (IAM, through AppSync) are requests too.
    const own = await live.event('request', (e) => e.caller?.authType === 'AWS_IAM', from);
    expect(own.caller?.who).toMatch(/^arn:aws:/);
  });

  it('shows reloads: what changed, or why one was refused', async () => {
    const from = live.mark;
    await env.sandbox.reload();
    const ok = await live.event('reload', () => true, from);
    // The same synthesis: nothing but the tables' check to say.
    expect(ok).toMatchObject({ outcome: 'ok', changes: [expect.stringMatching(/^tables: 0 created, \d+ kept, 0 rebuilt$/)] });
    await expect(env.sandbox.reload('/nowhere/cdk.out')).rejects.toThrow();
    const failed = await live.event('reload', (e) => e.outcome === 'failed', from);
    expect(failed.error).toMatch(/nowhere/);
  });
});
