/**
 * An exclusive claim on a data directory, taken before dynalite opens LevelDB there. dynalite
 * throws from a callback (an uncaught exception that kills the process) when LevelDB cannot take
 * its own LOCK, e.g. when a second sandbox points at the same directory, so the conflict must be
 * detected first. The claim is a `offline-sandbox.lock` file holding the owner's pid, created with
 * O_EXCL; a claim whose process no longer exists (the sandbox was killed) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LOCK_FILE = 'offline-sandbox.lock';
const heldInThisProcess = new Set<string>();

export interface DirectoryLock {
  release(): void;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDirectory(directory: string): DirectoryLock {
  const absolute = resolve(directory);
  const file = join(absolute, LOCK_FILE);
  if (heldInThisProcess.has(absolute)) {
    throw new Error(`The DynamoDB data directory ${absolute} is already open in this process.`);
  }
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldInThisProcess.add(absolute);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          heldInThisProcess.delete(absolute);
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && processExists(owner)) {
        throw new Error(
          `The DynamoDB data directory ${absolute} is in use by process ${owner}; stop that sandbox or choose another directory.`,
          { cause: error },
        );
      }
      rmSync(file, { force: true }); // stale: its owner was killed
    }
  }
  throw new Error(`Could not lock the DynamoDB data directory ${absolute}.`);
}
