/**
 * `tsx offline/sandbox-cli.ts [--reset] [--data <dir>] [--host 127.0.0.1] [--appsync-port 20002] [--cognito-port 20001]
 *   [--outputs <file>] [--force-outputs] [--cdk-out <dir>] [--watch] [--backend amplify/backend.ts]`
 *
 * `--watch` (what `npm run dev` uses): edits under the backend's folder re-synthesize it and reload the running
 * sandbox without losing data (offline/reload-watcher.ts); amplify_outputs.json is rewritten after each reload.
 *
 * Starts the offline sandbox, writes amplify_outputs.json, prints the URLs and how to trust the local CA, prints
 * "[sandbox] ready", and runs until SIGINT/SIGTERM. Node reads NODE_EXTRA_CA_CERTS only at start, so without it
 * (pointing at <data>/ca.pem) this process prepares the data directory and certificate, then re-runs itself with it
 * set — so the Lambdas and any Node code inside trust the sandbox's TLS server.
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CDK_OUT, OUTPUTS_FILE, PROJECT_ROOT } from '../scripts/lib/paths.mjs';
import { buildOutputs, writeOutputs } from './outputs';
import { synthesizeWith, watchAndReload } from './reload-watcher';
import { DEFAULT_PORTS, startSandbox } from './sandbox';
import { DATA_LAYOUT, prepareDataDirectory } from './sandbox-data';
import { loadOrCreateCertificate } from './tls/certificate';

const { values } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    data: { type: 'string', default: join(PROJECT_ROOT, '.amplify', 'offline') },
    host: { type: 'string', default: '127.0.0.1' },
    'appsync-port': { type: 'string', default: String(DEFAULT_PORTS.appsync) },
    'cognito-port': { type: 'string', default: String(DEFAULT_PORTS.cognito) },
    outputs: { type: 'string', default: OUTPUTS_FILE },
    'force-outputs': { type: 'boolean', default: false },
    'cdk-out': { type: 'string', default: CDK_OUT },
    watch: { type: 'boolean', default: false },
    backend: { type: 'string', default: join(PROJECT_ROOT, 'amplify', 'backend.ts') },
  },
  strict: true,
});

const dataDirectory = resolve(values.data);
const caPath = join(dataDirectory, DATA_LAYOUT.caFile);
const log = (line: string) => console.log(line);

function port(name: 'appsync-port' | 'cognito-port'): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`--${name} must be a port number, not ${values[name]}`);
  return value;
}

/** Prepares the data directory (and the reset) here, then runs the sandbox in a child that trusts the CA. */
async function respawnTrustingCa(): Promise<never> {
  prepareDataDirectory(dataDirectory, values.reset);
  if (values.reset) log(`[sandbox] --reset: emptied ${dataDirectory}`);
  const certificate = await loadOrCreateCertificate(dataDirectory);
  if (certificate.outcome === 'created') log(`[sandbox] created a new local CA (${caPath}): trust it again in the browser (offline/tls/README.md)`);
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

  const sandbox = await startSandbox({
    cdkOut: resolve(values['cdk-out']),
    dataDirectory,
    reset: false,
    host: values.host,
    ports: { appsync: port('appsync-port'), cognito: port('cognito-port') },
    logger: log,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`[sandbox] ${signal}: stopping…`);
    sandbox.close().then(
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
    writeOutputs(resolve(values.outputs), buildOutputs(description, { graphql: sandbox.urls.graphql, cognito: sandbox.urls.cognito }), {
      force: values['force-outputs'],
    });
  const outcome = outputsFor(sandbox.description);
  log(`[sandbox] ${values.outputs}: ${outcome}`);
  if (outcome !== 'written') log('[sandbox] warning: the web app will use the deployed backend in that file (pass --force-outputs to replace it)');

  log('');
  log(`  GraphQL   ${sandbox.urls.graphql}`);
  log(`  Realtime  ${sandbox.urls.realtime}`);
  log(`  Cognito   ${sandbox.urls.cognito}`);
  log(`  Data      ${dataDirectory}`);
  log(`  CA        ${sandbox.caPath}`);
  log(`            SHA-256 ${sandbox.caFingerprint256}`);
  log('  The browser must trust this CA once for the GraphQL/real-time URLs (https/wss): see offline/tls/README.md.');
  log(`  Node clients: NODE_EXTRA_CA_CERTS=${sandbox.caPath}`);
  log('');
  if (values.watch) {
    const backend = resolve(values.backend);
    const watcher = watchAndReload({
      watchDirectory: dirname(backend),
      cdkOut: resolve(values['cdk-out']),
      synthesize: synthesizeWith(PROJECT_ROOT, backend),
      reload: (cdkOut) => sandbox.reload(cdkOut),
      onReloaded: (report) => log(`[reload] ${values.outputs}: ${outputsFor(report.description)}`),
      logger: log,
    });
    process.on('exit', () => watcher.close());
  }
  log('[sandbox] ready');
}

main().catch((error: unknown) => {
  console.error(`[sandbox] failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
