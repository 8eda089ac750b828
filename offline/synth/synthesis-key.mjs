/**
 * The synthesis key: one hash of everything a synthesis of the backend depends on. synthesize() writes it into the
 * assembly it made (SYNTHESIS_KEY_FILE) and keeps an assembly whose key matches as it is, so a start with an unchanged
 * backend runs no synthesis. Its inputs:
 * - every file under the entry point's folder (amplify/), by path and content, but node_modules and the folders that
 *   are not the backend (NOT_BACKEND_FOLDERS);
 * - the project's package.json and package-lock.json (dependency versions), and tsconfig.json when there is one;
 * - the versions of Node, the CDK CLI and library, Amplify's backend packages, esbuild and tsx that would run;
 * - the synthesis code itself (this folder);
 * - the context ampx passes (namespace, name, type) and the entry point;
 * - the environment variables the backend may read at synthesis time: those starting with one of
 *   `environmentPrefixes` (a project names its own, e.g. CHAT_APP_), plus AMPLIFY_*, CDK_*, AWS_REGION,
 *   AWS_DEFAULT_REGION, NODE_ENV and NODE_OPTIONS.
 * A change anywhere else (a file outside amplify/ that the backend imports, say) is not seen: `--force` synthesizes anyway.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOT_BACKEND_FOLDERS } from '../cli/project.mjs';

/** The file in an assembly that holds the key it was synthesized with. */
export const SYNTHESIS_KEY_FILE = 'offline-synthesis-key';

const SYNTH_CODE_DIRECTORY = dirname(fileURLToPath(import.meta.url));
const ALWAYS_PREFIXES = ['AMPLIFY_', 'CDK_'];
const ALWAYS_NAMES = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION', 'NODE_ENV', 'NODE_OPTIONS']);
/** Set by synthesize() for the synthesis it runs; not an input. */
const NOT_INPUTS = new Set(['CDK_VALIDATION', 'CDK_DISABLE_CLI_TELEMETRY', 'AMPLIFY_OFFLINE_BUNDLE_CACHE']);
const PACKAGES = ['aws-cdk', 'aws-cdk-lib', '@aws-amplify/backend', '@aws-amplify/backend-function', '@aws-amplify/backend-data', 'esbuild', 'tsx'];

/**
 * @param {import('node:crypto').Hash} hash
 * @param {string} root
 * @param {string} directory
 * @param {(relativePath: string) => boolean} skip
 */
function hashTree(hash, root, directory, skip) {
  const entries = readdirSync(directory, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(directory, entry.name);
    const name = relative(root, path).split('\\').join('/');
    if (entry.name === 'node_modules' || skip(name)) continue;
    if (entry.isDirectory()) hashTree(hash, root, path, skip);
    else if (entry.isFile()) hash.update(`file ${name}\0`).update(readFileSync(path)).update('\0');
  }
}

/** @param {string} projectRoot @param {string} name */
function packageVersion(projectRoot, name) {
  for (const from of [join(projectRoot, 'package.json'), fileURLToPath(import.meta.url)]) {
    try {
      return `${name}@${createRequire(from)(`${name}/package.json`).version}`;
    } catch {
      // not resolvable from there
    }
  }
  return `${name}@none`;
}

/**
 * @param {{ projectRoot: string, backend: string, context: Record<string, string>, environmentPrefixes?: string[],
 *   environment?: NodeJS.ProcessEnv }} options
 * @returns {string} a hex SHA-256
 */
export function synthesisKey(options) {
  const projectRoot = resolve(options.projectRoot);
  const backend = resolve(projectRoot, options.backend);
  const hash = createHash('sha256');
  hash.update(`node ${process.version}\0context ${JSON.stringify(options.context)}\0entry ${relative(projectRoot, backend)}\0`);
  const backendDirectory = dirname(backend);
  hashTree(hash, backendDirectory, backendDirectory, (name) => !name.includes('/') && NOT_BACKEND_FOLDERS.has(name));
  for (const file of ['package.json', 'package-lock.json', 'tsconfig.json']) {
    const path = join(projectRoot, file);
    if (existsSync(path)) hash.update(`project ${file}\0`).update(readFileSync(path)).update('\0');
  }
  for (const name of PACKAGES) hash.update(`${packageVersion(projectRoot, name)}\0`);
  hashTree(hash, SYNTH_CODE_DIRECTORY, SYNTH_CODE_DIRECTORY, (name) => name.endsWith('.test.ts'));
  const prefixes = [...ALWAYS_PREFIXES, ...(options.environmentPrefixes ?? [])];
  const environment = options.environment ?? process.env;
  const variables = Object.keys(environment)
    .filter((name) => !NOT_INPUTS.has(name) && (ALWAYS_NAMES.has(name) || prefixes.some((prefix) => name.startsWith(prefix))))
    .sort();
  for (const name of variables) hash.update(`env ${name}=${environment[name]}\0`);
  return hash.digest('hex');
}
