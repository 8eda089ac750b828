import { REACTION_EMOJI } from '../../amplify/shared/limits';
import { toMillis } from './timestamps';

/**
 * The reactions the web app shows, as facts: "user U has (or has not) emoji E on message M, as of `at`". A fact comes
 * from a read (a stored Reaction: reacted, as of its createdAt), from a REACTION event (its user's new state, as of the
 * event's `at`) or from the user's own click (optimistic, `pending`). A fact replaces an older one for the same key only:
 * events are delivered at least once and in no guaranteed order, so a repeated or late event changes nothing.
 */

export interface ReactionFact {
  readonly messageId: string;
  readonly emoji: string;
  readonly userId: string;
  readonly reacted: boolean;
  /** The server's time of the change (ISO 8601); the local time for a pending click. */
  readonly at: string;
  /** The user's own click, not confirmed yet. */
  readonly pending?: boolean;
}

export type ReactionFacts = ReadonlyMap<string, ReactionFact>;

export const emptyReactions: ReactionFacts = new Map();

const keyOf = (fact: Pick<ReactionFact, 'messageId' | 'emoji' | 'userId'>): string => `${fact.messageId}\u0000${fact.emoji}\u0000${fact.userId}`;

/** The fact held for (message, emoji, user), if any. */
export function factOf(facts: ReactionFacts, messageId: string, emoji: string, userId: string): ReactionFact | undefined {
  return facts.get(keyOf({ messageId, emoji, userId }));
}

/**
 * Applies facts from the server (reads and events): each replaces the held fact when it is newer, or when the held one
 * is a pending click (`force`: the answer to the user's own toggle, which is the server's word on it).
 */
export function applyFacts(facts: ReactionFacts, incoming: readonly ReactionFact[], force = false): ReactionFacts {
  let next: Map<string, ReactionFact> | null = null;
  for (const fact of incoming) {
    const key = keyOf(fact);
    const held = (next ?? facts).get(key);
    if (held && !force && !held.pending && toMillis(held.at) >= toMillis(fact.at)) continue;
    if (held && !force && held.pending) continue;
    next ??= new Map(facts);
    next.set(key, { messageId: fact.messageId, emoji: fact.emoji, userId: fact.userId, reacted: fact.reacted, at: fact.at });
  }
  return next ?? facts;
}

/**
 * A fresh read of every reaction of the messages `messageIds` (after a connection gap, when events may have been
 * missed): a reaction the read does not list is gone, except the user's own clicks still pending.
 */
export function replaceFacts(facts: ReactionFacts, messageIds: ReadonlySet<string>, read: readonly ReactionFact[]): ReactionFacts {
  const next = new Map<string, ReactionFact>();
  for (const [key, fact] of facts) if (!messageIds.has(fact.messageId) || fact.pending) next.set(key, fact);
  return applyFacts(next, read);
}

/** The user's click: their new state at once, pending until the server answers. */
export function applyPending(facts: ReactionFacts, fact: Omit<ReactionFact, 'pending'>): ReactionFacts {
  const next = new Map(facts);
  next.set(keyOf(fact), { ...fact, pending: true });
  return next;
}

/** The click failed: the fact held before it comes back, unless something newer replaced the pending one meanwhile. */
export function rollBack(facts: ReactionFacts, pending: ReactionFact, previous: ReactionFact | undefined): ReactionFacts {
  const key = keyOf(pending);
  const held = facts.get(key);
  if (!held?.pending || held.at !== pending.at) return facts;
  const next = new Map(facts);
  if (previous) next.set(key, previous);
  else next.delete(key);
  return next;
}

/** One chip under a message. */
export interface ReactionChip {
  readonly emoji: string;
  /** Who has it (user ids), in the order their facts are held. */
  readonly users: readonly string[];
  readonly count: number;
  /** The signed-in user has it. */
  readonly mine: boolean;
}

/** The chips of a message, in the picker's order (emoji nobody has are left out). */
export function chipsOf(facts: ReactionFacts, messageId: string, me: string): ReactionChip[] {
  const users = new Map<string, string[]>();
  for (const fact of facts.values()) {
    if (fact.messageId !== messageId || !fact.reacted) continue;
    users.set(fact.emoji, [...(users.get(fact.emoji) ?? []), fact.userId]);
  }
  const order = (emoji: string) => {
    const index = (REACTION_EMOJI as readonly string[]).indexOf(emoji);
    return index === -1 ? REACTION_EMOJI.length : index;
  };
  return [...users.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([emoji, list]) => ({ emoji, users: list, count: list.length, mine: list.includes(me) }));
}

/** A chip's accessible name: "👍 2 reactions: Ann and you. Remove your reaction" (what the tooltip lists too). */
export function chipLabel(chip: ReactionChip, names: readonly string[]): string {
  const who = listNames(names);
  const count = `${chip.count} ${chip.count === 1 ? 'reaction' : 'reactions'}`;
  return `${chip.emoji} ${count}: ${who}. ${chip.mine ? 'Remove your reaction' : 'Add your reaction'}`;
}

/** "Ann", "Ann and Bob", "Ann, Bob and Cat". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
