/**
 * `amplify-gen2-offline start [options]` (`--help` lists them): the offline
 * sandbox. With `--watch`, edits under the backend's folder re-synthesize it and reload the running sandbox without
 * losing data (offline/sandbox/reload-watcher.ts); amplify_outputs.json is rewritten after each reload. Paths default
 * to the places ampx uses, relative to the current directory (the project's root).
 *
 * Starts the offline sandbox, writes amplify_outputs.json, prints the URLs and the local CA, prints
 * "[sandbox] ready", and runs until SIGINT/SIGTERM. Node reads NODE_EXTRA_CA_CERTS only at start, so without it
 * (pointing at <data>/ca.pem) this process prepares the data directory and certificate, then re-runs itself with it
 * set — so the Lambdas and any Node code inside trust the sandbox's TLS server.
 *
 * Output: start-up, warnings, errors, and one highlighted block per code or temporary password the user pool would
 * e-mail; each request, real-time connection, Lambda output and schedule run only with `--verbose` (offline/sandbox/log.ts).
 * Colour on a terminal only (offline/cli/command-line.mjs: never with NO_COLOR).
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { colorEnabled, highlightBlock, parseCommandLine, styles, usageError } from './command-line.mjs';
import { NOT_BACKEND_FOLDERS, projectPaths } from './project.mjs';
import type { LineLogger } from '../sandbox/log';
import { DEFAULT_PORTS } from '../sandbox/ports';
import { DATA_LAYOUT, prepareDataDirectory } from '../sandbox/data-directory';

const project = projectPaths();
const CDK_OUT = project.cdkOut;

export const COMMAND = {
  name: 'amplify-gen2-offline start',
  usage: 'amplify-gen2-offline start [options]',
  summary:
    'Runs the synthesized backend (.amplify/artifacts/cdk.out) on this machine: AppSync GraphQL + real-time over HTTPS/WSS, a\n' +
    'Cognito user pool, DynamoDB on disk, the Lambda functions and their schedules. Writes amplify_outputs.json, prints the\n' +
    'URLs, then "[sandbox] ready"; runs until Ctrl-C. `amplify-gen2-offline synth` first if there is no cdk.out yet.',
  options: {
    reset: { type: 'boolean', description: 'start from an empty data directory (users, items and signing keys are made anew; the local CA is kept)' },
    data: { type: 'string', valueName: 'dir', default: project.dataDirectory, defaultText: '.amplify/offline', description: 'where DynamoDB, the user pool, keys and the CA are kept' },
    host: { type: 'string', valueName: 'address', default: '127.0.0.1', description: 'loopback address the servers bind' },
    'appsync-port': { type: 'string', valueName: 'port', default: String(DEFAULT_PORTS.appsync), description: 'GraphQL + real-time (HTTPS/WSS) port; 0 picks a free one' },
    'cognito-port': { type: 'string', valueName: 'port', default: String(DEFAULT_PORTS.cognito), description: 'Cognito (HTTP) port; 0 picks a free one' },
    'console-port': { type: 'string', valueName: 'port', default: String(DEFAULT_PORTS.console), description: 'the console (HTTP, behind a secret printed in its URL); 0 picks a free one' },
    'no-console': { type: 'boolean', description: 'do not serve the console' },
    'console-host': {
      type: 'string',
      valueName: 'address',
      description: 'the console\'s address (default: --host when it is a loopback address, else 127.0.0.1); another interface shows everything the sandbox holds to whoever has the secret',
    },
    import: { type: 'string', valueName: 'dir', description: 'import a sandbox state (tables and users) exported earlier, before serving; with --reset, exactly that state' },
    'export-on-exit': { type: 'string', valueName: 'dir', description: 'on Ctrl-C / SIGTERM, export the sandbox state (every item and user) to this folder before stopping' },
    outputs: { type: 'string', valueName: 'file', default: project.outputsFile, defaultText: 'amplify_outputs.json', description: 'the client configuration to write' },
    'force-outputs': { type: 'boolean', description: 'replace an outputs file that ampx wrote for a deployed backend' },
    'cdk-out': { type: 'string', valueName: 'dir', default: CDK_OUT, defaultText: '.amplify/artifacts/cdk.out', description: 'the cloud assembly to serve' },
    watch: { type: 'boolean', description: 'on edits under the backend\'s folder, re-synthesize and reload in place (data kept)' },
    backend: { type: 'string', valueName: 'file', default: project.backend, defaultText: 'amplify/backend.ts', description: 'the backend entry point --watch synthesizes' },
    verbose: { type: 'boolean', description: 'also print each request, real-time connection and subscription, Lambda cold start and output, schedule run' },
  },
  environment: [
    { name: 'NO_COLOR', description: 'any non-empty value: no colour' },
    { name: 'FORCE_COLOR', description: 'colour even when the output is not a terminal (0 or false: never)' },
    { name: 'NODE_EXTRA_CA_CERTS', description: 'when it is <data>/ca.pem the sandbox runs in this process; otherwise the CLI re-runs itself with it set' },
  ],
  notes: ['Codes and temporary passwords the user pool would e-mail are printed as a highlighted block, with or without --verbose.'],
} as const;

const values = parseCommandLine(COMMAND, process.argv.slice(3));

function port(name: 'appsync-port' | 'cognito-port' | 'console-port'): number {
  const value = Number(values[name]);
  if (!/^\d+$/.test(values[name]) || value > 65535) return usageError(COMMAND, `--${name} must be a port number (0-65535), not '${values[name]}'`);
  return value;
}
const ports = { appsync: port('appsync-port'), cognito: port('cognito-port'), console: port('console-port') };

const dataDirectory = resolve(values.data);
const caPath = join(dataDirectory, DATA_LAYOUT.caFile);
const style = styles(colorEnabled(process.stdout));
const log: LineLogger = (line, level = 'info') => {
  if (level === 'debug' && !values.verbose) return;
  if (level === 'code') {
    // "[cognito] confirmation code for a@b.c: 123456": the line itself stays whole inside the block.
    const title = /^\[cognito\] (.+?) for /.exec(line)?.[1] ?? 'Cognito';
    for (const blockLine of highlightBlock(`${title} (Cognito would e-mail it)`, [line], style)) console.log(blockLine);
    return;
  }
  console.log(level === 'warn' ? style.yellow(line) : level === 'error' ? style.red(line) : level === 'debug' ? style.dim(line) : line);
};

/** Prepares the data directory (and the reset) here, then runs the sandbox in a child that trusts the CA. */
async function respawnTrustingCa(): Promise<never> {
  const { loadOrCreateCertificate } = await import('../tls/index.js');
  prepareDataDirectory(dataDirectory, values.reset);
  if (values.reset) log(`[sandbox] --reset: emptied ${dataDirectory}`);
  const certificate = await loadOrCreateCertificate(dataDirectory);
  if (certificate.outcome === 'created') log(`[sandbox] created a new local CA (${caPath}): \`npx amplify-gen2-offline trust\` installs it in your browsers`, 'warn');
  // The reset is done: the child must not empty the directory (and the CA it trusts) again.
  const args = process.argv.slice(1).filter((arg) => arg !== '--reset');
  const child = spawn(process.execPath, [...process.execArgv, ...args], {
    stdio: 'inherit',
    // The SDK's "upgrade Node" notice is not something to act on while developing locally.
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  // Ctrl-C reaches the child too (same process group); forward explicit signals, then wait for it.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise<never>(() => {
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  if (process.env.NODE_EXTRA_CA_CERTS !== caPath) await respawnTrustingCa();
  // Imported once the command line is known good, so that --help and usage errors answer at once.
  const [{ startSandbox }, { buildOutputs, writeOutputs }, { synthesizeWith, watchAndReload }, { rebuildFunctionBundles }] = await Promise.all([
    import('../sandbox/start-sandbox'),
    import('../sandbox/outputs'),
    import('../sandbox/reload-watcher'),
    import('../synth/function-reload.mjs'),
  ]);
  const state = await import('../sandbox/state');

  const sandbox = await startSandbox({
    cdkOut: resolve(values['cdk-out']),
    dataDirectory,
    reset: false,
    host: values.host,
    ports,
    console: !values['no-console'],
    ...(values['console-host'] ? { consoleHost: values['console-host'] } : {}),
    logger: log,
  });
  if (values.import !== undefined) {
    const directory = resolve(values.import);
    const report = await state.importState(sandbox, state.readStateDirectory(directory)).catch(async (error: unknown) => {
      await sandbox.close();
      throw error;
    });
    log(`[sandbox] imported ${directory}: ${report.tables.reduce((sum, t) => sum + t.items, 0)} items in ${report.tables.length} tables, ${report.users} users`);
  }
  let stopping = false;
  const exportOnExit = async (): Promise<void> => {
    if (values['export-on-exit'] === undefined) return;
    const directory = resolve(values['export-on-exit']);
    try {
      const exported = await state.exportState(sandbox);
      state.writeStateDirectory(directory, exported);
      log(`[sandbox] exported to ${directory}: ${exported.tables.reduce((sum, t) => sum + t.items.length, 0)} items, ${exported.users.length} users`);
    } catch (error) {
      log(`[sandbox] export to ${directory} failed: ${(error as Error).message}`, 'error');
    }
  };
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`[sandbox] ${signal}: stopping…`);
    exportOnExit().then(() => sandbox.close()).then(
      () => {
        log('[sandbox] stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('[sandbox] stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const outputsFor = (description: typeof sandbox.description) =>
    writeOutputs(resolve(values.outputs), buildOutputs(description, sandbox.urls), {
      force: values['force-outputs'],
    });
  const outcome = outputsFor(sandbox.description);
  log(`[sandbox] ${values.outputs}: ${outcome}`);
  if (outcome !== 'written') log('[sandbox] warning: the web app will use the deployed backend in that file (pass --force-outputs to replace it)', 'warn');

  log('');
  log(`  GraphQL   ${sandbox.urls.graphql}`);
  log(`  Realtime  ${sandbox.urls.realtime}`);
  log(`  Cognito   ${sandbox.urls.cognito}`);
  if (sandbox.urls.storage) log(`  Storage   ${sandbox.urls.storage}`);
  if (sandbox.console) {
    log(`  Console   ${sandbox.console.url}`);
    // Ready by the time someone opens it (a few seconds, only when the console's sources or packages changed).
    void sandbox.console.pages();
  }
  log(`  Data      ${dataDirectory}`);
  log(`  CA        ${sandbox.caPath}`);
  log(`            SHA-256 ${sandbox.caFingerprint256}`);
  log('  Browser   serve the app through the Vite plugin (amplify-gen2-offline/vite: one HTTPS origin); `npx amplify-gen2-offline trust` installs this CA in your browsers');
  log(`  Node clients: NODE_EXTRA_CA_CERTS=${sandbox.caPath}`);
  log('');
  if (values.watch) {
    const backend = resolve(values.backend);
    const watcher = watchAndReload({
      watchDirectory: dirname(backend),
      cdkOut: resolve(values['cdk-out']),
      synthesize: synthesizeWith(project.root, backend),
      // A change to function code only rebuilds that function's bundle as the synthesis would, without one.
      rebuildFunctions: (changedFiles, output) =>
        rebuildFunctionBundles({ projectRoot: project.root, backend, cdkOut: resolve(values['cdk-out']), output, changedFiles }),
      reload: (cdkOut) => sandbox.reload(cdkOut),
      ignoreFolders: NOT_BACKEND_FOLDERS,
      onReloaded: (report) => log(`[reload] ${values.outputs}: ${outputsFor(report.description)}`),
      logger: log,
    });
    process.on('exit', () => watcher.close());
  }
  log('[sandbox] ready');
}

main().catch((error: unknown) => {
  console.error(styles(colorEnabled(process.stderr)).red(`[sandbox] failed to start: ${error instanceof Error ? error.message : String(error)}`));
  process.exit(1);
});
