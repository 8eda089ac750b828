/**
 * `npm run dev:cloud` (scripts/dev-cloud.mjs) with a stand-in `npx`: it runs `ampx sandbox` with the options given,
 * starts Vite only once amplify_outputs.json describes the deployed sandbox (not on ampx's placeholder or the offline
 * sandbox's file), stops both on SIGTERM, and stops with ampx's exit code when the deployment fails.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCRIPTS, StandIn, type RecordedCall } from './stand-in';

const DEPLOYED = JSON.stringify({ version: '1.4', auth: { aws_region: 'eu-west-1', user_pool_id: 'eu-west-1_Cloud123', user_pool_client_id: 'c' } });
const PLACEHOLDER = JSON.stringify({ version: '1.4' });
const OFFLINE = JSON.stringify({ version: '1.4', auth: { user_pool_id: 'us-east-1_offline' }, custom: { offline: true } });

let npx: StandIn;
let project: string;

beforeEach(() => {
  npx = new StandIn(['npx']);
  project = mkdtempSync(join(tmpdir(), 'dev-cloud-'));
  mkdirSync(join(project, 'amplify'));
  writeFileSync(join(project, 'amplify', 'backend.ts'), '// stand-in project\n');
  writeFileSync(join(project, 'package.json'), '{"name":"realtime-chat"}\n');
});
afterEach(() => {
  npx.cleanup();
  rmSync(project, { recursive: true, force: true });
});

function startDevCloud(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(SCRIPTS, 'dev-cloud.mjs'), ...args], {
    cwd: project,
    env: npx.env(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const viteCalls = (calls: RecordedCall[]) => calls.filter((c) => c.args[0] === 'vite' && !c.signal);

describe('npm run dev:cloud', () => {
  it('runs ampx sandbox with --profile/--identifier/--region, starts Vite once the outputs describe the sandbox, stops both on SIGTERM', async () => {
    // An offline-sandbox file is there before; ampx first writes its placeholder, then the deployed outputs.
    writeFileSync(join(project, 'amplify_outputs.json'), OFFLINE);
    npx.answer(
      { tool: 'npx', match: '^ampx sandbox', stayAlive: true, writeFile: { path: 'amplify_outputs.json', content: PLACEHOLDER, delayMs: 300 } },
      { tool: 'npx', match: '^vite', stayAlive: true, stdout: 'VITE ready\n' },
    );
    const dev = startDevCloud(['--profile', 'alice-dev', '--identifier', 'alice', '--region', 'eu-west-1', '--', '--port', '5174']);
    await until(() => npx.calls().some((c) => c.args[0] === 'ampx'), 'ampx sandbox');
    const [ampx] = npx.calls();
    expect(ampx!.args).toEqual(['ampx', 'sandbox', '--profile', 'alice-dev', '--identifier', 'alice']);
    expect(ampx!.env).toMatchObject({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1' });
    expect(ampx!.cwd).toBe(project);

    // Neither the offline file nor ampx's placeholder starts Vite.
    await until(() => readFileSync(join(project, 'amplify_outputs.json'), 'utf8') === PLACEHOLDER, 'the placeholder');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(viteCalls(npx.calls())).toEqual([]);

    writeFileSync(join(project, 'amplify_outputs.json'), DEPLOYED); // what ampx writes after deploying
    await until(() => viteCalls(npx.calls()).length === 1, 'Vite');
    expect(viteCalls(npx.calls())[0]!.args).toEqual(['vite', '--port', '5174']);
    await until(() => dev.output().includes('VITE ready'), 'Vite output');

    dev.child.kill('SIGTERM');
    expect(await dev.exited).toBe(0);
    const signals = npx.calls().filter((c) => c.signal);
    expect(signals.map((c) => c.args[0]).sort()).toEqual(['ampx', 'vite']);
    expect(dev.output()).toContain('Your cloud sandbox is still deployed: `npx ampx sandbox delete` removes it.');
  });

  it('stops with ampx\'s exit code, and never starts Vite, when the sandbox fails to deploy', async () => {
    npx.answer({ tool: 'npx', match: '^ampx sandbox', stderr: '[InvalidCredentialError] Failed to load default AWS credentials\n', exit: 1 });
    const dev = startDevCloud([]);
    expect(await dev.exited).toBe(1);
    expect(dev.output()).toContain('[InvalidCredentialError]');
    expect(dev.output()).toMatch(/ampx sandbox stopped before deploying \(exit code 1\).*--profile/);
    expect(viteCalls(npx.calls())).toEqual([]);
  });

  it('refuses bad options with exit 2 before running anything', async () => {
    for (const args of [['--identifier', 'much-too-long-for-ampx'], ['--region', 'narnia'], ['--profile']]) {
      const dev = startDevCloud(args);
      expect(await dev.exited, args.join(' ')).toBe(2);
    }
    expect(npx.calls()).toEqual([]);
  });
});
