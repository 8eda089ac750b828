/**
 * `npm run trust` on a machine whose browser trusts nothing of ours: afterwards Chromium opens the app with no
 * warning at all, and `npm run untrust` brings the warning back. The commands run as a person runs them, with a
 * temporary home directory standing in for the person's (Chromium reads `$HOME/.pki/nssdb`); the system store is
 * left alone (`--no-system`) because this machine's is not the test's to change.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CA_FILE } from '../offline/tls/certificate';
import { trustLine } from '../offline/vite/plugin';
import { PROJECT_ROOT } from '../scripts/lib/paths.mjs';
import { passCertificateWarning } from './chat-user';
import { launchChromium, startStack, type Stack } from './stack';

let stack: Stack;
let home: string;
const browsers: Browser[] = [];

beforeAll(async () => {
  stack = await startStack({ trust: 'none' });
  home = mkdtempSync(join(tmpdir(), 'chat-person-home-'));
});

afterAll(async () => {
  for (const browser of browsers) await browser.close().catch(() => undefined);
  await stack?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

function npmRun(script: 'trust' | 'untrust'): { status: number | null; output: string } {
  const ran = spawnSync('npm', ['run', '--silent', script, '--', '--no-system', '--data', stack.env.dataDirectory], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, HOME: home, npm_config_cache: join(home, '.npm') },
    encoding: 'utf8',
  });
  return { status: ran.status, output: `${ran.stdout}${ran.stderr}` };
}

/** Opens the app in a new Chromium of that home; resolves to the error text, or undefined when the page loaded. */
async function openApp(): Promise<{ error?: string; browser: Browser }> {
  const browser = await launchChromium(home);
  browsers.push(browser);
  const page = await browser.newPage();
  const error = await page.goto(stack.appUrl).then(
    (response) => (response?.ok() ? undefined : `status ${response?.status()}`),
    (failure: Error) => failure.message.split('\n')[0],
  );
  if (!error) await page.getByRole('tab', { name: 'Create Account' }).waitFor({ timeout: 20_000 });
  return { error, browser };
}

describe('npm run trust', () => {
  it('before it, the browser warns; the dev server says so', async () => {
    const { error } = await openApp();
    expect(error).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
    expect(trustLine(join(stack.env.dataDirectory, CA_FILE), { ...process.env, HOME: home })).toMatch(
      /your browser will warn once on this URL: choose Advanced → Proceed; or run npx amplify-gen2-offline trust/,
    );
  });

  it('says what it will change, changes it, and Chromium then opens the app with no warning', async () => {
    const trust = npmRun('trust');
    expect(trust.output).toContain(`Chrome/Chromium (NSS database ${join(home, '.pki', 'nssdb')})`);
    expect(trust.output).toMatch(/\$ certutil -d sql:\S+ -A -t C,, -n /);
    expect(trust.status).toBe(0);
    const { error } = await openApp();
    expect(error).toBeUndefined();
    expect(trustLine(join(stack.env.dataDirectory, CA_FILE), { ...process.env, HOME: home })).toMatch(/Certificate: trusted/);
  });

  it('npm run untrust removes it: the warning is back, and passing it still works', async () => {
    const untrust = npmRun('untrust');
    expect(untrust.output).toMatch(/\$ certutil -d sql:\S+ -D -n /);
    expect(untrust.status).toBe(0);
    const { error, browser } = await openApp();
    expect(error).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
    const page = await browser.newPage();
    await passCertificateWarning(page, stack.appUrl);
    await page.getByRole('tab', { name: 'Create Account' }).waitFor({ timeout: 20_000 });
  });
});
