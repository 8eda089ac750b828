import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IdleReleaseRule } from './idle-memory';

describe('IdleReleaseRule', () => {
  it('releases once the process has stayed idle long enough after enough work, then waits for more work', () => {
    const rule = new IdleReleaseRule(15_000, 1_000);
    // A busy burst: 3 windows of 5 s, 80% busy.
    for (let i = 0; i < 3; i += 1) expect(rule.next(5_000, 4_000)).toBe(false);
    // Idle windows (below 2% busy): due once 15 s of them have passed.
    expect(rule.next(5_000, 10)).toBe(false);
    expect(rule.next(5_000, 10)).toBe(false);
    expect(rule.next(5_000, 10)).toBe(true);
    rule.released();
    // Still idle, but no work since: nothing more to give back.
    for (let i = 0; i < 10; i += 1) expect(rule.next(5_000, 10)).toBe(false);
  });

  it('starts counting the idle time again after any busy window', () => {
    const rule = new IdleReleaseRule(15_000, 1_000);
    expect(rule.next(5_000, 2_000)).toBe(false);
    expect(rule.next(5_000, 10)).toBe(false);
    expect(rule.next(5_000, 10)).toBe(false);
    // 10% busy: not idle; the 10 s already idle do not count any more.
    expect(rule.next(5_000, 500)).toBe(false);
    expect(rule.next(5_000, 10)).toBe(false);
    expect(rule.next(5_000, 10)).toBe(false);
    expect(rule.next(5_000, 10)).toBe(true);
  });

  it('never releases a process that did next to nothing', () => {
    const rule = new IdleReleaseRule(15_000, 1_000);
    // 50 ms of work a minute (a quiet sandbox's keep-alives): 1 s of work takes 20 minutes to add up.
    for (let i = 0; i < 12; i += 1) expect(rule.next(5_000, 4)).toBe(false);
  });
});

describe('lastResortCollection', () => {
  it("hands back the pages V8 keeps after an ordinary full collection (this Node's own behaviour)", () => {
    // A fresh process on the Node running the tests (the sandbox's): 300 MiB of short-lived objects, then an ordinary
    // full collection, then the last-resort one. RSS in MiB after each.
    const script = `
      import { lastResortCollection } from ${JSON.stringify(fileURLToPath(new URL('./idle-memory.ts', import.meta.url)))};
      let garbage = [];
      for (let i = 0; i < 2_000_000; i += 1) garbage.push({ a: i, b: 'x' + i, c: [i] });
      garbage = null;
      globalThis.gc();
      const afterFull = process.memoryUsage.rss();
      const collected = lastResortCollection();
      const afterLastResort = process.memoryUsage.rss();
      console.log(JSON.stringify({ collected, afterFull: afterFull / 1048576, afterLastResort: afterLastResort / 1048576, gcVisible: typeof globalThis.gc }));
    `;
    const output = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const result = JSON.parse(output) as { collected: boolean; afterFull: number; afterLastResort: number };
    expect(result.collected).toBe(true);
    // Whatever the ordinary collection left resident, the last-resort one leaves the process near its baseline.
    expect(result.afterLastResort).toBeLessThan(150);
    expect(result.afterLastResort).toBeLessThanOrEqual(result.afterFull);
  });

  it('gives no context of this process a `gc` global', () => {
    const script = `
      import vm from 'node:vm';
      import { lastResortCollection } from ${JSON.stringify(fileURLToPath(new URL('./idle-memory.ts', import.meta.url)))};
      lastResortCollection();
      console.log(JSON.stringify({ main: typeof globalThis.gc, realm: vm.runInNewContext('typeof gc') }));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual({ main: 'undefined', realm: 'undefined' });
  });
});

describe('trimNativeHeap', () => {
  it.runIf(process.platform === 'linux')('gives back the native heap that freed buffers left resident between live ones', () => {
    // 100 MiB of small malloc-backed buffers, one in a thousand kept: glibc cannot return the free pages between the
    // kept ones by itself; malloc_trim(0) can. RSS in MiB after the free and after the trim.
    const script = `
      import { trimNativeHeap } from ${JSON.stringify(fileURLToPath(new URL('./idle-memory.ts', import.meta.url)))};
      let buffers = [];
      for (let i = 0; i < 200_000; i += 1) buffers.push(Buffer.allocUnsafeSlow(500).fill(1));
      const kept = buffers.filter((_, i) => i % 1000 === 999);
      buffers = null;
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 50));
      globalThis.gc();
      const afterFree = process.memoryUsage.rss();
      const trimmed = trimNativeHeap();
      const afterTrim = process.memoryUsage.rss();
      console.log(JSON.stringify({ trimmed, kept: kept.length, afterFree: afterFree / 1048576, afterTrim: afterTrim / 1048576 }));
    `;
    const output = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
    const result = JSON.parse(output) as { trimmed: boolean; kept: number; afterFree: number; afterTrim: number };
    expect(result.trimmed).toBe(true);
    expect(result.kept).toBe(200);
    expect(result.afterFree - result.afterTrim).toBeGreaterThan(50);
  });
});

describe('releaseMappedFiles', () => {
  it.runIf(process.platform === 'linux')("takes the pages LevelDB's mapped table files left resident out of the process, and the data reads back the same", () => {
    // A fresh process opens a LevelDB database (the one dynalite keeps DynamoDB in on disk) in a directory of its own,
    // writes 40 MiB that snappy cannot compress, reopens it so that everything is in table files, and reads it all: the
    // tables are mapped and the pages read stay resident. MiB resident in mappings under the directory, before and
    // after the release; then everything is read again.
    const script = `
      import { createHash, randomBytes } from 'node:crypto';
      import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
      import { createRequire } from 'node:module';
      import { tmpdir } from 'node:os';
      import { join } from 'node:path';
      import { releaseMappedFiles } from ${JSON.stringify(fileURLToPath(new URL('./idle-memory.ts', import.meta.url)))};
      const { Level } = createRequire(${JSON.stringify(fileURLToPath(import.meta.resolve('dynalite/package.json')))})('level');
      const directory = realpathSync(mkdtempSync(join(tmpdir(), 'idle-memory-')));
      const residentUnder = () => {
        let kib = 0;
        let inside = false;
        for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\\n')) {
          if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inside = line.includes(directory + '/');
          else if (inside && line.startsWith('Rss:')) kib += Number(line.split(/\\s+/)[1]);
        }
        return kib / 1024;
      };
      const digest = async (db) => {
        const hash = createHash('sha256');
        for await (const [key, value] of db.iterator()) hash.update(key).update(value);
        return hash.digest('hex');
      };
      try {
        let db = new Level(directory, { valueEncoding: 'buffer' });
        for (let batch = 0; batch < 100; batch += 1) {
          await db.batch(Array.from({ length: 100 }, (_, i) => ({ type: 'put', key: String(batch * 100 + i).padStart(8, '0'), value: randomBytes(4096) })));
        }
        await db.close();
        db = new Level(directory, { valueEncoding: 'buffer' });
        await db.open();
        const written = await digest(db);
        const before = residentUnder();
        const advised = releaseMappedFiles([directory]) / 1048576;
        const after = residentUnder();
        const readBack = await digest(db);
        await db.close();
        console.log(JSON.stringify({ before, advised, after, same: written === readBack }));
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const result = JSON.parse(output) as { before: number; advised: number; after: number; same: boolean };
    expect(result.before).toBeGreaterThan(30);
    expect(result.advised).toBeGreaterThanOrEqual(result.before);
    expect(result.after).toBeLessThan(result.before / 10);
    expect(result.same).toBe(true);
  });
});
