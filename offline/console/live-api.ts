/**
 * The console's live stream (`/api/live`, a WebSocket): the sandbox's latest log lines and events, then each new one,
 * to whoever holds the secret.
 */
import type { WebSocket } from 'ws';
import type { SandboxEvents } from '../sandbox/events.js';
import type { LogFeed } from '../sandbox/log.js';
import type { SocketRoute } from './http.js';

/** The live stream's WebSocket. */
export const LIVE_PATH = '/api/live';
/** A watcher that falls this far behind is dropped rather than let the sandbox buffer for it. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Sends `{ type: 'recent', entries, events }` (the latest log lines and events, oldest first), then
 * `{ type: 'log', entry }` per new line and `{ type: 'event', event }` per new event, until either side closes.
 */
function streamLive(ws: WebSocket, logs: LogFeed, events: SandboxEvents): void {
  ws.send(JSON.stringify({ type: 'recent', entries: logs.recent(), events: events.recent() }));
  const send = (message: object) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      stop();
      ws.close(1013, 'too far behind');
      return;
    }
    ws.send(JSON.stringify(message));
  };
  const stopLog = logs.subscribe((entry) => send({ type: 'log', entry }));
  const stopEvents = events.subscribe((event) => send({ type: 'event', event }));
  function stop() {
    stopLog();
    stopEvents();
  }
  ws.on('close', stop);
  ws.on('error', stop);
  // The stream only sends; anything the client sends is ignored.
  ws.on('message', () => undefined);
}

export function liveSocket(logs: LogFeed, events: SandboxEvents): SocketRoute {
  return { path: LIVE_PATH, maxPayload: 1024, accept: (ws) => streamLive(ws, logs, events) };
}
