/**
 * What the browser tests run against, put together as `npm run dev` does it: the offline sandbox (in this process,
 * on ephemeral ports, fresh data), the web app served by Vite's dev server with the project's own vite.config.ts
 * (the offline-sandbox plugin: HTTPS with the sandbox's certificate, /graphql and /cognito proxied on the app's
 * origin), and Debian's Chromium with a home directory of its own.
 *
 * TLS is never relaxed for the browser. Either its certificate store trusts the sandbox's CA because the test
 * installed it with the code `npm run trust` runs (`trust: 'installed'`, the default), or it trusts nothing and the
 * test passes the browser's warning the way a person does (`trust: 'none'`, see ChatUser.passCertificateWarning).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { CA_FILE } from '../offline/tls/certificate';
import { trustingBrowserHome } from '../offline/tls/trust';
import { PROJECT_ROOT } from '../scripts/lib/paths.mjs';
import { newDataDirectory, startAppDevServer, startTestSandbox, type TestSandbox } from '../tests/offline/helpers';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ARTIFACTS = join(PROJECT_ROOT, 'test-results', 'e2e');

export interface Stack {
  env: TestSandbox;
  /** The URL Vite prints (https, the app's one origin). */
  appUrl: string;
  browser: Browser;
  /** The browser's home directory (its NSS certificate database is `<home>/.pki/nssdb`). */
  browserHome: string;
  close(): Promise<void>;
}

export interface StackOptions {
  /** `installed`: the browser's store trusts the sandbox CA (as after `npm run trust`); `none`: a fresh machine. */
  trust?: 'installed' | 'none';
}

/** A home directory for Chromium whose NSS database trusts the CA in `dataDirectory`, through `npm run trust`'s code. */
export function trustingHome(dataDirectory: string): string {
  return trustingBrowserHome(join(dataDirectory, CA_FILE));
}

export function launchChromium(home: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    // Chromium on Linux reads its certificate store from $HOME/.pki/nssdb.
    env: { ...process.env, HOME: home },
  });
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDirectory = newDataDirectory();
  const env = await startTestSandbox(dataDirectory);

  let vite: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let browserHome: string | undefined;
  try {
    vite = await startAppDevServer(dataDirectory);
    const appUrl = vite.resolvedUrls?.local[0];
    if (!appUrl?.startsWith('https://')) throw new Error(`Vite did not report an https URL (${appUrl})`);
    browserHome = options.trust === 'none' ? mkdtempSync(join(tmpdir(), 'chat-browser-home-')) : trustingHome(dataDirectory);
    browser = await launchChromium(browserHome);
    const running = { vite, browser, browserHome };
    return {
      env,
      appUrl,
      browser,
      browserHome,
      close: async () => {
        await running.browser.close().catch(() => undefined);
        await running.vite.close().catch(() => undefined);
        await env.sandbox.close();
        rmSync(running.browserHome, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await vite?.close().catch(() => undefined);
    await env.sandbox.close();
    if (browserHome) rmSync(browserHome, { recursive: true, force: true });
    throw error;
  }
}
