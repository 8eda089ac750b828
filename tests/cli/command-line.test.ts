/**
 * The entry points as a user runs them — `npm run dev` (scripts/dev.mjs), `npm run synth` (scripts/synth.mjs), and the
 * engine package's `amplify-gen2-offline start | synth | trust` (what `npm run sandbox:offline` and `npm run trust`
 * run; offline/cli/) through its bin — as real child processes: `--help` exits 0 and
 * lists every flag and environment variable; a usage error is one line on stderr and exit 2; colour only when forced
 * (the output here is a pipe) and never with NO_COLOR. None of these starts a sandbox or runs a synthesis.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/lib/paths.mjs';

interface Command {
  name: string;
  /** How its usage line and its usage errors name it. */
  invocation: string;
  /** What a usage error points to. */
  helpCommand: string;
  argv: string[];
  flags: string[];
  environment: string[];
}

/** Every CHAT_APP_* variable the synthesis reads (amplify/config.ts, amplify/settings.ts). */
const configurationVariables = [
  ...new Set(['config.ts', 'settings.ts'].flatMap((file) => readFileSync(join(PROJECT_ROOT, 'amplify', file), 'utf8').match(/\bCHAT_APP_[A-Z0-9_]*[A-Z0-9]\b/g) ?? [])),
];

/** The package's bin, as `npx amplify-gen2-offline` and the npm scripts run it. */
const ENGINE_BIN = join(PROJECT_ROOT, 'node_modules', '.bin', 'amplify-gen2-offline');

const COMMANDS: Command[] = [
  {
    name: 'dev',
    invocation: 'dev',
    helpCommand: 'npm run dev -- --help',
    argv: [join(PROJECT_ROOT, 'scripts', 'dev.mjs')],
    flags: ['--reset', '--seed', '--verbose', '--import', '--export-on-exit', '--help', '-h'],
    environment: ['CHAT_APP_*', 'NO_COLOR', 'FORCE_COLOR'],
  },
  {
    name: 'start',
    invocation: 'amplify-gen2-offline start',
    helpCommand: 'amplify-gen2-offline start --help',
    argv: [ENGINE_BIN, 'start'],
    flags: ['--reset', '--data', '--host', '--appsync-port', '--cognito-port', '--console-port', '--no-console', '--import', '--export-on-exit', '--outputs', '--force-outputs', '--cdk-out', '--watch', '--backend', '--verbose', '--help', '-h'],
    environment: ['NO_COLOR', 'FORCE_COLOR', 'NODE_EXTRA_CA_CERTS'],
  },
  {
    name: 'synth',
    invocation: 'synth',
    helpCommand: 'npm run synth -- --help',
    argv: [join(PROJECT_ROOT, 'scripts', 'synth.mjs')],
    flags: ['--identifier', '--branch', '--standalone', '--quiet', '--output', '--backend', '--help', '-h'],
    environment: [...configurationVariables, 'NO_COLOR', 'FORCE_COLOR'],
  },
  {
    name: 'trust',
    invocation: 'amplify-gen2-offline trust',
    helpCommand: 'amplify-gen2-offline trust --help',
    argv: [ENGINE_BIN, 'trust'],
    flags: ['--uninstall', '--dry-run', '--no-system', '--data', '--help', '-h'],
    environment: ['HOME', 'NO_COLOR', 'FORCE_COLOR'],
  },
  {
    name: 'engine synth',
    invocation: 'amplify-gen2-offline synth',
    helpCommand: 'amplify-gen2-offline synth --help',
    argv: [ENGINE_BIN, 'synth'],
    flags: ['--identifier', '--branch', '--quiet', '--output', '--backend', '--help', '-h'],
    environment: ['NO_COLOR', 'FORCE_COLOR'],
  },
];

/** Usage errors per command: an unknown flag, a missing value, a value the command refuses. */
const USAGE_ERRORS: Record<string, string[][]> = {
  dev: [['--bogus'], ['--port', '5174'], ['--seed=yes'], ['stray'], ['--reset', '--nope', '--', '--open']],
  start: [['--bogus'], ['--data'], ['--data', '--reset'], ['--appsync-port', 'abc'], ['--cognito-port', '70000'], ['--watch=1']],
  synth: [['--bogus'], ['--output'], ['--branch', 'main', '--standalone', 'prod'], ['extra']],
  trust: [['--bogus'], ['--data'], ['install'], ['--dry-run=yes']],
  'engine synth': [['--bogus'], ['--output'], ['--branch', 'main', '--identifier', 'me'], ['extra']],
};

const ESCAPE = '\u001b';

/** The environment of a user without colour preferences, plus `extra`. */
function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('NO_COLOR' in extra)) delete env['NO_COLOR'];
  if (!('FORCE_COLOR' in extra)) delete env['FORCE_COLOR'];
  return env;
}

function run(command: Command, args: string[], extraEnv: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [...command.argv, ...args], { cwd: PROJECT_ROOT, env: environment(extraEnv), encoding: 'utf8' });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe.each(COMMANDS)('$name', (command) => {
  it('--help exits 0 and lists every flag and environment variable', () => {
    const help = run(command, ['--help']);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout.startsWith(`Usage: ${command.invocation === 'dev' || command.invocation === 'synth' ? `npm run ${command.invocation}` : command.invocation} `)).toBe(true);
    for (const flag of command.flags) expect(help.stdout, flag).toMatch(new RegExp(`(^|[\\s,])${flag.replace(/[*]/g, '\\*')}\\b`, 'm'));
    expect(help.stdout).toMatch(/^Environment:$/m);
    for (const variable of command.environment) expect(help.stdout, variable).toContain(variable);
    expect(run(command, ['-h']).stdout).toBe(help.stdout);
  });

  it('--help wins over other arguments (nothing starts)', () => {
    const help = run(command, ['--bogus', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: /);
  });

  it.each(USAGE_ERRORS[command.name]!.map((args) => [args.join(' '), args]))('usage error %s: one line on stderr, exit 2', (_, args) => {
    const result = run(command, args as string[]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.endsWith('\n')).toBe(true);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr.startsWith(`${command.invocation}: `)).toBe(true);
    expect(result.stderr.endsWith(` (see ${command.helpCommand})\n`)).toBe(true);
    expect(result.stderr).not.toContain('    at '); // no stack trace
  });

  it('no ANSI escapes when piped, nor with NO_COLOR even when FORCE_COLOR is set; escapes when forced', () => {
    expect(run(command, ['--help']).stdout).not.toContain(ESCAPE);
    expect(run(command, ['--help'], { NO_COLOR: '1', FORCE_COLOR: '1' }).stdout).not.toContain(ESCAPE);
    expect(run(command, ['--help'], { FORCE_COLOR: '0' }).stdout).not.toContain(ESCAPE);
    const forced = run(command, ['--help'], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(`${ESCAPE}[1mUsage:${ESCAPE}[22m`);
  });
});

describe('amplify-gen2-offline (the package bin)', () => {
  const engine = (args: string[]) => {
    const result = spawnSync(process.execPath, [ENGINE_BIN, ...args], { cwd: PROJECT_ROOT, env: environment(), encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  it('--help lists the commands and exits 0; with no command the same help goes to stderr with exit 2', () => {
    const help = engine(['--help']);
    expect(help.status).toBe(0);
    expect(help.stderr).toBe('');
    expect(help.stdout).toMatch(/^Usage: amplify-gen2-offline <command> \[options\]$/m);
    for (const command of ['start', 'synth', 'trust']) expect(help.stdout).toMatch(new RegExp(`^  ${command}  `, 'm'));
    expect(engine(['-h']).stdout).toBe(help.stdout);
    const none = engine([]);
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(help.stdout);
  });

  it('an unknown command is one line on stderr, exit 2', () => {
    const result = engine(['serve']);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe("amplify-gen2-offline: unknown command 'serve' (see amplify-gen2-offline --help)\n");
  });

  it('npx finds it in the project, as a user runs it', () => {
    const result = spawnSync('npx', ['--no-install', 'amplify-gen2-offline', '--help'], { cwd: PROJECT_ROOT, env: environment(), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: amplify-gen2-offline <command>/);
  });
});

describe('dev', () => {
  it('`npm run dev -- --help` prints the help and starts nothing', () => {
    const result = spawnSync('npm', ['run', '--silent', 'dev', '--', '--help'], { cwd: PROJECT_ROOT, env: environment(), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run dev -- \[options\] \[-- <Vite options>\]$/m);
    expect(result.stdout).not.toContain('[dev]');
    expect(result.stdout).toContain('--seed');
  });

  it('names the way to pass a Vite option it does not know', () => {
    const result = run(COMMANDS[0]!, ['--port', '5174']);
    expect(result.stderr).toBe('dev: unknown option --port; Vite options go after a second --: npm run dev -- -- --port (see npm run dev -- --help)\n');
  });
});

describe('synth progress', () => {
  const synth = COMMANDS[2]!;
  it('piped: a start line on stderr before the CDK runs, no carriage returns or escapes; none with --quiet', () => {
    // A backend file that does not exist: the CDK CLI starts and fails at once (no synthesis).
    const missing = join(PROJECT_ROOT, '.amplify', 'test-offline', 'no-such-backend.ts');
    const output = join(PROJECT_ROOT, '.amplify', 'test-offline', 'no-such-cdk-out');
    const loud = run(synth, ['--output', output, '--backend', missing]);
    expect(loud.status).not.toBe(0);
    const name = userInfo().username.replace(/[^A-Za-z0-9-]/g, '-');
    expect(loud.stderr.split('\n')[0]).toBe(`synth: synthesizing sandbox "${name}" from ${missing}…`);
    expect(loud.stderr).toMatch(/synth failed \(exit \d+\)\n$/);
    for (const text of [loud.stdout, loud.stderr]) {
      expect(text).not.toContain('\r');
      expect(text).not.toContain(ESCAPE);
    }
    const quiet = run(synth, ['--quiet', '--output', output, '--backend', missing]);
    expect(quiet.status).not.toBe(0);
    expect(quiet.stderr).not.toContain('synth: synthesizing');
    expect(quiet.stderr).toMatch(/synth failed \(exit \d+\)\n$/);
  });
});
