import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where ampx keeps the cloud assembly; we use the same place. */
export const CDK_OUT = join(PROJECT_ROOT, '.amplify', 'artifacts', 'cdk.out');
export const OUTPUTS_FILE = join(PROJECT_ROOT, 'amplify_outputs.json');

/** ampx uses package.json#name as the sandbox namespace. */
export function backendNamespace() {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  return String(pkg.name).replace(/[^A-Za-z0-9-]/g, '-');
}

/**
 * Folders directly under amplify/ that are not part of the backend: `seed/` holds the seed script (`ampx sandbox seed`,
 * `npm run dev -- --seed`), which the backend never imports. Editing them needs no synthesis and no reload.
 */
export const NOT_BACKEND_FOLDERS = new Set(['seed']);
