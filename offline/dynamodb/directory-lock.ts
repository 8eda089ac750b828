/**
 * An exclusive claim on a data directory, taken before dynalite opens LevelDB there. dynalite
 * throws from a callback (an uncaught exception that kills the process) when LevelDB cannot take
 * its own LOCK, e.g. when a second sandbox points at the same directory, so the conflict must be
 * detected first. The claim is a `offline-sandbox.lock` file holding the owner's pid, created with
 * O_EXCL; a claim whose process no longer exists (the sandbox was killed) is taken over.
 */
import { join, resolve } from 'node:path';
import { acquirePidLock } from '../sandbox/pid-lock';

const LOCK_FILE = 'offline-sandbox.lock';
const heldInThisProcess = new Set<string>();

export interface DirectoryLock {
  release(): void;
}

export function lockDataDirectory(directory: string): DirectoryLock {
  const absolute = resolve(directory);
  if (heldInThisProcess.has(absolute)) {
    throw new Error(`The DynamoDB data directory ${absolute} is already open in this process.`);
  }
  const release = acquirePidLock(
    join(absolute, LOCK_FILE),
    (owner) => `The DynamoDB data directory ${absolute} is in use by process ${owner}; stop that sandbox or choose another directory.`,
  );
  heldInThisProcess.add(absolute);
  return {
    release() {
      heldInThisProcess.delete(absolute);
      release();
    },
  };
}
