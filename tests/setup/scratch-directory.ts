/**
 * vitest global setup: one scratch directory per test run, removed when the run ends.
 *
 * Tests and the sandboxes they start make temporary directories (data directories, certificates, Lambda environments,
 * browser profiles) with `os.tmpdir()`, and some of them outlive their test. Pointing TMPDIR at a directory of this run
 * (vitest forks its test processes after global setup, with this process's environment; every child they start
 * inherits it) keeps all of them in one place, which the teardown deletes, so repeated runs leave nothing behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const scratch = mkdtempSync(join(tmpdir(), 'realtime-chat-tests-'));
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) process.env[name] = scratch;
  return () => rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
}
