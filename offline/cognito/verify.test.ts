/**
 * The token verifier: every forged, foreign, stale or revoked token is rejected with its own reason.
 * Expiry uses the pool's injected clock (no sleeping).
 */
import { createHmac } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { createUserPool, type UserPool } from './pool.js';
import { startCognitoServer } from './server.js';
import { CLIENT_ID, chatPoolDescription, createConfirmedUser, manualClock, memoryLogger, POOL_ID, rejectionOf, signInTokens } from '../../tests/helpers/cognito-pool.js';
import { signClaims } from './tokens.js';
import { accessTokenExpired, refreshTokenRevoked } from '../errors.js';

const BASE = 'http://127.0.0.1:9229';
const ISSUER = `${BASE}/${POOL_ID}`;
const EMAIL = 'grace@example.com';
const PASSWORD = 'Cobol1959Rocks';

let pool: UserPool;
let clock: ReturnType<typeof manualClock>;
let tokens: { IdToken: string; AccessToken: string; RefreshToken: string };
let sub: string;

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string): [string, string, string] => token.split('.') as [string, string, string];
const payloadOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(parts(token)[1], 'base64url').toString('utf8'));

async function reason(token: string, options: Parameters<UserPool['verifyUserPoolToken']>[1] = {}): Promise<string | undefined> {
  return (await rejectionOf(pool.verifyUserPoolToken(token, options))).reason;
}

beforeEach(async () => {
  clock = manualClock();
  pool = await createUserPool({ description: chatPoolDescription(), issuerBaseUrl: BASE, now: clock.now, logger: memoryLogger() });
  sub = await createConfirmedUser(pool, EMAIL, PASSWORD);
  tokens = await signInTokens(pool, EMAIL, PASSWORD);
});

describe('verifyUserPoolToken', () => {
  it('accepts the ID and the access token of a sign-in, and enforces expectedUse', async () => {
    expect((await pool.verifyUserPoolToken(tokens.IdToken)).token_use).toBe('id');
    expect((await pool.verifyUserPoolToken(tokens.AccessToken)).token_use).toBe('access');
    expect(await reason(tokens.IdToken, { expectedUse: 'access' })).toBe('wrong_token_use');
    expect(await reason(tokens.AccessToken, { expectedUse: 'id' })).toBe('wrong_token_use');
  });

  it('publishes a JWKS that a standard verifier (jose remote JWKS) accepts the tokens with', async () => {
    const server = await startCognitoServer({ pool });
    try {
      const jwks = createRemoteJWKSet(new URL(`${server.url}/${POOL_ID}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(tokens.IdToken, jwks, { issuer: ISSUER, audience: CLIENT_ID, currentDate: new Date(clock.now()) });
      expect(protectedHeader.alg).toBe('RS256');
      expect(payload.sub).toBe(sub);
    } finally {
      await server.close();
    }
  });

  it('rejects a tampered signature and a tampered payload (bad_signature)', async () => {
    const [h, p, s] = parts(tokens.AccessToken);
    const flipped = s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
    expect(await reason(`${h}.${p}.${flipped}`)).toBe('bad_signature');
    const forgedPayload = b64url({ ...payloadOf(tokens.AccessToken), sub: '00000000-0000-0000-0000-000000000000' });
    expect(await reason(`${h}.${forgedPayload}.${s}`)).toBe('bad_signature');
  });

  it('remembers a verified signature for its exact token only: once the genuine token verified, altered copies still fail', async () => {
    await expect(pool.verifyUserPoolToken(tokens.AccessToken)).resolves.toBeDefined();
    const [h, p, s] = parts(tokens.AccessToken);
    const forgedPayload = b64url({ ...payloadOf(tokens.AccessToken), 'cognito:groups': ['admins'] });
    expect(await reason(`${h}.${forgedPayload}.${s}`)).toBe('bad_signature');
    expect(await reason(`${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`)).toBe('bad_signature');
    const other = await createUserPool({ description: chatPoolDescription(), issuerBaseUrl: BASE, now: clock.now, logger: memoryLogger() });
    // The same claims signed by another pool's key under our kid: a new text, verified afresh.
    expect(await reason(await signClaims({ ...other.key, kid: pool.key.kid }, payloadOf(tokens.AccessToken)))).toBe('bad_signature');
    // And the other pool never accepts our token, whatever ours remembers.
    expect((await rejectionOf(other.verifyUserPoolToken(tokens.AccessToken))).reason).toBe('unknown_kid');
    await expect(pool.verifyUserPoolToken(tokens.AccessToken)).resolves.toMatchObject({ sub });
  });

  it('rejects alg none (alg_none)', async () => {
    const header = b64url({ alg: 'none', kid: pool.key.kid });
    const payload = parts(tokens.AccessToken)[1];
    expect(await reason(`${header}.${payload}.`)).toBe('alg_none');
    expect(await reason(`${b64url({ alg: 'NONE', kid: pool.key.kid })}.${payload}.`)).toBe('alg_none');
  });

  it('rejects HS256 signed with the public key as HMAC secret (alg_not_allowed)', async () => {
    const header = b64url({ alg: 'HS256', kid: pool.key.kid });
    const payload = parts(tokens.AccessToken)[1];
    const pem = pool.key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const signature = createHmac('sha256', pem).update(`${header}.${payload}`).digest('base64url');
    expect(await reason(`${header}.${payload}.${signature}`)).toBe('alg_not_allowed');
  });

  it('rejects an unknown kid, and a token signed by another key under our kid', async () => {
    const [, p, s] = parts(tokens.AccessToken);
    expect(await reason(`${b64url({ alg: 'RS256', kid: 'someone-elses-key' })}.${p}.${s}`)).toBe('unknown_kid');

    const other = await createUserPool({ description: chatPoolDescription(), issuerBaseUrl: BASE, now: clock.now, logger: memoryLogger() });
    const foreign = await signClaims({ ...other.key, kid: pool.key.kid }, payloadOf(tokens.AccessToken));
    expect(await reason(foreign)).toBe('bad_signature');
  });

  it('rejects an expired token (exp reached, no leeway) but not one second before', async () => {
    clock.advance(3599_000);
    await expect(pool.verifyUserPoolToken(tokens.AccessToken)).resolves.toBeDefined();
    clock.advance(1000);
    expect(await reason(tokens.AccessToken)).toBe('expired');
    expect(await reason(tokens.IdToken)).toBe('expired');
    // A few seconds of tolerance can be asked for explicitly.
    await expect(pool.verifyUserPoolToken(tokens.AccessToken, { clockToleranceSeconds: 5 })).resolves.toBeDefined();
    // Cognito's own APIs say so too.
    const error = await rejectionOf(pool.call('GetUser', { AccessToken: tokens.AccessToken }));
    expect(error).toMatchObject({ name: 'NotAuthorizedException', message: accessTokenExpired().message });
  });

  it('rejects a token signed with our key whose exp is in the past, and one issued in the future', async () => {
    const now = Math.floor(clock.now() / 1000);
    const past = await signClaims(pool.key, { ...payloadOf(tokens.AccessToken), iat: now - 7200, exp: now - 3600 });
    expect(await reason(past)).toBe('expired');
    const future = await signClaims(pool.key, { ...payloadOf(tokens.AccessToken), iat: now + 600, exp: now + 4200 });
    expect(await reason(future)).toBe('not_yet_valid');
  });

  it('rejects the right key with the wrong issuer (e.g. a real AWS issuer)', async () => {
    const aws = await signClaims(pool.key, { ...payloadOf(tokens.IdToken), iss: `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}` });
    expect(await reason(aws)).toBe('wrong_issuer');
  });

  it('rejects a token for another app client (aud / client_id)', async () => {
    const id = await signClaims(pool.key, { ...payloadOf(tokens.IdToken), aud: 'anotherclient' });
    expect(await reason(id)).toBe('wrong_audience');
    const access = await signClaims(pool.key, { ...payloadOf(tokens.AccessToken), client_id: 'anotherclient' });
    expect(await reason(access)).toBe('wrong_audience');
    // Restricting to a client list (AppSync's appIdClientRegex) rejects the pool's own client when not listed.
    expect(await reason(tokens.AccessToken, { clientIds: ['somethingelse'] })).toBe('wrong_audience');
  });

  it('rejects a refresh token presented as a bearer token, and garbage', async () => {
    expect(await reason(tokens.RefreshToken)).toBe('refresh_token_presented');
    expect(await reason('not-a-token')).toBe('malformed');
    expect(await reason('')).toBe('malformed');
  });

  it('rejects tokens of a deleted user', async () => {
    await pool.call('AdminDeleteUser', { UserPoolId: POOL_ID, Username: EMAIL });
    expect(await reason(tokens.AccessToken)).toBe('user_not_found');
    expect(await reason(tokens.IdToken)).toBe('user_not_found');
  });

  it('rejects tokens of a disabled user', async () => {
    await pool.call('AdminDisableUser', { UserPoolId: POOL_ID, Username: EMAIL });
    expect(await reason(tokens.AccessToken)).toBe('user_disabled');
    // Re-enabling does not resurrect the tokens: AdminDisableUser revoked them.
    await pool.call('AdminEnableUser', { UserPoolId: POOL_ID, Username: EMAIL });
    expect(await reason(tokens.AccessToken)).toBe('token_revoked');
  });

  it('rejects tokens revoked by GlobalSignOut but accepts a later sign-in in the same second', async () => {
    await pool.call('GlobalSignOut', { AccessToken: tokens.AccessToken });
    expect(await reason(tokens.AccessToken)).toBe('token_revoked');
    expect(await reason(tokens.IdToken)).toBe('token_revoked');
    const again = await signInTokens(pool, EMAIL, PASSWORD);
    await expect(pool.verifyUserPoolToken(again.AccessToken)).resolves.toBeDefined();
    // JWT-only verification (as a third-party JWT library would do) does not see revocation.
    await expect(pool.verifyUserPoolToken(tokens.AccessToken, { checkUserState: false })).resolves.toBeDefined();
  });

  it('rejects tokens of a session revoked with RevokeToken, but not other sessions', async () => {
    const second = await signInTokens(pool, EMAIL, PASSWORD);
    await pool.call('RevokeToken', { ClientId: CLIENT_ID, Token: tokens.RefreshToken });
    expect(await reason(tokens.AccessToken)).toBe('token_revoked');
    await expect(pool.verifyUserPoolToken(second.AccessToken)).resolves.toBeDefined();
    const refresh = await rejectionOf(pool.call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: CLIENT_ID, AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken } }));
    expect(refresh).toMatchObject({ name: 'NotAuthorizedException', message: refreshTokenRevoked().message });
  });
});
