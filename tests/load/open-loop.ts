/**
 * An open-loop sender at a fixed rate: send i is due at start + i / rate, whatever the answers so far, with one
 * exception — the sends of one conversation are sequential (each waits for the previous one's answer), so the send
 * order of a conversation is well defined. A send that had to wait for its predecessor, or that the timer issued
 * late, is measured as schedule slip. Bounded: `total` sends, and the loop gives up issuing after `deadlineMs`.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

export interface ScheduledSend {
  index: number;
  conversation: number;
  /** 1-based position in its conversation. */
  seq: number;
}

export interface SendRecord<T> extends ScheduledSend {
  dueAt: number;
  issuedAt: number;
  answeredAt: number;
  result: T;
}

export interface OpenLoopResult<T> {
  records: SendRecord<T>[];
  /** Sends never issued because the deadline passed (0 when the loop kept up). */
  notIssued: number;
  maxSlipMs: number;
  elapsedMs: number;
}

export async function runOpenLoop<T>(options: {
  rate: number;
  total: number;
  conversations: number;
  deadlineMs: number;
  send: (send: ScheduledSend) => Promise<T>;
}): Promise<OpenLoopResult<T>> {
  const { rate, total, conversations } = options;
  const start = performance.now();
  const previous: Promise<unknown>[] = Array.from({ length: conversations }, () => Promise.resolve());
  const records: SendRecord<T>[] = [];
  const pending: Promise<unknown>[] = [];
  let maxSlipMs = 0;
  let issued = 0;
  for (; issued < total; issued += 1) {
    const dueAt = start + (issued * 1000) / rate;
    // The load's clock: wait until the next send is due (pacing, not synchronisation).
    const wait = dueAt - performance.now();
    if (wait > 0) await delay(wait);
    if (performance.now() - start > options.deadlineMs) break;
    const scheduled: ScheduledSend = { index: issued, conversation: issued % conversations, seq: Math.floor(issued / conversations) + 1 };
    const after = previous[scheduled.conversation]!;
    const done = after.then(async () => {
      const issuedAt = performance.now();
      maxSlipMs = Math.max(maxSlipMs, issuedAt - dueAt);
      const result = await options.send(scheduled);
      records.push({ ...scheduled, dueAt, issuedAt, answeredAt: performance.now(), result });
    });
    previous[scheduled.conversation] = done;
    pending.push(done);
  }
  await Promise.all(pending);
  records.sort((a, b) => a.index - b.index);
  return { records, notIssued: total - issued, maxSlipMs, elapsedMs: performance.now() - start };
}
