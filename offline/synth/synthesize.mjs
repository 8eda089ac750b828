/**
 * Synthesizes an Amplify Gen 2 backend entry point (e.g. amplify/backend.ts) into a cloud assembly the way ampx
 * does: the CDK CLI runs the entry point with tsx and the three context keys ampx sets (backend namespace, name and
 * type), with no cdk.json, no AWS credentials and no network. Both `amplify-gen2-offline synth` and a project's own
 * synthesis script call it; the sandbox's reload runs it into a staging folder.
 *
 * Faster than a plain `cdk synth`, with the same templates and bundles:
 * - an assembly whose synthesis key (synthesis-key.mjs: a hash of everything the synthesis depends on) matches the
 *   inputs is kept as it is: nothing runs;
 * - each function's esbuild bundle is reused when none of its inputs changed (bundle-cache.mjs), and esbuild runs
 *   without npx's start-up;
 * - CDK's built-in template validation (which only warns, and writes validation-report.json) is off
 *   (CDK_VALIDATION=false); `npm run validate:cfn` and the project's tests validate the templates.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startProgress } from '../cli/command-line.mjs';
import { backendNamespace } from '../cli/project.mjs';
import { BUNDLE_CACHE_VARIABLE, BUNDLE_LOG_VARIABLE, defaultBundleCache, pruneBundleCache } from './bundle-cache.mjs';
import { writeBundleIndex } from './function-reload.mjs';
import { SYNTHESIS_KEY_FILE, synthesisKey } from './synthesis-key.mjs';

const require = createRequire(import.meta.url);
const SHIM_DIRECTORY = fileURLToPath(new URL('./shim', import.meta.url));

/**
 * The options of a synthesis command, as `parseCommandLine` takes them: `amplify-gen2-offline synth` and a project's
 * own synthesis script offer the same ones (a project may add its own).
 * @param {{ cdkOut: string, backend: string }} defaults where the assembly goes and the entry point, by default
 */
export function synthesisOptions(defaults) {
  return /** @type {const} */ ({
    identifier: { type: 'string', valueName: 'name', description: 'a sandbox with this name (default: your user name), like `npx ampx sandbox --identifier`' },
    branch: { type: 'string', valueName: 'name', description: 'a branch deployment, like `ampx pipeline-deploy --branch <name>`' },
    quiet: { type: 'boolean', description: 'no CDK output and no start line: errors and the summary line only' },
    force: { type: 'boolean', description: 'synthesize even when nothing the last synthesis depended on changed, and bundle every function anew' },
    output: { type: 'string', valueName: 'dir', default: defaults.cdkOut, defaultText: '.amplify/artifacts/cdk.out', description: 'where to write the cloud assembly' },
    backend: { type: 'string', valueName: 'file', default: defaults.backend, defaultText: 'amplify/backend.ts', description: 'the backend entry point to synthesize' },
  });
}

/** A sandbox's default name, as ampx picks it: the user's name. */
export function defaultSandboxName() {
  return userInfo().username.replace(/[^A-Za-z0-9-]/g, '-');
}

/**
 * @typedef {object} SynthesisOptions
 * @property {string} projectRoot   the folder with the project's package.json (its name is the backend namespace)
 * @property {string} backend       the entry point to synthesize
 * @property {string} output        where to write the cloud assembly (emptied first)
 * @property {string} [type]        `sandbox` (default) or `branch` (as ampx pipeline-deploy), or what the backend accepts
 * @property {string} [name]        the sandbox or branch name (default: the user's name)
 * @property {boolean} [quiet]      keep the CDK's output (returned on failure) instead of printing it
 * @property {string} [commandName] how the progress line names the command (default `synth`)
 * @property {boolean} [force]      synthesize (and bundle every function) even when the assembly's key is current
 * @property {string[]} [environmentPrefixes] variables the backend reads at synthesis time, by prefix (part of the key)
 * @property {string} [bundleCache] where function bundles are cached (default `<projectRoot>/node_modules/.cache/amplify-gen2-offline/bundles`)
 *
 * @typedef {{ ok: true, seconds: number, templates: number, nested: number, type: string, name: string, cached: boolean }
 *   | { ok: false, status: string, output: string[], type: string, name: string }} SynthesisResult
 */

/**
 * @param {SynthesisOptions} options
 * @returns {Promise<SynthesisResult>}
 */
export async function synthesize(options) {
  const type = options.type ?? 'sandbox';
  const name = (options.name ?? defaultSandboxName()).replace(/[^A-Za-z0-9-]/g, '-');
  const output = resolve(options.output);
  const context = {
    'amplify-backend-namespace': backendNamespace(options.projectRoot),
    'amplify-backend-name': name,
    'amplify-backend-type': type,
  };
  const started = Date.now();
  const key = synthesisKey({ projectRoot: options.projectRoot, backend: options.backend, context, environmentPrefixes: options.environmentPrefixes });
  const keyFile = join(output, SYNTHESIS_KEY_FILE);
  if (!options.force && existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key) {
    return { ok: true, ...countTemplates(output), seconds: (Date.now() - started) / 1000, type, name, cached: true };
  }
  rmSync(output, { recursive: true, force: true });
  const bundleCache = resolve(options.bundleCache ?? defaultBundleCache(options.projectRoot));
  if (options.force) rmSync(bundleCache, { recursive: true, force: true });
  mkdirSync(bundleCache, { recursive: true });
  // Each function bundle of this synthesis, for the assembly's bundle index (the function-code reload).
  const bundleLog = join(bundleCache, `.log-${process.pid}-${Date.now()}.jsonl`);
  const cdk = require.resolve('aws-cdk/bin/cdk');
  // The project's own tsx when it has one (the backend's imports resolve from there either way).
  const projectTsx = join(options.projectRoot, 'node_modules', '.bin', 'tsx');
  const tsx = existsSync(projectTsx) ? projectTsx : `${process.execPath} ${require.resolve('tsx/cli')}`;
  const args = [
    cdk,
    'synth',
    '--app',
    `${tsx} ${options.backend}`,
    ...Object.entries(context).flatMap(([key, value]) => ['--context', `${key}=${value}`]),
    '--output',
    output,
    '--quiet',
    '--no-notices',
    '--no-version-reporting',
  ];
  const progress = startProgress(`${options.commandName ?? 'synth'}: synthesizing ${type} "${name}" from ${options.backend}`, { quiet: options.quiet });
  const cdkProcess = spawn(process.execPath, args, {
    cwd: options.projectRoot,
    env: {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      npm_config_update_notifier: 'false',
      CDK_VALIDATION: 'false',
      PATH: `${SHIM_DIRECTORY}${delimiter}${process.env.PATH ?? ''}`,
      [BUNDLE_CACHE_VARIABLE]: bundleCache,
      [BUNDLE_LOG_VARIABLE]: bundleLog,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** @type {string[]} */
  const cdkOutput = [];
  for (const stream of [cdkProcess.stdout, cdkProcess.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (options.quiet) cdkOutput.push(line);
      else progress.print(line);
    });
  }
  // Ctrl-C reaches the CDK process too (same process group): wait for it, with the ticking line erased.
  /** @param {NodeJS.Signals} signal */
  const forward = (signal) => {
    progress.done();
    cdkProcess.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  /** @type {{ code: number | null, signal: NodeJS.Signals | null }} */
  const { code, signal } = await new Promise((resolveExit) => {
    // 'close', not 'exit': every line of its output has been read by then.
    cdkProcess.on('close', (exitCode, exitSignal) => resolveExit({ code: exitCode, signal: exitSignal }));
  });
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  progress.done();
  if (code !== 0) {
    rmSync(bundleLog, { force: true });
    return { ok: false, status: signal ?? `exit ${code}`, output: cdkOutput, type, name };
  }
  writeBundleIndex(output, bundleLog);
  rmSync(bundleLog, { force: true });
  writeFileSync(keyFile, key);
  pruneBundleCache(bundleCache);
  return { ok: true, ...countTemplates(output), seconds: (Date.now() - started) / 1000, type, name, cached: false };
}

/** @param {string} output */
function countTemplates(output) {
  const templates = readdirSync(output).filter((f) => f.endsWith('.template.json'));
  return { templates: templates.length, nested: templates.filter((f) => f.includes('.nested.')).length };
}
