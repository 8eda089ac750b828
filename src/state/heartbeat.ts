import type { PresenceStatus } from '../../amplify/shared/limits';

/**
 * When to call `heartbeat(status)`: at once when started, every `intervalMs` after the last beat,
 * and at once when the tab's visibility changes (ONLINE while visible, AWAY while hidden; beats go on
 * while hidden so that an open tab reads as "away", not "offline"). stop() cancels the timer; the
 * caller may then send OFFLINE itself. Clock and timers injected, for tests.
 */

export interface HeartbeatOptions<Handle> {
  readonly send: (status: PresenceStatus) => void;
  readonly intervalMs: number;
  readonly isVisible: () => boolean;
  readonly setTimer: (callback: () => void, ms: number) => Handle;
  readonly clearTimer: (handle: Handle) => void;
}

export interface Heartbeat {
  start(): void;
  /** Call on visibilitychange; beats at once when the status changed. */
  visibilityChanged(): void;
  /** Beats now (e.g. after a reconnect) and restarts the interval. */
  beatNow(): void;
  stop(): void;
}

export function createHeartbeat<Handle>(options: HeartbeatOptions<Handle>): Heartbeat {
  const { send, intervalMs, isVisible, setTimer, clearTimer } = options;
  let timer: { handle: Handle } | null = null;
  let running = false;
  let lastStatus: PresenceStatus | null = null;

  const status = (): PresenceStatus => (isVisible() ? 'ONLINE' : 'AWAY');

  function beat(): void {
    if (timer) clearTimer(timer.handle);
    timer = { handle: setTimer(beat, intervalMs) };
    lastStatus = status();
    send(lastStatus);
  }

  return {
    start() {
      if (running) return;
      running = true;
      beat();
    },
    visibilityChanged() {
      if (running && status() !== lastStatus) beat();
    },
    beatNow() {
      if (running) beat();
    },
    stop() {
      running = false;
      if (timer) clearTimer(timer.handle);
      timer = null;
    },
  };
}
