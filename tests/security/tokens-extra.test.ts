/**
 * Token checks beyond tests/offline/tokens.test.ts (which covers no token, garbage, a tampered signature, alg none,
 * HS256 keyed with the public key, expired, not yet valid, another app client and another pool's issuer, over HTTP and
 * at the handshake). Added here: a refresh token used as a bearer token, tokens of a deleted and of a disabled user,
 * tokens revoked by GlobalSignOut (the stock client's `signOut({global: true})`) and by AdminUserGlobalSignOut, more
 * forged claims (this pool's id under Cognito's real issuer, an ID token for another audience, a sub that does not
 * belong to the username, a `cognito:groups` claim added to reach publishConversationEvent) — each refused over HTTP,
 * at the real-time handshake AND in a `start` on an otherwise valid connection (AppSync authenticates every start on
 * its own) — and injection into the real-time handshake's header object: extra fields, a foreign or missing host,
 * CR/LF in values, oversized headers.
 *
 * Every refusal is checked against a token or header that works the moment before, so each assertion can fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { SignJWT, calculateJwkThumbprint, decodeJwt, exportJWK, importPKCS8 } from 'jose';
import WebSocket from 'ws';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { EVENT_PUBLISHER_GROUP } from '../../amplify/shared/events';
import { functionCredentials } from '../../offline/aws-endpoints/credentials';
import { UNAUTHORIZED_HEADER, notAuthorizedToAccess } from '../../offline/errors';
import { configureAmplify } from '../../src/amplify-config';
import { startTestSandbox, type TestSandbox } from '../offline/helpers';
import {
  PASSWORD,
  RealtimeSocket,
  UNAUTHORIZED_BODY,
  adminCreateUser,
  apiHost,
  clientId,
  cognitoAdmin,
  frameErrors,
  graphql,
  signInUser,
  userHeader,
  type Frame,
  type SignedInUser,
} from './support';

let env: TestSandbox;
/** A signed-in bystander whose connection carries the `start`s with foreign tokens. */
let holder: SignedInUser;
let holderSocket: RealtimeSocket;
/** Holder's own conversation: a subscription to it is authorized for the holder, not for anyone else. */
let conversation: string;
let starts = 0;

const QUERY = '{ listConversations { items { id } } }';
const SUBSCRIPTION = 'subscription Watch($c: ID!) { onMessageSent(conversationId: $c) { id content } }';
/** The backend's publish: IAM, or a user pool caller in EVENT_PUBLISHER_GROUP (a group nobody is in). */
const PUBLISH = 'mutation P($e: ConversationEventInput!) { publishConversationEvent(event: $e) { conversationId type userId at typing participants } }';
const PUBLISH_REFUSED = notAuthorizedToAccess('publishConversationEvent', 'Mutation');

async function http(token: string): Promise<{ status: number; body: unknown }> {
  const answer = await graphql(env, token, QUERY);
  return { status: answer.status, body: answer.json };
}

/**
 * The first answer to connection_init on a socket opened with `header`: Form B (the `header-` subprotocol, what
 * aws-amplify sends) or Form A (the `header` query parameter, standard base64, what older clients send).
 */
async function handshake(header: Record<string, unknown>, form: 'A' | 'B' = 'B'): Promise<{ type: string; payload?: Record<string, unknown> }> {
  const socket =
    form === 'B'
      ? await RealtimeSocket.open(env, header)
      : await RealtimeSocket.open(env, undefined, { protocols: ['graphql-ws'], url: `${env.sandbox.urls.realtime}?header=${encodeURIComponent(Buffer.from(JSON.stringify(header)).toString('base64'))}&payload=e30=` });
  const frame = await socket.init();
  socket.close();
  return frame;
}

/** The answer to a `start` carrying `authorization`, on the holder's valid connection. */
function start(authorization: Record<string, unknown>): Promise<Frame> {
  return holderSocket.start(`start-${++starts}`, SUBSCRIPTION, { c: conversation }, authorization);
}

/** Accepted over HTTP, at the handshake and in a start: the baseline each refusal is compared with. */
async function expectAccepted(token: string): Promise<void> {
  expect((await http(token)).status).toBe(200);
  expect((await handshake(userHeader(env, token))).type).toBe('connection_ack');
  const answer = await start(userHeader(env, token));
  // The holder's conversation: authorized for the holder only, so a valid token of anyone else gets Unauthorized
  // from the subscription resolver, never UnauthorizedException (which is the token check).
  expect(answer.type === 'start_ack' || frameErrors(answer)[0]?.errorType === 'Unauthorized').toBe(true);
}

async function expectRefused(token: string): Promise<void> {
  expect(await http(token)).toEqual({ status: 401, body: UNAUTHORIZED_BODY });
  const frame = await handshake(userHeader(env, token));
  expect(frame).toEqual({ type: 'connection_error', payload: { errors: [{ ...UNAUTHORIZED_HEADER, errorCode: 401 }] } });
  const answer = await start(userHeader(env, token));
  expect(answer.type).toBe('error');
  expect(frameErrors(answer)).toEqual([UNAUTHORIZED_HEADER]);
}

async function signWithPoolKey(claims: Record<string, unknown>): Promise<string> {
  const pem = readFileSync(join(env.dataDirectory, 'cognito', 'cognito-signing-key.pem'), 'utf8');
  const key = await importPKCS8(pem, 'RS256');
  const kid = await calculateJwkThumbprint(await exportJWK(createPublicKey(pem)), 'sha256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
}

/** The holder's connection still works: a start with its own token is acknowledged. */
async function holderStillServed(): Promise<void> {
  expect((await start(userHeader(env, holder.accessToken))).type).toBe('start_ack');
}

beforeAll(async () => {
  env = await startTestSandbox();
  // Administrator-created users: tokens are all these tests need (no profile, no PostConfirmation cold start).
  for (const name of ['holder', 'deleted', 'disabled', 'global', 'admin-signed-out', 'other']) await adminCreateUser(env, `${name}.tokens@example.com`);
  holder = await signInUser(env, 'holder.tokens@example.com');
  holderSocket = await RealtimeSocket.connect(env, holder.accessToken);
  // No one else: the caller is always a participant, so this is the holder's alone.
  const created = await graphql(env, holder.accessToken, 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { id participants } }', { input: { name: 'holder only', participants: [] } });
  expect(created.json.data?.['createConversation']).toMatchObject({ participants: [holder.sub] });
  conversation = (created.json.data!['createConversation'] as { id: string }).id;
  await holderStillServed();
});

afterAll(async () => {
  holderSocket?.close();
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('tokens that were valid and no longer are', () => {
  it('a refresh token presented as a bearer token is refused; the access token of the same sign-in is not', async () => {
    const user = await signInUser(env, 'other.tokens@example.com');
    await expectAccepted(user.accessToken);
    expect(user.refreshToken.split('.')).toHaveLength(1); // opaque, as Cognito's are to clients
    await expectRefused(user.refreshToken);
    await expectRefused(`Bearer ${user.accessToken}`); // AppSync wants the raw JWT
  });

  it("a deleted user's access and ID tokens are refused (AdminDeleteUser over the pool's admin API)", async () => {
    const user = await signInUser(env, 'deleted.tokens@example.com');
    await expectAccepted(user.accessToken);
    await expectAccepted(user.idToken);
    const deleted = await cognitoAdmin(env, 'AdminDeleteUser', { UserPoolId: env.sandbox.userPool.id, Username: user.sub });
    expect(deleted.status).toBe(200);
    await expectRefused(user.accessToken);
    await expectRefused(user.idToken);
  });

  it("a disabled user's tokens are refused, and stay refused after AdminEnableUser; a new sign-in works", async () => {
    const user = await signInUser(env, 'disabled.tokens@example.com');
    await expectAccepted(user.accessToken);
    expect((await cognitoAdmin(env, 'AdminDisableUser', { UserPoolId: env.sandbox.userPool.id, Username: user.sub })).status).toBe(200);
    await expectRefused(user.accessToken);
    await expectRefused(user.idToken);
    expect((await cognitoAdmin(env, 'AdminEnableUser', { UserPoolId: env.sandbox.userPool.id, Username: user.sub })).status).toBe(200);
    // Cognito: AdminDisableUser "revokes all access tokens for the user".
    await expectRefused(user.accessToken);
    await expectAccepted((await signInUser(env, 'disabled.tokens@example.com')).accessToken);
  });

  it("tokens revoked by the stock client's signOut({global: true}) are refused", async () => {
    configureAmplify(env.outputs);
    await signIn({ username: 'global.tokens@example.com', password: PASSWORD });
    const { tokens } = await fetchAuthSession();
    const access = tokens!.accessToken.toString();
    const id = tokens!.idToken!.toString();
    await expectAccepted(access);
    await signOut({ global: true });
    await expectRefused(access);
    await expectRefused(id);
  });

  it('tokens revoked by AdminUserGlobalSignOut are refused, refresh included; a later sign-in works', async () => {
    const user = await signInUser(env, 'admin-signed-out.tokens@example.com');
    await expectAccepted(user.accessToken);
    expect((await cognitoAdmin(env, 'AdminUserGlobalSignOut', { UserPoolId: env.sandbox.userPool.id, Username: user.sub })).status).toBe(200);
    await expectRefused(user.accessToken);
    await expectRefused(user.idToken);
    const refresh = await env.sandbox.userPool.call('GetTokensFromRefreshToken', { ClientId: clientId(env), RefreshToken: user.refreshToken }).then(
      () => 'refreshed',
      (error: Error & { name: string }) => error.name,
    );
    expect(refresh).toBe('NotAuthorizedException');
    await expectAccepted((await signInUser(env, 'admin-signed-out.tokens@example.com')).accessToken);
  });
});

describe('forged claims, signed with the pool\'s own key (what only a key thief could do; the claims must still hold)', () => {
  let base: SignedInUser;
  let other: SignedInUser;
  beforeAll(async () => {
    base = await signInUser(env, 'holder.tokens@example.com');
    other = await signInUser(env, 'other.tokens@example.com');
  });

  it('the signer is sound: the re-signed original claims are accepted', async () => {
    await expectAccepted(await signWithPoolKey(decodeJwt(base.accessToken)));
    await expectAccepted(await signWithPoolKey(decodeJwt(base.idToken)));
  });

  it.each([
    ["this pool's id under Cognito's real issuer", (claims: Record<string, unknown>) => ({ ...claims, iss: `https://cognito-idp.${env.sandbox.description.region}.amazonaws.com/${env.sandbox.userPool.id}` })],
    ['the issuer with a trailing slash', (claims: Record<string, unknown>) => ({ ...claims, iss: `${String(claims['iss'])}/` })],
    ['token_use refresh', (claims: Record<string, unknown>) => ({ ...claims, token_use: 'refresh' })],
    ["another user's username with one's own sub", (claims: Record<string, unknown>) => ({ ...claims, username: other.sub })],
    ['no sub', (claims: Record<string, unknown>) => ({ ...claims, sub: undefined })],
  ])('an access token with %s is refused', async (_, forge) => {
    await expectRefused(await signWithPoolKey(JSON.parse(JSON.stringify(forge(decodeJwt(base.accessToken)))) as Record<string, unknown>));
  });

  it(`a cognito:groups claim counts only under the pool's signature: ${EVENT_PUBLISHER_GROUP} added to a real token is refused, and only that exact group passes the publish's group check`, async () => {
    const holderEntry = `${holder.sub}::${holder.sub}`;
    const event = (label: string) => ({ conversationId: conversation, type: 'TYPING', userId: label, at: new Date().toISOString(), typing: true, participants: [holderEntry] });
    const watch = `watch-groups-${++starts}`;
    expect((await holderSocket.start(watch, 'subscription W($c: ID!) { onConversationEvent(conversationId: $c) { userId } }', { c: conversation }, userHeader(env, holder.accessToken))).type).toBe('start_ack');
    // The holder's own token (no group): AppSync's refusal of the field.
    const plain = await graphql(env, base.accessToken, PUBLISH, { e: event('no group') });
    expect(plain.json).toEqual({ data: { publishConversationEvent: null }, errors: [expect.objectContaining(PUBLISH_REFUSED)] });
    // The group written into a real token, its signature kept: not a token any more.
    for (const token of [base.accessToken, base.idToken]) {
      const [header, , signature] = token.split('.');
      const claims = { ...decodeJwt(token), 'cognito:groups': [EVENT_PUBLISHER_GROUP] };
      const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
      await expectRefused(tampered);
      expect(await graphql(env, tampered, PUBLISH, { e: event('tampered') }).then((answer) => ({ status: answer.status, body: answer.json }))).toEqual({ status: 401, body: UNAUTHORIZED_BODY });
    }
    // Validly signed, but other groups, or the name in another spelling: still refused.
    for (const groups of [[], ['Admins'], [EVENT_PUBLISHER_GROUP.toLowerCase()], [`${EVENT_PUBLISHER_GROUP} `], [`${EVENT_PUBLISHER_GROUP},Admins`]]) {
      const token = await signWithPoolKey({ ...decodeJwt(base.accessToken), 'cognito:groups': groups });
      const answer = await graphql(env, token, PUBLISH, { e: event(`groups ${JSON.stringify(groups)}`) });
      expect(answer.json, JSON.stringify(groups)).toEqual({ data: { publishConversationEvent: null }, errors: [expect.objectContaining(PUBLISH_REFUSED)] });
    }
    // The control: the same claims as Cognito issues them to a member of the group (signed with the pool's key) pass,
    // and the event is delivered; so each refusal above is the group check, and none of those events went anywhere.
    const member = await signWithPoolKey({ ...decodeJwt(base.accessToken), 'cognito:groups': ['Admins', EVENT_PUBLISHER_GROUP] });
    const allowed = await graphql(env, member, PUBLISH, { e: event('member') });
    expect(allowed.json.errors).toBeUndefined();
    expect(allowed.json.data?.['publishConversationEvent']).toMatchObject({ conversationId: conversation, type: 'TYPING', userId: 'member' });
    await holderSocket.waitForData(watch, (frame) => JSON.stringify(frame).includes('member'));
    expect(holderSocket.framesOf(watch).map((frame) => frame.payload)).toEqual([{ data: { onConversationEvent: { userId: 'member' } } }]);
  });

  it.each([
    ['an ID token for another audience', (claims: Record<string, unknown>) => ({ ...claims, aud: 'someotherclient' })],
    ['an ID token whose cognito:username is another user', (claims: Record<string, unknown>) => ({ ...claims, 'cognito:username': other.sub })],
  ])('%s is refused', async (_, forge) => {
    await expectRefused(await signWithPoolKey(forge(decodeJwt(base.idToken))));
  });
});

describe('injection into the real-time handshake', () => {
  const refusedConnection = { type: 'connection_error', payload: { errors: [{ ...UNAUTHORIZED_HEADER, errorCode: 401 }] } };

  it('extra header fields grant nothing: with a valid token the socket is the token\'s user, without one it is refused', async () => {
    const other = await signInUser(env, 'other.tokens@example.com');
    const extras = { 'x-api-key': 'da2-aaaaaaaaaaaaaaaaaaaaaaaaaa', 'x-amz-security-token': 'forged', 'x-amz-date': '20260101T000000Z', 'x-amz-user-agent': 'aws-amplify/6.0.0' };
    // A valid token plus extras, in the `header` query parameter: connected as that user, who still may not subscribe
    // to the holder's conversation.
    const formA = Buffer.from(JSON.stringify({ ...userHeader(env, other.accessToken), ...extras })).toString('base64');
    const socket = await RealtimeSocket.open(env, undefined, { protocols: ['graphql-ws'], url: `${env.sandbox.urls.realtime}?header=${encodeURIComponent(formA)}&payload=e30=&x-api-key=da2-aaaaaaaaaaaaaaaaaaaaaaaaaa` });
    expect((await socket.init()).type).toBe('connection_ack');
    const denied = await socket.start('as-other', SUBSCRIPTION, { c: conversation }, { ...userHeader(env, other.accessToken), ...extras });
    expect(frameErrors(denied)).toEqual([notAuthorizedToAccess('onMessageSent', 'Subscription')]);
    socket.close();
    // No token: an API key (not an auth mode of this API) and an IAM-looking header with a real function's key id are refused.
    const { accessKeyId } = functionCredentials('message-processor', env.sandbox.description.accountId);
    const iam = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${env.sandbox.description.region}/appsync/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
    expect(await handshake({ host: apiHost(env), ...extras })).toEqual(refusedConnection);
    expect(await handshake({ host: apiHost(env), ...extras }, 'A')).toEqual(refusedConnection);
    expect(frameErrors(await start({ host: apiHost(env), ...extras }))[0]?.errorType).toBe('UnauthorizedException');
    // The IAM check answers with SigV4's own reason in the message; the type is the same.
    const forgedIam = { host: apiHost(env), 'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''), Authorization: iam };
    const iamAnswer = await handshake(forgedIam);
    expect(iamAnswer.type).toBe('connection_error');
    expect(iamAnswer.payload?.['errors']).toEqual([expect.objectContaining({ errorType: 'UnauthorizedException', errorCode: 401 })]);
    expect(frameErrors(await start(forgedIam))[0]?.errorType).toBe('UnauthorizedException');
    // Two tokens in one value, or in a list, are not a token.
    for (const Authorization of [`${holder.accessToken} ${other.accessToken}`, `${holder.accessToken},${other.accessToken}`, [holder.accessToken, other.accessToken]]) {
      expect(await handshake({ Authorization, host: apiHost(env) })).toEqual(refusedConnection);
      expect(frameErrors(await start({ Authorization, host: apiHost(env) }))[0]?.errorType).toBe('UnauthorizedException');
    }
    await holderStillServed();
  });

  it('a header object naming another host, or none, is refused at the handshake and in a start', async () => {
    for (const host of ['evil.example.com', `${apiHost(env)}.evil.example.com`, 'localhost:1', undefined]) {
      const header = { Authorization: holder.accessToken, ...(host === undefined ? {} : { host }) };
      expect(await handshake(header)).toEqual(refusedConnection);
      expect(await handshake(header, 'A')).toEqual(refusedConnection);
      expect(frameErrors(await start(header))).toEqual([UNAUTHORIZED_HEADER]);
    }
    // The same token with the API's host works, in both forms (host names compare case-insensitively).
    expect((await handshake({ Authorization: holder.accessToken, host: apiHost(env).toUpperCase() })).type).toBe('connection_ack');
    expect((await handshake(userHeader(env, holder.accessToken), 'A')).type).toBe('connection_ack');
    await holderStillServed();
  });

  it('CR/LF in header-object values is refused; raw CR/LF in the upgrade request is refused by the HTTP parser', async () => {
    for (const header of [
      { Authorization: `${holder.accessToken}\r\nx-api-key: da2-aaaaaaaaaaaaaaaaaaaaaaaaaa`, host: apiHost(env) },
      { Authorization: holder.accessToken, host: `${apiHost(env)}\r\nX-Forwarded-Host: evil.example.com` },
    ]) {
      expect(await handshake(header)).toEqual(refusedConnection);
      expect(frameErrors(await start(header))[0]?.errorType).toBe('UnauthorizedException');
    }
    // A raw upgrade request whose header value carries a bare CR: the server's HTTP parser refuses it with 400.
    const url = new URL(env.sandbox.urls.realtime);
    const encoded = Buffer.from(JSON.stringify(userHeader(env, holder.accessToken))).toString('base64url');
    const raw = await rawUpgrade(url, [`Sec-WebSocket-Protocol: graphql-ws, header-${encoded}`, 'X-Injected: a\rInjected: b']);
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    await holderStillServed();
  });

  it('an oversized handshake header is refused before the upgrade (431); one within the limit still needs a valid token', async () => {
    const padding = 'x'.repeat(20_000);
    for (const options of [
      { protocols: ['graphql-ws', `header-${Buffer.from(JSON.stringify({ ...userHeader(env, holder.accessToken), padding })).toString('base64url')}`] },
      { url: `${env.sandbox.urls.realtime}?header=${Buffer.from(JSON.stringify({ ...userHeader(env, holder.accessToken), padding })).toString('base64')}&payload=e30=`, protocols: ['graphql-ws'] },
    ]) {
      const status = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(options.url ?? env.sandbox.urls.realtime, options.protocols);
        ws.on('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          ws.terminate();
        });
        ws.on('open', () => reject(new Error('an oversized handshake was accepted')));
        ws.on('error', () => undefined);
      });
      expect(status).toBe(431);
    }
    // 8 KB of padding fits; the object is read, and without a token it is refused like any other.
    expect(await handshake({ host: apiHost(env), padding: 'x'.repeat(8_000) })).toEqual(refusedConnection);
    expect((await handshake({ ...userHeader(env, holder.accessToken), padding: 'x'.repeat(8_000) })).type).toBe('connection_ack');
    await holderStillServed();
  });
});

/** Sends a hand-written upgrade request over TLS and returns the first bytes of the answer. */
function rawUpgrade(url: URL, extraHeaders: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: url.hostname, port: Number(url.port), servername: undefined }, () => {
      socket.write(
        [`GET ${url.pathname} HTTP/1.1`, `Host: ${url.host}`, 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', ...extraHeaders, '', ''].join('\r\n'),
      );
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}
