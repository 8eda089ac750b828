/**
 * The web app's one origin (offline/vite/plugin.ts): Vite's dev server with the project's config, in front of a
 * running sandbox. The stock aws-amplify client, configured with exactly the outputs module the browser receives,
 * signs up and in through /cognito, queries through /graphql and receives a subscription event over
 * wss://<app>/graphql/realtime — while the sandbox's real-time host check still refuses a handshake that names
 * another host, and a stopped sandbox is reported as such instead of a bare 500.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { confirmSignUp, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schema } from '../../amplify/data/resource';
import { offlineSandbox, outputsModule, PROXY_PATHS, readOfflineOutputs } from '../../offline/vite/plugin';
import { configureAmplify } from '../../src/amplify-config';
import { RealtimeSocket, signInUser } from '../security/support';
import { installWebSocket, startAppDevServer, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';
import { UNAUTHORIZED_HEADER } from '../../offline/errors';

installWebSocket();
const PASSWORD = 'Correct-Horse-9';
const EMAIL = 'origin@example.com';
let env: TestSandbox;
let vite: ViteDevServer;
let origin = '';

/** The module the browser gets for `import outputs from '../amplify_outputs.json'`, evaluated on a page at `origin`. */
async function browserOutputs(): Promise<Parameters<typeof configureAmplify>[0]> {
  const code = outputsModule(readOfflineOutputs(join(env.dataDirectory, 'amplify_outputs.json'))!);
  const global = globalThis as { location?: { origin: string } };
  global.location = { origin };
  try {
    const module = (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { default: Parameters<typeof configureAmplify>[0] };
    return module.default;
  } finally {
    delete global.location;
  }
}

beforeAll(async () => {
  env = await startTestSandbox();
  vite = await startAppDevServer(env.dataDirectory);
  origin = new URL(vite.resolvedUrls!.local[0]!).origin;
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await vite?.close();
  await env?.sandbox.close();
});

describe('the outputs module the browser receives', () => {
  it('points GraphQL and Cognito at the page origin and keeps everything else from the file', async () => {
    const outputs = (await browserOutputs()) as unknown as { data: { url: string }; custom: { userPoolEndpoint: string; connectionHelp: string }; auth: unknown };
    expect(origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(outputs.data.url).toBe(`${origin}${PROXY_PATHS.graphql}`);
    expect(outputs.custom.userPoolEndpoint).toBe(`${origin}${PROXY_PATHS.cognito}`);
    expect(outputs.auth).toEqual(env.outputs.auth);
    expect(outputs.custom.connectionHelp).toBe(env.outputs.custom.connectionHelp);
  });

  it('is what the app imports: main.tsx is served with the virtual module in place of the file', async () => {
    const main = await vite.transformRequest('/src/main.tsx');
    expect(main?.code).not.toMatch(/\/amplify_outputs\.json/);
    expect(main?.code).toMatch(/offline-sandbox:amplify_outputs/);
  });

  it('leaves outputs of a deployed backend alone (no HTTPS, no proxy, no rewrite)', () => {
    const plugin = offlineSandbox({ outputsFile: join(import.meta.dirname, '..', '..', 'package.json'), dataDirectory: env.dataDirectory, reportTrust: false });
    const config = (plugin.config as (c: object, e: object) => unknown)({ root: join(import.meta.dirname, '..', '..') }, { command: 'serve', mode: 'development' });
    expect(config).toBeUndefined();
    expect((plugin.resolveId as (s: string) => unknown)('../amplify_outputs.json')).toBeNull();
  });
});

describe('the stock client through the one origin', () => {
  it('signs up, confirms and signs in through /cognito', async () => {
    configureAmplify(await browserOutputs());
    await signUp({ username: EMAIL, password: PASSWORD, options: { userAttributes: { email: EMAIL, preferred_username: 'Origin' } } });
    await confirmSignUp({ username: EMAIL, confirmationCode: env.sandbox.userPool.lastCodeFor(EMAIL)! });
    await signIn({ username: EMAIL, password: PASSWORD });
    expect((await getCurrentUser()).signInDetails?.loginId).toBe(EMAIL);
  });

  it('queries through /graphql and receives a subscription event over wss on the same origin', async () => {
    const client = generateClient<Schema>();
    const me = (await getCurrentUser()).userId;
    const { data: conversation, errors } = await client.mutations.createConversation({ input: { name: 'one origin', participants: [me] } });
    expect(errors).toBeUndefined();
    const conversationId = conversation!.conversationId;

    const acked = subscriptionAcks(1);
    let received!: (content: string) => void;
    const event = new Promise<string>((resolve) => (received = resolve));
    const subscription = client.subscriptions.onMessageSent({ conversationId }).subscribe({ next: (message) => message && received(message.content ?? '<no content>') });
    await acked;
    const sent = await client.mutations.sendMessage({ input: { conversationId, content: 'through the proxy', clientMessageId: 'origin-1' } });
    expect(sent.errors).toBeUndefined();
    expect(await event).toBe('through the proxy');
    subscription.unsubscribe();

    const listed = await client.models.Conversation.list();
    expect(listed.data.map((c) => c.name)).toContain('one origin');
  });
});

describe('what the proxy does not relax', () => {
  it("the sandbox's real-time host check: a handshake naming the app's host is accepted, one naming another host is refused", async () => {
    const user = await signInUser(env, EMAIL);
    const url = `${origin.replace('https://', 'wss://')}${PROXY_PATHS.graphql}/realtime`;
    const open = async (host: string) => {
      const socket = await RealtimeSocket.open(env, { Authorization: user.accessToken, host }, { url, protocols: undefined });
      const frame = await socket.init();
      socket.close();
      return frame;
    };
    expect((await open(new URL(origin).host)).type).toBe('connection_ack');
    const refused = await open(new URL(env.sandbox.urls.graphql).host);
    expect(refused).toEqual({
      type: 'connection_error',
      payload: { errors: [{ ...UNAUTHORIZED_HEADER, errorCode: 401 }] },
    });
  });

  it('only the sandbox CA is trusted upstream, and the app is served with the sandbox certificate', async () => {
    const served = await fetch(`${origin}/`);
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('<div id="root">');
    const certificate = readFileSync(join(env.dataDirectory, 'server.pem'), 'utf8');
    expect(vite.config.server.https).toMatchObject({ cert: certificate });
  });

  it('a stopped sandbox is answered with an AppSync-shaped error naming it, not a bare 500', async () => {
    await env.sandbox.close();
    const response = await fetch(`${origin}${PROXY_PATHS.graphql}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { errors: { errorType: string; message: string }[] };
    expect(body.errors[0]?.errorType).toBe('SandboxUnreachable');
    expect(body.errors[0]?.message).toContain(new URL(env.sandbox.urls.graphql).host);
  });
});
