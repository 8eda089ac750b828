/**
 * The sustained load test's books: what each connection received (per subscription, in arrival order, with the
 * arrival time), what was acknowledged, and the checks — exactly once, in send order, only one's own conversation.
 * Load messages are identified by their clientMessageId, `load-<conversation>-<seq>` (seq counts from 1 per
 * conversation, in send order).
 */
import { performance } from 'node:perf_hooks';

export interface Delivery {
  conversationId: string;
  clientMessageId: string | null;
  id: string;
  at: number;
}

export const loadClientMessageId = (conversation: number, seq: number): string => `load-${conversation}-${seq}`;

export function parseLoadClientMessageId(clientMessageId: string | null): { conversation: number; seq: number } | undefined {
  const match = /^load-(\d+)-(\d+)$/.exec(clientMessageId ?? '');
  return match ? { conversation: Number(match[1]), seq: Number(match[2]) } : undefined;
}

/** Deliveries of one subscription on one connection, kept in arrival order. */
export class Inbox {
  readonly deliveries: Delivery[] = [];
  constructor(
    readonly label: string,
    /** The conversation this subscriber may see (undefined: none at all). */
    readonly conversationId: string | undefined,
    private readonly onDelivery: (inbox: Inbox, delivery: Delivery) => void,
  ) {}

  add(item: { conversationId: string; clientMessageId: string | null; id: string }): void {
    const delivery: Delivery = { conversationId: item.conversationId, clientMessageId: item.clientMessageId, id: item.id, at: performance.now() };
    this.deliveries.push(delivery);
    this.onDelivery(this, delivery);
  }
}

export interface InboxCheck {
  missing: string[];
  duplicates: string[];
  foreign: string[];
  outOfOrder: string[];
}

/**
 * Checks an inbox against the acknowledged messages of its conversation, given in send order: each delivered exactly
 * once, in that order, and nothing of any other conversation. `extra` are messages it may also receive (a fence).
 */
export function checkInbox(inbox: Inbox, acknowledgedInOrder: readonly { id: string; clientMessageId: string }[], extra: readonly string[] = []): InboxCheck {
  const problems: InboxCheck = { missing: [], duplicates: [], foreign: [], outOfOrder: [] };
  const own = inbox.deliveries.filter((delivery) => delivery.conversationId === inbox.conversationId && inbox.conversationId !== undefined);
  for (const delivery of inbox.deliveries) {
    if (!own.includes(delivery)) problems.foreign.push(`${inbox.label} got ${delivery.clientMessageId ?? delivery.id} of ${delivery.conversationId}`);
  }
  const counts = new Map<string, number>();
  for (const delivery of own) counts.set(delivery.id, (counts.get(delivery.id) ?? 0) + 1);
  for (const [id, count] of counts) if (count > 1) problems.duplicates.push(`${inbox.label} got ${id} ${count} times`);
  const expectedIds = acknowledgedInOrder.map((message) => message.id);
  for (const message of acknowledgedInOrder) if (!counts.has(message.id)) problems.missing.push(`${inbox.label} missed ${message.clientMessageId}`);
  const known = new Set([...expectedIds, ...extra]);
  for (const delivery of own) if (!known.has(delivery.id)) problems.foreign.push(`${inbox.label} got unsent ${delivery.clientMessageId ?? delivery.id}`);
  // Order: the first arrival of each acknowledged message, in arrival order, must be the send order.
  const arrived = [...new Set(own.map((delivery) => delivery.id))].filter((id) => expectedIds.includes(id));
  const sent = expectedIds.filter((id) => counts.has(id));
  if (arrived.join() !== sent.join()) problems.outOfOrder.push(`${inbox.label}: arrival order differs from send order`);
  return problems;
}

/** Merges inbox checks, keeping the first `limit` entries of each kind and the totals. */
export function mergeChecks(checks: readonly InboxCheck[], limit = 10): { totals: Record<keyof InboxCheck, number>; examples: InboxCheck } {
  const keys = ['missing', 'duplicates', 'foreign', 'outOfOrder'] as const;
  const totals = { missing: 0, duplicates: 0, foreign: 0, outOfOrder: 0 };
  const examples: InboxCheck = { missing: [], duplicates: [], foreign: [], outOfOrder: [] };
  for (const check of checks) {
    for (const key of keys) {
      totals[key] += check[key].length;
      for (const entry of check[key]) if (examples[key].length < limit) examples[key].push(entry);
    }
  }
  return { totals, examples };
}

/**
 * Resolves when `done()` holds — checked at every `notify()` — or with false after `guardMs` (a bound, never a success
 * criterion: what is missing is asserted afterwards, with the details).
 */
export class Progress {
  private waiters: { done: () => boolean; resolve: (reached: boolean) => void }[] = [];

  notify(): void {
    for (const waiter of [...this.waiters]) {
      if (!waiter.done()) continue;
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(true);
    }
  }

  until(done: () => boolean, guardMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { done, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index < 0) return;
        this.waiters.splice(index, 1);
        resolve(false);
      }, guardMs).unref();
    });
  }
}
