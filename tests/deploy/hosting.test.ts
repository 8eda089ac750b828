/**
 * Amplify Hosting: amplify.yml (the backend phase deploys the branch with ampx pipeline-deploy, the frontend phase
 * builds dist/) and scripts/amplify-hosting-env.sh, which maps the branch to CHAT_APP_ENVIRONMENT and picks the alarm
 * e-mail for it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, StandIn } from './stand-in';

const yml = readFileSync(join(PROJECT_ROOT, 'amplify.yml'), 'utf8');
const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** The list items of a `key:` block of amplify.yml (a tiny reader for this file's own layout). */
function commands(path: string[]): string[] {
  const lines = yml.split('\n');
  let index = 0;
  let indent = -1;
  for (const key of path) {
    const found = lines.findIndex((line, i) => i >= index && line.trim() === `${key}:` && line.search(/\S/) > indent);
    if (found < 0) throw new Error(`amplify.yml has no ${path.join('.')}`);
    index = found + 1;
    indent = lines[found]!.search(/\S/);
  }
  const items: string[] = [];
  for (const line of lines.slice(index)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (line.search(/\S/) <= indent) break;
    const item = /^\s*- (.*)$/.exec(line);
    if (item) items.push(item[1]!.replace(/^'(.*)'$/, '$1'));
  }
  return items;
}

describe('amplify.yml', () => {
  it('deploys the backend of the branch being built with npm ci and ampx pipeline-deploy', () => {
    const build = commands(['backend', 'phases', 'build', 'commands']);
    expect(build[0]).toMatch(/^npm ci\b/);
    expect(build[1]).toBe('bash scripts/amplify-hosting-env.sh npx ampx pipeline-deploy --branch $AWS_BRANCH --app-id $AWS_APP_ID');
  });

  it('builds the client with npm run build and publishes dist/', () => {
    expect(commands(['frontend', 'phases', 'build', 'commands'])).toEqual(['npm run build']);
    expect(yml).toMatch(/^ {2}artifacts:\n {4}baseDirectory: dist\n {4}files:\n {6}- '\*\*\/\*'$/m);
    expect(pkg.scripts['build']).toContain('vite build');
  });

  it('caches the npm cache (npm ci --cache .npm) and node_modules, and uses Node 20', () => {
    expect(commands(['frontend', 'cache', 'paths'])).toEqual(['.npm/**/*', 'node_modules/**/*']);
    expect(commands(['backend', 'phases', 'build', 'commands'])[0]).toContain('--cache .npm');
    expect(commands(['backend', 'phases', 'preBuild', 'commands'])).toContain('nvm use 20');
  });
});

describe('scripts/amplify-hosting-env.sh', () => {
  const shell = new StandIn([]);
  afterAll(() => shell.cleanup());

  /** Runs the helper around `env`, returning the CHAT_APP_* it exported. */
  async function settingsFor(env: Record<string, string>) {
    const result = await shell.run('amplify-hosting-env.sh', ['env'], { env });
    const exported = Object.fromEntries(
      result.stdout
        .split('\n')
        .filter((line) => line.startsWith('CHAT_APP_'))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { ...result, exported };
  }

  it.each([
    ['main', 'prod'],
    ['master', 'prod'],
    ['production', 'prod'],
    ['staging', 'staging'],
    ['release/2.1', 'staging'],
    ['release-2024-06', 'staging'],
    ['dev', 'dev'],
    ['feature/typing-indicator', 'dev'],
    ['prod-hotfix', 'dev'],
  ])('branch %s -> CHAT_APP_ENVIRONMENT=%s', async (branch, environment) => {
    const { code, exported } = await settingsFor({ AWS_BRANCH: branch });
    expect(code).toBe(0);
    expect(exported['CHAT_APP_ENVIRONMENT']).toBe(environment);
    expect(exported['CHAT_APP_PREFIX']).toBe('realtime-chat');
  });

  it('a CHAT_APP_ENVIRONMENT set for the branch in the console wins over the mapping (and is validated)', async () => {
    expect((await settingsFor({ AWS_BRANCH: 'main', CHAT_APP_ENVIRONMENT: 'Staging' })).exported['CHAT_APP_ENVIRONMENT']).toBe('staging');
    const invalid = await settingsFor({ AWS_BRANCH: 'main', CHAT_APP_ENVIRONMENT: 'qa' });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/CHAT_APP_ENVIRONMENT=qa is not one of dev, staging, prod/);
  });

  it('alarm e-mail per environment: CHAT_APP_ALARM_EMAIL_<ENV>, unless CHAT_APP_ALARM_EMAIL is set for the branch', async () => {
    const perEnvironment = { CHAT_APP_ALARM_EMAIL_PROD: 'oncall@example.com', CHAT_APP_ALARM_EMAIL_DEV: 'dev-team@example.com' };
    expect((await settingsFor({ AWS_BRANCH: 'main', ...perEnvironment })).exported['CHAT_APP_ALARM_EMAIL']).toBe('oncall@example.com');
    expect((await settingsFor({ AWS_BRANCH: 'feature/x', ...perEnvironment })).exported['CHAT_APP_ALARM_EMAIL']).toBe('dev-team@example.com');
    const staging = await settingsFor({ AWS_BRANCH: 'staging', ...perEnvironment });
    expect(staging.exported['CHAT_APP_ALARM_EMAIL']).toBeUndefined();
    expect(staging.stderr).toMatch(/alarm e-mail: none \(set CHAT_APP_ALARM_EMAIL_STAGING/);
    const branchOverride = await settingsFor({ AWS_BRANCH: 'main', CHAT_APP_ALARM_EMAIL: 'cto@example.com', ...perEnvironment });
    expect(branchOverride.exported['CHAT_APP_ALARM_EMAIL']).toBe('cto@example.com');
  });

  it('runs the command with its arguments and returns its exit code; without AWS_BRANCH it stops with 2', async () => {
    const failing = await shell.run('amplify-hosting-env.sh', ['bash', '-c', 'echo "args: $*"; exit 7', 'x', 'a b'], { env: { AWS_BRANCH: 'main' } });
    expect(failing.stdout).toBe('args: a b\n');
    expect(failing.code).toBe(7);
    const noBranch = await shell.run('amplify-hosting-env.sh', ['env']);
    expect(noBranch.code).toBe(2);
    expect(noBranch.stderr).toMatch(/AWS_BRANCH is not set/);
  });

  it('prints the settings as shell assignments when given no command', async () => {
    const result = await shell.run('amplify-hosting-env.sh', [], { env: { AWS_BRANCH: 'main', CHAT_APP_ALARM_EMAIL_PROD: 'ops@example.com' } });
    expect(result.stdout).toBe('CHAT_APP_ENVIRONMENT=prod\nCHAT_APP_PREFIX=realtime-chat\nCHAT_APP_ALARM_EMAIL=ops@example.com\n');
  });
});
