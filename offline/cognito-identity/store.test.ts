import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IdentityStore } from './store';

const POOL = 'us-east-1:11111111-2222-4333-a444-555555555555';
const folders: string[] = [];
const folder = () => {
  const path = mkdtempSync(join(tmpdir(), 'identity-store-'));
  folders.push(path);
  return path;
};
afterEach(() => {
  for (const path of folders.splice(0)) rmSync(path, { recursive: true, force: true });
});

describe('IdentityStore', () => {
  it('keeps one identity per login, and identities and live credentials across a restart', () => {
    const dir = folder();
    const store = new IdentityStore(dir, POOL);
    const ann = store.identityForLogin('cognito-idp.us-east-1.amazonaws.com/us-east-1_x/ann-sub', 1000);
    expect(ann).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(store.identityForLogin('cognito-idp.us-east-1.amazonaws.com/us-east-1_x/ann-sub', 2000)).toBe(ann);
    const bob = store.identityForLogin('cognito-idp.us-east-1.amazonaws.com/us-east-1_x/bob-sub', 2000);
    expect(bob).not.toBe(ann);
    const guest = store.newGuestIdentity(3000);
    expect(store.identity(guest)).toEqual({ logins: [], createdAt: 3000 });

    const { issued } = store.issue(ann, true, 10_000, 3600_000);
    expect(issued.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(issued.expiresAt).toBe(3_610_000);
    const second = store.issue(bob, true, 3_700_000, 3600_000);
    // Ann's expired credentials are forgotten when the next ones are issued, and reported.
    expect(second.expired.map((c) => c.accessKeyId)).toEqual([issued.accessKeyId]);

    const reopened = new IdentityStore(dir, POOL);
    expect(reopened.identityForLogin('cognito-idp.us-east-1.amazonaws.com/us-east-1_x/ann-sub', 5000)).toBe(ann);
    expect(reopened.liveCredentials(3_800_000).map((c) => c.accessKeyId)).toEqual([second.issued.accessKeyId]);
    expect(JSON.parse(readFileSync(join(dir, 'identities.json'), 'utf8')).identityPoolId).toBe(POOL);
  });

  it('starts afresh for another identity pool in the same folder', () => {
    const dir = folder();
    const ann = new IdentityStore(dir, POOL).identityForLogin('p/ann', 1);
    const other = new IdentityStore(dir, 'us-east-1:99999999-2222-4333-a444-555555555555');
    expect(other.identity(ann)).toBeUndefined();
  });
});
