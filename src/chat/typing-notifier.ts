/**
 * Sender side of typing indicators: turns keystrokes into few 'typing' / 'stopped' signals.
 *
 * - the first keystroke sends 'typing' at once; while keystrokes continue, 'typing' is sent again
 *   at most once per `intervalMs` (so receivers can expire a silent typer);
 * - `idleMs` without a keystroke, or an explicit stop() (message sent, input blurred), sends
 *   'stopped' — once: nothing is sent when not typing;
 * - the next keystroke after 'stopped' starts over with an immediate 'typing'.
 *
 * The clock and timers are injected: `now: Date.now`, `setTimer: (fn, ms) => window.setTimeout(fn, ms)`,
 * `clearTimer: (h) => window.clearTimeout(h)` in the app, fakes in tests.
 */

export type TypingSignal = 'typing' | 'stopped';

export interface TypingNotifierOptions<Handle> {
  send: (signal: TypingSignal) => void;
  intervalMs: number;
  idleMs: number;
  now: () => number;
  setTimer: (callback: () => void, ms: number) => Handle;
  clearTimer: (handle: Handle) => void;
}

export interface TypingNotifier {
  /** Call on every edit of the draft. */
  keystroke(): void;
  /** Call when the message is sent or the input loses focus. */
  stop(): void;
  /** Stops (sending 'stopped' if typing) and ignores every later call, e.g. on unmount. */
  dispose(): void;
}

export function createTypingNotifier<Handle>(options: TypingNotifierOptions<Handle>): TypingNotifier {
  const { send, intervalMs, idleMs, now, setTimer, clearTimer } = options;
  let typing = false;
  let lastSentAt = 0;
  let idleTimer: { handle: Handle } | null = null;
  let disposed = false;

  function cancelIdleTimer(): void {
    if (idleTimer) clearTimer(idleTimer.handle);
    idleTimer = null;
  }

  function stop(): void {
    cancelIdleTimer();
    if (!typing) return;
    typing = false;
    send('stopped');
  }

  return {
    keystroke() {
      if (disposed) return;
      const time = now();
      const due = !typing || time - lastSentAt >= intervalMs;
      if (due) {
        typing = true;
        lastSentAt = time;
      }
      // Armed before sending, so a throwing send() cannot leave 'typing' without a later 'stopped'.
      cancelIdleTimer();
      idleTimer = {
        handle: setTimer(() => {
          idleTimer = null;
          stop();
        }, idleMs),
      };
      if (due) send('typing');
    },
    stop() {
      if (!disposed) stop();
    },
    dispose() {
      if (disposed) return;
      stop();
      disposed = true;
    },
  };
}
