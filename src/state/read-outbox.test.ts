import { describe, expect, it } from 'vitest';
import type { ReadPoint } from '../chat/read-points';
import { createReadOutbox } from './read-outbox';

const at = (minute: number) => `2026-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
const point = (minute: number): ReadPoint => ({ userId: 'ann', messageId: `m${minute}`, readAt: at(minute) });

/** Timers run by hand, calls answered by hand: the outbox's order of events, without waiting on a clock. */
function harness(confirmed = new Map<string, string>()) {
  const timers: (() => void)[] = [];
  const calls: { conversationId: string; point: ReadPoint; settle: (ok: boolean) => void }[] = [];
  const outbox = createReadOutbox({
    delayMs: 400,
    confirmedReadAt: (conversationId) => confirmed.get(conversationId) ?? null,
    send: (conversationId, sent) =>
      new Promise<void>((resolve, reject) => {
        calls.push({
          conversationId,
          point: sent,
          settle: (ok) => {
            if (ok) confirmed.set(conversationId, sent.readAt);
            if (ok) resolve();
            else reject(new Error('offline'));
          },
        });
      }),
    setTimer: (run) => timers.push(run),
    clearTimer: () => undefined,
  });
  const fire = () => timers.splice(0).forEach((run) => run());
  // After the answered call's promise callbacks (macrotask after the microtasks), not a wait for time to pass.
  const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { outbox, calls, fire, settled, confirmed };
}

describe('read outbox', () => {
  it('sends one markRead for a burst: the newest point asked for during the pause', () => {
    const h = harness();
    for (const minute of [1, 2, 3, 2]) h.outbox.request('c1', point(minute));
    h.fire();
    expect(h.calls.map((c) => c.point.messageId)).toEqual(['m3']);
  });

  it('keeps one call in flight per conversation; what is asked meanwhile is sent after it, once', async () => {
    const h = harness();
    h.outbox.request('c1', point(1));
    h.fire();
    h.outbox.request('c1', point(2));
    h.outbox.request('c1', point(3));
    h.fire();
    expect(h.calls).toHaveLength(1);
    h.calls[0]!.settle(true);
    await h.settled();
    expect(h.calls.map((c) => c.point.messageId)).toEqual(['m1', 'm3']);
  });

  it("sends nothing the server's point already covers (e.g. read on another device)", () => {
    const h = harness(new Map([['c1', at(5)]]));
    h.outbox.request('c1', point(4));
    h.outbox.request('c1', point(5));
    h.fire();
    expect(h.calls).toEqual([]);
    h.outbox.request('c1', point(6));
    h.fire();
    expect(h.calls.map((c) => c.point.messageId)).toEqual(['m6']);
  });

  it('asks again after a failed call when the conversation is read again', async () => {
    const h = harness();
    h.outbox.request('c1', point(1));
    h.fire();
    h.calls[0]!.settle(false);
    await h.settled();
    h.outbox.request('c1', point(1));
    h.fire();
    expect(h.calls.map((c) => c.point.messageId)).toEqual(['m1', 'm1']);
  });
});
