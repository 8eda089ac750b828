/**
 * Where an Amplify Gen 2 project keeps what the sandbox reads and writes, relative to the project's root (the
 * folder with its package.json; the command line uses the current directory). The same places ampx uses.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * @param {string} [root] the project's root (default: the current directory)
 */
export function projectPaths(root = process.cwd()) {
  const absolute = resolve(root);
  return {
    root: absolute,
    /** The backend's entry point. */
    backend: join(absolute, 'amplify', 'backend.ts'),
    /** Where ampx keeps the cloud assembly; the sandbox serves it from there. */
    cdkOut: join(absolute, '.amplify', 'artifacts', 'cdk.out'),
    /** The client configuration the sandbox writes. */
    outputsFile: join(absolute, 'amplify_outputs.json'),
    /** The sandbox's data: DynamoDB, the user pool, keys and the local CA. */
    dataDirectory: join(absolute, '.amplify', 'offline'),
  };
}

/**
 * ampx uses package.json#name as the backend namespace (the `amplify-backend-namespace` context key).
 * @param {string} [root]
 */
export function backendNamespace(root = process.cwd()) {
  const pkg = JSON.parse(readFileSync(join(resolve(root), 'package.json'), 'utf8'));
  return String(pkg.name).replace(/[^A-Za-z0-9-]/g, '-');
}

/**
 * Folders directly under amplify/ that are not part of the backend: `seed/` holds the seed script (`ampx sandbox seed`),
 * which the backend never imports. Editing them needs no synthesis and no reload.
 */
export const NOT_BACKEND_FOLDERS = new Set(['seed']);
