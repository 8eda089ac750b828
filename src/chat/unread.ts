import { sameUser } from './participants';
import { compareTimestamps, toMillis } from './timestamps';

/**
 * Unread counts from a per-conversation "last read at" marker that the caller persists (one store
 * per signed-in user: the storage key should include the user id).
 */

/** Per-conversation read markers (ISO-8601 timestamps). */
export interface ReadMarkerStore {
  get(conversationId: string): string | null;
  set(conversationId: string, readAt: string): void;
  /** All markers, e.g. to compute every conversation's unread state at once. */
  snapshot(): Readonly<Record<string, string>>;
}

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
 * activity after the marker. (The sender is unknown there, so mark a conversation read when sending.)
 */
export function hasUnreadActivity(lastMessageAt: string | null | undefined, lastReadAt: string | null): boolean {
  return !!lastMessageAt && isAfter(lastMessageAt, lastReadAt);
}

/**
 * Records that the conversation was read up to `readAt` (typically the newest message shown).
 * Markers only move forward: a late call with an older time does not make messages unread again.
 */
export function markRead(store: ReadMarkerStore, conversationId: string, readAt: string): void {
  if (Number.isNaN(toMillis(readAt))) return;
  const current = store.get(conversationId);
  if (current !== null && compareTimestamps(readAt, current) <= 0) return;
  store.set(conversationId, readAt);
}

/** Markers held in memory; `initial` is checked like stored data (invalid entries are dropped). */
export function createMemoryReadStore(initial: unknown = {}): ReadMarkerStore {
  const markers = sanitize(initial);
  return {
    get: (conversationId) => markers.get(conversationId) ?? null,
    set: (conversationId, readAt) => {
      markers.set(conversationId, readAt);
    },
    snapshot: () => Object.fromEntries(markers),
  };
}

/** The subset of the Web Storage API the store needs (window.localStorage, or a fake in tests). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

/**
 * Markers kept as one JSON object under `key` in `storage`. Tolerates what browsers do to storage:
 * corrupt or foreign data is ignored (entry by entry), and a storage that throws (disabled, quota
 * exceeded, private mode) degrades to in-memory markers for the session.
 */
export function createLocalStorageReadStore(storage: KeyValueStorage, key: string): ReadMarkerStore {
  const memory = createMemoryReadStore(load(storage, key));
  return {
    get: memory.get,
    snapshot: memory.snapshot,
    set: (conversationId, readAt) => {
      memory.set(conversationId, readAt);
      try {
        storage.setItem(key, JSON.stringify(memory.snapshot()));
      } catch {
        // Kept in memory only.
      }
    },
  };
}

function load(storage: KeyValueStorage, key: string): unknown {
  try {
    const raw = storage.getItem(key);
    return raw === null ? {} : JSON.parse(raw);
  } catch {
    return {};
  }
}

/** Keeps the entries that map a key to a parsable timestamp (a Map: no prototype keys involved). */
function sanitize(value: unknown): Map<string, string> {
  const markers = new Map<string, string>();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return markers;
  for (const [conversationId, readAt] of Object.entries(value)) {
    if (typeof readAt === 'string' && !Number.isNaN(toMillis(readAt))) markers.set(conversationId, readAt);
  }
  return markers;
}

function isAfter(createdAt: string, lastReadAt: string | null): boolean {
  return lastReadAt === null || compareTimestamps(createdAt, lastReadAt) > 0;
}
