/**
 * The sandbox's state, exported and imported: through the console (GET / PUT /api/state) between two sandboxes in
 * process, through a folder (the round trip of writeStateDirectory / readStateDirectory), and through the command
 * line as a user runs it (`--export-on-exit DIR`, then `--reset --import DIR` on a fresh start). What comes back is
 * compared item by item and user by user, and a user of the export signs in with their password.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { srpSignIn } from '../../offline/cognito/index';
import { readStateDirectory, writeStateDirectory, type SandboxState } from '../../offline/sandbox/state';
import { startSandboxProcess, type ReadySandbox } from '../load/sandbox-process';
import { newDataDirectory, startTestSandbox, type TestSandbox } from '../offline/helpers';
import { PASSWORD, signUpUser } from '../security/support';

const folders: string[] = [];
const temporary = (prefix: string): string => {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
};
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** The console's API with its secret, on `origin`. */
async function consoleApi<T>(console: { origin: string; secret: string }, method: string, path: string, body?: unknown, status = 200): Promise<T> {
  const response = await fetch(`${console.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${console.secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const conversation = (id: string) => ({ id: { S: id }, participants: { L: [{ S: 'a::a' }] }, title: { S: `Conversation ${id}` }, __typename: { S: 'Conversation' } });
const sorted = (items: Record<string, { S?: string }>[]) => [...items].sort((a, b) => String(a['id']?.S).localeCompare(String(b['id']?.S)));

describe('through the console, between two sandboxes', () => {
  let source: TestSandbox;
  let target: TestSandbox;

  beforeAll(async () => {
    [source, target] = await Promise.all([startTestSandbox(newDataDirectory()), startTestSandbox(newDataDirectory())]);
  });
  afterAll(async () => {
    await Promise.all([source?.sandbox.close(), target?.sandbox.close()]);
  });

  it('exports every item and user, and the import brings back the same items and users who sign in with their password', async () => {
    await signUpUser(source, 'exported@example.com');
    for (const id of ['s1', 's2', 's3']) await consoleApi(source.sandbox.console!, 'PUT', '/api/tables/Conversation/items', { Item: conversation(id) });
    const state = await consoleApi<SandboxState>(source.sandbox.console!, 'GET', '/api/state');
    expect(state.format).toBe('amplify-gen2-offline-state');
    expect(state.tables.map((t) => t.model).sort()).toEqual(source.sandbox.description.tables.map((t) => t.model).sort());
    const conversations = state.tables.find((t) => t.model === 'Conversation')!;
    expect(sorted(conversations.items as never)).toEqual(['s1', 's2', 's3'].map(conversation));
    expect(state.users.map((u) => u.attributes['email'])).toEqual(['exported@example.com']);
    expect(state.users[0]!.sessions).toEqual([]);

    // The folder form holds the same state.
    const folder = temporary('state-');
    writeStateDirectory(folder, state);
    expect(readStateDirectory(folder)).toEqual(state);

    const report = await consoleApi<{ tables: { name: string; items: number }[]; users: number }>(target.sandbox.console!, 'PUT', '/api/state', readStateDirectory(folder));
    expect(report.users).toBe(1);
    expect(report.tables.find((t) => t.name === target.sandbox.description.tables.find((d) => d.model === 'Conversation')!.name)!.items).toBe(3);
    const scanned = await consoleApi<{ Items: Record<string, { S?: string }>[] }>(target.sandbox.console!, 'POST', '/api/tables/Conversation/scan', { Limit: 100 });
    expect(sorted(scanned.Items)).toEqual(['s1', 's2', 's3'].map(conversation));
    const imported = target.sandbox.userPool.getUser('exported@example.com')!;
    expect(imported.attributes['sub']).toBe(source.sandbox.userPool.getUser('exported@example.com')!.attributes['sub']);
    const clientId = target.sandbox.description.userPool.clients[0]!.id;
    const signedIn = await srpSignIn(target.sandbox.userPool, 'exported@example.com', PASSWORD, { clientId });
    expect(signedIn.AuthenticationResult).toBeDefined();
  });

  it('refuses a state that is not one, or names a table this backend lacks, writing nothing', async () => {
    const console = target.sandbox.console!;
    const before = await consoleApi<SandboxState>(console, 'GET', '/api/state');
    expect(await consoleApi(console, 'PUT', '/api/state', { tables: [] }, 400)).toEqual({ error: { code: 'BadRequest', message: 'Not a sandbox state (no "format": "amplify-gen2-offline-state")' } });
    const foreign = { ...before, tables: [...before.tables, { model: 'Invoice', name: 'Invoice-x-NONE', items: [conversation('x')] }], users: [] };
    expect(await consoleApi(console, 'PUT', '/api/state', foreign, 400)).toEqual({
      error: { code: 'BadRequest', message: 'The state holds tables this backend does not have: Invoice; nothing was imported' },
    });
    expect(await consoleApi(console, 'PUT', '/api/state', { ...before, version: 2 }, 400)).toEqual({
      error: { code: 'BadRequest', message: 'Sandbox state version 2 is not supported (this sandbox reads version 1)' },
    });
    const after = await consoleApi<SandboxState>(console, 'GET', '/api/state');
    expect({ ...after, exportedAt: '' }).toEqual({ ...before, exportedAt: '' });
  });
});

describe('through the console, to a folder and back, with a reset between', () => {
  let sandbox: TestSandbox;
  beforeAll(async () => {
    sandbox = await startTestSandbox(newDataDirectory());
  });
  afterAll(async () => {
    await sandbox?.sandbox.close();
  });

  it('exports to a folder, a reset empties every table and the pool, and importing the folder brings back the same items and users', async () => {
    const console = sandbox.sandbox.console!;
    await signUpUser(sandbox, 'folder@example.com');
    for (const id of ['f1', 'f2']) await consoleApi(console, 'PUT', '/api/tables/Conversation/items', { Item: conversation(id) });
    const before = await consoleApi<SandboxState>(console, 'GET', '/api/state');
    const folder = join(temporary('console-export-'), 'state');

    const exported = await consoleApi<{ directory: string; users: number; tables: { name: string; items: number }[] }>(console, 'POST', '/api/state/export', { directory: folder });
    expect(exported.directory).toBe(folder);
    expect(exported.users).toBe(1);
    expect(readStateDirectory(folder)).toEqual({ ...before, exportedAt: readStateDirectory(folder).exportedAt });

    const reset = await consoleApi<{ users: number; tables: { name: string; items: number }[] }>(console, 'POST', '/api/state/reset');
    expect(reset.users).toBe(1);
    expect(reset.tables.reduce((sum, t) => sum + t.items, 0)).toBe(before.tables.reduce((sum, t) => sum + t.items.length, 0));
    const empty = await consoleApi<SandboxState>(console, 'GET', '/api/state');
    expect(empty.users).toEqual([]);
    expect(empty.tables.every((t) => t.items.length === 0)).toBe(true);
    expect(sandbox.sandbox.userPool.getUser('folder@example.com')).toBeUndefined();

    const countOf = async (model: string) => (await consoleApi<{ model?: string; itemCount?: number }[]>(console, 'GET', '/api/tables')).find((t) => t.model === model)?.itemCount;
    expect(await countOf('Conversation')).toBe(0);
    const imported = await consoleApi<{ directory: string; users: number }>(console, 'POST', '/api/state/import', { directory: folder });
    expect(imported).toMatchObject({ directory: folder, users: 1 });
    // The tables' counts are the items they hold now (DescribeTable's ItemCount is not kept up to date).
    expect(await countOf('Conversation')).toBe(2);
    const after = await consoleApi<SandboxState>(console, 'GET', '/api/state');
    expect({ ...after, exportedAt: '', tables: after.tables.map((t) => ({ ...t, items: sorted(t.items as never) })) }).toEqual({
      ...before,
      exportedAt: '',
      tables: before.tables.map((t) => ({ ...t, items: sorted(t.items as never) })),
    });
  });

  it('says what is wrong with a folder that holds no state, and refuses a reset from another origin', async () => {
    const console = sandbox.sandbox.console!;
    const empty = temporary('no-state-');
    const refused = await consoleApi<{ error: { code: string; message: string } }>(console, 'POST', '/api/state/import', { directory: empty }, 400);
    expect(refused.error.code).toBe('BadRequest');
    expect(refused.error.message).toContain(`${empty} holds no sandbox state`);
    expect(await consoleApi(console, 'POST', '/api/state/export', {}, 400)).toEqual({ error: { code: 'BadRequest', message: 'directory must be a non-empty string.' } });
    const foreign = await fetch(`${console.origin}/api/state/reset`, { method: 'POST', headers: { authorization: `Bearer ${console.secret}`, origin: 'https://attacker.example' } });
    expect(foreign.status).toBe(403);
  });
});

describe('through the command line', () => {
  let running: ReadySandbox | undefined;
  afterAll(async () => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
  });

  /** The console's origin and secret from the banner's `Console` line. */
  const consoleOf = (sandbox: ReadySandbox) => {
    const line = sandbox.lines.find((l) => /^ {2}Console +http/.test(l))!;
    const url = new URL(line.trim().split(/\s+/)[1]!);
    return { origin: url.origin, secret: url.searchParams.get('token')! };
  };

  it('--export-on-exit writes the state when stopped; --reset --import brings it back on a fresh start', async () => {
    const dataDirectory = newDataDirectory();
    const outputsFile = join(temporary('outputs-'), 'amplify_outputs.json');
    const exportFolder = join(temporary('export-'), 'state');
    folders.push(dataDirectory);

    running = await startSandboxProcess({ dataDirectory, outputsFile, extraArgs: ['--export-on-exit', exportFolder] });
    const first = consoleOf(running);
    await consoleApi(first, 'PUT', '/api/tables/Conversation/items', { Item: conversation('cli-1') });
    const user = await consoleApi<{ sub: string }>(first, 'POST', '/api/users', { email: 'cli.user@example.com', password: PASSWORD });
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
    expect(running.lines.some((l) => l.startsWith(`[sandbox] exported to ${exportFolder}: `))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(exportFolder, 'sandbox-state.json'), 'utf8')) as { tables: { model: string; items: number }[] };
    expect(manifest.tables.find((t) => t.model === 'Conversation')!.items).toBe(1);

    running = await startSandboxProcess({ dataDirectory, outputsFile, extraArgs: ['--reset', '--import', exportFolder] });
    expect(running.lines.some((l) => l.startsWith(`[sandbox] imported ${exportFolder}: `))).toBe(true);
    const second = consoleOf(running);
    expect(second.secret).not.toBe(first.secret);
    const scanned = await consoleApi<{ Items: unknown[] }>(second, 'POST', '/api/tables/Conversation/scan', {});
    expect(scanned.Items).toEqual([conversation('cli-1')]);
    const { users } = await consoleApi<{ users: { email: string; sub: string; status: string }[] }>(second, 'GET', '/api/users');
    expect(users.map(({ email, sub, status }) => ({ email, sub, status }))).toEqual([{ email: 'cli.user@example.com', sub: user.sub, status: 'CONFIRMED' }]);
    running.child.kill('SIGTERM');
    expect((await running.exited).code).toBe(0);
  });
});
