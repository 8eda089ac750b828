/**
 * Token checks of the running offline sandbox: only tokens signed by its user pool, unexpired, for
 * its app client, are accepted — over HTTP and at the real-time handshake — with AppSync's error shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, importPKCS8 } from 'jose';
import { createPublicKey } from 'node:crypto';
import WebSocket from 'ws';
import { confirmSignUp, fetchAuthSession, signIn, signUp } from 'aws-amplify/auth';
import { configureAmplify } from '../../src/amplify-config';
import { startTestSandbox, type TestSandbox } from './helpers';
import { UNAUTHORIZED_HEADER } from '../../offline/errors';

let env: TestSandbox;
let accessToken: string;
let idToken: string;

const UNAUTHORIZED = { errors: [UNAUTHORIZED_HEADER] };

async function post(token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(env.sandbox.urls.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ query: '{ listConversations { items { id } } }' }),
  });
  return { status: response.status, body: await response.json() };
}

/** The first frame the real-time endpoint answers a handshake + connection_init with. */
function handshake(token: string): Promise<{ type: string; payload?: unknown }> {
  const host = new URL(env.sandbox.urls.graphql).host;
  const header = Buffer.from(JSON.stringify({ Authorization: token, host })).toString('base64url');
  const socket = new WebSocket(env.sandbox.urls.realtime, ['graphql-ws', `header-${header}`]);
  return new Promise((resolve, reject) => {
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      resolve(JSON.parse(String(data)) as { type: string });
      socket.close();
    });
    socket.on('error', reject);
  });
}

async function signWithPoolKey(claims: Record<string, unknown>): Promise<string> {
  const pem = readFileSync(join(env.dataDirectory, 'cognito', 'cognito-signing-key.pem'), 'utf8');
  const key = await importPKCS8(pem, 'RS256');
  const kid = await calculateJwkThumbprint(await exportJWK(createPublicKey(pem)), 'sha256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
}

beforeAll(async () => {
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  const email = 'tokens@example.com';
  await signUp({ username: email, password: 'Correct-Horse-9', options: { userAttributes: { email } } });
  await confirmSignUp({ username: email, confirmationCode: env.sandbox.userPool.lastCodeFor(email)! });
  await signIn({ username: email, password: 'Correct-Horse-9' });
  const { tokens } = await fetchAuthSession();
  accessToken = tokens!.accessToken.toString();
  idToken = tokens!.idToken!.toString();
});

afterAll(() => env?.sandbox.close());

describe('user-pool tokens on the offline AppSync endpoint', () => {
  it('accepts the pool\'s access and ID tokens, and the re-signed original claims (the test signer is sound)', async () => {
    expect((await post(accessToken)).status).toBe(200);
    expect((await post(idToken)).status).toBe(200);
    expect((await post(await signWithPoolKey(decodeJwt(accessToken)))).status).toBe(200);
    expect((await handshake(accessToken)).type).toBe('connection_ack');
  });

  it.each([
    ['no token', () => ''],
    ['garbage', () => 'not-a-jwt'],
    ['a tampered signature', () => `${accessToken.slice(0, -4)}${accessToken.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`],
    [
      'alg: none',
      () => {
        const [, payload] = accessToken.split('.');
        const header = Buffer.from(JSON.stringify({ alg: 'none', kid: decodeProtectedHeader(accessToken).kid })).toString('base64url');
        return `${header}.${payload}.`;
      },
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const pem = readFileSync(join(env.dataDirectory, 'cognito', 'cognito-signing-key.pem'), 'utf8');
        const publicPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' });
        return new SignJWT(decodeJwt(accessToken))
          .setProtectedHeader({ alg: 'HS256', kid: decodeProtectedHeader(accessToken).kid! })
          .sign(new TextEncoder().encode(String(publicPem)));
      },
    ],
    ['an expired token', () => signWithPoolKey({ ...decodeJwt(accessToken), iat: 1_700_000_000, exp: 1_700_003_600 })],
    ['a token not yet valid', () => signWithPoolKey({ ...decodeJwt(accessToken), nbf: Math.floor(Date.now() / 1000) + 3600 })],
    ['a token for another app client', () => signWithPoolKey({ ...decodeJwt(accessToken), client_id: 'someotherclient' })],
    ['a token from another issuer', () => signWithPoolKey({ ...decodeJwt(accessToken), iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' })],
  ])('refuses %s with 401 UnauthorizedException over HTTP and at the real-time handshake', async (_, makeToken) => {
    const token = await makeToken();
    expect(await post(token)).toEqual({ status: 401, body: UNAUTHORIZED });
    const frame = await handshake(token);
    expect(frame.type).toBe('connection_error');
    expect(JSON.stringify(frame.payload)).toMatch(/UnauthorizedException/);
  });
});
