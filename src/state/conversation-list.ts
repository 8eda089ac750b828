import { kindOf, type ConversationKind } from '../../amplify/shared/members';
import { dayKey } from '../chat/days';
import { compareTimestamps } from '../chat/timestamps';

/**
 * The conversation records held by the list: merged from list queries, createConversation's answer and
 * live events (newer record wins, by updatedAt; the last-message fields only ever move forward), and
 * the time shown next to each.
 */

export interface ConversationRecord {
  readonly id: string;
  readonly updatedAt?: string | null;
  readonly lastMessageAt?: string | null;
  readonly lastMessagePreview?: string | null;
}

/**
 * A conversation as the list holds it, whichever way it arrived (a list query, createConversation's answer, a
 * CONVERSATION_CREATED event): the Conversation model's fields the app reads, every one present.
 */
export interface ListedConversation extends ConversationRecord {
  readonly id: string;
  readonly name: string | null;
  /** Owner entries as the API reads them back: the part after "::" (participants.ts reads either form). */
  readonly participants: readonly string[];
  /** DIRECT or GROUP (older conversations without one: by their shape, see amplify/shared/members.ts kindOf). */
  readonly kind: ConversationKind;
  /** The owners' user ids (older conversations without owners: the first participant). */
  readonly owners: readonly string[];
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  readonly lastMessageAt: string | null;
  readonly lastMessagePreview: string | null;
}

/** A conversation as an API answer carries it (a Conversation item, or createConversation's CreatedConversation). */
export interface ConversationAnswer {
  readonly id: string;
  readonly name?: string | null;
  readonly participants?: readonly (string | null)[] | null;
  readonly kind?: ConversationKind | null;
  readonly owners?: readonly (string | null)[] | null;
  readonly createdAt?: string | null;
  readonly updatedAt?: string | null;
  readonly lastMessageAt?: string | null;
  readonly lastMessagePreview?: string | null;
}

/** Owner entries read back like participants (readBackParticipants), each once; absent (older items): the first participant. */
export function ownerIds(owners: readonly (string | null | undefined)[] | null | undefined, participants: readonly string[]): string[] {
  return owners ? readBackParticipants(owners) : participants.slice(0, 1);
}

/** The list's record of an API answer: missing fields null, blank participant entries dropped, entries as read back. */
export function listedConversation(answer: ConversationAnswer): ListedConversation {
  const participants = readBackParticipants(answer.participants);
  return {
    id: answer.id,
    name: answer.name ?? null,
    participants,
    kind: kindOf({ kind: answer.kind ?? null, name: answer.name ?? null, participants }),
    owners: ownerIds(answer.owners, participants),
    createdAt: answer.createdAt ?? null,
    updatedAt: answer.updatedAt ?? null,
    lastMessageAt: answer.lastMessageAt ?? null,
    lastMessagePreview: answer.lastMessagePreview ?? null,
  };
}

/**
 * Participant entries as a query reads them back: the part after the last "::" of each (events carry the stored
 * "<sub>::<username>" form), blanks dropped, each once.
 */
export function readBackParticipants(entries: readonly (string | null | undefined)[] | null | undefined): string[] {
  const result = new Set<string>();
  for (const entry of entries ?? []) {
    const value = entry?.trim();
    if (!value) continue;
    const at = value.lastIndexOf('::');
    const readBack = at === -1 ? value : value.slice(at + 2);
    if (readBack) result.add(readBack);
  }
  return [...result];
}

/**
 * Inserts or replaces a record by id. The newer version (by updatedAt) wins, so an event or answer that
 * arrives late does not undo a later one; lastMessageAt/lastMessagePreview come from whichever version has
 * the later lastMessageAt, so they never move backwards. Returns the same array when nothing changed.
 */
export function upsertConversation<T extends ConversationRecord>(list: readonly T[], record: T): T[] {
  const index = list.findIndex((c) => c.id === record.id);
  if (index === -1) return [...list, record];
  const held = list[index] as T;
  const merged = mergeVersions(held, record);
  if (merged === held) return list as T[];
  const next = [...list];
  next[index] = merged;
  return next;
}

function mergeVersions<T extends ConversationRecord>(held: T, incoming: T): T {
  const base = compareTimestamps(incoming.updatedAt, held.updatedAt) < 0 ? held : incoming;
  const other = base === held ? incoming : held;
  const activity = compareTimestamps(other.lastMessageAt, base.lastMessageAt) > 0 ? other : base;
  const merged =
    activity === base ? base : { ...base, lastMessageAt: activity.lastMessageAt, lastMessagePreview: activity.lastMessagePreview };
  return sameRecord(merged, held) ? held : merged;
}

function sameRecord(a: ConversationRecord, b: ConversationRecord): boolean {
  if (a === b) return true;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => sameValue((a as unknown as Record<string, unknown>)[key], (b as unknown as Record<string, unknown>)[key]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((value, i) => sameValue(value, b[i]));
  return a === b;
}

/**
 * Merges a fresh list query into the held records: every fetched record is upserted; held records
 * missing from the answer are kept (scans are eventually consistent and a just-created conversation
 * may be missing; conversations are never deleted by clients, and deletions arrive as events).
 */
export function mergeConversations<T extends ConversationRecord>(list: readonly T[], fetched: readonly T[]): T[] {
  return fetched.reduce<T[]>((acc, record) => upsertConversation(acc, record), list as T[]);
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
