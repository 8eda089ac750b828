/**
 * The sandbox's log lines carry a level so that the CLI (offline/cli/start.ts) can filter and format them, while
 * a logger that ignores the level (the tests' `(line) => lines.push(line)`) still receives every line unchanged:
 *
 * - `debug`: one line per request, real-time connection or subscription, Lambda cold start or console output, and
 *   schedule run — shown with `--verbose` only;
 * - `info` (the default): start-up, reloads, what is not emulated;
 * - `warn`, `error`: something the developer should look at;
 * - `code`: a confirmation / password-reset / verification code or a temporary password (Cognito would e-mail it);
 *   the CLI prints it as a highlighted block.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'code';

export type LineLogger = (line: string, level?: LogLevel) => void;

/** One line of the sandbox's log, as the console's live stream sends it. */
export interface LogEntry {
  /** ISO time the line was logged. */
  time: string;
  level: LogLevel;
  line: string;
}

/** The sandbox's log lines for whoever wants to watch them (the console's live stream), with the latest kept. */
export interface LogFeed {
  /** The latest lines, oldest first (at most `keep`). */
  recent(): LogEntry[];
  /** Calls `listener` for every line from now on; returns the way to stop. */
  subscribe(listener: (entry: LogEntry) => void): () => void;
}

/**
 * A logger that passes every line to `sink` (the terminal) and to the feed's listeners, keeping the latest `keep`
 * lines. A listener that throws is dropped; the sandbox never waits for one.
 */
export function createLogFeed(sink: LineLogger, keep = 500): { log: LineLogger; feed: LogFeed } {
  // A ring of the latest `keep` lines: logging stays O(1) however long the sandbox runs.
  const ring: LogEntry[] = [];
  let next = 0;
  const listeners = new Set<(entry: LogEntry) => void>();
  const log: LineLogger = (line, level = 'info') => {
    sink(line, level);
    const entry: LogEntry = { time: new Date().toISOString(), level, line };
    if (ring.length < keep) ring.push(entry);
    else ring[next] = entry;
    next = (next + 1) % keep;
    for (const listener of listeners) {
      try {
        listener(entry);
      } catch {
        listeners.delete(listener);
      }
    }
  };
  return {
    log,
    feed: {
      recent: () => (ring.length < keep ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)]),
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
  };
}
