/**
 * What the browser tests run against: the offline sandbox (in this process, on ephemeral ports, fresh data), the
 * web app served by Vite's dev server with that sandbox's amplify_outputs.json, and Debian's Chromium.
 *
 * The browser trusts exactly the sandbox's server certificate (`--ignore-certificate-errors-spki-list` with its
 * public-key hash), which is what importing the local CA does for a person (offline/tls/README.md); nothing else
 * about TLS is relaxed.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type Plugin, type ViteDevServer } from 'vite';
import { SERVER_CERT_FILE } from '../offline/tls/certificate';
import { PROJECT_ROOT } from '../scripts/lib/paths.mjs';
import { newDataDirectory, startTestSandbox, type TestSandbox } from '../tests/offline/helpers';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
export const ARTIFACTS = join(PROJECT_ROOT, 'test-results', 'e2e');

export interface Stack {
  env: TestSandbox;
  appUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Serves `outputsFile` wherever the app imports amplify_outputs.json (src/main.tsx), leaving the developer's file alone. */
function outputsFrom(outputsFile: string): Plugin {
  return {
    name: 'e2e-amplify-outputs',
    enforce: 'pre',
    resolveId(source) {
      return source.endsWith('/amplify_outputs.json') ? outputsFile : null;
    },
  };
}

/** base64(SHA-256(SubjectPublicKeyInfo)) — the form Chromium's --ignore-certificate-errors-spki-list takes. */
function spkiHash(certificatePem: string): string {
  const der = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}

export async function startStack(): Promise<Stack> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDirectory = newDataDirectory();
  const env = await startTestSandbox(dataDirectory);
  // startTestSandbox wrote the outputs for this sandbox next to its data.
  const outputsFile = join(dataDirectory, 'amplify_outputs.json');

  let vite: ViteDevServer | undefined;
  let browser: Browser | undefined;
  try {
    vite = await createServer({
      root: PROJECT_ROOT,
      configFile: join(PROJECT_ROOT, 'vite.config.ts'),
      plugins: [outputsFrom(outputsFile)],
      server: { host: '127.0.0.1', port: 0, strictPort: false, watch: null },
      logLevel: 'warn',
      clearScreen: false,
    });
    await vite.listen();
    const appUrl = vite.resolvedUrls?.local[0];
    if (!appUrl) throw new Error('Vite did not report a URL');

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        `--ignore-certificate-errors-spki-list=${spkiHash(readFileSync(join(dataDirectory, SERVER_CERT_FILE), 'utf8'))}`,
      ],
    });
    const running = { vite, browser };
    return {
      env,
      appUrl,
      browser,
      close: async () => {
        await running.browser.close().catch(() => undefined);
        await running.vite.close().catch(() => undefined);
        await env.sandbox.close();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await vite?.close().catch(() => undefined);
    await env.sandbox.close();
    throw error;
  }
}
