/**
 * scripts/destroy.sh against the recording stand-ins: the confirmation read from stdin (and what a "no" leaves
 * untouched), --yes, idempotency (a second run finds nothing to delete), --dry-run, both deploy methods, failures.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_ID, APP_ID, REGION, awsWorld, branchStack, commandsOf, optionOf, sandboxStack } from './aws-world';
import { StandIn, awsError } from './stand-in';

let aws: StandIn;
const ENV = { CHAT_APP_ENVIRONMENT: 'staging', CHAT_APP_REGION: REGION };
const STACK = branchStack('staging');
const DESTRUCTIVE = /^(cloudformation delete-stack|amplify delete-branch|amplify delete-app|ampx sandbox delete)/;

beforeEach(() => {
  aws = new StandIn();
  aws.answer(...awsWorld({ environment: 'staging', name: 'staging', stack: STACK }));
  aws.setFlags('app', 'branch', 'stack');
});
afterEach(() => aws.cleanup());

const destroy = (args: string[] = [], input?: string, env: Record<string, string> = ENV) => aws.run('destroy.sh', args, { env, input });
const destructive = (calls: { args: string[] }[]) => calls.filter((c) => DESTRUCTIVE.test(c.args.join(' ')));

describe('confirmation', () => {
  it('asks on stdin, naming what goes; "n" aborts with exit 5 and deletes nothing', async () => {
    const result = await destroy([], 'n\n');
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`stack ${STACK} (UPDATE_COMPLETE)`);
    expect(result.stderr).toContain(`Amplify branch staging of app ${APP_ID}`);
    expect(result.stderr).toMatch(/Delete\? \[y\/N\]/);
    expect(result.stderr).toMatch(/aborted: nothing was deleted/);
    expect(destructive(result.calls)).toEqual([]);
  });

  it.each([['\n'], ['nope\n'], ['']])('anything but y/yes aborts too (input %j)', async (input) => {
    const result = await destroy([], input);
    expect(result.code).toBe(5);
    expect(destructive(result.calls)).toEqual([]);
  });

  it('"y" deletes the stack, waits for it, then deletes the branch, and names what is kept', async () => {
    const result = await destroy([], 'y\n');
    expect(result.code).toBe(0);
    expect(commandsOf(result.calls)).toEqual([
      'aws sts get-caller-identity',
      'aws amplify list-apps',
      'aws amplify get-branch',
      'aws cloudformation describe-stacks',
      'aws cloudformation describe-stacks',
      'aws cloudformation delete-stack',
      'aws cloudformation wait',
      'aws amplify delete-branch',
    ]);
    expect(optionOf(result.calls[5]!.args, '--stack-name')).toBe(STACK);
    expect(result.calls[6]!.args.slice(0, 3)).toEqual(['cloudformation', 'wait', 'stack-delete-complete']);
    expect(result.stderr).toContain(`kept: log group /aws/appsync/apis/${API_ID}`);
    expect(result.stderr).toContain(`aws amplify delete-app --app-id ${APP_ID}`);
  });

  it('--yes deletes without asking', async () => {
    const result = await destroy(['--yes']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toMatch(/Delete\?/);
    expect(destructive(result.calls)).toHaveLength(2);
  });
});

describe('idempotency', () => {
  it('a second run finds nothing to delete: exit 0, no prompt, no delete', async () => {
    expect((await destroy(['-y'])).code).toBe(0);
    const again = await destroy([], '');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`nothing to delete: stack ${STACK} does not exist in ${REGION}`);
    expect(again.stderr).not.toMatch(/Delete\?/);
    expect(destructive(again.calls)).toEqual([]);
  });

  it('nothing deployed at all (no Amplify app): exit 0', async () => {
    aws.setFlags();
    const result = await destroy([], '');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('nothing to delete: there is no Amplify app named realtime-chat');
    expect(destructive(result.calls)).toEqual([]);
  });

  it('a branch whose stack is already gone: only the branch is deleted', async () => {
    aws.setFlags('app', 'branch');
    const result = await destroy(['--yes']);
    expect(result.code).toBe(0);
    expect(destructive(result.calls).map((c) => c.args.slice(0, 2).join(' '))).toEqual(['amplify delete-branch']);
  });
});

describe('--dry-run', () => {
  it('prints the deletions, asks nothing and calls nothing', async () => {
    const result = await destroy(['--dry-run']);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([]);
    expect(result.stderr).not.toMatch(/Delete\?/);
    for (const command of [
      "aws cloudformation delete-stack --stack-name 'amplify-<app-id>-staging-branch-<hash>'",
      "aws cloudformation wait stack-delete-complete --stack-name 'amplify-<app-id>-staging-branch-<hash>'",
      "aws amplify delete-branch --app-id '<app-id>' --branch-name staging",
    ]) {
      expect(result.stdout).toContain(`DRY-RUN: ${command}`);
    }
  });
});

describe('failures', () => {
  it('a refused delete-stack exits 4 with the service message and leaves the branch', async () => {
    aws.override({ tool: 'aws', match: '^cloudformation delete-stack', ...awsError('AccessDenied', 'DeleteStack', 'not authorized to perform: cloudformation:DeleteStack') });
    const result = await destroy(['--yes']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('not authorized to perform: cloudformation:DeleteStack');
    expect(result.stderr).toMatch(/aws cloudformation delete-stack failed \(exit 254\)/);
    expect(commandsOf(result.calls)).not.toContain('aws amplify delete-branch');
  });

  it('a stack that fails to delete exits 4 and says how to see why', async () => {
    aws.override({ tool: 'aws', match: '^cloudformation wait', stderr: 'Waiter StackDeleteComplete failed: Waiter encountered a terminal failure state\n', exit: 255 });
    const result = await destroy(['--yes']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`aws cloudformation describe-stack-events --stack-name ${STACK} --region ${REGION}`);
  });

  it('without the AWS CLI: exit 3', async () => {
    const npxOnly = new StandIn(['npx']);
    try {
      const result = await npxOnly.run('destroy.sh', ['--yes'], { env: ENV });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/aws not found on PATH/);
    } finally {
      npxOnly.cleanup();
    }
  });
});

describe('--method sandbox', () => {
  it('deletes the cloud sandbox with ampx sandbox delete --yes after our own confirmation', async () => {
    const sandbox = new StandIn();
    try {
      sandbox.answer(...awsWorld({ environment: 'dev', name: 'dev', stack: sandboxStack('dev') }));
      sandbox.setFlags('stack');
      const env = { CHAT_APP_ENVIRONMENT: 'dev', CHAT_APP_REGION: REGION };
      const no = await sandbox.run('destroy.sh', ['--method', 'sandbox'], { env, input: 'no\n' });
      expect(no.code).toBe(5);
      expect(destructive(no.calls)).toEqual([]);
      const yes = await sandbox.run('destroy.sh', ['--method', 'sandbox'], { env, input: 'yes\n' });
      expect(yes.code).toBe(0);
      const deletion = yes.calls.find((c) => c.tool === 'npx')!;
      expect(deletion.args).toEqual(['ampx', 'sandbox', 'delete', '--identifier', 'dev', '--yes']);
      expect(deletion.env['AWS_REGION']).toBe(REGION);
      expect(commandsOf(yes.calls).filter((c) => c.startsWith('aws amplify'))).toEqual([]);
      const again = await sandbox.run('destroy.sh', ['--method', 'sandbox'], { env });
      expect(again.code).toBe(0);
      expect(again.stderr).toContain(`nothing to delete: stack ${sandboxStack('dev')} does not exist`);
    } finally {
      sandbox.cleanup();
    }
  });
});
