/**
 * A recording stand-in for the commands the deploy scripts run (`aws`, `npx`): copies of tests/deploy/stand-in.sh
 * under those names in a temporary bin directory that comes first on PATH. Each call is appended to a log (tool, argv, cwd, the environment
 * variables that matter); the answer comes from the first canned rule whose pattern matches the arguments. Rules can
 * depend on and set flags in a state file, so a sequence of calls can model AWS changing (`create-app` makes the next
 * `list-apps` find the app), which is what idempotency tests need. A call without a rule fails loudly (exit 99).
 *
 * The scripts run with a minimal environment: PATH = the stand-ins, then a directory of links to exactly the tools
 * the scripts use (bash, node, coreutils, sed, awk, grep, curl) — so a real `aws` installed on the machine can never
 * be reached; HOME = the temporary directory; nothing else unless a test passes it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');
export const SCRIPTS = join(PROJECT_ROOT, 'scripts');

export interface CannedAnswer {
  tool: 'aws' | 'npx';
  /** Regular expression (bash ERE) tested against the arguments joined with single spaces. */
  match: string;
  /** Only when all these flags are set. */
  when?: string[];
  /** Only when none of these flags is set. */
  unless?: string[];
  /** Flags to set when this rule answers. */
  set?: string[];
  stdout?: string;
  stderr?: string;
  exit?: number;
  /** Write a file (relative paths: to the caller's cwd) after a delay, e.g. amplify_outputs.json. */
  writeFile?: { path: string; content: string; delayMs?: number };
  /** Keep running (like `ampx sandbox` or Vite) until SIGINT/SIGTERM, then exit with `exit` (default 0). */
  stayAlive?: boolean;
}

export interface RecordedCall {
  tool: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Set on the extra record a stayAlive stand-in writes when it receives a signal. */
  signal?: string;
}

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
  calls: RecordedCall[];
}

/** The stand-in executable (bash: a node start-up per call made these tests several times slower). */
const STAND_IN = join(import.meta.dirname, 'stand-in.sh');

/** Every external command the scripts (and the stand-in) run, besides the ones stood in for. */
const TOOLS = [
  'bash', 'env', 'cat', 'cp', 'mv', 'rm', 'mktemp', 'date', 'sleep', 'dirname', 'basename', 'tr', 'cut', 'sort', 'wc',
  'tail', 'sed', 'awk', 'grep', 'sha512sum', 'shasum', 'curl',
];
const TOOL_DIRECTORIES = ['/usr/bin', '/bin', '/usr/local/bin'];

/** A directory of symbolic links to the tools (missing ones are left out) and to this node. */
export function toolsDirectory(parent: string): string {
  const directory = join(parent, 'tools');
  mkdirSync(directory);
  for (const tool of TOOLS) {
    const found = TOOL_DIRECTORIES.map((dir) => join(dir, tool)).find((candidate) => existsSync(candidate));
    if (found) symlinkSync(found, join(directory, tool));
  }
  symlinkSync(process.execPath, join(directory, 'node'));
  return directory;
}

export class StandIn {
  readonly dir = mkdtempSync(join(tmpdir(), 'deploy-stand-in-'));
  readonly bin = join(this.dir, 'bin');
  readonly tools = toolsDirectory(this.dir);
  private rules: CannedAnswer[] = [];

  constructor(tools: readonly string[] = ['aws', 'npx']) {
    mkdirSync(this.bin);
    for (const tool of tools) {
      copyFileSync(STAND_IN, join(this.bin, tool));
      chmodSync(join(this.bin, tool), 0o755);
    }
    this.writeRules();
  }

  /** Adds canned answers after the existing ones (the first matching rule answers). */
  answer(...rules: CannedAnswer[]): this {
    this.rules.push(...rules);
    this.writeRules();
    return this;
  }

  /** Adds canned answers that take precedence over the existing ones (e.g. one failure in a canned world). */
  override(...rules: CannedAnswer[]): this {
    this.rules.unshift(...rules);
    this.writeRules();
    return this;
  }

  /** Forgets the recorded calls (state flags stay: they model what exists in AWS). */
  clearCalls(): void {
    rmSync(join(this.dir, 'calls.jsonl'), { force: true });
  }

  setFlags(...flags: string[]): void {
    writeFileSync(join(this.dir, 'state'), flags.map((flag) => `${flag}\n`).join(''));
  }

  calls(): RecordedCall[] {
    const file = join(this.dir, 'calls.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordedCall);
  }

  /** PATH for the scripts: the stand-ins, then the tools; no real aws or npx anywhere. */
  path(): string {
    return [this.bin, this.tools].join(':');
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return { PATH: this.path(), HOME: this.dir, LANG: 'C.UTF-8', STANDIN_DIR: this.dir, ...extra };
  }

  /** Runs a script of scripts/ with bash, the stand-ins on PATH, `input` on stdin (closed after it). */
  run(script: string, args: string[] = [], options: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<ScriptResult> {
    this.clearCalls();
    return runProcess('bash', [join(SCRIPTS, script), ...args], {
      env: this.env(options.env),
      input: options.input,
      cwd: options.cwd ?? PROJECT_ROOT,
    }).then((result) => ({ ...result, calls: this.calls() }));
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private writeRules(): void {
    // Rule numbers shift when rules are prepended: drop every previous rule's output files first.
    for (const file of readdirSync(this.dir)) if (/^rule-\d+\.(out|err|file)$/.test(file)) rmSync(join(this.dir, file));
    const field = (value: string | undefined) => (value === undefined || value === '' ? '-' : value);
    const lines = this.rules.map((rule, index) => {
      const n = index + 1;
      if (rule.stdout) writeFileSync(join(this.dir, `rule-${n}.out`), rule.stdout);
      if (rule.stderr) writeFileSync(join(this.dir, `rule-${n}.err`), rule.stderr);
      if (rule.writeFile) writeFileSync(join(this.dir, `rule-${n}.file`), rule.writeFile.content);
      if (/[\t\n]/.test(rule.match)) throw new Error(`stand-in rule patterns cannot contain tabs or newlines: ${rule.match}`);
      return [
        rule.tool,
        rule.match,
        field(rule.when?.join(',')),
        field(rule.unless?.join(',')),
        field(rule.set?.join(',')),
        String(rule.exit ?? 0),
        rule.stayAlive ? '1' : '0',
        field(rule.writeFile?.path),
        String((rule.writeFile?.delayMs ?? 0) / 1000),
      ].join('\t');
    });
    writeFileSync(join(this.dir, 'rules.tsv'), lines.map((line) => `${line}\n`).join(''));
  }
}

export function runProcess(
  command: string,
  args: string[],
  options: { env: Record<string, string>; input?: string; cwd: string },
): Promise<Omit<ScriptResult, 'calls'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the script may exit before reading its input
    child.stdin.end(options.input ?? '');
  });
}

/** The AWS CLI's way of failing: the message on stderr, exit code 254 (v2; v1 uses 255). */
export function awsError(code: string, operation: string, message: string): Pick<CannedAnswer, 'stderr' | 'exit'> {
  return { stderr: `\nAn error occurred (${code}) when calling the ${operation} operation: ${message}\n`, exit: 254 };
}
