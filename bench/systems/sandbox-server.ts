/**
 * PRODUCT — the offline sandbox with the chat backend (cdk.out), as `npm run sandbox:offline` runs it, on
 * ephemeral loopback ports, DynamoDB in memory (BENCH_STORAGE=memory) or on disk (BENCH_STORAGE=disk).
 *
 * Setup (not measured): users signed up and signed in over SRP against the local user pool (in-process
 * `pool.call`, the same operations the HTTP endpoint runs), conversations created by a member with the real
 * `createConversation` mutation (the message processor: PutItem, then CONVERSATION_CREATED published). The publish
 * path is the real `sendMessage` custom mutation (message-processor Lambda in a worker thread → DynamoDB GetItem of
 * the conversation and one TransactWriteItems — send-rate count, message put if absent, the conversation's
 * lastMessageAt/preview — then publishConversationEvent through AppSync with IAM); subscribers use
 * `onMessageSent(conversationId)` (APPSYNC_JS subscribe-time check, delivery from the backend's publish).
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyCdkOut, removeCdkOutCopy, setFunctionEnvironment } from '../../scripts/lib/cdk-out-copy.mjs';
import { srpSignIn, startSandbox, type Sandbox } from 'amplify-gen2-offline';
import { graphql, loopbackAgent, mapLimit } from '../harness/http';
import { runChild, type SystemChild } from './child-runtime';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');
const PASSWORD = 'BenchPassw0rd';
/** Distinct users per conversation (larger rooms reuse these users' tokens across subscribers). */
const MAX_USERS = 10;

async function signedInUser(sandbox: Sandbox, email: string): Promise<{ sub: string; token: string }> {
  const pool = sandbox.userPool;
  const clientId = [...pool.clients.keys()][0];
  if (!clientId) throw new Error('the user pool has no app client');
  const signUp = await pool.call('SignUp', { ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] });
  await pool.call('ConfirmSignUp', { ClientId: clientId, Username: email, ConfirmationCode: pool.lastCodeFor(email) });
  const out = await srpSignIn(pool, email, PASSWORD, { clientId });
  const result = out.AuthenticationResult as { AccessToken: string };
  return { sub: signUp.UserSub as string, token: result.AccessToken };
}

async function start(): Promise<SystemChild> {
  const tlsDirectory = process.env['BENCH_TLS_DIR'];
  if (!tlsDirectory) throw new Error('BENCH_TLS_DIR is not set');
  const storage = process.env['BENCH_STORAGE'] === 'disk' ? 'disk' : 'memory';
  const dataDirectory = mkdtempSync(join(tmpdir(), 'bench-sandbox-'));
  for (const file of ['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem']) copyFileSync(join(tlsDirectory, file), join(dataDirectory, file));
  // The workloads send far more than one person types (up to hundreds of messages/s from ten users), so the
  // per-user send limit is raised out of the way — but stays on: its DynamoDB write is part of every send measured.
  const cdkOut = copyCdkOut(CDK_OUT);
  setFunctionEnvironment(cdkOut, 'message-processor', { SEND_RATE_LIMIT_MESSAGES: '100000', SEND_RATE_LIMIT_WINDOW_SECONDS: '1' });
  const log: string[] = [];
  // What the sandbox does besides the measured path, counted from its log: a Lambda environment's cold start and a
  // scheduled run (the presence sweeper's schedule is minute-aligned, so a step's window can hold its first run).
  const events: Record<string, number> = {};
  const count = (line: string) => {
    const what = /^\[lambda\] ([^:]+): cold start/.exec(line) ?? /^\[schedule\] (\S+) \(/.exec(line);
    if (!what) return;
    const key = `${line.startsWith('[lambda]') ? 'cold start' : 'scheduled run'} ${what[1]}`;
    events[key] = (events[key] ?? 0) + 1;
  };
  const sandbox = await startSandbox({
    cdkOut,
    dataDirectory,
    storage,
    ports: { appsync: 0, cognito: 0 },
    // The benchmarks measure the backend; the console stays off.
    console: false,
    logger: (line) => {
      count(line);
      log.push(line);
      if (log.length > 200) log.shift();
    },
  });
  const firstRuns = sandbox.scheduler.schedules.flatMap(({ functionName }) => {
    const next = sandbox.scheduler.nextRun(functionName);
    return next ? [{ functionName, nextRunAt: next.getTime() }] : [];
  });
  const ca = readFileSync(join(dataDirectory, 'ca.pem'), 'utf8');
  const agent = loopbackAgent(ca, 32);
  // The smoke run reuses one sandbox across steps: users are created once.
  const users = new Map<string, { sub: string; token: string }>();
  const user = async (email: string) => {
    let found = users.get(email);
    if (!found) users.set(email, (found = await signedInUser(sandbox, email)));
    return found;
  };

  return {
    counters: () => ({ ...events }),
    // Due at its first tick until that run has ended (its log line is written at the end), so that a first run still
    // going counts as due.
    pendingFirstScheduledRuns: () => firstRuns.filter((run) => !events[`scheduled run ${run.functionName}`]),
    async setup(request) {
      const userCount = Math.max(1, Math.min(request.membersPerConversation, MAX_USERS));
      const members = [];
      for (let index = 0; index < userCount; index += 1) members.push(await user(`bench-user-${index}@example.com`));
      const participants = members.map((user) => `${user.sub}::${user.sub}`);
      const creator = members[0];
      if (!creator) throw new Error('no users');
      const conversationIds = await mapLimit(Array.from({ length: request.conversations }, (_, index) => index), 16, async (index) => {
        const data = await graphql<{ createConversation: { conversationId: string } }>(
          sandbox.urls.graphql,
          'mutation C($input: NewConversationInput!) { createConversation(input: $input) { conversationId participants } }',
          { input: { name: `bench ${index}`, participants } },
          { authorization: creator.token },
          agent,
        );
        return data.createConversation.conversationId;
      });
      const tokens = members.map((member) => member.token);
      return {
        graphqlUrl: sandbox.urls.graphql,
        realtimeUrl: sandbox.urls.realtime,
        publishPath: 'sendMessage',
        conversationIds,
        tokens: conversationIds.map(() => tokens),
        subscription: 'onMessageSent',
        notes: [`offline sandbox, DynamoDB ${storage}`, `${userCount} users signed in over SRP; ${request.conversations} conversations via createConversation`],
      };
    },
    async close() {
      agent.destroy();
      await sandbox.close();
      rmSync(dataDirectory, { recursive: true, force: true });
      removeCdkOutCopy(cdkOut);
    },
  };
}

runChild(start);
