/**
 * The production build under the production headers: the app is built with Vite's `build()` and the project's
 * vite.config.ts (what `npm run build` runs), served by Vite's preview server with exactly the headers
 * scripts/security-headers.mjs computes for the outputs this build uses, and two people sign up, sign in and chat
 * with a listener for Content-Security-Policy violations in each page: there must be none.
 *
 * Where this differs from AWS: the offline sandbox is reached on the app's own origin (the offline plugin's proxy
 * serves /graphql, its real-time upgrade and /cognito, see offline/vite/plugin.ts), so the policy's connect-src
 * names that origin (https:// and wss://) where a deployment's names the AppSync, AppSync real-time and Cognito
 * hosts. The directives are the same; tests/deploy/security-headers.test.ts checks the origins for an AWS-shaped
 * outputs file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build, preview, type Plugin, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsModule, PROXY_PATHS, readOfflineOutputs } from '../offline/vite/plugin';
import { PROJECT_ROOT } from '../scripts/lib/paths.mjs';
import { securityHeaders } from '../scripts/security-headers.mjs';
import { newDataDirectory, startTestSandbox, type TestSandbox } from '../tests/offline/helpers';
import { ChatUser, UI_TIMEOUT_MS, type Person } from './chat-user';
import { launchChromium, trustingHome } from './stack';

const PASSWORD = 'Correct-Horse-9';
const people: Record<'ann' | 'bob', Person> = {
  ann: { email: 'ann@example.com', displayName: 'Ann Archer', password: PASSWORD },
  bob: { email: 'bob@example.com', displayName: 'Bob Baker', password: PASSWORD },
};

/** Runs in each page before the app: collects securitypolicyviolation events. */
const RECORD_VIOLATIONS = `
(() => {
  const violations = [];
  window.__cspViolations = violations;
  document.addEventListener('securitypolicyviolation', (event) => {
    violations.push(event.effectiveDirective + ' blocked ' + (event.blockedURI || '(inline)') + ' at ' + event.sourceFile + ':' + event.lineNumber);
  });
})();
`;

interface Header {
  key: string;
  value: string;
}

let env: TestSandbox;
let outDir: string;
let server: PreviewServer;
let browserHome: string;
let browser: Browser;
let appUrl: string;
/** The headers every response of the preview server carries. */
let headers: Header[] = [];
let ann: ChatUser;
let bob: ChatUser;

/** The build imports the sandbox's outputs the way the dev server serves them: URLs on the page's own origin. */
function sandboxOutputsForBuild(outputsFile: string): Plugin {
  const id = '\0production-headers:amplify_outputs';
  return {
    name: 'production-headers-outputs',
    enforce: 'pre',
    resolveId: (source) => (/(^|[/\\])amplify_outputs\.json$/.test(source) ? id : null),
    load(moduleId) {
      if (moduleId !== id) return null;
      const outputs = readOfflineOutputs(outputsFile);
      if (!outputs) throw new Error(`${outputsFile} is not an offline sandbox's outputs`);
      return outputsModule(outputs);
    },
  };
}

/** Every response of the preview server carries `headers` (as Amplify Hosting adds its custom headers). */
function withHeaders(): Plugin {
  return {
    name: 'production-headers',
    configurePreviewServer(preview) {
      preview.middlewares.use((_request, response, next) => {
        for (const header of headers) response.setHeader(header.key, header.value);
        next();
      });
    },
  };
}

/** The outputs the built app runs with on `origin`: what outputsModule makes of the sandbox's file there. */
function outputsAt(origin: string) {
  const outputs = readOfflineOutputs(join(env.dataDirectory, 'amplify_outputs.json'));
  if (!outputs) throw new Error('no offline outputs');
  return {
    ...outputs,
    data: { ...outputs.data, url: origin + PROXY_PATHS.graphql },
    custom: { ...outputs.custom, userPoolEndpoint: origin + PROXY_PATHS.cognito },
  };
}

async function recordViolations(context: BrowserContext, page: Page): Promise<void> {
  await context.addInitScript({ content: RECORD_VIOLATIONS });
  await page.reload();
}

function violationsOf(user: ChatUser): Promise<string[]> {
  return user.page.evaluate('window.__cspViolations.slice()') as Promise<string[]>;
}

/** What Chromium logs for a violation (also from before the recording script ran). */
function cspConsoleErrors(user: ChatUser): string[] {
  return user.consoleErrors.filter((text) => /Content.Security.Policy/i.test(text));
}

beforeAll(async () => {
  const dataDirectory = newDataDirectory();
  env = await startTestSandbox(dataDirectory);
  // Read by the offline plugin in vite.config.ts: HTTPS with the sandbox's certificate, /graphql and /cognito proxied.
  process.env['OFFLINE_SANDBOX_OUTPUTS'] = join(dataDirectory, 'amplify_outputs.json');
  process.env['OFFLINE_SANDBOX_DATA'] = dataDirectory;
  outDir = mkdtempSync(join(tmpdir(), 'chat-production-build-'));
  const configFile = join(PROJECT_ROOT, 'vite.config.ts');
  await build({
    root: PROJECT_ROOT,
    configFile,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: [sandboxOutputsForBuild(join(dataDirectory, 'amplify_outputs.json'))],
  });
  server = await preview({
    root: PROJECT_ROOT,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    plugins: [withHeaders()],
  });
  const url = server.resolvedUrls?.local[0];
  if (!url?.startsWith('https://')) throw new Error(`the preview server did not report an https URL (${url})`);
  appUrl = url;
  headers = securityHeaders(outputsAt(new URL(appUrl).origin));
  browserHome = trustingHome(dataDirectory);
  browser = await launchChromium(browserHome);
});

afterAll(async () => {
  for (const user of [ann, bob]) await user?.close();
  await browser?.close().catch(() => undefined);
  await server?.close().catch(() => undefined);
  await env?.sandbox.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  if (browserHome) rmSync(browserHome, { recursive: true, force: true });
});

describe('the production build under the production headers', () => {
  it('serves the page with the computed headers, the policy naming only the app and its backend', async () => {
    const response = await fetch(appUrl);
    expect(response.status).toBe(200);
    for (const { key, value } of headers) expect(response.headers.get(key), key).toBe(value);
    const policy = response.headers.get('content-security-policy') ?? '';
    const origin = new URL(appUrl).origin;
    expect(policy).toContain(`connect-src 'self' ${origin} ${origin.replace('https://', 'wss://')}`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    // The built page is the production bundle, not the dev server's.
    const html = await response.text();
    expect(html).toMatch(/<script type="module" crossorigin fetchpriority="low" src="\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).not.toContain('/@vite/client');
  });

  it('lets two people sign up, sign in and chat live with no violation of the policy', async () => {
    const code = (email: string) => env.sandbox.userPool.lastCodeFor(email);
    ann = await ChatUser.open(browser, appUrl, people.ann);
    await recordViolations(ann.context, ann.page);
    await ann.signUp(code);
    bob = await ChatUser.open(browser, appUrl, people.bob);
    await recordViolations(bob.context, bob.page);
    await bob.signUp(code);

    // Ann signs out and in again (the sign-in form, SRP against the user pool), first with a wrong password: the
    // sign-in screen's error, and its show-password switch, render under the policy too.
    await ann.signedIn().click();
    await ann.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await ann.page.getByLabel('Email').fill(people.ann.email);
    await ann.page.getByLabel('Password', { exact: true }).fill('Wrong-Password-1');
    await ann.page.getByRole('switch', { name: 'Show password' }).click();
    await ann.page.getByRole('button', { name: 'Sign in' }).click();
    await ann.page.getByText('Incorrect username or password.').waitFor();
    await ann.signIn();

    await ann.startConversationWith('Bob');
    await bob.topConversation('Ann Archer', 'No messages yet').waitFor();
    await ann.send('Under the production policy');
    await ann.message('Under the production policy', { status: 'confirmed', own: true }).waitFor();
    await bob.conversation('Ann Archer').click();
    await bob.message('Under the production policy', { own: false }).waitFor();
    await bob.send('Received, no violations here');
    await ann.message('Received, no violations here', { status: 'confirmed', own: false }).waitFor();

    for (const user of [ann, bob]) {
      await expect(violationsOf(user), user.person.displayName).resolves.toEqual([]);
      expect(cspConsoleErrors(user), user.person.displayName).toEqual([]);
      expect(user.pageErrors, user.person.displayName).toEqual([]);
    }
  });

  it('would have seen a violation: a request to an origin the policy does not list is blocked and reported', async () => {
    await ann.page.evaluate("fetch('https://example.com/exfiltrate').catch(() => undefined)");
    await ann.page.waitForFunction('window.__cspViolations.length > 0', undefined, { timeout: UI_TIMEOUT_MS });
    await expect(violationsOf(ann)).resolves.toEqual([expect.stringMatching(/^connect-src blocked https:\/\/example\.com\/exfiltrate/)]);
  });
});
