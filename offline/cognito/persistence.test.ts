/** The on-disk pool: survives a restart, keeps its signing key, never stores passwords, one owner at a time. */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../sandbox/atomic-file.js';
import { SIGNING_KEY_FILE } from './keys.js';
import { createUserPool, type UserPool } from './pool.js';
import { startCognitoServer } from './server.js';
import { chatPoolDescription, createConfirmedUser, memoryLogger, POOL_ID, rejectionOf, signInTokens, srpSignIn } from '../../tests/helpers/cognito-pool.js';

const EMAIL = 'margaret@example.com';
const PASSWORD = 'Apollo11Guidance';
const opened: UserPool[] = [];

async function open(dataDir: string, issuerBaseUrl?: string): Promise<UserPool> {
  const pool = await createUserPool({ description: chatPoolDescription(), dataDir, logger: memoryLogger(), ...(issuerBaseUrl ? { issuerBaseUrl } : {}) });
  opened.push(pool);
  return pool;
}

afterEach(() => {
  for (const pool of opened.splice(0)) pool.close();
});

describe('persistent user pool', () => {
  it('reopens from its data directory: same users, same password, same key (old tokens still verify)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-persist-'));
    const first = await open(dir);
    const server = await startCognitoServer({ pool: first, port: 0 });
    const sub = await createConfirmedUser(first, EMAIL, PASSWORD);
    const before = await signInTokens(first, EMAIL, PASSWORD);
    const port = new URL(server.url).port;
    await server.close();
    first.close();

    // Restart on the same address (the issuer is part of the token) from the same directory.
    const second = await open(dir);
    const restarted = await startCognitoServer({ pool: second, port: Number(port) });
    try {
      expect(second.getUser(EMAIL)?.username).toBe(sub);
      expect(second.getUser(EMAIL)?.status).toBe('CONFIRMED');
      const claims = await second.verifyUserPoolToken(before.AccessToken);
      expect(claims.sub).toBe(sub);
      const after = await signInTokens(second, EMAIL, PASSWORD);
      await expect(second.verifyUserPoolToken(after.IdToken)).resolves.toMatchObject({ email: EMAIL });
      // The refresh token issued before the restart still refreshes.
      const refreshed = await second.call('GetTokensFromRefreshToken', { ClientId: chatPoolDescription().clients[0]?.id, RefreshToken: before.RefreshToken });
      expect(refreshed.AuthenticationResult).toHaveProperty('AccessToken');
      // A wrong password is still wrong.
      expect((await rejectionOf(srpSignIn(second, EMAIL, 'Wrong1Password'))).name).toBe('NotAuthorizedException');
    } finally {
      await restarted.close();
    }
  });

  it('stores an SRP verifier, a scrypt hash and a refresh-token hash, never the password or the token', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-persist-'));
    const pool = await open(dir, 'http://127.0.0.1:9229');
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    const tokens = await signInTokens(pool, EMAIL, PASSWORD);
    const file = readFileSync(join(dir, `cognito-${POOL_ID}.json`), 'utf8');
    expect(file).not.toContain(PASSWORD);
    expect(file).not.toContain(tokens.RefreshToken);
    expect(JSON.parse(file).users[0].password).toEqual({
      salt: expect.stringMatching(/^[0-9a-f]+$/),
      verifier: expect.stringMatching(/^[0-9a-f]+$/),
      scrypt: { salt: expect.stringMatching(/^[0-9a-f]{32}$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/), N: 16384, r: 8, p: 1 },
    });
    expect(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o077).toBe(0);
    // Atomic replacement leaves no temporary files behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a second open of the same pool directory, and takes over a stale lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-persist-'));
    await open(dir);
    await expect(createUserPool({ description: chatPoolDescription(), dataDir: dir, logger: memoryLogger() })).rejects.toThrow(/already open/);
    opened.splice(0).forEach((p) => p.close());

    // A lock left by a process that no longer exists (pid far above any real one) is stale.
    writeFileSync(join(dir, `cognito-${POOL_ID}.lock`), '2147483646');
    await expect(open(dir)).resolves.toBeDefined();
  });

  it('ignores a torn temporary file left by a crash mid-write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-persist-'));
    const pool = await open(dir, 'http://127.0.0.1:9229');
    await createConfirmedUser(pool, EMAIL, PASSWORD);
    pool.close();
    opened.splice(0);
    writeFileSync(join(dir, `.cognito-${POOL_ID}.json.999.deadbeef.tmp`), '{"version":1,"userPool');
    const reopened = await open(dir, 'http://127.0.0.1:9229');
    expect(reopened.getUser(EMAIL)?.status).toBe('CONFIRMED');
  });

  it('writeFileAtomic replaces the whole file or leaves the old one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-atomic-'));
    const file = join(dir, 'data.json');
    writeFileAtomic(file, 'old');
    writeFileAtomic(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    // Writing into a directory that does not exist fails before touching the target.
    expect(() => writeFileAtomic(join(dir, 'missing', 'x.json'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['data.json']);
  });
});
