import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTypingNotifier, type TypingSignal } from './typing-notifier';

const INTERVAL = 3_000;
const IDLE = 5_000;

function setup() {
  const sent: TypingSignal[] = [];
  const notifier = createTypingNotifier({
    send: (signal) => sent.push(signal),
    intervalMs: INTERVAL,
    idleMs: IDLE,
    now: () => Date.now(),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle),
  });
  return { sent, notifier };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2024-05-01T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createTypingNotifier (vitest fake timers)', () => {
  it('sends typing on the first keystroke only, not on each one', () => {
    const { sent, notifier } = setup();
    notifier.keystroke();
    vi.advanceTimersByTime(100);
    notifier.keystroke();
    notifier.keystroke();
    expect(sent).toEqual(['typing']);
  });

  it('repeats typing at most once per interval while keystrokes continue', () => {
    const { sent, notifier } = setup();
    // A keystroke every second for 10 s: typing at t = 0, 3, 6, 9 s.
    for (let second = 0; second <= 10; second += 1) {
      notifier.keystroke();
      vi.advanceTimersByTime(1_000);
    }
    expect(sent).toEqual(['typing', 'typing', 'typing', 'typing']);
  });

  it('does not repeat just before the interval is over, does exactly at it', () => {
    const { sent, notifier } = setup();
    notifier.keystroke();
    vi.advanceTimersByTime(INTERVAL - 1);
    notifier.keystroke();
    expect(sent).toEqual(['typing']);
    vi.advanceTimersByTime(1);
    notifier.keystroke();
    expect(sent).toEqual(['typing', 'typing']);
  });

  it('sends stopped once after idleMs without keystrokes', () => {
    const { sent, notifier } = setup();
    notifier.keystroke();
    vi.advanceTimersByTime(IDLE - 1);
    expect(sent).toEqual(['typing']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['typing', 'stopped']);
    vi.advanceTimersByTime(IDLE * 10);
    expect(sent).toEqual(['typing', 'stopped']);
  });

  it('each keystroke postpones the idle stop', () => {
    const { sent, notifier } = setup();
    notifier.keystroke();
    vi.advanceTimersByTime(IDLE - 1_000);
    notifier.keystroke();
    vi.advanceTimersByTime(IDLE - 1_000);
    expect(sent).not.toContain('stopped');
    vi.advanceTimersByTime(1_000);
    expect(sent.filter((s) => s === 'stopped')).toHaveLength(1);
  });

  it('explicit stop sends stopped at once, and the idle timer does not send it again', () => {
    const { sent, notifier } = setup();
    notifier.keystroke();
    notifier.stop();
    expect(sent).toEqual(['typing', 'stopped']);
    notifier.stop();
    vi.advanceTimersByTime(IDLE * 2);
    expect(sent).toEqual(['typing', 'stopped']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stop without typing sends nothing', () => {
    const { sent, notifier } = setup();
    notifier.stop();
    expect(sent).toEqual([]);
  });

  it('typing again after stopped sends typing at once, even within the interval', () => {
    const { sent, notifier } = setup();
    notifier.keystroke();
    notifier.stop();
    vi.advanceTimersByTime(10);
    notifier.keystroke();
    expect(sent).toEqual(['typing', 'stopped', 'typing']);
  });

  it('dispose stops once and ignores later calls', () => {
    const { sent, notifier } = setup();
    notifier.keystroke();
    notifier.dispose();
    notifier.dispose();
    notifier.keystroke();
    notifier.stop();
    vi.advanceTimersByTime(IDLE * 2);
    expect(sent).toEqual(['typing', 'stopped']);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('createTypingNotifier (hand-made clock and timers)', () => {
  function manual() {
    let time = 0;
    let nextHandle = 1;
    const timers = new Map<number, { at: number; callback: () => void }>();
    const sent: TypingSignal[] = [];
    const notifier = createTypingNotifier({
      send: (signal) => {
        sent.push(signal);
        if (signal === 'typing' && throwOnSend) throw new Error('socket closed');
      },
      intervalMs: INTERVAL,
      idleMs: IDLE,
      now: () => time,
      setTimer: (callback, ms) => {
        timers.set(nextHandle, { at: time + ms, callback });
        return nextHandle++;
      },
      clearTimer: (handle) => {
        timers.delete(handle);
      },
    });
    let throwOnSend = false;
    return {
      sent,
      notifier,
      timers,
      throwOnSend: () => {
        throwOnSend = true;
      },
      advance(ms: number) {
        time += ms;
        for (const [handle, timer] of [...timers]) {
          if (timer.at <= time) {
            timers.delete(handle);
            timer.callback();
          }
        }
      },
    };
  }

  it('keeps a single idle timer alive, clearing the previous one on each keystroke', () => {
    const m = manual();
    m.notifier.keystroke();
    m.notifier.keystroke();
    m.notifier.keystroke();
    expect(m.timers.size).toBe(1);
  });

  it('a throwing send still leads to a stopped after idle', () => {
    const m = manual();
    m.throwOnSend();
    expect(() => m.notifier.keystroke()).toThrow('socket closed');
    m.advance(IDLE);
    expect(m.sent).toEqual(['typing', 'stopped']);
  });
});
