/**
 * An exclusive claim on a file path for one process: a lock file created with O_EXCL that holds
 * the owner's pid. A lock whose process no longer exists (a sandbox killed with SIGKILL) is stale
 * and taken over. Used so two sandboxes never open the same data (dynalite and the user pool file
 * would each silently lose one writer's changes).
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates `file` holding this process's pid, or throws the error `inUse(ownerPid)` describes when a
 * live process holds it. Returns the release function (idempotent).
 */
export function acquirePidLock(file: string, inUse: (ownerPid: number) => string): () => void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(owner) && processExists(owner)) throw new Error(inUse(owner), { cause: error });
      rmSync(file, { force: true }); // stale: its owner was killed
    }
  }
  throw new Error(`Could not lock ${file}`);
}
