import { describe, expect, it } from 'vitest';
import type { PresenceStatus } from '../../amplify/shared/limits';
import { createHeartbeat } from './heartbeat';

/** A manual clock: timers fire only when advance() passes them. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    setTimer: (callback: () => void, ms: number) => {
      const id = nextId++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clearTimer: (id: number) => {
      timers.delete(id);
    },
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].callback();
      }
      now = until;
    },
    pending: () => timers.size,
  };
}

function setup(visible = true) {
  const timers = fakeTimers();
  const sent: PresenceStatus[] = [];
  const state = { visible };
  const heartbeat = createHeartbeat({
    send: (status) => sent.push(status),
    intervalMs: 30_000,
    isVisible: () => state.visible,
    setTimer: timers.setTimer,
    clearTimer: timers.clearTimer,
  });
  return { timers, sent, state, heartbeat };
}

describe('createHeartbeat', () => {
  it('beats ONLINE at once and every interval while visible', () => {
    const { timers, sent, heartbeat } = setup();
    heartbeat.start();
    expect(sent).toEqual(['ONLINE']);
    timers.advance(29_999);
    expect(sent).toEqual(['ONLINE']);
    timers.advance(1);
    timers.advance(30_000);
    expect(sent).toEqual(['ONLINE', 'ONLINE', 'ONLINE']);
  });

  it('beats AWAY at once when hidden, keeps beating AWAY, and ONLINE again when visible', () => {
    const { timers, sent, state, heartbeat } = setup();
    heartbeat.start();
    timers.advance(10_000);
    state.visible = false;
    heartbeat.visibilityChanged();
    expect(sent).toEqual(['ONLINE', 'AWAY']);
    // The interval restarts from the visibility beat.
    timers.advance(29_000);
    expect(sent).toHaveLength(2);
    timers.advance(1_000);
    expect(sent).toEqual(['ONLINE', 'AWAY', 'AWAY']);
    state.visible = true;
    heartbeat.visibilityChanged();
    expect(sent.at(-1)).toBe('ONLINE');
  });

  it('does not beat for a visibility event that changes nothing', () => {
    const { sent, heartbeat } = setup();
    heartbeat.start();
    heartbeat.visibilityChanged();
    expect(sent).toEqual(['ONLINE']);
  });

  it('starts AWAY in a hidden tab', () => {
    const { sent, heartbeat } = setup(false);
    heartbeat.start();
    expect(sent).toEqual(['AWAY']);
  });

  it('stops beating after stop(), and ignores calls then', () => {
    const { timers, sent, state, heartbeat } = setup();
    heartbeat.start();
    heartbeat.stop();
    expect(timers.pending()).toBe(0);
    timers.advance(120_000);
    state.visible = false;
    heartbeat.visibilityChanged();
    heartbeat.beatNow();
    expect(sent).toEqual(['ONLINE']);
  });

  it('beats now on demand and restarts the interval', () => {
    const { timers, sent, heartbeat } = setup();
    heartbeat.start();
    timers.advance(20_000);
    heartbeat.beatNow();
    timers.advance(20_000);
    expect(sent).toEqual(['ONLINE', 'ONLINE']);
    timers.advance(10_000);
    expect(sent).toEqual(['ONLINE', 'ONLINE', 'ONLINE']);
    expect(timers.pending()).toBe(1);
  });

  it('starts once', () => {
    const { sent, heartbeat } = setup();
    heartbeat.start();
    heartbeat.start();
    expect(sent).toEqual(['ONLINE']);
  });
});
