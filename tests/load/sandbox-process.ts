/**
 * The offline sandbox CLI (`npm run sandbox:offline`) as a real child process of a test, on ephemeral ports, with
 * its output as lines — for the durability test (which SIGKILLs it) and the sustained load test (whose clients then
 * run on another core than the server).
 *
 * The data directory comes with the test CA (tests/offline/helpers.ts `newDataDirectory`) and the CLI is started with
 * `NODE_EXTRA_CA_CERTS=<data>/ca.pem`: it then runs the sandbox in this very process instead of re-running itself with
 * that variable set (offline/cli/start.ts), so the pid we hold is the server's and a SIGKILL is a real one — no
 * orphan keeps the port, the LevelDB store or the user pool file. The test process already trusts that CA
 * (tests/setup/offline-ca.ts), so `fetch` and `ws` reach the sandbox without extra options.
 *
 * tests/offline/sandbox-cli.test.ts starts it as a user does instead (`ownCa`: no NODE_EXTRA_CA_CERTS, so the CLI
 * finds its own CA and re-runs itself trusting it) with extra flags (`--watch`, `--reset`) and every line kept.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';
import { CDK_OUT } from '../offline/helpers';

export interface SandboxUrls {
  graphql: string;
  realtime: string;
  cognito: string;
}

export interface SandboxProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** The lines printed so far (stdout and stderr; the last `keepLines` of them). */
  readonly lines: readonly string[];
  /** Exit code (null after a signal) once the process is gone; registered at spawn, so it is never missed. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first line from now on that matches `pattern`; fails when the CLI exits or after `guardMs`. */
  next(pattern: RegExp, guardMs?: number): Promise<string>;
  /** The confirmation code the user pool logged for `email` (already printed or still to come; bounded). */
  confirmationCode(email: string, guardMs?: number): Promise<string>;
  /** The last lines printed (diagnostics). */
  tail(count?: number): string;
}

export interface ReadySandbox extends SandboxProcess {
  urls: SandboxUrls;
  poolId: string;
  clientId: string;
}

const KEPT_LINES = 400;
const CODE_LINE = /^\[cognito\] confirmation code for (\S+): (\d{6})$/;

export interface SpawnOptions {
  dataDirectory: string;
  outputsFile: string;
  cdkOut?: string;
  /** More CLI flags (`--watch`, `--reset`, `--backend …`). */
  extraArgs?: string[];
  /** Start as a user does: without NODE_EXTRA_CA_CERTS, so the CLI re-runs itself trusting its own CA. */
  ownCa?: boolean;
  /** Lines kept in `lines` (default 400). */
  keepLines?: number;
}

/** Spawns the CLI on `dataDirectory` (persisted DynamoDB: the CLI's only storage) and writes outputs to `outputsFile`. */
export function spawnSandbox(options: SpawnOptions): SandboxProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  // Piped output has no colour unless forced; the lines below are matched as plain text.
  delete env['FORCE_COLOR'];
  if (options.ownCa) delete env['NODE_EXTRA_CA_CERTS'];
  else env['NODE_EXTRA_CA_CERTS'] = join(options.dataDirectory, 'ca.pem');
  const keepLines = options.keepLines ?? KEPT_LINES;
  const child = spawn(
    process.execPath,
    [
      // The engine package's bin, as `npx amplify-gen2-offline start` runs it (tsx is registered in-process).
      join(PROJECT_ROOT, 'node_modules', '.bin', 'amplify-gen2-offline'),
      'start',
      '--data',
      options.dataDirectory,
      '--appsync-port',
      '0',
      '--cognito-port',
      '0',
      '--console-port',
      '0',
      '--outputs',
      options.outputsFile,
      '--cdk-out',
      options.cdkOut ?? CDK_OUT,
      ...(options.extraArgs ?? []),
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const codes = new Map<string, string>();
  const codeWaiters = new Map<string, (code: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > keepLines) lines.shift();
      const code = CODE_LINE.exec(line);
      if (code) {
        const email = code[1]!.toLowerCase();
        codes.set(email, code[2]!);
        codeWaiters.get(email)?.(code[2]!);
        codeWaiters.delete(email);
      }
      for (const waiter of [...waiters]) {
        if (!waiter.pattern.test(line)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const tail = (count = 60) => lines.slice(-count).join('\n');

  /** `wait` resolves on success; the exit of the CLI and the guard (never a success criterion) reject. */
  const bounded = <T>(what: string, wait: Promise<T>, guardMs: number): Promise<T> => {
    let guard: NodeJS.Timeout | undefined;
    return Promise.race([
      wait,
      exited.then(({ code, signal }) => {
        throw new Error(`the sandbox exited (${code ?? signal}) before ${what}:\n${tail()}`);
      }),
      new Promise<never>((_, reject) => {
        guard = setTimeout(() => reject(new Error(`no ${what} within ${guardMs / 1000} s; the sandbox printed:\n${tail()}`)), guardMs);
        guard.unref();
      }),
    ]).finally(() => clearTimeout(guard));
  };

  return {
    child,
    lines,
    exited,
    tail,
    next: (pattern, guardMs = 120_000) => bounded(`a line matching ${pattern}`, new Promise<string>((resolve) => waiters.push({ pattern, resolve })), guardMs),
    confirmationCode: (email, guardMs = 30_000) => {
      const key = email.toLowerCase();
      const known = codes.get(key);
      if (known) return Promise.resolve(known);
      return bounded(`a confirmation code for ${email}`, new Promise<string>((resolve) => codeWaiters.set(key, resolve)), guardMs);
    },
  };
}

/** Spawns the CLI and waits for "[sandbox] ready"; reads its URLs from the banner and the pool ids from the outputs. */
export async function startSandboxProcess(options: SpawnOptions & { readyGuardMs?: number }): Promise<ReadySandbox> {
  const sandbox = spawnSandbox(options);
  // The banner and "ready" can arrive in one chunk: collect the banner lines from the start.
  const banner = new Map<string, string>();
  const collect = (label: string) => sandbox.next(new RegExp(`^  ${label} +\\S+$`), options.readyGuardMs).then((line) => banner.set(label, line.trim().split(/\s+/)[1]!));
  const bannerRead = Promise.all(['GraphQL', 'Realtime', 'Cognito'].map(collect));
  bannerRead.catch(() => undefined); // awaited below; a failure to start is reported by the wait for "ready"
  let outputs: { auth: { user_pool_id: string; user_pool_client_id: string } };
  try {
    await sandbox.next(/^\[sandbox\] ready$/, options.readyGuardMs ?? 120_000);
    await bannerRead;
    outputs = JSON.parse(readFileSync(options.outputsFile, 'utf8')) as typeof outputs;
  } catch (error) {
    // Not ready: the caller never gets a handle, so nothing else would stop it.
    await killSandbox(sandbox);
    throw error;
  }
  return {
    ...sandbox,
    urls: { graphql: banner.get('GraphQL')!, realtime: banner.get('Realtime')!, cognito: banner.get('Cognito')! },
    poolId: outputs.auth.user_pool_id,
    clientId: outputs.auth.user_pool_client_id,
  };
}

/**
 * CPU seconds (user + system, all threads) the sandbox process has used, from /proc (Linux; undefined elsewhere).
 * Clock ticks are 100 per second on Linux.
 */
export function sandboxCpuSeconds(sandbox: SandboxProcess): number | undefined {
  try {
    const fields = readFileSync(`/proc/${sandbox.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** SIGKILLs the sandbox (if still running) and waits for the exit, so its pid (held in its lock files) is gone. */
export async function killSandbox(sandbox: SandboxProcess): Promise<void> {
  if (sandbox.child.exitCode === null && sandbox.child.signalCode === null) sandbox.child.kill('SIGKILL');
  await sandbox.exited;
}
