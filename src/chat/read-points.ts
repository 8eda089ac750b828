import { sameUser } from './participants';
import { compareTimestamps } from './timestamps';

/**
 * Read points as the server keeps them (the ReadReceipt model, moved by markRead, announced as READ events): per
 * conversation and member, the newest message read and its createdAt. Points only move forward, so whatever order the
 * page reads and the live events arrive in, keeping the later one per (conversation, user) converges. Immutable.
 */

export interface ReadPoint {
  readonly userId: string;
  readonly messageId: string;
  /** The createdAt of `messageId`: messages created at or before it are read. */
  readonly readAt: string;
}

/** Conversation id → user id → read point. */
export type ReadPoints = ReadonlyMap<string, ReadonlyMap<string, ReadPoint>>;

export const emptyReadPoints: ReadPoints = new Map();

/** Adds read points of a conversation, each only if it is later than the one held (a stale one changes nothing). */
export function applyReadPoints(points: ReadPoints, conversationId: string, incoming: readonly ReadPoint[]): ReadPoints {
  const current = points.get(conversationId);
  let next: Map<string, ReadPoint> | undefined;
  for (const point of incoming) {
    const held = next?.get(point.userId) ?? current?.get(point.userId);
    if (held && compareTimestamps(point.readAt, held.readAt) <= 0) continue;
    next ??= new Map(current);
    next.set(point.userId, point);
  }
  return next ? new Map(points).set(conversationId, next) : points;
}

export function readPointOf(points: ReadPoints, conversationId: string, userId: string): ReadPoint | null {
  return points.get(conversationId)?.get(userId) ?? null;
}

/** Conversation id → the user's readAt, for the unread counts. */
export function readAtByConversation(points: ReadPoints, userId: string): ReadonlyMap<string, string> {
  const result = new Map<string, string>();
  for (const [conversationId, byUser] of points) {
    const point = byUser.get(userId);
    if (point) result.set(conversationId, point.readAt);
  }
  return result;
}

/** True when `readAt` (a held read point, or null) already covers a message created at `createdAt`. */
export function covers(readAt: string | null | undefined, createdAt: string): boolean {
  return !!readAt && compareTimestamps(readAt, createdAt) >= 0;
}

/** The members among `others` whose read point in the conversation has reached a message created at `createdAt`. */
export function seenBy(points: ReadPoints, conversationId: string, others: readonly string[], createdAt: string): string[] {
  const byUser = points.get(conversationId);
  if (!byUser) return [];
  return others.filter((userId) => covers(byUser.get(userId)?.readAt, createdAt));
}

export interface ReadCandidate {
  readonly id: string;
  readonly sender: string;
  readonly createdAt: string;
  readonly status: string;
}

/** The newest confirmed message of the list that `test` accepts (the list is oldest first). */
function newest<T extends ReadCandidate>(messages: readonly T[], test: (message: T) => boolean): T | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.status === 'confirmed' && test(message)) return message;
  }
  return null;
}

/** What reading the conversation marks read: its newest confirmed message from someone else (own ones never count). */
export const newestFromOthers = <T extends ReadCandidate>(messages: readonly T[], me: string): T | null => newest(messages, (m) => !sameUser(m.sender, me));

/** Where "Seen" goes: the user's newest confirmed message. */
export const newestOwn = <T extends ReadCandidate>(messages: readonly T[], me: string): T | null => newest(messages, (m) => sameUser(m.sender, me));

/** "Seen" in a 1:1, "Seen by N" in a group; null when nobody has seen it yet. */
export function seenText(seen: number, group: boolean): string | null {
  if (seen === 0) return null;
  return group ? `Seen by ${seen}` : 'Seen';
}
