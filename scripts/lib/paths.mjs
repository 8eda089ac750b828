/** This project's places (the engine package defines where a Gen 2 project keeps them: amplify-gen2-offline/project). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendNamespace as namespaceOf, NOT_BACKEND_FOLDERS, projectPaths } from 'amplify-gen2-offline/project';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const paths = projectPaths(PROJECT_ROOT);
/** Where ampx keeps the cloud assembly; we use the same place. */
export const CDK_OUT = paths.cdkOut;
export const OUTPUTS_FILE = paths.outputsFile;

/** ampx uses package.json#name as the sandbox namespace. */
export function backendNamespace() {
  return namespaceOf(PROJECT_ROOT);
}

export { NOT_BACKEND_FOLDERS };
