import type { LineLogger } from './log';

/** Starts a server on a preferred port, falling back to a free one (with a message) when the port is taken. */
export async function listenWithFallback<T>(
  what: string,
  port: number,
  start: (port: number) => Promise<T>,
  log: LineLogger,
  consequence: string,
): Promise<T> {
  if (port === 0) return start(0);
  try {
    return await start(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    log(`[sandbox] port ${port} for ${what} is taken (another sandbox?); using a free port instead. ${consequence}`, 'warn');
    return start(0);
  }
}
