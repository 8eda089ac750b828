/**
 * Trusting the sandbox's local CA in the stores browsers read, like `mkcert -install`: which stores exist on this
 * machine, the exact commands that add or remove the CA, and whether the browser store already trusts it.
 *
 * - Linux: the NSS database Chrome/Chromium read (`~/.pki/nssdb`), every Firefox profile's NSS database, both
 *   through `certutil` (Debian/Ubuntu `libnss3-tools`, Fedora `nss-tools`); the system store
 *   (`update-ca-certificates` / `update-ca-trust`) only when running as root, which curl and other OpenSSL
 *   programs read (Node reads neither: it needs NODE_EXTRA_CA_CERTS).
 * - macOS: the login keychain (`security add-trusted-cert`, no sudo; macOS asks for the password), which Safari and
 *   Chrome read; Firefox profiles too when `certutil` (Homebrew `nss`) is installed.
 * - Windows: the current user's Root store (`certutil -user`), which Chrome and Edge read.
 *
 * Planning is pure (a `TrustHost` describes the machine) so it is tested on every platform; running the plan
 * is `runTrustPlan`.
 */
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface LocalCa {
  /** Absolute path of the CA's PEM file. */
  path: string;
  /** The CA's common name: unique per install, used as the nickname in NSS databases. */
  name: string;
  /** `AA:BB:…` */
  fingerprint256: string;
  /** SHA-1 fingerprint, hex without colons (how the macOS keychain names a certificate). */
  sha1: string;
  /** Serial number, hex (how Windows' certutil names a certificate). */
  serial: string;
}

export function readLocalCa(path: string): LocalCa {
  const x509 = new X509Certificate(readFileSync(path));
  const name = /(?:^|\n)CN=([^\n]+)/.exec(x509.subject)?.[1];
  if (!x509.ca || !name) throw new Error(`${path} is not a CA certificate with a common name`);
  return { path, name, fingerprint256: x509.fingerprint256, sha1: x509.fingerprint.replace(/:/g, ''), serial: x509.serialNumber };
}

/** What planning needs to know about the machine. */
export interface TrustHost {
  platform: NodeJS.Platform;
  home: string;
  isRoot: boolean;
  /** The path of an executable on PATH, or undefined. */
  which(command: string): string | undefined;
  exists(path: string): boolean;
  /** Directory entries (names), or [] when the directory does not exist. */
  list(path: string): string[];
}

export function currentHost(env: NodeJS.ProcessEnv = process.env): TrustHost {
  const home = env['HOME'] ?? env['USERPROFILE'] ?? '';
  return {
    platform: process.platform,
    home,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    which: (command) => which(command, env),
    exists: existsSync,
    list: (path) => {
      try {
        return readdirSync(path);
      } catch {
        return [];
      }
    },
  };
}

function which(command: string, env: NodeJS.ProcessEnv): string | undefined {
  const extensions = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD').split(';') : [''];
  for (const directory of (env['PATH'] ?? '').split(delimiter)) {
    if (!directory) continue;
    for (const extension of extensions) {
      const candidate = join(directory, command + extension);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface TrustStep {
  /** The store, as a person knows it ("Chrome/Chromium (NSS database ~/.pki/nssdb)"). */
  store: string;
  /** Commands run in order; the step fails at the first that fails. */
  commands: string[][];
}

export interface TrustPlan {
  steps: TrustStep[];
  /** Stores not touched, and why (a missing tool, no root rights, no such store here). */
  skipped: { store: string; why: string }[];
}

export type TrustMode = 'install' | 'uninstall';

export interface PlanOptions {
  /** Leave the system store alone even when running as root. */
  system?: boolean;
}

const NSS_TOOL_HINT = 'certutil is not installed (Debian/Ubuntu: sudo apt install libnss3-tools; Fedora: sudo dnf install nss-tools)';

export function planTrust(mode: TrustMode, ca: LocalCa, host: TrustHost, options: PlanOptions = {}): TrustPlan {
  const plan: TrustPlan = { steps: [], skipped: [] };
  if (host.platform === 'darwin') {
    planKeychain(mode, ca, host, plan);
    planFirefox(mode, ca, host, plan, join(host.home, 'Library', 'Application Support', 'Firefox', 'Profiles'));
  } else if (host.platform === 'win32') {
    plan.steps.push({
      store: "Windows current user's Root store (Chrome, Edge)",
      commands: [mode === 'install' ? ['certutil', '-user', '-addstore', 'Root', ca.path] : ['certutil', '-user', '-delstore', 'Root', ca.serial]],
    });
    plan.skipped.push({ store: 'Firefox', why: 'Firefox on Windows trusts the Root store when security.enterprise_roots.enabled is true (its default)' });
  } else {
    planChromiumNss(mode, ca, host, plan);
    for (const base of [join(host.home, '.mozilla', 'firefox'), join(host.home, 'snap', 'firefox', 'common', '.mozilla', 'firefox')]) {
      planFirefox(mode, ca, host, plan, base);
    }
    planLinuxSystem(mode, ca, host, plan, options.system !== false);
  }
  return plan;
}

/** The NSS database Chrome and Chromium read on Linux. */
export function chromiumNssDirectory(home: string): string {
  return join(home, '.pki', 'nssdb');
}

function planChromiumNss(mode: TrustMode, ca: LocalCa, host: TrustHost, plan: TrustPlan): void {
  const store = `Chrome/Chromium (NSS database ${chromiumNssDirectory(host.home)})`;
  if (!host.which('certutil')) return void plan.skipped.push({ store, why: NSS_TOOL_HINT });
  const directory = chromiumNssDirectory(host.home);
  const database = `sql:${directory}`;
  if (mode === 'uninstall') {
    if (!host.exists(join(directory, 'cert9.db'))) return void plan.skipped.push({ store, why: 'no database there' });
    plan.steps.push({ store, commands: [['certutil', '-d', database, '-D', '-n', ca.name]] });
    return;
  }
  const commands: string[][] = [];
  // Chromium creates the database on its first run; before that, create it as Chromium would (empty password).
  if (!host.exists(join(directory, 'cert9.db'))) commands.push(['mkdir', '-p', directory], ['certutil', '-d', database, '-N', '--empty-password']);
  commands.push(['certutil', '-d', database, '-A', '-t', 'C,,', '-n', ca.name, '-i', ca.path]);
  plan.steps.push({ store, commands });
}

function planFirefox(mode: TrustMode, ca: LocalCa, host: TrustHost, plan: TrustPlan, profilesDirectory: string): void {
  const profiles = host.list(profilesDirectory).filter((name) => host.exists(join(profilesDirectory, name, 'cert9.db')));
  if (profiles.length === 0) return;
  if (!host.which('certutil')) return void plan.skipped.push({ store: `Firefox (${profilesDirectory})`, why: NSS_TOOL_HINT });
  for (const profile of profiles) {
    const database = `sql:${join(profilesDirectory, profile)}`;
    plan.steps.push({
      store: `Firefox profile ${profile}`,
      commands: [mode === 'install' ? ['certutil', '-d', database, '-A', '-t', 'C,,', '-n', ca.name, '-i', ca.path] : ['certutil', '-d', database, '-D', '-n', ca.name]],
    });
  }
}

const DEBIAN_ANCHORS = '/usr/local/share/ca-certificates';
const FEDORA_ANCHORS = '/etc/pki/ca-trust/source/anchors';

function planLinuxSystem(mode: TrustMode, ca: LocalCa, host: TrustHost, plan: TrustPlan, wanted: boolean): void {
  const store = 'system store (curl, wget and other OpenSSL programs; not the browsers)';
  if (!wanted) return void plan.skipped.push({ store, why: '--no-system' });
  if (!host.isRoot) return void plan.skipped.push({ store, why: 'needs root: run `sudo npx amplify-gen2-offline trust` to add it there too' });
  const file = `${ca.name.replace(/[^A-Za-z0-9-]+/g, '-')}`;
  if (host.exists(DEBIAN_ANCHORS) && host.which('update-ca-certificates')) {
    const target = join(DEBIAN_ANCHORS, `${file}.crt`);
    plan.steps.push({
      store,
      commands: mode === 'install' ? [['cp', ca.path, target], ['update-ca-certificates']] : [['rm', '-f', target], ['update-ca-certificates', '--fresh']],
    });
  } else if (host.exists(FEDORA_ANCHORS) && host.which('update-ca-trust')) {
    const target = join(FEDORA_ANCHORS, `${file}.pem`);
    plan.steps.push({ store, commands: mode === 'install' ? [['cp', ca.path, target], ['update-ca-trust', 'extract']] : [['rm', '-f', target], ['update-ca-trust', 'extract']] });
  } else {
    plan.skipped.push({ store, why: 'neither update-ca-certificates nor update-ca-trust is installed' });
  }
}

function planKeychain(mode: TrustMode, ca: LocalCa, host: TrustHost, plan: TrustPlan): void {
  const keychain = join(host.home, 'Library', 'Keychains', 'login.keychain-db');
  const store = 'macOS login keychain (Safari, Chrome, Edge)';
  plan.steps.push({
    store,
    commands:
      mode === 'install'
        ? [['security', 'add-trusted-cert', '-r', 'trustRoot', '-k', keychain, ca.path]]
        : [['security', 'remove-trusted-cert', ca.path], ['security', 'delete-certificate', '-Z', ca.sha1, keychain]],
  });
}

export interface StepResult {
  step: TrustStep;
  ok: boolean;
  /** The failing command's output, when a command failed. */
  error?: string;
}

/** Runs each step's commands in order (no shell); a failed step does not stop the others. */
export function runTrustPlan(plan: TrustPlan, onStep: (result: StepResult) => void = () => undefined, env: NodeJS.ProcessEnv = process.env): StepResult[] {
  const results: StepResult[] = [];
  for (const step of plan.steps) {
    let result: StepResult = { step, ok: true };
    for (const [command, ...args] of step.commands) {
      if (command === 'mkdir') {
        // Shown as `mkdir -p DIR`; done here, so no shell tool is needed.
        try {
          mkdirSync(args.at(-1)!, { recursive: true, mode: 0o700 });
        } catch (error) {
          result = { step, ok: false, error: error instanceof Error ? error.message : String(error) };
        }
      } else {
        const ran = spawnSync(command!, args, { env, encoding: 'utf8' });
        if (ran.error || ran.status !== 0) result = { step, ok: false, error: (ran.error?.message ?? `${ran.stderr}${ran.stdout}`).trim() || `exit ${ran.status}` };
      }
      if (!result.ok) break;
    }
    results.push(result);
    onStep(result);
  }
  return results;
}

/** Whether the store the browser on this machine reads (Chromium's NSS, the login keychain, the Root store) trusts `ca`. */
export function browserTrustsCa(ca: LocalCa, host: TrustHost = currentHost(), env: NodeJS.ProcessEnv = process.env): boolean {
  let command: string[];
  if (host.platform === 'darwin') command = ['security', 'verify-cert', '-c', ca.path];
  else if (host.platform === 'win32') command = ['certutil', '-user', '-verifystore', 'Root', ca.serial];
  else {
    const directory = chromiumNssDirectory(host.home);
    if (!host.which('certutil') || !host.exists(join(directory, 'cert9.db'))) return false;
    const listed = spawnSync('certutil', ['-d', `sql:${directory}`, '-L', '-n', ca.name, '-a'], { env, encoding: 'utf8' });
    if (listed.status !== 0) return false;
    // The entry must be this CA (same key and name), not an older one that happened to share the nickname.
    try {
      return new X509Certificate(listed.stdout).fingerprint256 === ca.fingerprint256 && trustFlags(directory, ca.name, env).includes('C');
    } catch {
      return false;
    }
  }
  const [program, ...args] = command;
  const ran = spawnSync(program!, args, { env, stdio: 'ignore' });
  return ran.status === 0;
}

/** The SSL trust flags of a nickname in an NSS database (`C` = trusted CA for TLS servers). */
function trustFlags(directory: string, nickname: string, env: NodeJS.ProcessEnv): string {
  const listed = spawnSync('certutil', ['-d', `sql:${directory}`, '-L'], { env, encoding: 'utf8' });
  for (const line of String(listed.stdout).split('\n')) {
    const match = /^(.*\S)\s+([A-Za-z]*),([A-Za-z]*),([A-Za-z]*)\s*$/.exec(line);
    if (match && match[1] === nickname) return match[2]!;
  }
  return '';
}

/**
 * A new home directory for a browser whose certificate store (Chromium's NSS database, `<home>/.pki/nssdb`) trusts the
 * CA in `caFile`, made by the same plan `amplify-gen2-offline trust` runs — for scripts that drive a real browser
 * against the sandbox with no certificate shortcut (browser tests, page benchmarks). Throws when it cannot be made.
 */
export function trustingBrowserHome(caFile: string): string {
  const home = mkdtempSync(join(tmpdir(), 'chat-browser-home-'));
  const host = currentHost({ ...process.env, HOME: home });
  const plan = planTrust('install', readLocalCa(caFile), host, { system: false });
  const failed = runTrustPlan(plan).filter((result) => !result.ok);
  if (plan.steps.length === 0 || failed.length > 0) {
    throw new Error(`could not trust the sandbox CA in ${home}: ${[...plan.skipped.map((s) => s.why), ...failed.map((f) => f.error)].join('; ')}`);
  }
  return home;
}
