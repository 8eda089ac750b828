/**
 * The console pages' sources and their fingerprint, shared by the build (build-ui.mjs) and the server
 * (ui-bundle.ts): a prebuilt copy of the pages (what the published package ships) is used only while it was built
 * from the sources beside it.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_FOLDER = fileURLToPath(new URL('.', import.meta.url));
export const UI_SOURCES = join(CONSOLE_FOLDER, 'ui');
/** Where `npm pack` puts the pages built from the sources (see build-ui.mjs --prebuilt). */
export const PREBUILT = join(CONSOLE_FOLDER, 'prebuilt');
/** The sources' fingerprint a prebuilt copy was made from. */
export const PREBUILT_FINGERPRINT = 'sources-fingerprint.txt';

/** @param {string} folder @returns {string[]} */
function filesUnder(folder) {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** A fingerprint of the pages' sources and the build script. */
export function sourcesFingerprint() {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(UI_SOURCES), join(CONSOLE_FOLDER, 'build-ui.mjs')]) {
    hash.update(relative(CONSOLE_FOLDER, file).split('\\').join('/')).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
