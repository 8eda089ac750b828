/**
 * scripts/deploy.sh against recording stand-ins for `aws` and `npx` (tests/deploy/stand-in.ts): argument and
 * settings handling, the deploy sequence (Amplify app and branch created once, then `ampx pipeline-deploy`),
 * idempotency, --dry-run, --status, and failures surfacing with the documented exit codes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, API_ID, APP_ID, GRAPHQL_URL, REGION, USER_POOL_ID, awsWorld, branchStack, commandsOf, optionOf, sandboxStack } from './aws-world';
import { StandIn, awsError } from './stand-in';

let aws: StandIn;
const PROD = { CHAT_APP_ENVIRONMENT: 'prod', CHAT_APP_REGION: REGION };

beforeEach(() => {
  aws = new StandIn();
});
afterEach(() => aws.cleanup());

const deploy = (args: string[] = [], env: Record<string, string> = PROD, input?: string) => aws.run('deploy.sh', args, { env, input });

describe('arguments and settings', () => {
  it('--help documents the options, the CHAT_APP_* variables and the exit codes, and calls nothing', async () => {
    const result = await deploy(['--help']);
    expect(result.code).toBe(0);
    for (const text of ['--status', '--dry-run', '--method', 'CHAT_APP_ENVIRONMENT', 'CHAT_APP_REGION', 'CHAT_APP_PREFIX', 'Exit codes']) {
      expect(result.stdout).toContain(text);
    }
    expect(result.calls).toEqual([]);
  });

  it.each([
    [['--bogus'], {}, /unknown option --bogus/],
    [['--method'], {}, /--method needs a value/],
    [['--method', 'ftp'], {}, /--method ftp is not one of branch, sandbox/],
    [[], { CHAT_APP_ENVIRONMENT: 'qa' }, /CHAT_APP_ENVIRONMENT=qa is not one of dev, staging, prod/],
    [[], { CHAT_APP_PREFIX: 'Acme_Chat' }, /CHAT_APP_PREFIX=Acme_Chat must start with a lower-case letter/],
    [['--region', 'moon-1'], {}, /CHAT_APP_REGION=moon-1 is not an AWS region name/],
    [['--app-id', 'NOT-AN-ID'], {}, /not an app id/],
    [['--method', 'sandbox'], { CHAT_APP_ENVIRONMENT: 'prod' }, /not for prod/],
    [['--method', 'sandbox', '--identifier', 'this-is-far-too-long'], { CHAT_APP_ENVIRONMENT: 'dev' }, /1-15 characters/],
    [['--identifier', 'x'], {}, /--identifier applies to --method sandbox/],
  ])('%j %j: exit 2 with a message, before any AWS call', async (args, env, message) => {
    const result = await deploy(args, { ...PROD, ...env });
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.calls).toEqual([]);
  });

  it('accepts the environment in any case, as amplify/config.ts does', async () => {
    aws.answer(...awsWorld({ environment: 'staging', name: 'staging', stack: branchStack('staging') }));
    const result = await deploy([], { CHAT_APP_ENVIRONMENT: ' Staging ', CHAT_APP_REGION: REGION });
    expect(result.code).toBe(0);
    const create = result.calls.find((c) => c.args[1] === 'create-branch')!;
    expect(optionOf(create.args, '--stage')).toBe('BETA');
  });
});

describe('prerequisites (exit code 3)', () => {
  it('needs the AWS CLI', async () => {
    const npxOnly = new StandIn(['npx']);
    try {
      const result = await npxOnly.run('deploy.sh', [], { env: PROD });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/aws not found on PATH: install the AWS CLI v2/);
    } finally {
      npxOnly.cleanup();
    }
  });

  it('needs a region: CHAT_APP_REGION, AWS_REGION, AWS_DEFAULT_REGION or the profile', async () => {
    aws.answer({ tool: 'aws', match: '^configure get region', exit: 1 });
    const result = await deploy([], { CHAT_APP_ENVIRONMENT: 'prod' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no AWS region: set CHAT_APP_REGION/);
    expect(commandsOf(result.calls)).toEqual(['aws configure get']);
  });

  it('takes the region from the profile when no variable sets it', async () => {
    aws.answer({ tool: 'aws', match: '^configure get region', stdout: 'ap-southeast-2\n' }, { tool: 'aws', match: '^sts', ...awsError('ExpiredToken', 'GetCallerIdentity', 'The security token included in the request is expired') });
    const result = await deploy([], { CHAT_APP_ENVIRONMENT: 'prod' });
    expect(optionOf(result.calls[1]!.args, '--region')).toBe('ap-southeast-2');
  });

  it('needs working credentials, and says which profile failed', async () => {
    aws.answer({ tool: 'aws', match: '^sts', ...awsError('ExpiredToken', 'GetCallerIdentity', 'The security token included in the request is expired') });
    const result = await deploy(['--profile', 'team-dev']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no usable AWS credentials for profile team-dev: An error occurred \(ExpiredToken\)/);
    expect(result.calls[0]!.env['AWS_PROFILE']).toBe('team-dev');
  });

  it('refuses a region that is not CDK-bootstrapped, with the command that fixes it, and deploys nothing', async () => {
    aws.answer(
      { tool: 'aws', match: '^ssm get-parameter', ...awsError('ParameterNotFound', 'GetParameter', '') },
      ...awsWorld({ environment: 'prod', name: 'prod', stack: branchStack('prod') }),
    );
    const result = await deploy();
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`npx cdk bootstrap aws://${ACCOUNT}/${REGION}`);
    expect(commandsOf(result.calls)).toEqual(['aws sts get-caller-identity', 'aws ssm get-parameter']);
  });
});

describe('deploying (--method branch, the default)', () => {
  const env = { ...PROD, CHAT_APP_ALARM_EMAIL: 'ops@example.com' };
  beforeEach(() => {
    aws.answer(...awsWorld({ environment: 'prod', name: 'prod', stack: branchStack('prod') }));
  });

  it('first run: creates the Amplify app and the branch, runs ampx pipeline-deploy in CI mode, then reports', async () => {
    const result = await deploy([], env);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(commandsOf(result.calls)).toEqual([
      'aws sts get-caller-identity',
      'aws ssm get-parameter',
      'aws amplify list-apps',
      'aws amplify create-app',
      'aws amplify get-branch',
      'aws amplify create-branch',
      'npx ampx pipeline-deploy',
      'aws cloudformation describe-stacks',
      'aws cloudformation describe-stacks',
      'aws cloudwatch describe-alarms',
    ]);
    const [, , , createApp, , createBranch, pipeline] = result.calls;
    expect(optionOf(createApp!.args, '--name')).toBe('realtime-chat');
    expect(optionOf(createBranch!.args, '--branch-name')).toBe('prod');
    expect(optionOf(createBranch!.args, '--stage')).toBe('PRODUCTION');
    expect(createBranch!.args).toContain('--no-enable-auto-build');
    expect(pipeline!.args).toEqual(['ampx', 'pipeline-deploy', '--branch', 'prod', '--app-id', APP_ID]);
    expect(pipeline!.env).toMatchObject({
      CI: '1',
      AWS_REGION: REGION,
      CHAT_APP_ENVIRONMENT: 'prod',
      CHAT_APP_PREFIX: 'realtime-chat',
      CHAT_APP_ALARM_EMAIL: 'ops@example.com',
    });
    for (const call of result.calls.filter((c) => c.tool === 'aws')) expect(optionOf(call.args, '--region')).toBe(REGION);
    expect(optionOf(result.calls[7]!.args, '--stack-name')).toBe(branchStack('prod'));
    expect(result.stdout).toContain(GRAPHQL_URL);
    expect(result.stdout).toContain(USER_POOL_ID);
  });

  it('second run: finds the app and the branch and only deploys again (idempotent)', async () => {
    expect((await deploy([], env)).code).toBe(0);
    const second = await deploy([], env);
    expect(second.code).toBe(0);
    expect(commandsOf(second.calls)).not.toContain('aws amplify create-app');
    expect(commandsOf(second.calls)).not.toContain('aws amplify create-branch');
    expect(second.stderr).toContain(`using Amplify app realtime-chat (${APP_ID})`);
    expect(second.calls.filter((c) => c.args[1] === 'pipeline-deploy')).toHaveLength(1);
  });

  it('uses the app given with --app-id instead of looking one up', async () => {
    aws.setFlags('app', 'branch');
    const result = await deploy(['--app-id', APP_ID]);
    expect(result.code).toBe(0);
    expect(commandsOf(result.calls).slice(2, 4)).toEqual(['aws amplify get-app', 'aws amplify get-branch']);
    expect(commandsOf(result.calls)).not.toContain('aws amplify list-apps');
  });

  it('refuses to guess between several apps of the same name (exit 2)', async () => {
    aws.override({ tool: 'aws', match: '^amplify list-apps', stdout: 'd111\td222\n' });
    const result = await deploy();
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/several Amplify apps are named realtime-chat in eu-west-1 \(d111 d222\): pass --app-id/);
    expect(commandsOf(result.calls)).not.toContain('npx ampx pipeline-deploy');
  });

  it('--dry-run prints every command, including the conditional ones, and calls nothing', async () => {
    const result = await deploy(['--dry-run'], env);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([]);
    const lines = result.stdout.split('\n').filter((line) => line.startsWith('DRY-RUN: '));
    for (const command of [
      'aws sts get-caller-identity',
      'aws ssm get-parameter --name /cdk-bootstrap/hnb659fds/version',
      `aws amplify list-apps --query "apps[?name=='realtime-chat'].appId"`,
      'aws amplify create-app --name realtime-chat --platform WEB',
      "aws amplify get-branch --app-id '<app-id>' --branch-name prod",
      "aws amplify create-branch --app-id '<app-id>' --branch-name prod --stage PRODUCTION --no-enable-auto-build",
      `env CI=1 AWS_REGION=${REGION} CHAT_APP_ENVIRONMENT=prod CHAT_APP_PREFIX=realtime-chat npx ampx pipeline-deploy --branch prod --app-id '<app-id>'`,
      'aws cloudformation describe-stacks',
      'aws cloudwatch describe-alarms --alarm-name-prefix realtime-chat-prod-prod-',
    ]) {
      expect(lines.some((line) => line.startsWith(`DRY-RUN: ${command}`)), command).toBe(true);
    }
    expect(lines).toContain('DRY-RUN: # only when no Amplify app named realtime-chat exists:');
  });

  it('a failed ampx deployment exits 4, points at its output and reports nothing after it', async () => {
    aws.override({ tool: 'npx', match: '^ampx pipeline-deploy', stderr: '[DeploymentError] UPDATE_ROLLBACK_COMPLETE\n', exit: 1 });
    const result = await deploy();
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('[DeploymentError] UPDATE_ROLLBACK_COMPLETE');
    expect(result.stderr).toMatch(/npx ampx pipeline-deploy failed \(exit 1\): see its messages above and docs\/deploy.md#troubleshooting/);
    expect(commandsOf(result.calls).at(-1)).toBe('npx ampx pipeline-deploy');
  });

  it('an AWS error exits 4 with the service message', async () => {
    aws.override({
      tool: 'aws',
      match: '^amplify create-app',
      ...awsError('AccessDeniedException', 'CreateApp', 'User is not authorized to perform: amplify:CreateApp'),
    });
    const result = await deploy();
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(
      /aws amplify create-app failed: An error occurred \(AccessDeniedException\) when calling the CreateApp operation: User is not authorized/,
    );
    expect(commandsOf(result.calls)).not.toContain('npx ampx pipeline-deploy');
  });
});

describe('deploying with --method sandbox', () => {
  it('runs ampx sandbox --once with the environment as identifier; no Amplify app involved', async () => {
    aws.answer(...awsWorld({ environment: 'dev', name: 'dev', stack: sandboxStack('dev') }));
    const result = await deploy(['--method', 'sandbox', '--profile', 'alice'], { CHAT_APP_ENVIRONMENT: 'dev', CHAT_APP_REGION: REGION });
    expect(result.code).toBe(0);
    expect(commandsOf(result.calls)).toEqual([
      'aws sts get-caller-identity',
      'aws ssm get-parameter',
      'npx ampx sandbox',
      'aws cloudformation describe-stacks',
      'aws cloudformation describe-stacks',
      'aws cloudwatch describe-alarms',
    ]);
    const sandbox = result.calls[2]!;
    expect(sandbox.args).toEqual(['ampx', 'sandbox', '--once', '--identifier', 'dev']);
    expect(sandbox.env).toMatchObject({ AWS_REGION: REGION, AWS_PROFILE: 'alice', CHAT_APP_ENVIRONMENT: 'dev' });
    expect(sandbox.env['CI']).toBeUndefined();
    expect(optionOf(result.calls[3]!.args, '--stack-name')).toBe(sandboxStack('dev'));
  });

  it('computes the stack name exactly as ampx does (checked against Amplify\'s own function)', async () => {
    for (const identifier of ['root', 'dev', 'Alice-2', 'x']) {
      const result = await deploy(['--method', 'sandbox', '--identifier', identifier, '--dry-run'], { CHAT_APP_REGION: REGION });
      expect(result.stdout).toContain(`--stack-name ${sandboxStack(identifier)} `);
    }
    for (const branch of ['main', 'feature/chat-ui', 'release-2.0']) {
      const result = await deploy(['--app-id', APP_ID, '--branch', branch, '--status', '--dry-run'], { CHAT_APP_REGION: REGION });
      expect(result.stdout).toContain(`--stack-name ${branchStack(branch)} `);
    }
  });
});

describe('--status', () => {
  beforeEach(() => {
    aws.answer(...awsWorld({ environment: 'prod', name: 'prod', stack: branchStack('prod') }));
  });

  it('reports the stack, GraphQL URL, user pool, alarms and dashboard; exit 0 when healthy; changes nothing', async () => {
    aws.setFlags('app', 'branch', 'stack');
    const result = await deploy(['--status']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${branchStack('prod')}: UPDATE_COMPLETE`);
    expect(result.stdout).toMatch(new RegExp(`GraphQL URL +${GRAPHQL_URL.replace(/[.]/g, '\\.')}`));
    expect(result.stdout).toMatch(new RegExp(`User pool +${USER_POOL_ID}`));
    expect(result.stdout).toContain(`/aws/appsync/apis/${API_ID}`);
    expect(result.stdout).toMatch(/Alarms +3 OK, 0 ALARM, 0 INSUFFICIENT_DATA/);
    expect(result.stdout).toContain(`https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/realtime-chat-prod-prod`);
    expect(result.stdout).toMatch(/Health +ok/);
    expect(result.calls.every((c) => /^(sts get-caller-identity|amplify list-apps|cloudformation describe-stacks|cloudwatch describe-alarms)/.test(c.args.join(' ')))).toBe(true);
  });

  it('exits 7 and lists the alarm first when an alarm fires or the stack rolled back', async () => {
    aws.setFlags('app', 'branch', 'stack', 'alarm', 'rollback');
    const result = await deploy(['--status']);
    expect(result.code).toBe(7);
    const alarmLines = result.stdout.split('\n').filter((line) => /^ {2}(OK|ALARM|INSUFFICIENT_DATA) /.test(line));
    expect(alarmLines[0]).toMatch(/ALARM +realtime-chat-prod-prod-message-processor-errors/);
    expect(alarmLines[1]).toMatch(/INSUFFICIENT_DATA/);
    expect(result.stdout).toMatch(/Health +degraded: stack is UPDATE_ROLLBACK_COMPLETE; 1 alarm\(s\) in ALARM/);
  });

  it('exits 6 when the environment is not deployed: no app, or no stack', async () => {
    const noApp = await deploy(['--status']);
    expect(noApp.code).toBe(6);
    expect(noApp.stdout).toMatch(/not deployed \(no Amplify app named realtime-chat in eu-west-1\)/);
    aws.setFlags('app');
    const noStack = await deploy(['--status']);
    expect(noStack.code).toBe(6);
    expect(noStack.stdout).toContain(`stack ${branchStack('prod')} does not exist`);
  });

  it('--dry-run prints the status commands and calls nothing', async () => {
    const result = await deploy(['--status', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([]);
    expect(result.stdout).toMatch(/^DRY-RUN: aws cloudwatch describe-alarms /m);
  });
});
