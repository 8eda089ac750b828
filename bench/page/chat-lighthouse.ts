/**
 * Lighthouse on the chat screen, signed in (docs/benchmarks.md "The page"):
 *
 *   node --import tsx bench/page/chat-lighthouse.ts [--runs N] [--keep]
 *
 * Starts an offline sandbox (the synthesized backend, as the tests do), builds the app against it and serves the build
 * with Vite's preview server over HTTPS with the production headers, as e2e/production-headers.e2e.ts does. A person
 * signs up through the app's sign-up form in a Chromium profile that trusts the sandbox's CA; that profile (its stored
 * Cognito session) is then handed to Lighthouse with `--disable-storage-reset`, so each run loads `/` signed in: the
 * restored session, the chat chunk, the first queries and the subscriptions (the copy leaves out Chromium's HTTP and
 * code caches: every file is fetched as on a first visit). Figures as bench/page/lighthouse.ts.
 * Loopback only; every step is bounded.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview, type Plugin } from 'vite';
import { buildOutputs, CA_FILE, startSandbox, trustingBrowserHome, writeOutputs } from 'amplify-gen2-offline';
import { outputsModule, PROXY_PATHS, readOfflineOutputs } from 'amplify-gen2-offline/vite';
import { securityHeaders } from '../../scripts/security-headers.mjs';
import { printSummary, productionHeaders, readDiagnostics, runLighthouse, type RunFigures } from './lighthouse-runner';

const ROOT = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const keep = args.includes('--keep');
const UI_LIMIT_MS = 30_000;
const person = { email: 'bench@example.com', displayName: 'Bench Reader', password: 'Correct-Horse-9' };

const workDirectory = mkdtempSync(join(tmpdir(), 'chat-page-bench-'));
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CDK_OUT = join(ROOT, '.amplify', 'artifacts', 'cdk.out');

// The synthesized chat (npm run synth) on a sandbox of its own: free ports, a data directory (and CA) of its own.
const dataDirectory = mkdtempSync(join(tmpdir(), 'chat-page-bench-data-'));
const outputsFile = join(dataDirectory, 'amplify_outputs.json');
const sandbox = await startSandbox({ cdkOut: CDK_OUT, dataDirectory, ports: { appsync: 0, cognito: 0, console: 0, s3: 0 }, logger: () => undefined });
writeOutputs(outputsFile, buildOutputs(sandbox.description, sandbox.urls), { force: true });
const env = { sandbox };
const cleanups: (() => Promise<unknown> | void)[] = [() => sandbox.close(), () => rmSync(dataDirectory, { recursive: true, force: true })];

try {
  // The offline plugin in vite.config.ts: HTTPS with the sandbox's certificate, /graphql and /cognito proxied.
  process.env['OFFLINE_SANDBOX_OUTPUTS'] = outputsFile;
  process.env['OFFLINE_SANDBOX_DATA'] = dataDirectory;
  process.env['NODE_ENV'] = 'production';
  const outDir = join(workDirectory, 'dist');
  const configFile = join(ROOT, 'vite.config.ts');
  const sandboxOutputs: Plugin = {
    name: 'bench-sandbox-outputs',
    enforce: 'pre',
    resolveId: (source) => (/(^|[/\\])amplify_outputs\.json$/.test(source) ? '\0bench:amplify_outputs' : null),
    load: (id) => (id === '\0bench:amplify_outputs' ? outputsModule(readOfflineOutputs(outputsFile)!) : null),
  };
  await build({ root: ROOT, configFile, mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true }, plugins: [sandboxOutputs] });
  let headers: { key: string; value: string }[] = [];
  const withHeaders = productionHeaders(() => headers);
  const server = await preview({
    root: ROOT,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    plugins: [withHeaders],
  });
  cleanups.push(() => server.close());
  const url = server.resolvedUrls?.local[0];
  if (!url?.startsWith('https://127.')) throw new Error(`the preview server did not report a loopback https URL (${url})`);
  const origin = new URL(url).origin;
  const outputs = readOfflineOutputs(outputsFile)!;
  headers = securityHeaders({
    ...outputs,
    data: { ...outputs.data, url: origin + PROXY_PATHS.graphql },
    custom: { ...outputs.custom, userPoolEndpoint: origin + PROXY_PATHS.cognito },
  });

  // Sign up (and so sign in) once in a profile of our own; Lighthouse gets a copy of it per run.
  const home = trustingBrowserHome(join(dataDirectory, CA_FILE));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  const signedInProfile = join(workDirectory, 'signed-in-profile');
  const context = await chromium.launchPersistentContext(signedInProfile, {
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
    env: { ...process.env, HOME: home },
  });
  try {
    context.setDefaultTimeout(UI_LIMIT_MS);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    await page.getByRole('tab', { name: 'Create Account' }).click();
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Display name').fill(person.displayName);
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByLabel('Confirm Password').fill(person.password);
    await page.getByRole('button', { name: 'Create Account' }).click();
    await page.getByLabel('Confirmation Code').fill(env.sandbox.userPool.lastCodeFor(person.email) ?? '');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  } finally {
    await context.close();
  }

  const results: RunFigures[] = [];
  for (let index = 0; index < runs; index++) {
    const userDataDir = join(workDirectory, `profile-${index}`);
    // The stored session without the HTTP and code caches: every file of the page is fetched, as on a first visit.
    cpSync(signedInProfile, userDataDir, { recursive: true, filter: (source) => !/[/\\](Cache|Code Cache|GPUCache)$/.test(source) });
    const figures = await runLighthouse({
      root: ROOT,
      url,
      reportFile: join(workDirectory, `chat-report-${index}.json`),
      userDataDir,
      keepStorage: true,
      home,
    });
    results.push(figures);
    console.log(JSON.stringify({ page: 'chat', run: index + 1, ...figures }));
    console.log(`  where the time went: ${JSON.stringify(readDiagnostics(join(workDirectory, `chat-report-${index}.json`)))}`);
  }
  printSummary('chat screen (signed in, no conversation yet)', results);
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  if (keep) console.log(`kept ${workDirectory}`);
  else rmSync(workDirectory, { recursive: true, force: true });
  rmSync(dataDirectory, { recursive: true, force: true });
}
