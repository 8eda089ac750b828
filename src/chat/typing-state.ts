import type { TypingSignal } from './typing-notifier';
import { sameUser } from './participants';

/**
 * Receiver side of typing indicators: who is typing, each typer expiring `ttlMs` after their last
 * 'typing' signal (a lost 'stopped' or a closed tab must not leave "Ann is typing…" forever).
 * Pick `ttlMs` above the senders' `intervalMs` (e.g. 2 × interval) so a steady typer never blinks.
 * Immutable, for a React reducer; schedule a re-render at nextExpiry() and call pruneTypers().
 */

export interface TypingState {
  /** User id → time (ms) at which the typer expires; insertion order = who started first. */
  readonly expiresAt: ReadonlyMap<string, number>;
}

export interface TypingReceiveOptions {
  readonly now: number;
  readonly ttlMs: number;
  /** The signed-in user: their own echoed signals are ignored. */
  readonly me: string;
}

export function emptyTypingState(): TypingState {
  return { expiresAt: new Map() };
}

/** Applies a signal from `userId`: 'typing' (re)starts their expiry, 'stopped' removes them. */
export function receiveTyping(
  state: TypingState,
  userId: string,
  signal: TypingSignal,
  options: TypingReceiveOptions,
): TypingState {
  if (sameUser(userId, options.me)) return state;
  if (signal === 'stopped') return removeTyper(state, userId);
  const expiresAt = new Map(state.expiresAt);
  expiresAt.set(userId, options.now + options.ttlMs);
  return { expiresAt };
}

/** Removes a typer, e.g. when their message arrives. */
export function removeTyper(state: TypingState, userId: string): TypingState {
  if (!state.expiresAt.has(userId)) return state;
  const expiresAt = new Map(state.expiresAt);
  expiresAt.delete(userId);
  return { expiresAt };
}

/** User ids typing at `now`, in the order they started. */
export function activeTypers(state: TypingState, now: number): string[] {
  return [...state.expiresAt].filter(([, until]) => now < until).map(([userId]) => userId);
}

/** Drops expired typers (the same object when none expired). */
export function pruneTypers(state: TypingState, now: number): TypingState {
  const active = activeTypers(state, now);
  if (active.length === state.expiresAt.size) return state;
  return { expiresAt: new Map(active.map((userId) => [userId, state.expiresAt.get(userId) ?? now])) };
}

/** The next time an active typer expires (when to re-render), or null when nobody is typing. */
export function nextExpiry(state: TypingState): number | null {
  let next: number | null = null;
  for (const until of state.expiresAt.values()) if (next === null || until < next) next = until;
  return next;
}

/** "Ann is typing…", "Ann and Bob are typing…", "Ann, Bob and 2 others are typing…"; '' for nobody. */
export function typingLabel(names: readonly string[]): string {
  const [first, second, third] = names;
  if (first === undefined) return '';
  if (second === undefined) return `${first} is typing…`;
  if (third === undefined) return `${first} and ${second} are typing…`;
  if (names.length === 3) return `${first}, ${second} and ${third} are typing…`;
  return `${first}, ${second} and ${names.length - 2} others are typing…`;
}
