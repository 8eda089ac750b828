import { dayKey } from '../chat/days';
import { compareTimestamps } from '../chat/timestamps';

/**
 * The conversation records held by the list: merged from list queries and live events (newer record
 * wins, by updatedAt), and the time shown next to each.
 */

export interface ConversationRecord {
  readonly id: string;
  readonly updatedAt?: string | null;
}

/** Inserts or replaces a record by id, unless the held one is newer (an event that arrived late). */
export function upsertConversation<T extends ConversationRecord>(list: readonly T[], record: T): T[] {
  const index = list.findIndex((c) => c.id === record.id);
  if (index === -1) return [...list, record];
  const held = list[index] as T;
  if (compareTimestamps(record.updatedAt, held.updatedAt) < 0) return [...list];
  const next = [...list];
  next[index] = record;
  return next;
}

/**
 * Merges a fresh list query into the held records: every fetched record is upserted; held records
 * missing from the answer are kept (scans are eventually consistent and a just-created conversation
 * may be missing; conversations are never deleted by clients, and deletions arrive as events).
 */
export function mergeConversations<T extends ConversationRecord>(list: readonly T[], fetched: readonly T[]): T[] {
  return fetched.reduce<T[]>((acc, record) => upsertConversation(acc, record), [...list]);
}

export function removeConversation<T extends ConversationRecord>(list: readonly T[], id: string): T[] {
  return list.filter((c) => c.id !== id);
}

/**
 * The time next to a conversation: the time for today, "Yesterday", the weekday within the last
 * week, else the date (with the year when not this year). '' for a missing or invalid timestamp.
 */
export function formatListTime(timestamp: string | null | undefined, now: Date, locale?: string): string {
  if (!timestamp) return '';
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return '';
  const key = dayKey(date);
  if (key === dayKey(now)) return new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(date);
  for (let daysAgo = 1; daysAgo < 7; daysAgo += 1) {
    const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo);
    if (key !== dayKey(day)) continue;
    if (daysAgo === 1) return 'Yesterday';
    return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(date);
  }
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  }).format(date);
}
