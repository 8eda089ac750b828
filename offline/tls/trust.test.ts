import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateCertificate } from './certificate';
import { browserTrustsCa, chromiumNssDirectory, currentHost, planTrust, readLocalCa, runTrustPlan, type LocalCa, type TrustHost } from './trust';

const temporary: string[] = [];
const scratch = (prefix: string) => {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(directory);
  return directory;
};
afterAll(() => {
  for (const directory of temporary) rmSync(directory, { recursive: true, force: true });
});

const CA: LocalCa = {
  path: '/project/.amplify/offline/ca.pem',
  name: 'amplify-gen2-offline local CA 0a1b2c3d',
  fingerprint256: 'AA:BB',
  sha1: '00FF',
  serial: '1234',
};

function fakeHost(overrides: Partial<TrustHost> & { files?: string[]; tools?: string[] }): TrustHost {
  const files = new Set(overrides.files ?? []);
  const tools = new Set(overrides.tools ?? []);
  return {
    platform: 'linux',
    home: '/home/person',
    isRoot: false,
    which: (command) => (tools.has(command) ? `/usr/bin/${command}` : undefined),
    exists: (path) => files.has(path) || [...files].some((file) => file.startsWith(`${path}/`)),
    list: (path) => [...new Set([...files].filter((file) => file.startsWith(`${path}/`)).map((file) => file.slice(path.length + 1).split('/')[0]!))],
    ...overrides,
  };
}

describe('planTrust', () => {
  it('Linux: Chromium NSS database (created when missing), every Firefox profile, the system store only as root', () => {
    const host = fakeHost({
      tools: ['certutil', 'update-ca-certificates'],
      files: ['/home/person/.mozilla/firefox/abc.default/cert9.db', '/home/person/.mozilla/firefox/not-a-profile.txt', '/usr/local/share/ca-certificates/x'],
    });
    const user = planTrust('install', CA, host);
    expect(user.steps.map((s) => s.store)).toEqual(['Chrome/Chromium (NSS database /home/person/.pki/nssdb)', 'Firefox profile abc.default']);
    expect(user.steps[0]!.commands).toEqual([
      ['mkdir', '-p', '/home/person/.pki/nssdb'],
      ['certutil', '-d', 'sql:/home/person/.pki/nssdb', '-N', '--empty-password'],
      ['certutil', '-d', 'sql:/home/person/.pki/nssdb', '-A', '-t', 'C,,', '-n', CA.name, '-i', CA.path],
    ]);
    expect(user.skipped).toEqual([{ store: expect.stringMatching(/^system store/), why: expect.stringMatching(/needs root/) }]);

    const root = planTrust('install', CA, { ...host, isRoot: true });
    expect(root.steps.at(-1)!.commands).toEqual([
      ['cp', CA.path, '/usr/local/share/ca-certificates/amplify-gen2-offline-local-CA-0a1b2c3d.crt'],
      ['update-ca-certificates'],
    ]);
    expect(planTrust('install', CA, { ...host, isRoot: true }, { system: false }).skipped.map((s) => s.why)).toEqual(['--no-system']);
  });

  it('Linux uninstall removes by nickname, and only from databases that exist', () => {
    const host = fakeHost({ tools: ['certutil'], files: ['/home/person/.pki/nssdb/cert9.db'] });
    expect(planTrust('uninstall', CA, host).steps).toEqual([
      { store: 'Chrome/Chromium (NSS database /home/person/.pki/nssdb)', commands: [['certutil', '-d', 'sql:/home/person/.pki/nssdb', '-D', '-n', CA.name]] },
    ]);
    expect(planTrust('uninstall', CA, fakeHost({ tools: ['certutil'] })).steps).toEqual([]);
  });

  it('Linux without certutil changes nothing and says which package brings it', () => {
    const plan = planTrust('install', CA, fakeHost({}));
    expect(plan.steps).toEqual([]);
    expect(plan.skipped[0]).toEqual({ store: expect.stringContaining('Chrome/Chromium'), why: expect.stringContaining('libnss3-tools') });
  });

  it('macOS: the login keychain (no sudo); Windows: the current user Root store', () => {
    const mac = planTrust('install', CA, fakeHost({ platform: 'darwin', home: '/Users/person' }));
    expect(mac.steps).toEqual([
      {
        store: 'macOS login keychain (Safari, Chrome, Edge)',
        commands: [['security', 'add-trusted-cert', '-r', 'trustRoot', '-k', '/Users/person/Library/Keychains/login.keychain-db', CA.path]],
      },
    ]);
    expect(planTrust('uninstall', CA, fakeHost({ platform: 'darwin', home: '/Users/person' })).steps[0]!.commands).toEqual([
      ['security', 'remove-trusted-cert', CA.path],
      ['security', 'delete-certificate', '-Z', CA.sha1, '/Users/person/Library/Keychains/login.keychain-db'],
    ]);
    const windows = planTrust('install', CA, fakeHost({ platform: 'win32', home: 'C:\\Users\\person' }));
    expect(windows.steps[0]!.commands).toEqual([['certutil', '-user', '-addstore', 'Root', CA.path]]);
    expect(planTrust('uninstall', CA, fakeHost({ platform: 'win32' })).steps[0]!.commands).toEqual([['certutil', '-user', '-delstore', 'Root', CA.serial]]);
  });
});

describe('a real NSS database (certutil)', () => {
  it('install makes Chromium’s store trust exactly this CA; another CA of the same name does not count; uninstall removes it', async () => {
    // Fails rather than skips without it: amplify-gen2-offline trust depends on it (Debian: apt-get install libnss3-tools).
    expect(spawnSync('certutil', ['-H'], { stdio: 'ignore' }).error, 'certutil (libnss3-tools) is not installed').toBeUndefined();
    const home = scratch('trust-home-');
    const env = { ...process.env, HOME: home };
    const host = currentHost(env);
    const ca = readLocalCa((await loadOrCreateCertificate(scratch('trust-ca-'))).caPath);
    expect(browserTrustsCa(ca, host, env)).toBe(false);

    const installed = runTrustPlan(planTrust('install', ca, host, { system: false }), undefined, env);
    expect(installed.map((r) => r.ok)).toEqual([true]);
    expect(browserTrustsCa(ca, host, env)).toBe(true);
    // Installing twice is harmless.
    expect(runTrustPlan(planTrust('install', ca, host, { system: false }), undefined, env).map((r) => r.ok)).toEqual([true]);

    // A different CA that happens to carry the same name is not trusted through this entry.
    const other = readLocalCa((await loadOrCreateCertificate(scratch('trust-other-'))).caPath);
    expect(browserTrustsCa({ ...other, name: ca.name }, host, env)).toBe(false);

    const removed = runTrustPlan(planTrust('uninstall', ca, host, { system: false }), undefined, env);
    expect(removed.map((r) => r.ok)).toEqual([true]);
    expect(browserTrustsCa(ca, host, env)).toBe(false);
    const listed = spawnSync('certutil', ['-d', `sql:${chromiumNssDirectory(home)}`, '-L'], { env, encoding: 'utf8' });
    expect(listed.stdout).not.toContain(ca.name);
  });
});
