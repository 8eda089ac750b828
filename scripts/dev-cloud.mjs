#!/usr/bin/env node
/**
 * `npm run dev:cloud [-- options] [-- <vite options>]`: your own cloud sandbox on AWS plus the web client.
 *
 * Runs `npx ampx sandbox` (a personal copy of the backend in your AWS account, redeployed on every save under
 * amplify/; ampx writes amplify_outputs.json after each deployment) and, once amplify_outputs.json describes the
 * deployed backend, starts Vite with it. Ctrl-C stops both; the sandbox stays deployed until
 * `npx ampx sandbox delete` (run with the same --identifier/--profile). Prerequisites and costs: docs/deploy.md.
 *
 * Options (everything else, or everything after `--`, goes to Vite):
 *   --profile NAME          AWS profile (ampx --profile); default: AWS_PROFILE or the default profile
 *   --identifier NAME       sandbox name (ampx --identifier, 1-15 of [a-zA-Z0-9-]); default: your OS user name
 *   --region REGION         AWS region (sets AWS_REGION); default: CHAT_APP_REGION, then AWS_REGION, then the profile's
 *   --stream-function-logs  stream the functions' logs into this terminal (ampx option)
 *
 * Exit codes: 0 after Ctrl-C; 2 usage error; the ampx or Vite exit code when either stops on its own (1 if killed).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUTS = 'amplify_outputs.json';
const POLL_MS = 500;

/**
 * @param {string} [message]
 * @returns {never}
 */
function usage(message) {
  if (message) console.error(`[dev:cloud] ${message}`);
  console.error('usage: npm run dev:cloud [-- --profile NAME] [--identifier NAME] [--region REGION] [--stream-function-logs] [-- <vite options>]');
  process.exit(message ? 2 : 0);
}

/** @param {string[]} argv */
function parse(argv) {
  /** @type {string[]} */
  const ampx = [];
  /** @type {string[]} */
  const vite = [];
  let region = process.env.CHAT_APP_REGION?.trim() || undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = /** @type {string} */ (argv[i]);
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) usage(`${arg} needs a value`);
      i += 1;
      return /** @type {string} */ (next);
    };
    if (arg === '--') {
      vite.push(...argv.slice(i + 1));
      break;
    } else if (arg === '-h' || arg === '--help') {
      usage();
    } else if (arg === '--profile') {
      ampx.push('--profile', value());
    } else if (arg === '--identifier') {
      const identifier = value();
      if (!/^[a-zA-Z0-9-]{1,15}$/.test(identifier)) usage(`--identifier ${identifier}: 1-15 characters of a-z, A-Z, 0-9 and '-' (an ampx rule)`);
      ampx.push('--identifier', identifier);
    } else if (arg === '--region') {
      region = value();
    } else if (arg === '--stream-function-logs') {
      ampx.push(arg);
    } else {
      vite.push(arg);
    }
  }
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) usage(`${region} is not an AWS region name (for example us-east-1)`);
  return { ampx, vite, region };
}

/**
 * Whether the file is amplify_outputs.json for a deployed backend: ampx writes a placeholder with only `version`
 * before the first deployment, and the offline sandbox's file is marked `custom.offline`.
 * @param {string} path
 */
function describesDeployedBackend(path) {
  try {
    const outputs = JSON.parse(readFileSync(path, 'utf8'));
    return Boolean(outputs && (outputs.auth || outputs.data) && !outputs.custom?.offline);
  } catch {
    return false;
  }
}

/** @param {string} path */
function signature(path) {
  if (!existsSync(path)) return 'missing';
  const stat = statSync(path);
  return `${stat.mtimeMs}:${stat.size}:${readFileSync(path, 'utf8')}`;
}

const projectDir = process.cwd();
if (!existsSync(join(projectDir, 'amplify', 'backend.ts'))) {
  usage(`run this from the project root (no amplify/backend.ts in ${projectDir}); npm run dev:cloud does`);
}
const { ampx, vite: viteArgs, region } = parse(process.argv.slice(2));
const env = { ...process.env };
if (region) {
  env.AWS_REGION = region;
  env.AWS_DEFAULT_REGION = region;
}
const outputsPath = join(projectDir, OUTPUTS);
const before = signature(outputsPath);

console.log(`[dev:cloud] deploying your cloud sandbox with \`npx ampx sandbox ${ampx.join(' ')}\`${region ? ` in ${region}` : ''} (first deployment: several minutes)…`);
const sandbox = spawn('npx', ['ampx', 'sandbox', ...ampx], { cwd: projectDir, env, stdio: ['ignore', 'inherit', 'inherit'] });

/** @type {import('node:child_process').ChildProcess | undefined} */
let vite;
let stopping = false;
let exitCode = 0;
let lastSeen = before;

const poll = setInterval(() => {
  const now = signature(outputsPath);
  if (now === lastSeen) return;
  lastSeen = now;
  if (!describesDeployedBackend(outputsPath)) return;
  if (vite) {
    console.log(`[dev:cloud] ${OUTPUTS} updated by ampx (redeployed); Vite reloads the page`);
    return;
  }
  if (!stopping) startVite();
}, POLL_MS);

function startVite() {
  console.log(`[dev:cloud] ${OUTPUTS} points at your cloud sandbox; starting the client (Vite)…`);
  vite = spawn('npx', ['vite', ...viteArgs], { cwd: projectDir, env, stdio: 'inherit' });
  vite.on('exit', (code, signal) => {
    if (stopping) return maybeExit();
    console.error(`[dev:cloud] Vite stopped (${signal ?? `exit code ${code}`}); stopping the sandbox watcher…`);
    stop(code || 1);
  });
}

function maybeExit() {
  const done = (/** @type {import('node:child_process').ChildProcess | undefined} */ child) =>
    !child || child.exitCode !== null || child.signalCode !== null;
  if (done(sandbox) && done(vite)) {
    clearInterval(poll);
    console.log('[dev:cloud] stopped. Your cloud sandbox is still deployed: `npx ampx sandbox delete` removes it.');
    console.log(`[dev:cloud] ${OUTPUTS} still points at it; \`npm run dev\` keeps using it until you delete that file.`);
    process.exit(exitCode);
  }
}

/** @param {number} code */
function stop(code) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  for (const child of [sandbox, vite]) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  }
  maybeExit();
}

sandbox.on('error', (error) => {
  console.error(`[dev:cloud] could not run npx: ${error.message}`);
  stop(1);
});
sandbox.on('exit', (code, signal) => {
  if (stopping) return maybeExit();
  console.error(
    vite
      ? `[dev:cloud] ampx sandbox stopped (${signal ?? `exit code ${code}`}); stopping Vite…`
      : `[dev:cloud] ampx sandbox stopped before deploying (${signal ?? `exit code ${code}`}): check the messages above ` +
          '(credentials: --profile or `aws sso login`; region: --region; CDK bootstrap) and docs/deploy.md#troubleshooting',
  );
  stop(code || 1);
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) process.on(signal, () => stop(0));
