import { hasUnreadActivity, countUnread, type UnreadCandidate } from '../chat/unread';
import { sameUser } from '../chat/participants';
import { compareTimestamps, laterTimestamp } from '../chat/timestamps';

/**
 * Unread counts for the conversation list. A conversation record only says *when* it last saw a
 * message (lastMessageAt), not by whom nor how many since the user's read marker (their read point, as the server
 * keeps it: src/hooks/useReadPoints.ts), so this keeps the
 * messages from others that may be unread, per conversation, from two sources:
 * - a fetch of the messages after the read marker, for a conversation whose lastMessageAt is newer
 *   than what is known (`needsUnreadFetch`);
 * - live message events.
 * Counting then goes through countUnread() with the current read marker, so marking a conversation
 * read needs no change here. Immutable, for a React reducer.
 */

export interface UnreadMessage extends UnreadCandidate {
  readonly id: string;
}

export interface UnreadTracker {
  /** Conversation id → message id → message (from others only). */
  readonly messages: ReadonlyMap<string, ReadonlyMap<string, UnreadMessage>>;
  /** Conversation id → the lastMessageAt up to which its messages are known. */
  readonly knownThrough: ReadonlyMap<string, string>;
}

export interface ConversationActivity {
  readonly id: string;
  readonly lastMessageAt?: string | null;
}

export function emptyUnreadTracker(): UnreadTracker {
  return { messages: new Map(), knownThrough: new Map() };
}

/** True when the conversation had activity after the read marker that is not known yet. */
export function needsUnreadFetch(tracker: UnreadTracker, conversation: ConversationActivity, lastReadAt: string | null): boolean {
  if (!hasUnreadActivity(conversation.lastMessageAt, lastReadAt)) return false;
  return compareTimestamps(conversation.lastMessageAt, tracker.knownThrough.get(conversation.id)) > 0;
}

/**
 * Adds messages (a fetch's answer, or live events) and moves knownThrough to `through` when given.
 * The signed-in user's own messages are not kept. Live events should pass `through` only while the
 * real-time feed has no gap (see forgetKnown).
 */
export function recordMessages(
  tracker: UnreadTracker,
  conversationId: string,
  messages: readonly UnreadMessage[],
  me: string,
  through?: string | null,
): UnreadTracker {
  const current = tracker.messages.get(conversationId);
  let next: Map<string, UnreadMessage> | undefined;
  for (const message of messages) {
    if (sameUser(message.sender, me) || current?.has(message.id) || next?.has(message.id)) continue;
    next ??= new Map(current);
    next.set(message.id, { id: message.id, sender: message.sender, createdAt: message.createdAt });
  }
  const known = tracker.knownThrough.get(conversationId) ?? null;
  const newKnown = through ? laterTimestamp(known, through) : known;
  if (!next && newKnown === known) return tracker;
  return {
    messages: next ? new Map(tracker.messages).set(conversationId, next) : tracker.messages,
    knownThrough: newKnown === known || newKnown === null ? tracker.knownThrough : new Map(tracker.knownThrough).set(conversationId, newKnown),
  };
}

/**
 * A live message event. It extends what is known only when events have been flowing without a gap
 * (`continuous`) *and* a fetch already gave the conversation a baseline: without one, the messages
 * before this event are not known, and the conversation's next change triggers the fetch.
 */
export function recordLiveMessage(
  tracker: UnreadTracker,
  message: UnreadMessage & { readonly conversationId: string },
  me: string,
  continuous: boolean,
): UnreadTracker {
  const hasBaseline = tracker.knownThrough.has(message.conversationId);
  return recordMessages(tracker, message.conversationId, [message], me, continuous && hasBaseline ? message.createdAt : null);
}

/** Forgets a removed message, wherever it is. */
export function forgetMessage(tracker: UnreadTracker, messageId: string): UnreadTracker {
  for (const [conversationId, messages] of tracker.messages) {
    if (!messages.has(messageId)) continue;
    const next = new Map(messages);
    next.delete(messageId);
    return { ...tracker, messages: new Map(tracker.messages).set(conversationId, next) };
  }
  return tracker;
}

/** After a connection gap nothing is known for sure: conversations with newer activity are fetched again. */
export function forgetKnown(tracker: UnreadTracker): UnreadTracker {
  return tracker.knownThrough.size === 0 ? tracker : { ...tracker, knownThrough: new Map() };
}

/** Drops the messages at or before the read marker (they can never count again: markers only move forward). */
export function pruneRead(tracker: UnreadTracker, conversationId: string, lastReadAt: string | null): UnreadTracker {
  const messages = tracker.messages.get(conversationId);
  if (!messages || lastReadAt === null) return tracker;
  const kept = [...messages.values()].filter((m) => compareTimestamps(m.createdAt, lastReadAt) > 0);
  if (kept.length === messages.size) return tracker;
  return { ...tracker, messages: new Map(tracker.messages).set(conversationId, new Map(kept.map((m) => [m.id, m]))) };
}

/** Messages from others after the marker. */
export function unreadCount(tracker: UnreadTracker, conversationId: string, me: string, lastReadAt: string | null): number {
  const messages = tracker.messages.get(conversationId);
  return messages ? countUnread([...messages.values()], me, lastReadAt) : 0;
}

/** Badge text: the count, "99+" above 99. */
export function unreadBadgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}
