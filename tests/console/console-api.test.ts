/**
 * The sandbox console's API against a real sandbox (in process, ephemeral ports): who may use it (this run's secret,
 * the console's own host and origin, loopback only), the Data API on the chat's real tables, the Auth API through the
 * pool's admin operations (a user made in the console signs in with SRP), and "run now" of a schedule.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { srpSignIn } from '../../offline/cognito/index';
import { newDataDirectory, startTestSandbox, type TestSandbox } from '../offline/helpers';
import { PASSWORD, signUpUser } from '../security/support';

let env: TestSandbox;
let origin: string;
let secret: string;

beforeAll(async () => {
  env = await startTestSandbox(newDataDirectory());
  const console = env.sandbox.console!;
  origin = console.origin;
  secret = console.secret;
});

afterAll(async () => {
  await env?.sandbox.close();
});

/** A request to the console with full control over its headers (fetch sets Host and Origin itself). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: () => unknown; text: string }> {
  const url = new URL(path, origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers: { host: url.host, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    if (body !== undefined) {
      const text = JSON.stringify(body);
      req.setHeader('content-type', 'application/json');
      req.setHeader('content-length', Buffer.byteLength(text));
      req.end(text);
    } else req.end();
  });
}

/** The console's API as its own page calls it: the secret as a bearer token. */
async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, status = 200): Promise<T> {
  const response = await raw(method, path, { authorization: `Bearer ${secret}` }, body);
  expect(response.status, response.text).toBe(status);
  return response.json() as T;
}

const ROUTES: [string, string][] = [
  ['GET', '/'],
  ['GET', '/api/tables'],
  ['POST', '/api/tables/Conversation/scan'],
  ['PUT', '/api/tables/Conversation/items'],
  ['GET', '/api/users'],
  ['POST', '/api/users'],
  ['DELETE', '/api/users/nobody'],
  ['GET', '/api/schedules'],
  ['POST', '/api/schedules/presence-sweeper/run'],
  ['GET', '/api/no-such-route'],
  ['POST', '/api/users/nobody/tokens'],
  ['POST', '/api/graphql'],
  ['GET', '/api/state'],
  ['PUT', '/api/state'],
  ['POST', '/api/state/export'],
  ['POST', '/api/state/import'],
  ['POST', '/api/state/reset'],
  // The pages and their built files.
  ['GET', '/assets/index.js'],
  ['GET', '/data'],
];

describe('who may use the console', () => {
  it('listens on loopback only, on its own port', () => {
    expect(new URL(origin).hostname).toBe('127.0.0.1');
    expect(env.sandbox.console!.url).toBe(`${origin}/?token=${secret}`);
    expect(secret.length).toBeGreaterThanOrEqual(32);
  });

  it.each(ROUTES)('%s %s without the secret, or with a wrong one, is 401 and changes nothing', async (method, path) => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { cookie: 'amplify_gen2_offline_console=wrong' }, { authorization: `Bearer ${secret}x` }];
    for (const headers of attempts) {
      const response = await raw(method, path, headers, method === 'GET' ? undefined : { email: 'intruder@example.com', password: 'Passw0rd!' });
      expect(response.status).toBe(401);
      expect(response.json()).toEqual({ error: { code: 'Unauthorized', message: "Open the console through the URL the sandbox printed: it carries this run's secret." } });
    }
    expect(env.sandbox.userPool.getUser('intruder@example.com')).toBeUndefined();
  });

  it('refuses the WebSocket upgrade without the secret', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${origin.replace('http', 'ws')}/api/live`);
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => reject(new Error('the upgrade was accepted')));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('the printed URL sets the secret in an HttpOnly, SameSite=Strict cookie and drops it from the address', async () => {
    const wrong = await raw('GET', '/?token=not-the-secret');
    expect(wrong.status).toBe(401);
    const opened = await raw('GET', `/?token=${secret}`);
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/');
    const cookie = String(opened.headers['set-cookie']);
    expect(cookie).toBe(`amplify_gen2_offline_console=${secret}; HttpOnly; SameSite=Strict; Path=/`);
    // The pages are built on first use (once per change of their sources); then they are what `/` answers.
    expect((await env.sandbox.console!.pages()).state).toBe('ready');
    const page = await raw('GET', '/', { cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await raw('GET', script!, { cookie: cookie.split(';')[0]! });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw('GET', script!)).status).toBe(401);
    const tables = await raw('GET', '/api/tables', { cookie: cookie.split(';')[0]! });
    expect(tables.status).toBe(200);
  });

  it('answers only to its own host (DNS rebinding) and takes changes only from its own origin', async () => {
    const rebound = await raw('GET', '/api/tables', { host: `attacker.example:${new URL(origin).port}`, authorization: `Bearer ${secret}` });
    expect(rebound.status).toBe(403);
    expect((rebound.json() as { error: { code: string } }).error.code).toBe('ForeignHost');
    const cross = await raw('POST', '/api/users', { authorization: `Bearer ${secret}`, origin: 'https://attacker.example' }, { email: 'csrf@example.com', password: 'Passw0rd!' });
    expect(cross.status).toBe(403);
    expect((cross.json() as { error: { code: string } }).error.code).toBe('ForeignOrigin');
    expect(env.sandbox.userPool.getUser('csrf@example.com')).toBeUndefined();
    const own = await raw('POST', '/api/tables/Conversation/scan', { authorization: `Bearer ${secret}`, origin }, {});
    expect(own.status).toBe(200);
  });
});

describe('Data', () => {
  const conversation = { id: { S: 'console-c1' }, participants: { L: [{ S: 'a::a' }, { S: 'b::b' }] }, title: { S: 'From the console' }, __typename: { S: 'Conversation' } };

  it('lists every table of the backend with its keys and indexes', async () => {
    const tables = await api<{ name: string; model?: string; keySchema: { attributeName: string; keyType: string }[]; globalSecondaryIndexes: { indexName: string }[] }[]>('GET', '/api/tables');
    expect(tables.map((t) => t.model).sort()).toEqual(env.sandbox.description.tables.map((t) => t.model).sort());
    const message = tables.find((t) => t.model === 'Message')!;
    expect(message.keySchema).toEqual(env.sandbox.description.tables.find((t) => t.model === 'Message')!.keySchema);
    expect(message.globalSecondaryIndexes.length).toBeGreaterThan(0);
  });

  it('puts, gets, scans with a filter, pages, queries by key and deletes an item with DynamoDB types', async () => {
    await api('PUT', '/api/tables/Conversation/items', { Item: conversation });
    expect(await api('POST', '/api/tables/Conversation/get', { Key: { id: { S: 'console-c1' } } })).toEqual({ Item: conversation });
    for (const n of [2, 3]) await api('PUT', '/api/tables/Conversation/items', { Item: { ...conversation, id: { S: `console-c${n}` } } });
    const filtered = await api<{ Items: unknown[] }>('POST', '/api/tables/Conversation/scan', {
      FilterExpression: 'title = :t',
      ExpressionAttributeValues: { ':t': { S: 'From the console' } },
    });
    expect(filtered.Items).toHaveLength(3);
    const first = await api<{ Items: unknown[]; LastEvaluatedKey?: unknown }>('POST', '/api/tables/Conversation/scan', { Limit: 2 });
    expect(first.Items).toHaveLength(2);
    expect(first.LastEvaluatedKey).toBeDefined();
    const rest = await api<{ Items: { id: { S: string } }[] }>('POST', '/api/tables/Conversation/scan', { Limit: 100, ExclusiveStartKey: first.LastEvaluatedKey });
    expect(rest.Items.length).toBeGreaterThanOrEqual(1);
    const byKey = await api<{ Items: unknown[]; Count: number }>('POST', '/api/tables/Conversation/query', {
      KeyConditionExpression: 'id = :id',
      ExpressionAttributeValues: { ':id': { S: 'console-c2' } },
    });
    expect(byKey.Count).toBe(1);
    expect(await api('POST', '/api/tables/Conversation/delete', { Key: { id: { S: 'console-c1' } } })).toEqual({ Deleted: conversation });
    await api('POST', '/api/tables/Conversation/get', { Key: { id: { S: 'console-c1' } } }, 404);
  });

  it('answers bad requests with what is wrong, DynamoDB errors with DynamoDB\'s own code, and never touches other tables', async () => {
    expect(await api('POST', '/api/tables/NoSuchTable/scan', {}, 404)).toEqual({ error: { code: 'NotFound', message: 'No table NoSuchTable in this backend here.' } });
    expect(await api('POST', '/api/tables/Conversation/scan', { Limit: 0 }, 400)).toEqual({ error: { code: 'BadRequest', message: 'Limit must be an integer from 1 to 1000.' } });
    expect(await api('POST', '/api/tables/Conversation/query', {}, 400)).toEqual({
      error: { code: 'BadRequest', message: 'KeyConditionExpression is required (a scan reads the whole table).' },
    });
    const invalid = await api<{ error: { code: string } }>('POST', '/api/tables/Conversation/query', { KeyConditionExpression: 'nope = :x', ExpressionAttributeValues: { ':x': { S: 'y' } } }, 400);
    expect(invalid.error.code).toBe('ValidationException');
    const notJson = await raw('POST', '/api/tables/Conversation/scan', { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, undefined);
    expect(notJson.status).toBe(200); // an empty body is {}
    expect(await api('GET', '/api/tables/Conversation/scan', undefined, 405)).toEqual({ error: { code: 'MethodNotAllowed', message: '/api/tables/Conversation/scan does not take GET.' } });
  });
});

describe('Auth', () => {
  const clientId = () => env.sandbox.description.userPool.clients[0]!.id;

  it('creates a user with a password who then signs in with SRP, as in the app', async () => {
    const created = await api<{ username: string; status: string; email: string; enabled: boolean }>('POST', '/api/users', { email: 'made.in.console@example.com', password: PASSWORD });
    expect(created).toMatchObject({ email: 'made.in.console@example.com', status: 'CONFIRMED', enabled: true });
    const signedIn = await srpSignIn(env.sandbox.userPool, 'made.in.console@example.com', PASSWORD, { clientId: clientId() });
    expect(signedIn.AuthenticationResult).toBeDefined();
  });

  it('lists users with status, attributes and the latest code; confirms, disables, enables, signs out and deletes', async () => {
    await env.sandbox.userPool.call('SignUp', { ClientId: clientId(), Username: 'pending@example.com', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'pending@example.com' }] });
    const { users } = await api<{ users: { email: string; status: string; lastCode?: string; username: string; sub: string }[] }>('GET', '/api/users');
    const pending = users.find((u) => u.email === 'pending@example.com')!;
    expect(pending.status).toBe('UNCONFIRMED');
    expect(pending.lastCode).toBe(env.sandbox.userPool.lastCodeFor('pending@example.com'));
    expect(await api('POST', `/api/users/${pending.username}/confirm`)).toMatchObject({ status: 'CONFIRMED' });

    expect(await api('POST', `/api/users/${encodeURIComponent('pending@example.com')}/disable`)).toMatchObject({ enabled: false });
    await expect(srpSignIn(env.sandbox.userPool, 'pending@example.com', PASSWORD, { clientId: clientId() })).rejects.toThrow('User is disabled.');
    expect(await api('POST', `/api/users/${pending.sub}/enable`)).toMatchObject({ enabled: true });
    await srpSignIn(env.sandbox.userPool, 'pending@example.com', PASSWORD, { clientId: clientId() });
    await api('POST', `/api/users/${pending.username}/sign-out`);
    expect(env.sandbox.userPool.getUser('pending@example.com')!.tokensRevokedBefore).toBeDefined();

    expect(await api('DELETE', `/api/users/${pending.username}`)).toEqual({ deleted: pending.username });
    expect(env.sandbox.userPool.getUser('pending@example.com')).toBeUndefined();
    await api('GET', `/api/users/${pending.username}`, undefined, 404);
  });

  it("sets a password under the pool's policy, and passes Cognito's refusals through", async () => {
    await signUpUser(env, 'reset.me@example.com');
    await api('POST', `/api/users/${encodeURIComponent('reset.me@example.com')}/password`, { password: 'An0ther-passw0rd' });
    await srpSignIn(env.sandbox.userPool, 'reset.me@example.com', 'An0ther-passw0rd', { clientId: clientId() });
    const weak = await api<{ error: { code: string; message: string } }>('POST', `/api/users/${encodeURIComponent('reset.me@example.com')}/password`, { password: 'short' }, 400);
    expect(weak.error.code).toBe('InvalidPasswordException');
    const twice = await api<{ error: { code: string } }>('POST', '/api/users', { email: 'reset.me@example.com', password: PASSWORD }, 400);
    expect(twice.error.code).toBe('UsernameExistsException');
  });
});

describe('Use as a user', () => {
  it('gives a confirmed user the tokens a sign-in would, which AppSync accepts; refuses unconfirmed and disabled users', async () => {
    await signUpUser(env, 'use.as@example.com');
    const tokens = await api<{ AccessToken: string; IdToken: string; RefreshToken: string; TokenType: string }>('POST', `/api/users/${encodeURIComponent('use.as@example.com')}/tokens`);
    expect(tokens.TokenType).toBe('Bearer');
    const claims = await env.sandbox.userPool.verifyUserPoolToken(tokens.AccessToken);
    expect(claims['sub']).toBe(env.sandbox.userPool.getUser('use.as@example.com')!.attributes['sub']);
    const answer = await fetch(env.sandbox.urls.graphql, {
      method: 'POST',
      headers: { authorization: tokens.AccessToken, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });

    await env.sandbox.userPool.call('SignUp', { ClientId: env.sandbox.description.userPool.clients[0]!.id, Username: 'not.yet@example.com', Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: 'not.yet@example.com' }] });
    expect(await api('POST', `/api/users/${encodeURIComponent('not.yet@example.com')}/tokens`, undefined, 400)).toEqual({ error: { code: 'UserNotConfirmedException', message: 'User is not confirmed.' } });
    await api('POST', `/api/users/${encodeURIComponent('use.as@example.com')}/disable`);
    expect(await api('POST', `/api/users/${encodeURIComponent('use.as@example.com')}/tokens`, undefined, 400)).toEqual({ error: { code: 'NotAuthorizedException', message: 'User is disabled.' } });
    await api('POST', `/api/users/${encodeURIComponent('use.as@example.com')}/enable`);
    expect(await api('POST', `/api/users/${encodeURIComponent('use.as@example.com')}/tokens`, { clientId: 'nope' }, 400)).toEqual({
      error: { code: 'ResourceNotFoundException', message: 'User pool client nope does not exist.' },
    });
  });
});

describe('GraphQL as a chosen caller', () => {
  const create = (participants: string[]) => ({
    query: 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { conversationId participants } }',
    variables: { input: { name: 'Explorer room', participants } },
  });
  const get = (id: string) => ({ query: 'query G($id: ID!) { getConversation(id: $id) { id name } }', variables: { id } });

  it('runs as a user of the pool, and AppSync applies that user\'s rules', async () => {
    await signUpUser(env, 'explorer.ann@example.com');
    await signUpUser(env, 'explorer.bob@example.com');
    await signUpUser(env, 'explorer.cat@example.com');
    const bob = env.sandbox.userPool.getUser('explorer.bob@example.com')!.attributes['sub']!;
    const created = await api<{ status: number; body: { data: { createConversation: { conversationId: string } } } }>('POST', '/api/graphql', {
      ...create([bob]),
      as: { user: 'explorer.ann@example.com' },
    });
    expect(created.status).toBe(200);
    const id = created.body.data.createConversation.conversationId;
    const asBob = await api<{ body: { data: { getConversation: { id: string; name: string } | null } } }>('POST', '/api/graphql', { ...get(id), as: { user: 'explorer.bob@example.com' } });
    expect(asBob.body.data.getConversation).toEqual({ id, name: 'Explorer room' });
    const asCat = await api<{ body: { data: { getConversation: unknown }; errors?: { errorType: string }[] } }>('POST', '/api/graphql', { ...get(id), as: { user: 'explorer.cat@example.com' } });
    expect(asCat.body.data.getConversation).toBeNull();
    expect(asCat.body.errors?.[0]?.errorType).toBe('Unauthorized');
    // One session per user however many requests; a global sign-out ends it and the next request signs in anew.
    const active = () => env.sandbox.userPool.getUser('explorer.bob@example.com')!.sessions.filter((session) => !session.revoked).length;
    expect(active()).toBe(1);
    await api('POST', '/api/graphql', { ...get(id), as: { user: 'explorer.bob@example.com' } });
    expect(active()).toBe(1);
    await api('POST', `/api/users/${encodeURIComponent('explorer.bob@example.com')}/sign-out`);
    expect(active()).toBe(0);
    const again = await api<{ body: { data: { getConversation: unknown } } }>('POST', '/api/graphql', { ...get(id), as: { user: 'explorer.bob@example.com' } });
    expect(again.body.data.getConversation).toEqual({ id, name: 'Explorer room' });
    expect(active()).toBe(1);
  });

  it('without a caller, AppSync refuses; an API key only where the API has one; bad callers are named', async () => {
    const anonymous = await api<{ status: number; body: { errors: { errorType: string }[] } }>('POST', '/api/graphql', get('x'));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0]!.errorType).toBe('UnauthorizedException');
    expect(await api('POST', '/api/graphql', { ...get('x'), as: { apiKey: true } }, 400)).toEqual({ error: { code: 'BadRequest', message: 'This API has no API key.' } });
    expect(await api('POST', '/api/graphql', { ...get('x'), as: { user: 'nobody@example.com' } }, 400)).toEqual({ error: { code: 'UserNotFoundException', message: 'User does not exist.' } });
    expect(await api('POST', '/api/graphql', { ...get('x'), as: { role: 'admin' } }, 400)).toEqual({
      error: { code: 'BadRequest', message: 'as must be {"user": "<username>"}, {"apiKey": true} or {"iam": true}.' },
    });
    expect(await api('POST', '/api/graphql', { as: { apiKey: true } }, 400)).toEqual({ error: { code: 'BadRequest', message: 'query must be a non-empty string.' } });
  });
});

describe('Schedules', () => {
  it('lists the schedules and runs one now', async () => {
    const { schedules } = await api<{ schedules: { functionName: string; expression: string; nextRun?: string }[] }>('GET', '/api/schedules');
    expect(schedules).toEqual([{ functionName: 'presence-sweeper', expression: 'cron(*/1 * * * ? *)', nextRun: expect.stringMatching(/^\d{4}-/) }]);
    const run = await api<{ functionName: string; outcome: { status: string } }>('POST', '/api/schedules/presence-sweeper/run');
    expect(run).toMatchObject({ functionName: 'presence-sweeper', outcome: { status: 'ok' } });
    await api('POST', '/api/schedules/message-processor/run', undefined, 404);
  });
});

describe('Live', () => {
  /** Opens the live stream with `headers`; resolves with the socket and every message it receives from then on. */
  function openLive(headers: Record<string, string>, path = '/api/live'): Promise<{ socket: WebSocket; messages: { type: string; entries?: { line: string; level: string }[]; entry?: { line: string; level: string } }[] }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${origin.replace('http', 'ws')}${path}`, { headers });
      const messages: { type: string }[] = [];
      socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
      socket.on('open', () => resolve({ socket, messages }));
      socket.on('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      socket.on('error', reject);
    });
  }

  it('streams the latest log lines, then each new one (a schedule run now, its function\'s own output)', async () => {
    const { socket, messages } = await openLive({ authorization: `Bearer ${secret}` });
    await new Promise<void>((resolve) => {
      const check = () => (messages.length > 0 ? resolve() : socket.once('message', check));
      check();
    });
    const recent = messages[0]!;
    expect(recent.type).toBe('recent');
    expect(recent.entries!.some((e) => e.line.startsWith('[sandbox] console… ok'))).toBe(true);
    const seen = new Promise<{ line: string; level: string }>((resolve) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; entry?: { line: string; level: string } };
        if (message.type === 'log' && message.entry!.line.startsWith('[schedule] presence-sweeper')) resolve(message.entry!);
      });
    });
    await api('POST', '/api/schedules/presence-sweeper/run');
    const line = await seen;
    expect(line.level).toBe('debug');
    socket.close();
  });

  it('refuses another path, another origin, and (above) no secret', async () => {
    await expect(openLive({ authorization: `Bearer ${secret}` }, '/api/elsewhere')).rejects.toThrow('refused: 404');
    await expect(openLive({ authorization: `Bearer ${secret}`, origin: 'https://attacker.example' })).rejects.toThrow('refused: 403');
  });
});

describe('with the console turned off', () => {
  it('serves no console', async () => {
    const { startSandbox } = await import('../../offline/sandbox/start-sandbox');
    const { CDK_OUT } = await import('../offline/helpers');
    const sandbox = await startSandbox({ cdkOut: CDK_OUT, dataDirectory: newDataDirectory(), ports: { appsync: 0, cognito: 0, console: 0 }, console: false, logger: () => undefined });
    try {
      expect(sandbox.console).toBeUndefined();
    } finally {
      await sandbox.close();
    }
  });
});
