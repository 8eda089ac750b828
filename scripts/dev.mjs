#!/usr/bin/env node
/**
 * `npm run dev -- [options] [-- <Vite options>]` (`--help` lists them): synthesizes the backend when anything it
 * depends on changed since the last synthesis (scripts/synth.mjs; otherwise the assembly is kept as it is), starts the offline sandbox (`amplify-gen2-offline start`: local DynamoDB, Cognito, Lambda,
 * AppSync serving the synthesized backend; it writes amplify_outputs.json), waits until it is ready, then starts the
 * Vite dev server — and with `--seed`, runs scripts/seed-offline.mjs against the sandbox (a failure is reported; the
 * app keeps running). While it runs, edits under amplify/ re-synthesize the backend and reload the sandbox in place
 * (data kept). Ctrl-C stops everything; if the sandbox or Vite stops on its own, the other is stopped too.
 *
 * Vite's own options go after a second `--` (npm consumes the first): `npm run dev -- --seed -- --port 5174`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { colorEnabled, parseCommandLine, stripAnsi, styles } from 'amplify-gen2-offline/command-line';
import { sandboxProcessEnvironment } from 'amplify-gen2-offline/process-environment';
import { projectPaths } from 'amplify-gen2-offline/project';
import { PROJECT_ROOT } from './lib/paths.mjs';

const READY_LINE = '[sandbox] ready';
/** The engine package's command line, as `npx amplify-gen2-offline` runs it. */
const SANDBOX_BIN = join(dirname(createRequire(import.meta.url).resolve('amplify-gen2-offline/package.json')), 'bin', 'amplify-gen2-offline.mjs');
const SEED_SCRIPT = join('scripts', 'seed-offline.mjs');

const COMMAND = /** @type {const} */ ({
  name: 'dev',
  usage: 'npm run dev -- [options] [-- <Vite options>]',
  summary:
    'Synthesizes the backend when amplify/ changed, runs it on the offline sandbox (writing amplify_outputs.json), then\n' +
    'starts the web app (Vite). Edits under amplify/ re-synthesize and reload the backend, data kept. Ctrl-C stops all.',
  options: {
    reset: { type: 'boolean', description: 'start the sandbox from empty data (users, messages and signing keys made anew; the local CA is kept)' },
    seed: { type: 'boolean', description: `once the sandbox is ready, add demo users and conversations (${SEED_SCRIPT})` },
    verbose: { type: 'boolean', description: 'print every request, real-time connection, Lambda output and schedule run of the sandbox' },
    import: { type: 'string', valueName: 'dir', description: 'load a sandbox state (tables and users) exported earlier; with --reset, exactly that state' },
    'export-on-exit': { type: 'string', valueName: 'dir', description: 'on Ctrl-C, write the sandbox state (every item and user) to this folder before stopping' },
  },
  environment: [
    { name: 'CHAT_APP_*', description: 'backend configuration read by the synthesis (the list: npm run synth -- --help)' },
    { name: 'NO_COLOR', description: 'any non-empty value: no colour' },
    { name: 'FORCE_COLOR', description: 'colour even when the output is not a terminal (0 or false: never)' },
  ],
  notes: [
    'Vite options go after a second -- (npm takes the first one): npm run dev -- --seed -- --port 5174 --open.\n' +
      'Without --verbose the sandbox prints its start-up, warnings, errors and a highlighted block for each code or\n' +
      'temporary password the user pool would e-mail. The backend alone: npm run sandbox:offline -- --help.',
  ],
  unknownHint: (/** @type {string} */ flag) => `Vite options go after a second --: npm run dev -- -- ${flag}`,
});

const argv = process.argv.slice(2);
const separator = argv.indexOf('--');
const values = parseCommandLine(COMMAND, separator === -1 ? argv : argv.slice(0, separator));
const viteArgs = separator === -1 ? [] : argv.slice(separator + 1);
const sandboxArgs = [
  ...(values.reset ? ['--reset'] : []),
  ...(values.verbose ? ['--verbose'] : []),
  // Folders as the user named them, from where they ran the command (the sandbox runs in the project's root).
  ...(values.import !== undefined ? ['--import', resolve(values.import)] : []),
  ...(values['export-on-exit'] !== undefined ? ['--export-on-exit', resolve(values['export-on-exit'])] : []),
];

const color = colorEnabled(process.stdout);
const errorStyle = styles(colorEnabled(process.stderr));
/** @param {string} message */
const fail = (message) => console.error(errorStyle.red(message));

// Kept as it is when nothing the synthesis depends on changed (amplify/, package-lock.json, CHAT_APP_*…: the synthesis key).
console.log('[dev] synthesizing the backend unless nothing it depends on changed since the last synthesis…');
const synth = spawnSync(process.execPath, [join(PROJECT_ROOT, 'scripts', 'synth.mjs'), '--quiet'], { stdio: 'inherit' });
if (synth.status !== 0) process.exit(synth.status ?? 1);

/** @type {import('node:child_process').ChildProcess | undefined} */
let vite;
/** @type {import('node:child_process').ChildProcess | undefined} */
let seed;
/** The sandbox's CA (from its banner), for the seed script to trust the GraphQL endpoint. */
let caPath = '';
let stopping = false;

console.log(`[dev] starting the offline sandbox${sandboxArgs.length ? ` (${sandboxArgs.join(' ')})` : ''}…`);
// The sandbox's Node must trust its local CA from the start (NODE_EXTRA_CA_CERTS is read once): when the CA exists and
// no reset will replace it, set it here, which spares the sandbox re-running itself to set it (about a second).
const caFile = join(projectPaths(PROJECT_ROOT).dataDirectory, 'ca.pem');
const trustCa = !values.reset && existsSync(caFile) ? { NODE_EXTRA_CA_CERTS: caFile, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {};
const sandbox = spawn(process.execPath, [SANDBOX_BIN, 'start', '--watch', ...sandboxArgs], {
  cwd: PROJECT_ROOT,
  // Its output comes through this process: it colours only when told to.
  env: { ...sandboxProcessEnvironment(), ...trustCa, ...(color ? { FORCE_COLOR: '1' } : {}) },
  stdio: ['ignore', 'pipe', 'pipe'],
});
createInterface({ input: /** @type {import('node:stream').Readable} */ (sandbox.stdout) }).on('line', (line) => {
  console.log(line);
  const plain = stripAnsi(line);
  const ca = /^ {2}CA +(\S+)$/.exec(plain);
  if (ca?.[1]) caPath = ca[1];
  if (plain === READY_LINE && !vite && !stopping) {
    startVite();
    if (values.seed) startSeed();
  }
});

/** Set when the sandbox refused the local data (its tables' keys changed): the way out is a reset. */
let needsReset = false;
createInterface({ input: /** @type {import('node:stream').Readable} */ (sandbox.stderr) }).on('line', (line) => {
  console.error(line);
  if (/Restart with --reset/.test(stripAnsi(line))) needsReset = true;
});

function startVite() {
  console.log(`[dev] starting the client (Vite${viteArgs.length ? ` ${viteArgs.join(' ')}` : ''})…`);
  vite = spawn(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), ...viteArgs], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  vite.on('exit', (code, signal) => {
    if (stopping) return maybeExit();
    fail(`[dev] Vite stopped (${signal ?? `exit code ${code}`}); stopping the offline sandbox…`);
    stop(code || 1);
  });
}

/** Seeds demo data into the running sandbox; whatever happens, the app keeps running. */
function startSeed() {
  if (!existsSync(join(PROJECT_ROOT, SEED_SCRIPT))) {
    fail(`[dev] --seed: ${SEED_SCRIPT} does not exist; the app runs without demo data`);
    return;
  }
  console.log(`[dev] --seed: adding demo users and conversations (${SEED_SCRIPT})…`);
  seed = spawn(process.execPath, [join(PROJECT_ROOT, SEED_SCRIPT), ...(caPath ? ['--ca', caPath] : [])], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  seed.on('error', (error) => {
    seed = undefined;
    fail(`[dev] --seed: could not run ${SEED_SCRIPT}: ${error.message}; the app keeps running`);
  });
  seed.on('exit', (code, signal) => {
    if (stopping) return maybeExit();
    if (code === 0) console.log('[dev] --seed: demo data added');
    else fail(`[dev] --seed: ${SEED_SCRIPT} failed (${signal ?? `exit code ${code}`}); the app keeps running without (all of) the demo data`);
  });
}

let exitCode = 0;
/** @param {import('node:child_process').ChildProcess | undefined} child */
const running = (child) => child !== undefined && child.exitCode === null && child.signalCode === null;
function maybeExit() {
  if (!running(sandbox) && !running(vite) && !running(seed)) process.exit(exitCode);
}

/** @param {number} code */
function stop(code) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  // Ctrl-C in the terminal already reached them all (same process group); SIGTERM covers the other cases.
  for (const child of [sandbox, vite, seed]) if (child && running(child)) child.kill('SIGTERM');
  maybeExit();
}

sandbox.on('exit', (code, signal) => {
  if (stopping) return maybeExit();
  fail(
    vite
      ? `[dev] the offline sandbox stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping Vite…`
      : `[dev] the offline sandbox did not start (${signal ?? `exit code ${code}`}); see the messages above.` +
          (needsReset ? ' `npm run dev -- --reset` starts from empty data (the local CA is kept).' : ''),
  );
  stop(code || 1);
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => stop(0));
