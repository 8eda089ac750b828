/**
 * scripts/create-test-users.sh for real against the offline sandbox's user pool (started in-process on ephemeral
 * ports): the script's --offline path talks to the pool's Cognito JSON API with curl — no AWS CLI on PATH — and the
 * users it creates then sign in with the stock aws-amplify client (SRP, as the web app does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureAmplify } from '../../src/amplify-config';
import { startTestSandbox, type TestSandbox } from '../offline/helpers';
import { PROJECT_ROOT, SCRIPTS, runProcess, toolsDirectory } from './stand-in';

let env: TestSandbox;
let outputsFile: string;

/** No aws anywhere on PATH: only links to node, bash, coreutils and curl. */
const scratch = mkdtempSync(join(tmpdir(), 'test-users-offline-'));
const PATH = toolsDirectory(scratch);

function createUsers(args: string[]) {
  return runProcess('bash', [join(SCRIPTS, 'create-test-users.sh'), ...args], {
    env: { PATH, HOME: env.dataDirectory, LANG: 'C.UTF-8' },
    cwd: PROJECT_ROOT,
  });
}

/** The user ids (subs) the script printed, by e-mail. */
function printedIds(stdout: string): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const match of stdout.matchAll(/^(\S+@\S+) +(created|updated) +CONFIRMED +\S+ +([0-9a-f-]{36})$/gm)) ids[match[1]!] = match[3]!;
  return ids;
}

async function signInAs(email: string, password: string) {
  await signOut();
  const result = await signIn({ username: email, password });
  const session = await fetchAuthSession();
  return { result, idToken: session.tokens?.idToken?.payload };
}

beforeAll(async () => {
  env = await startTestSandbox();
  outputsFile = join(env.dataDirectory, 'amplify_outputs.json');
  configureAmplify(env.outputs);
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('create-test-users.sh --offline', () => {
  let firstIds: Record<string, string> = {};

  it('creates testuser1 and testuser2 in the offline pool without the AWS CLI, and they sign in with the stock client', async () => {
    const run = await createUsers(['--offline', '--outputs', outputsFile]);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`offline sandbox Cognito at ${env.sandbox.urls.cognito}`);
    firstIds = printedIds(run.stdout);
    expect(Object.keys(firstIds).sort()).toEqual(['test1@example.com', 'test2@example.com']);

    for (const [email, name] of [['test1@example.com', 'testuser1'], ['test2@example.com', 'testuser2']] as const) {
      const { result, idToken } = await signInAs(email, 'TestPassword123!');
      expect(result.isSignedIn, email).toBe(true);
      expect(result.nextStep.signInStep).toBe('DONE');
      expect(idToken).toMatchObject({ sub: firstIds[email], email, email_verified: true, preferred_username: name, 'cognito:username': firstIds[email] });
    }
  });

  it('is idempotent: a second run exits 0, keeps the user ids and the users still sign in', async () => {
    const run = await createUsers(['--offline', '--outputs', outputsFile]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/test1@example\.com +updated/);
    expect(printedIds(run.stdout)).toEqual(firstIds);
    expect((await signInAs('test2@example.com', 'TestPassword123!')).result.isSignedIn).toBe(true);
  });

  it('sets the password again on existing users: the new one signs in, the old one is refused', async () => {
    const run = await createUsers(['--offline', '--outputs', outputsFile, '--user', 'test1@example.com=Tess', '--password', 'Changed-Passw0rd']);
    expect(run.code).toBe(0);
    const { result, idToken } = await signInAs('test1@example.com', 'Changed-Passw0rd');
    expect(result.isSignedIn).toBe(true);
    expect(idToken?.['preferred_username']).toBe('Tess');
    await signOut();
    await expect(signIn({ username: 'test1@example.com', password: 'TestPassword123!' })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('--endpoint-url selects the pool explicitly; --dry-run against it creates nobody', async () => {
    const before = env.sandbox.userPool.store.all().length;
    const run = await createUsers([
      '--offline',
      '--user-pool-id',
      env.outputs.auth.user_pool_id,
      '--endpoint-url',
      env.sandbox.urls.cognito,
      '--user',
      'dora@example.com=Dora',
      '--dry-run',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`DRY-RUN: curl --silent --show-error --max-time 30 -X POST ${env.sandbox.urls.cognito}/`);
    expect(env.sandbox.userPool.store.all()).toHaveLength(before);

    const real = await createUsers(['--offline', '--user-pool-id', env.outputs.auth.user_pool_id, '--endpoint-url', env.sandbox.urls.cognito, '--user', 'dora@example.com=Dora']);
    expect(real.code).toBe(0);
    expect(env.sandbox.userPool.store.all()).toHaveLength(before + 1);
    expect((await signInAs('dora@example.com', 'TestPassword123!')).idToken?.['preferred_username']).toBe('Dora');
  });

  it('reports a sandbox that is not running with exit 3 and how to start it', async () => {
    const run = await createUsers(['--offline', '--outputs', outputsFile, '--endpoint-url', 'http://127.0.0.1:1']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/the offline sandbox is not reachable at http:\/\/127\.0\.0\.1:1 .*: start it with npm run sandbox:offline/);
  });

  it('reports a Cognito error with exit 4 and the pool\'s message', async () => {
    const run = await createUsers(['--offline', '--user-pool-id', 'us-east-1_doesnotexist', '--endpoint-url', env.sandbox.urls.cognito]);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/could not create test1@example.com: An error occurred \(ResourceNotFoundException\) when calling the AdminCreateUser operation/);
  });
});
