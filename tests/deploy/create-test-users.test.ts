/**
 * scripts/create-test-users.sh on its AWS CLI path, against the recording `aws` stand-in: where the pool id comes
 * from, the AWS CLI calls (admin-create-user --message-action SUPPRESS, admin-set-user-password --permanent) with
 * e-mail usernames, idempotency on UsernameExistsException, --dry-run, and failures. The offline path runs for real
 * in create-test-users-offline.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { optionOf } from './aws-world';
import { StandIn, awsError, type CannedAnswer } from './stand-in';

const REGION = 'eu-central-1';
const POOL = `${REGION}_Pool12345`;
const files = mkdtempSync(join(tmpdir(), 'test-users-'));
const deployedOutputs = join(files, 'deployed.json');
const offlineOutputs = join(files, 'offline.json');
writeFileSync(deployedOutputs, JSON.stringify({ version: '1.4', auth: { aws_region: REGION, user_pool_id: POOL, user_pool_client_id: 'c' } }));
writeFileSync(
  offlineOutputs,
  JSON.stringify({ version: '1.4', auth: { aws_region: 'us-east-1', user_pool_id: 'us-east-1_offline' }, custom: { offline: true, userPoolEndpoint: 'http://127.0.0.1:20001' } }),
);
afterAll(() => rmSync(files, { recursive: true, force: true }));

/** Cognito with e-mail usernames: each user's username (and sub) is a UUID; flags `<email>` mark existing users. */
function cognito(): CannedAnswer[] {
  const users = { 'test1@example.com': '11111111-aaaa-4aaa-8aaa-111111111111', 'test2@example.com': '22222222-bbbb-4bbb-8bbb-222222222222' };
  return Object.entries(users).flatMap(([email, sub]): CannedAnswer[] => [
    {
      tool: 'aws',
      match: `^cognito-idp admin-create-user --user-pool-id ${POOL} --username ${email} `,
      when: [email],
      ...awsError('UsernameExistsException', 'AdminCreateUser', 'An account with the given email already exists.'),
    },
    { tool: 'aws', match: `^cognito-idp admin-create-user --user-pool-id ${POOL} --username ${email} `, set: [email], stdout: `${sub}\n` },
    { tool: 'aws', match: `^cognito-idp admin-update-user-attributes --user-pool-id ${POOL} --username ${email} ` },
    { tool: 'aws', match: `^cognito-idp admin-set-user-password --user-pool-id ${POOL} --username ${email} ` },
    { tool: 'aws', match: `^cognito-idp admin-get-user --user-pool-id ${POOL} --username ${email} `, stdout: `${sub}\tCONFIRMED\n` },
  ]);
}

let aws: StandIn;
beforeEach(() => {
  aws = new StandIn(['aws']);
  aws.answer(...cognito());
});
afterEach(() => aws.cleanup());

const createUsers = (args: string[], env: Record<string, string> = {}) => aws.run('create-test-users.sh', args, { env });
const operations = (calls: { args: string[] }[]) => calls.map((c) => c.args[1]);

describe('against a deployed pool (AWS CLI)', () => {
  it('--help explains the e-mail usernames, both targets and the exit codes', async () => {
    const result = await createUsers(['--help']);
    expect(result.code).toBe(0);
    for (const text of ['--offline', '--message-action SUPPRESS', '--permanent', 'preferred_username', 'Exit codes']) expect(result.stdout).toContain(text);
  });

  it('creates testuser1 and testuser2 from amplify_outputs.json: e-mail username, suppressed invitation, permanent password', async () => {
    const result = await createUsers(['--outputs', deployedOutputs]);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(operations(result.calls)).toEqual([
      'admin-create-user',
      'admin-set-user-password',
      'admin-get-user',
      'admin-create-user',
      'admin-set-user-password',
      'admin-get-user',
    ]);
    const [create, setPassword] = result.calls;
    expect(optionOf(create!.args, '--user-pool-id')).toBe(POOL);
    expect(optionOf(create!.args, '--username')).toBe('test1@example.com');
    expect(optionOf(create!.args, '--message-action')).toBe('SUPPRESS');
    expect(optionOf(create!.args, '--temporary-password')).toBe('TempPassword123!');
    expect(JSON.parse(optionOf(create!.args, '--user-attributes')!)).toEqual([
      { Name: 'email', Value: 'test1@example.com' },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'preferred_username', Value: 'testuser1' },
    ]);
    expect(optionOf(setPassword!.args, '--password')).toBe('TestPassword123!');
    expect(setPassword!.args).toContain('--permanent');
    for (const call of result.calls) expect(optionOf(call.args, '--region')).toBe(REGION);
    expect(result.stdout).toMatch(/test1@example\.com +created +CONFIRMED +testuser1 +11111111-aaaa-4aaa-8aaa-111111111111/);
    expect(result.stdout).toMatch(/test2@example\.com +created +CONFIRMED +testuser2 +22222222-bbbb-4bbb-8bbb-222222222222/);
  });

  it('second run: existing users get their attributes and password again, and keep their ids (exit 0)', async () => {
    expect((await createUsers(['--outputs', deployedOutputs])).code).toBe(0);
    const again = await createUsers(['--outputs', deployedOutputs, '--password', 'Another-Pass-42']);
    expect(again.code).toBe(0);
    expect(operations(again.calls).slice(0, 4)).toEqual(['admin-create-user', 'admin-update-user-attributes', 'admin-set-user-password', 'admin-get-user']);
    expect(optionOf(again.calls[2]!.args, '--password')).toBe('Another-Pass-42');
    expect(again.stderr).toContain('test1@example.com exists: re-applying its attributes and password');
    expect(again.stdout).toMatch(/test1@example\.com +updated +CONFIRMED +testuser1 +11111111-aaaa-4aaa-8aaa-111111111111/);
  });

  it('reads the pool id from the stack with --stack-name; passes --endpoint-url and --profile on; --user replaces the defaults', async () => {
    aws.answer({
      tool: 'aws',
      match: "^cloudformation describe-stacks --stack-name amplify-app-main-branch-0123456789 --query Stacks\\[0\\]\\.Outputs\\[\\?OutputKey=='userPoolId'\\]",
      stdout: `${POOL}\n`,
    });
    const result = await createUsers(
      ['--stack-name', 'amplify-app-main-branch-0123456789', '--endpoint-url', 'http://localhost:4566', '--profile', 'qa', '--user', 'test2@example.com=Bea'],
      { CHAT_APP_REGION: REGION },
    );
    expect(result.code).toBe(0);
    expect(operations(result.calls)).toEqual(['describe-stacks', 'admin-create-user', 'admin-set-user-password', 'admin-get-user']);
    for (const call of result.calls.slice(1)) {
      expect(optionOf(call.args, '--endpoint-url')).toBe('http://localhost:4566');
      expect(call.env['AWS_PROFILE']).toBe('qa');
    }
    expect(JSON.parse(optionOf(result.calls[1]!.args, '--user-attributes')!)).toContainEqual({ Name: 'preferred_username', Value: 'Bea' });
  });

  it('--dry-run prints the calls and makes none', async () => {
    const result = await createUsers(['--outputs', deployedOutputs, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([]);
    expect(result.stdout).toContain(`DRY-RUN: aws cognito-idp admin-create-user --user-pool-id ${POOL} --username test1@example.com --user-attributes '[{"Name":"email"`);
    expect(result.stdout).toContain(
      `DRY-RUN: aws cognito-idp admin-set-user-password --user-pool-id ${POOL} --username test2@example.com --password 'TestPassword123!' --permanent --region ${REGION}`,
    );
  });
});

describe('refusals and failures', () => {
  it.each([
    ['offline outputs without --offline', ['--outputs', offlineOutputs], 2, /describes the offline sandbox .*: add --offline/],
    ['deployed outputs with --offline', ['--outputs', deployedOutputs, '--offline'], 2, /written by ampx for a deployed backend .*: drop --offline/],
    [
      '--offline with an AWS endpoint',
      ['--offline', '--user-pool-id', 'us-east-1_x', '--endpoint-url', 'https://cognito-idp.us-east-1.amazonaws.com'],
      2,
      /--offline talks to the local sandbox only/,
    ],
    ['a malformed pool id', ['--user-pool-id', 'not-a-pool'], 2, /is not a pool id/],
    ['a pool of another region', ['--user-pool-id', POOL, '--region', 'us-west-2'], 2, /is not in region us-west-2 \(pass --region eu-central-1\)/],
    ['a username that is not an e-mail', ['--outputs', deployedOutputs, '--user', 'testuser1'], 2, /testuser1 is not an e-mail address \(the pool signs in with e-mail\)/],
    ['no amplify_outputs.json', ['--outputs', join(files, 'missing.json')], 3, /does not exist: deploy first/],
    ['an unknown option', ['--frobnicate'], 2, /unknown option --frobnicate/],
  ] as const)('%s: exit %i, no call', async (_label, args, code, message) => {
    const result = await createUsers([...args]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(code);
    expect(result.calls).toEqual([]);
  });

  it('a Cognito error exits 4 with its message', async () => {
    aws.override({
      tool: 'aws',
      match: '^cognito-idp admin-create-user',
      ...awsError('AccessDeniedException', 'AdminCreateUser', 'User is not authorized to perform: cognito-idp:AdminCreateUser'),
    });
    const result = await createUsers(['--outputs', deployedOutputs]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/could not create test1@example.com: An error occurred \(AccessDeniedException\)/);
    expect(operations(result.calls)).toEqual(['admin-create-user']);
  });

  it('needs the AWS CLI for a deployed pool (exit 3) and names the offline alternative', async () => {
    const noAws = new StandIn([]);
    try {
      const result = await noAws.run('create-test-users.sh', ['--outputs', deployedOutputs]);
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/aws not found on PATH: install the AWS CLI v2, or use --offline/);
    } finally {
      noAws.cleanup();
    }
  });
});
