/**
 * The backend-only command as `npm run sandbox:offline` / `npm run dev` run it: a real child process that prepares
 * its data directory and CA, writes amplify_outputs.json, prints progress, the URLs and "[sandbox] ready", answers
 * with AppSync's shapes, re-synthesizes and reloads on an edit of the backend sources (`--watch`), keeps serving
 * when an edit does not synthesize, stops cleanly on SIGTERM, and starts empty with --reset. By default it prints
 * no line per request but a highlighted block per code or temporary password; `--verbose` adds the request lines.
 * (Its --help and usage errors: tests/cli/command-line.test.ts.)
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { loadCdkOut } from '../../offline/loader/index';
import { loadOrCreateCertificate } from '../../offline/tls/certificate';
import { copyCdkOut, removeCdkOutCopy } from '../../scripts/lib/cdk-out-copy.mjs';
import { cognitoCall } from '../load/remote-users';
import { killSandbox, spawnSandbox, startSandboxProcess, type ReadySandbox } from '../load/sandbox-process';
import { CDK_OUT, newDataDirectory } from './helpers';

type Child = ChildProcessByStdio<null, Readable, Readable>;

const workspace = (() => {
  const parent = join(PROJECT_ROOT, '.amplify', 'test-offline');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, 'cli-'));
})();
const cdkOut = copyCdkOut(CDK_OUT);
const dataDirectory = join(workspace, 'data');
const outputsFile = join(workspace, 'amplify_outputs.json');
const backendCopy = join(workspace, 'amplify');
cpSync(join(PROJECT_ROOT, 'amplify'), backendCopy, { recursive: true });
// amplify/tsconfig.json maps `$amplify/*` to ../.amplify/generated/*, which ampx writes under the project root.
mkdirSync(join(workspace, '.amplify'));
symlinkSync(join(PROJECT_ROOT, '.amplify', 'generated'), join(workspace, '.amplify', 'generated'), 'dir');
const children: Child[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  removeCdkOutCopy(cdkOut);
  rmSync(workspace, { recursive: true, force: true });
});

/**
 * The CLI as a user starts it (it finds its own CA and re-runs itself trusting `<data>/ca.pem`), every line kept;
 * `next(pattern)` resolves with the first line from now on that matches.
 */
function startCli(extra: string[]) {
  const cli = spawnSandbox({ dataDirectory, outputsFile, cdkOut, extraArgs: extra, ownCa: true, keepLines: Number.POSITIVE_INFINITY });
  children.push(cli.child);
  // A failure guard only (it never decides success): after it, the test fails showing what the CLI printed.
  const next = (pattern: RegExp, guardMs = 240_000) => cli.next(pattern, guardMs);
  return { child: cli.child, lines: cli.lines, next, exited: cli.exited.then(({ code }) => code) };
}

function postGraphql(url: string, ca: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const readOutputs = () =>
  JSON.parse(readFileSync(outputsFile, 'utf8')) as {
    data: { url: string; model_introspection: { models: Record<string, { fields: Record<string, unknown> }> } };
    auth: { user_pool_endpoint?: string };
    custom?: { userPoolEndpoint?: string };
  };

describe('amplify-gen2-offline start', () => {
  it('starts, serves, reloads on a backend edit, survives a broken edit, and stops on SIGTERM', async () => {
    const cli = startCli(['--watch', '--backend', join(backendCopy, 'backend.ts')]);
    await cli.next(/^\[sandbox\] ready$/);
    const graphqlUrl = cli.lines.find((line) => line.trim().startsWith('GraphQL'))!.trim().split(/\s+/)[1]!;
    expect(graphqlUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(cli.lines.some((line) => /^\[sandbox\] loading cdk\.out… ok \(\d+ tables, 4 functions\)$/.test(line))).toBe(true);
    expect(cli.lines).toContain('[reload] watching ' + backendCopy + ': edits re-synthesize and reload the backend (data is kept)');

    const outputs = readOutputs();
    expect(outputs.data.url).toBe(graphqlUrl);
    expect(outputs.data.model_introspection.models['Conversation']!.fields['topic']).toBeUndefined();

    // HTTPS with the CA from the data directory; no token → AppSync's 401.
    const ca = readFileSync(join(dataDirectory, 'ca.pem'), 'utf8');
    const anonymous = await postGraphql(graphqlUrl, ca, JSON.stringify({ query: '{ listConversations { items { id } } }' }));
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }] });

    // An edit of the backend: a new Conversation field.
    const resource = join(backendCopy, 'data', 'resource.ts');
    const original = readFileSync(resource, 'utf8');
    // Conversation is the only model with an optional createdAt field.
    const withTopic = original.replace('        createdAt: a.datetime(),\n', '        createdAt: a.datetime(),\n        topic: a.string(),\n');
    expect(withTopic).not.toBe(original);
    // Every table is kept (a new field changes no key): as many as the backend has before the edit.
    const tables = loadCdkOut(cdkOut).tables.length;
    // Both lines can arrive in one chunk: wait for them from before the edit.
    const reloaded = cli.next(/^\[reload\] reloaded in /);
    const outputsWritten = cli.next(/^\[reload\] .*amplify_outputs\.json: written$/);
    writeFileSync(resource, withTopic);
    // (The functions count as updated here: bundles built from this copy's paths differ from the baseline's.)
    expect(await reloaded).toMatch(new RegExp(`\\(tables: 0 created, ${tables} kept, 0 rebuilt; functions: .*; subscriptions: 0 kept, 0 ended\\)$`));
    await outputsWritten;
    expect(readOutputs().data.model_introspection.models['Conversation']!.fields['topic']).toMatchObject({ name: 'topic', type: 'String' });

    // An edit that does not synthesize: reported, and the sandbox keeps serving.
    const failed = cli.next(/^\[reload\] synthesis failed; still serving the previous backend:/);
    writeFileSync(resource, `${withTopic}\nthrow new Error('broken on purpose');\n`);
    await failed;
    expect(cli.lines.some((line) => line.includes('broken on purpose'))).toBe(true);
    expect((await postGraphql(graphqlUrl, ca, '{}')).status).toBe(400);

    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.lines).toContain('[sandbox] stopped');
  }, 600_000); // two real syntheses of the backend, on a busy CI machine

  it('starts from empty data with --reset, keeping the local CA (browsers that trust it keep trusting it)', async () => {
    await loadOrCreateCertificate(dataDirectory); // whether or not the test above ran
    const caBefore = readFileSync(join(dataDirectory, 'ca.pem'), 'utf8');
    const cli = startCli(['--reset']);
    await cli.next(/^\[sandbox\] ready$/);
    expect(cli.lines).toContain(`[sandbox] --reset: emptied ${dataDirectory}`);
    expect(cli.lines.some((line) => /^\[sandbox\] tables… ok \(\d+ created, 0 kept, 0 rebuilt\)$/.test(line))).toBe(true);
    expect(cli.lines.some((line) => line.startsWith('[sandbox] created a new local CA'))).toBe(false);
    expect(readFileSync(join(dataDirectory, 'ca.pem'), 'utf8')).toBe(caBefore);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});

describe('amplify-gen2-offline start: output levels', () => {
  const sandboxes: ReadySandbox[] = [];
  const directories: string[] = [];
  afterAll(async () => {
    for (const sandbox of sandboxes) await killSandbox(sandbox);
    for (const directory of directories) rmSync(directory, { recursive: true, force: true });
  });

  /** The CLI on a fresh data directory (the test CA: it runs in the process we hold), every line kept. */
  async function start(extraArgs: string[]): Promise<ReadySandbox & { ca: string }> {
    const dataDirectory = newDataDirectory();
    directories.push(dataDirectory);
    const sandbox = await startSandboxProcess({ dataDirectory, outputsFile: join(dataDirectory, 'amplify_outputs.json'), extraArgs, keepLines: Number.POSITIVE_INFINITY });
    sandboxes.push(sandbox);
    return { ...sandbox, ca: readFileSync(join(dataDirectory, 'ca.pem'), 'utf8') };
  }

  /**
   * A request to the GraphQL endpoint, then a sign-up and an invitation (AdminCreateUser): returns once both blocks
   * are printed. The request's line, if any, was written before its response, so it is in `lines` by then.
   */
  async function requestThenCodes(sandbox: ReadySandbox & { ca: string }, email: string) {
    expect((await postGraphql(sandbox.urls.graphql, sandbox.ca, JSON.stringify({ query: '{ listConversations { items { id } } }' }))).status).toBe(401);
    await cognitoCall(sandbox, 'SignUp', { ClientId: sandbox.clientId, Username: email, Password: 'Passw0rd!x', UserAttributes: [{ Name: 'email', Value: email }] });
    const code = await sandbox.confirmationCode(email);
    const invited = `invited-${email}`;
    const temporaryPassword = sandbox.next(new RegExp(`^\\[cognito\\] temporary password for ${invited.replace(/[.+]/g, '\\$&')}: \\S+$`));
    await cognitoCall(sandbox, 'AdminCreateUser', { UserPoolId: sandbox.poolId, Username: invited, UserAttributes: [{ Name: 'email', Value: invited }] }, { admin: true });
    return { code, temporaryPasswordLine: await temporaryPassword };
  }

  /** `line` printed once, framed: blank, a rule titled `title`, the line, a rule, blank. */
  function expectBlock(lines: readonly string[], line: string, title: string) {
    expect(lines.filter((l) => l === line)).toHaveLength(1);
    const at = lines.indexOf(line);
    expect(lines.slice(at - 2, at + 3)).toEqual(['', expect.stringMatching(new RegExp(`^━━ ${title} \\(Cognito would e-mail it\\) ━+$`)), line, expect.stringMatching(/^━+$/), '']);
  }

  const REQUEST_LINE = /^POST \/graphql UnauthorizedException: Valid authorization header not provided\. 401 \d+ms$/;
  /** Per-request and per-connection lines (offline/sandbox/log.ts `debug`). */
  const DEBUG_LINE = /^(POST |OPTIONS |GET |AppSync emulator at |realtime |subscription |\[lambda\] |\[schedule\] |\[aws\] (SSM|S3) )/;

  it('by default: the start-up summary, no request lines, one highlighted block per code and temporary password, no colour when piped', async () => {
    const sandbox = await start([]);
    const { code, temporaryPasswordLine } = await requestThenCodes(sandbox, 'quiet@example.com');
    const lines = [...sandbox.lines];
    expectBlock(lines, `[cognito] confirmation code for quiet@example.com: ${code}`, 'confirmation code');
    expectBlock(lines, temporaryPasswordLine, 'temporary password');
    expect(lines.filter((line) => DEBUG_LINE.test(line))).toEqual([]);
    for (const label of ['GraphQL', 'Realtime', 'Cognito', 'Console', 'Data', 'CA']) expect(lines.some((line) => line.startsWith(`  ${label} `))).toBe(true);
    // The console's URL carries this run's secret, and the console answers it on loopback.
    const consoleUrl = new URL(lines.find((line) => line.startsWith('  Console '))!.trim().split(/\s+/)[1]!);
    expect(consoleUrl.hostname).toBe('127.0.0.1');
    const token = consoleUrl.searchParams.get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect((await fetch(new URL('/api/tables', consoleUrl))).status).toBe(401);
    expect((await fetch(new URL('/api/tables', consoleUrl), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect(lines).toContain('  Browser   serve the app through the Vite plugin (amplify-gen2-offline/vite: one HTTPS origin); `npx amplify-gen2-offline trust` installs this CA in your browsers');
    expect(lines.filter((line) => line.includes('\u001b'))).toEqual([]);
  });

  it('--verbose: a line per request as well, and the same blocks', async () => {
    const sandbox = await start(['--verbose']);
    const { code, temporaryPasswordLine } = await requestThenCodes(sandbox, 'verbose@example.com');
    const lines = [...sandbox.lines];
    expect(lines.filter((line) => REQUEST_LINE.test(line))).toHaveLength(1);
    expectBlock(lines, `[cognito] confirmation code for verbose@example.com: ${code}`, 'confirmation code');
    expectBlock(lines, temporaryPasswordLine, 'temporary password');
    expect(lines.filter((line) => line.includes('\u001b'))).toEqual([]);

    // The post-confirmation function's console output, as a line of its own.
    const lambdaOutput = sandbox.next(/^\[lambda\] post-confirmation: \{"message":"user profile","outcome":"created"/);
    await cognitoCall(sandbox, 'ConfirmSignUp', { ClientId: sandbox.clientId, Username: 'verbose@example.com', ConfirmationCode: code });
    await lambdaOutput;
  });
});
