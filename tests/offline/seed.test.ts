/**
 * The seed (amplify/seed/seed.ts, the file `npx ampx sandbox seed` runs) on the offline sandbox, through its runner
 * scripts/seed-offline.mjs as a real child process, twice: it creates the demo users (who sign in with the documented
 * password and have their directory profile), the conversations and their exact history through sendMessage; the
 * second run creates nothing (same counts, same ids). Checked with the stock aws-amplify client in this process. Also:
 * the runner refuses, with exit 3 and a reason, outputs of a deployed backend, a sandbox that is not running and a CA
 * that is not the sandbox's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUserAttributes, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../amplify/data/resource';
import { DEMO_CONVERSATIONS, DEMO_PASSWORD, DEMO_USERS, clientMessageIdFor, type DemoUserKey } from '../../amplify/seed/demo-data';
import { loadOrCreateCertificate } from '../../offline/tls/certificate';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { configureAmplify } from '../../src/amplify-config';
import { historyOf } from './stock-client';
import { CDK_OUT, startTestSandbox, type TestSandbox } from './helpers';

const RUNNER = join(PROJECT_ROOT, 'scripts', 'seed-offline.mjs');

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface SeedSummary {
  users: { created: string[]; found: string[] };
  conversations: { created: string[]; found: string[] };
  messages: { sent: number; found: number };
}

/** `node scripts/seed-offline.mjs <args>` to completion. */
function runRunner(args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, ...args], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let env: TestSandbox;
let outputsFile: string;
let caFile: string;

function runSeed(): Promise<RunResult> {
  return runRunner(['--outputs', outputsFile, '--ca', caFile, '--cdk-out', CDK_OUT]);
}

function summaryOf(run: RunResult): SeedSummary {
  const line = run.stdout.split('\n').find((l) => l.startsWith('[seed] summary '));
  if (!line) throw new Error(`no summary line in the seed's output:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(line.slice('[seed] summary '.length)) as SeedSummary;
}

const userOf = (key: DemoUserKey) => DEMO_USERS.find((u) => u.key === key)!;

async function as(key: DemoUserKey) {
  await signOut();
  const { isSignedIn } = await signIn({ username: userOf(key).email, password: DEMO_PASSWORD });
  expect(isSignedIn).toBe(true);
  return generateClient<Schema>();
}

/** What the sandbox holds for the demo conversations, read as each conversation's creator. */
async function snapshot() {
  const ids = {} as Record<DemoUserKey, string>;
  for (const user of DEMO_USERS) {
    await as(user.key);
    ids[user.key] = (await getCurrentUser()).userId;
  }
  const conversations = [];
  for (const demo of DEMO_CONVERSATIONS) {
    const client = await as(demo.creator);
    const all = [];
    let nextToken: string | null | undefined;
    do {
      const page = await client.models.Conversation.list({ nextToken });
      expect(page.errors).toBeUndefined();
      all.push(...page.data);
      nextToken = page.nextToken;
    } while (nextToken);
    const named = all.filter((c) => c.name === demo.name);
    expect(named, `conversations named "${demo.name}" visible to ${demo.creator}`).toHaveLength(1);
    const conversation = named[0]!;
    const messages: Schema['HistoryMessage']['type'][] = [];
    let messageToken: string | null | undefined;
    do {
      const page = await historyOf(client, { conversationId: conversation.id, sortDirection: 'ASC', nextToken: messageToken });
      expect(page.errors).toBeUndefined();
      messages.push(...page.data);
      messageToken = page.nextToken;
    } while (messageToken);
    conversations.push({ demo, conversation, messages });
  }
  return { ids, conversations };
}

beforeAll(async () => {
  env = await startTestSandbox();
  outputsFile = join(env.dataDirectory, 'amplify_outputs.json');
  caFile = join(env.dataDirectory, 'ca.pem');
  configureAmplify(env.outputs);
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('the seed on the offline sandbox', () => {
  let first: Awaited<ReturnType<typeof snapshot>>;

  it('creates the demo users, conversations and messages on the first run', async () => {
    const run = await runSeed();
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const totalMessages = DEMO_CONVERSATIONS.reduce((sum, c) => sum + c.messages.length, 0);
    expect(summaryOf(run)).toEqual({
      users: { created: DEMO_USERS.map((u) => u.email), found: [] },
      conversations: { created: DEMO_CONVERSATIONS.map((c) => c.name), found: [] },
      messages: { sent: totalMessages, found: 0 },
    });
    expect(run.stdout).toContain('[seed] the offline sandbox is seeded');
  });

  it('leaves users who sign in with the documented password, with a verified e-mail and a directory profile', async () => {
    for (const user of DEMO_USERS) {
      const client = await as(user.key);
      const { userId } = await getCurrentUser();
      const attributes = await fetchUserAttributes();
      expect(attributes).toMatchObject({ email: user.email, email_verified: 'true', preferred_username: user.displayName });
      // The post-confirmation trigger ran (AdminConfirmSignUp): the app shows the display name.
      const { data: profile } = await client.models.UserProfile.get({ id: userId });
      expect(profile).toMatchObject({ id: userId, displayName: user.displayName, email: user.email });
    }
    const documentation = readFileSync(join(PROJECT_ROOT, 'docs', 'seed.md'), 'utf8');
    for (const text of [DEMO_PASSWORD, ...DEMO_USERS.flatMap((u) => [u.email, u.displayName])]) expect(documentation).toContain(text);
  });

  it('leaves each conversation with its participants and its exact history, in order, preview and time of the last message', async () => {
    first = await snapshot();
    const { ids } = first;
    for (const { demo, conversation, messages } of first.conversations) {
      expect([...(conversation.participants ?? [])].sort()).toEqual(demo.participants.map((key) => ids[key]).sort());
      expect(messages.map((m) => ({ sender: m.sender, content: m.content, clientMessageId: m.clientMessageId, messageType: m.messageType }))).toEqual(
        demo.messages.map((m, index) => ({ sender: ids[m.from], content: m.text, clientMessageId: clientMessageIdFor(demo, index), messageType: 'TEXT' })),
      );
      const last = messages.at(-1)!;
      expect(conversation).toMatchObject({ lastMessagePreview: last.content, lastMessageAt: last.createdAt });
    }
    // Nobody sees a demo conversation they are not in (e.g. Ann and "Coffee?").
    for (const user of DEMO_USERS) {
      const client = await as(user.key);
      const { data } = await client.models.Conversation.list();
      expect(data.map((c) => c.name).sort()).toEqual(
        DEMO_CONVERSATIONS.filter((c) => c.participants.includes(user.key))
          .map((c) => c.name)
          .sort(),
      );
    }
  });

  it('creates nothing on a second run: same users, conversations and messages, same ids', async () => {
    const run = await runSeed();
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const totalMessages = DEMO_CONVERSATIONS.reduce((sum, c) => sum + c.messages.length, 0);
    expect(summaryOf(run)).toEqual({
      users: { created: [], found: DEMO_USERS.map((u) => u.email) },
      conversations: { created: [], found: DEMO_CONVERSATIONS.map((c) => c.name) },
      messages: { sent: 0, found: totalMessages },
    });
    const second = await snapshot();
    expect(second.ids).toEqual(first.ids);
    const idsOf = (s: typeof first) =>
      s.conversations.map(({ conversation, messages }) => ({
        conversation: conversation.id,
        lastMessageAt: conversation.lastMessageAt,
        messages: messages.map((m) => `${m.id} ${m.createdAt}`),
      }));
    expect(idsOf(second)).toEqual(idsOf(first));
  });
});

describe('the runner refuses what it cannot seed', () => {
  it('outputs written by ampx for a deployed backend (no custom.offline)', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'seed-runner-'));
    const deployed = join(directory, 'amplify_outputs.json');
    const { custom: _custom, ...withoutOffline } = env.outputs;
    writeFileSync(deployed, JSON.stringify(withoutOffline));
    const run = await runRunner(['--outputs', deployed, '--ca', caFile, '--cdk-out', CDK_OUT]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/written by ampx for a deployed backend.*npx ampx sandbox seed/);
  });

  it('a sandbox that is not running', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const directory = mkdtempSync(join(tmpdir(), 'seed-runner-'));
    const stale = join(directory, 'amplify_outputs.json');
    writeFileSync(stale, JSON.stringify({ ...env.outputs, custom: { ...env.outputs.custom, userPoolEndpoint: `http://127.0.0.1:${closedPort}` } }));
    const run = await runRunner(['--outputs', stale, '--ca', caFile, '--cdk-out', CDK_OUT]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/No offline sandbox answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\).*npm run dev/);
  });

  it('a CA that did not sign the sandbox certificate', async () => {
    const other = await loadOrCreateCertificate(mkdtempSync(join(tmpdir(), 'seed-runner-ca-')));
    const run = await runRunner(['--outputs', outputsFile, '--ca', other.caPath, '--cdk-out', CDK_OUT]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/presents a certificate that none of .* signed: pass --ca/);
  });
});
