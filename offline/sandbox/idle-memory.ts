/**
 * Gives memory back to the system once a process has gone idle after work.
 *
 * Node 24's V8 keeps the pages its heap frees in a pool, still resident, and hands them back to the system only on a
 * last-resort collection (what it runs under memory pressure). A process that served a burst would otherwise keep the
 * RSS of its busiest moment for as long as it runs: after a loaded benchmark step the sandbox's heap in use was back
 * where it started while its RSS stayed 100–250 MiB higher. (Node 20's V8 returned them at every full collection.)
 *
 * `releaseMemoryWhenIdle` reads the process's event-loop utilization every `checkMs`; once it has stayed below
 * IDLE_UTILIZATION for `idleMs`, after at least `busyMs` of event-loop work since the last release, it runs one
 * last-resort collection (some tens of milliseconds for a heap of 100–200 MiB), then trims the native heap.
 *
 * The native heap: what native code allocates with `malloc` (Node's buffers, OpenSSL, LevelDB's blocks, V8's own
 * bookkeeping) goes back to glibc's arenas when freed, and glibc returns only the top of an arena to the system by itself.
 * The free pages in between stay resident: about 100 MiB of the sandbox's RSS after a 10-minute benchmark soak.
 * `malloc_trim(0)` gives back every whole free page (https://man7.org/linux/man-pages/man3/malloc_trim.3.html). Node
 * has no binding for it, so it is called through koffi, an FFI package whose prebuilt binaries come from npm. Where
 * either is missing (macOS, Windows, musl, an install without the optional koffi) the trim is skipped.
 *
 * Files mapped into memory: LevelDB (DynamoDB on disk) reads its table files through read-only shared mappings, and
 * every page it has read stays in the process's RSS for as long as the table is open: +167 MiB after a 10-minute
 * benchmark soak, growing with the data read. They are clean copies of the files, which the kernel could drop at any
 * time, but they are counted as the sandbox's own. A release also asks the kernel to reclaim the pages of the mappings
 * under `mappedFilesUnder` (`madvise(MADV_PAGEOUT)`, Linux 5.4+, https://man7.org/linux/man-pages/man2/madvise.2.html):
 * a later read faults them back in from the page cache or the file. MADV_PAGEOUT, not MADV_DONTNEED: if LevelDB unmapped
 * a table between the read of /proc/self/maps and the call, and the range was reused by an anonymous mapping, the
 * advice must not zero it; MADV_PAGEOUT only ever moves pages out, so the worst case is a page read back in.
 *
 * Used by the sandbox process and by each Lambda execution environment (offline/lambda/worker.ts), on every Node the
 * environments run on: builtins, and koffi loaded on the first release only.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

/** Below this share of busy event loop a process counts as idle (a quiet sandbox is near 0.001). */
const IDLE_UTILIZATION = 0.02;

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;

let gcFunction: GcFunction | null | undefined;

/**
 * V8's collection function, taken from a fresh context with `--expose-gc` on only for that moment: no global of this
 * process's contexts (resolver realms included) gets a `gc`. Undefined where the flag cannot be set.
 */
function collector(): GcFunction | undefined {
  if (gcFunction === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gcFunction = vm.runInNewContext('gc') as GcFunction;
    } catch {
      gcFunction = null;
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  return gcFunction ?? undefined;
}

/**
 * One last-resort collection now: every unreachable object is freed and V8's pooled pages are handed back. False when
 * this Node offers no collection function.
 */
export function lastResortCollection(): boolean {
  const gc = collector();
  if (!gc) return false;
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return true;
}

interface Koffi {
  load(path: string): { func(signature: string): (...args: number[]) => number };
}

/** glibc's libc through koffi, once; null where it cannot be loaded (not Linux with glibc, or koffi not installed). */
let libc: ReturnType<Koffi['load']> | null | undefined;

function glibc(): ReturnType<Koffi['load']> | null {
  if (libc === undefined) {
    libc = null;
    if (process.platform === 'linux') {
      try {
        libc = (createRequire(import.meta.url)('koffi') as Koffi).load('libc.so.6');
      } catch {
        // musl has no libc.so.6; koffi is optional.
      }
    }
  }
  return libc;
}

const glibcFunctions = new Map<string, ((...args: number[]) => number) | null>();

/** A function of glibc by its C signature, looked up once; null where it cannot be called (see `glibc`). */
function glibcFunction(signature: string): ((...args: number[]) => number) | null {
  let found = glibcFunctions.get(signature);
  if (found === undefined) {
    found = null;
    try {
      found = glibc()?.func(signature) ?? null;
    } catch {
      // A libc.so.6 without it.
    }
    glibcFunctions.set(signature, found);
  }
  return found;
}

/**
 * glibc's `malloc_trim(0)`: every whole free page of the native heap back to the system. False where it cannot be called
 * (not Linux with glibc, or koffi not installed).
 */
export function trimNativeHeap(): boolean {
  const mallocTrim = glibcFunction('int malloc_trim(size_t pad)');
  if (!mallocTrim) return false;
  mallocTrim(0);
  return true;
}

const MADV_PAGEOUT = 21;

/** One file mapping of /proc/self/maps: its address range and the file it maps. */
interface Mapping {
  start: number;
  end: number;
  path: string;
}

function fileMappings(): Mapping[] {
  let text: string;
  try {
    text = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return [];
  }
  const mappings: Mapping[] = [];
  for (const line of text.split('\n')) {
    // start-end perms offset dev inode [path]; a file deleted while mapped ends with " (deleted)".
    const match = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (!match || !match[3]!.startsWith('/')) continue;
    mappings.push({ start: parseInt(match[1]!, 16), end: parseInt(match[2]!, 16), path: match[3]!.replace(/ \(deleted\)$/, '') });
  }
  return mappings;
}

/**
 * Asks the kernel to reclaim the resident pages of every file mapping under one of `directories` (real paths, as
 * /proc/self/maps names them). Returns the bytes of the mappings advised, or null where it cannot be done (not Linux
 * with glibc, or koffi not installed).
 */
export function releaseMappedFiles(directories: readonly string[]): number | null {
  const madvise = glibcFunction('int madvise(uintptr_t addr, size_t length, int advice)');
  if (!madvise) return null;
  const prefixes = directories.map((directory) => (directory.endsWith('/') ? directory : `${directory}/`));
  let advised = 0;
  for (const { start, end, path } of fileMappings()) {
    if (!prefixes.some((prefix) => path.startsWith(prefix))) continue;
    // Fails harmlessly (EINVAL on a kernel before 5.4, ENOMEM for a range unmapped meanwhile).
    if (madvise(start, end - start, MADV_PAGEOUT) === 0) advised += end - start;
  }
  return advised;
}

/**
 * A last-resort collection, then the native heap trimmed, then the pages of the files mapped under `mappedFilesUnder`
 * reclaimed: what a release does.
 */
export function releaseMemoryNow(mappedFilesUnder: readonly string[] = []): { collected: boolean; trimmed: boolean } {
  const collected = lastResortCollection();
  const trimmed = trimNativeHeap();
  if (mappedFilesUnder.length > 0) releaseMappedFiles(mappedFilesUnder);
  return { collected, trimmed };
}

export interface IdleMemoryOptions {
  /** How often the event loop's utilization is read (default 5 s). */
  checkMs?: number;
  /** How long the process must stay idle before a release (default 15 s). */
  idleMs?: number;
  /** Event-loop work since the last release below which nothing is released (default 1 s): an idle process is left alone. */
  busyMs?: number;
  /** Directories whose files' mapped pages a release also gives back (the sandbox's DynamoDB tables on disk). */
  mappedFilesUnder?: readonly string[];
  /** After each release: RSS before and after, bytes. */
  onRelease?: (rssBefore: number, rssAfter: number) => void;
}

export interface IdleMemoryRelease {
  /** How many releases ran. */
  readonly releases: number;
  stop(): void;
}

/** When to release, apart from timers and clocks: fed each window's event-loop figures in turn. */
export class IdleReleaseRule {
  private busySinceRelease = 0;
  private idleFor = 0;
  private readonly idleMs: number;
  private readonly busyMs: number;

  // No parameter properties: Lambda environments load this file with Node's type stripping (offline/lambda/worker.ts).
  constructor(idleMs: number, busyMs: number) {
    this.idleMs = idleMs;
    this.busyMs = busyMs;
  }

  /** One window of `elapsedMs` of which the event loop was busy `activeMs`: true when a release is due now. */
  next(elapsedMs: number, activeMs: number): boolean {
    this.busySinceRelease += activeMs;
    if (activeMs > IDLE_UTILIZATION * elapsedMs) {
      this.idleFor = 0;
      return false;
    }
    this.idleFor += elapsedMs;
    return this.idleFor >= this.idleMs && this.busySinceRelease >= this.busyMs;
  }

  /** A release ran: the next one waits for `busyMs` more work. */
  released(): void {
    this.busySinceRelease = 0;
  }
}

export function releaseMemoryWhenIdle(options: IdleMemoryOptions = {}): IdleMemoryRelease {
  const rule = new IdleReleaseRule(options.idleMs ?? 15_000, options.busyMs ?? 1_000);
  let previous = performance.eventLoopUtilization();
  let releases = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const span = performance.eventLoopUtilization(now, previous);
    previous = now;
    if (!rule.next(span.idle + span.active, span.active)) return;
    const before = process.memoryUsage.rss();
    const { collected, trimmed } = releaseMemoryNow(options.mappedFilesUnder);
    if (!collected && !trimmed) return;
    releases += 1;
    rule.released();
    // The collection itself is work: it must not count towards the next release.
    previous = performance.eventLoopUtilization();
    options.onRelease?.(before, process.memoryUsage.rss());
  }, options.checkMs ?? 5_000);
  timer.unref();
  return {
    get releases() {
      return releases;
    },
    stop: () => clearInterval(timer),
  };
}
