/**
 * The backend-only command as `npm run sandbox:offline` / `npm run dev` run it: a real child process that prepares
 * its data directory and CA, writes amplify_outputs.json, prints progress, the URLs and "[sandbox] ready", answers
 * with AppSync's shapes, re-synthesizes and reloads on an edit of the backend sources (`--watch`), keeps serving
 * when an edit does not synthesize, stops cleanly on SIGTERM, and starts empty with --reset.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { copyCdkOut, removeCdkOutCopy } from './cdk-out-edits';
import { spawnSandbox } from '../load/sandbox-process';
import { CDK_OUT } from './helpers';

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

describe('offline/sandbox-cli.ts', () => {
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
    // Both lines can arrive in one chunk: wait for them from before the edit.
    const reloaded = cli.next(/^\[reload\] reloaded in /);
    const outputsWritten = cli.next(/^\[reload\] .*amplify_outputs\.json: written$/);
    writeFileSync(resource, withTopic);
    // (The functions count as updated here: bundles built from this copy's paths differ from the baseline's.)
    expect(await reloaded).toMatch(/\(tables: 0 created, 5 kept, 0 rebuilt; functions: .*; subscriptions: 0 kept, 0 ended\)$/);
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

  it('starts from empty data with --reset', async () => {
    const cli = startCli(['--reset']);
    await cli.next(/^\[sandbox\] ready$/);
    expect(cli.lines).toContain(`[sandbox] --reset: emptied ${dataDirectory}`);
    expect(cli.lines.some((line) => line.startsWith('[sandbox] created a new local CA'))).toBe(true);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
