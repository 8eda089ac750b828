import { sameUser } from './participants';
import { compareTimestamps } from './timestamps';

/**
 * Unread counts from the user's read point per conversation: the server's (the ReadReceipt model, moved by markRead;
 * src/hooks/useReadPoints.ts), as an ISO-8601 `lastReadAt`, null when the user has never read the conversation.
 */

export interface UnreadCandidate {
  readonly sender: string;
  readonly createdAt: string;
}

/**
 * Messages from others created after `lastReadAt` (all of them when there is no marker yet).
 * The signed-in user's own messages never count, in either owner-entry form.
 */
export function countUnread(messages: readonly UnreadCandidate[], me: string, lastReadAt: string | null): number {
  return messages.filter((m) => !sameUser(m.sender, me) && isAfter(m.createdAt, lastReadAt)).length;
}

/**
 * For the conversation list, where only `lastMessageAt` is known: true when the conversation had
 * activity after the marker. (The sender is unknown there: the messages fetched then count only others'.)
 */
export function hasUnreadActivity(lastMessageAt: string | null | undefined, lastReadAt: string | null): boolean {
  return !!lastMessageAt && isAfter(lastMessageAt, lastReadAt);
}

function isAfter(createdAt: string, lastReadAt: string | null): boolean {
  return lastReadAt === null || compareTimestamps(createdAt, lastReadAt) > 0;
}
