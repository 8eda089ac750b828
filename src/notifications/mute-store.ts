/**
 * Muted conversations, per user, in localStorage (`realtime-chat.muted.<user id>`: a JSON array of conversation ids).
 * Per browser (unlike read points, which the server keeps: src/hooks/useReadPoints.ts); a store that cannot be read
 * or written keeps the state for the session.
 */

export interface MuteStore {
  /** The muted conversation ids. */
  read(): ReadonlySet<string>;
  write(ids: ReadonlySet<string>): void;
  /** The localStorage key (for `storage` events from other tabs). */
  readonly key: string | null;
}

export function muteStorageKey(me: string): string {
  return `realtime-chat.muted.${me}`;
}

export function parseMuted(raw: string | null): ReadonlySet<string> {
  if (!raw) return new Set();
  try {
    const value: unknown = JSON.parse(raw);
    return new Set(Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string' && id !== '') : []);
  } catch {
    return new Set();
  }
}

/** The subset of the Web Storage API the store needs (window.localStorage, or a fake in tests). */
export type MuteStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function createLocalStorageMuteStore(storage: MuteStorage, me: string): MuteStore {
  const key = muteStorageKey(me);
  let fallback: ReadonlySet<string> | null = null;
  return {
    key,
    read() {
      if (fallback) return fallback;
      try {
        return parseMuted(storage.getItem(key));
      } catch {
        return new Set();
      }
    },
    write(ids) {
      try {
        if (ids.size === 0) storage.removeItem(key);
        else storage.setItem(key, JSON.stringify([...ids]));
        fallback = null;
      } catch {
        fallback = new Set(ids);
      }
    },
  };
}

export function createMemoryMuteStore(): MuteStore {
  let ids: ReadonlySet<string> = new Set();
  return {
    key: null,
    read: () => ids,
    write(next) {
      ids = new Set(next);
    },
  };
}

/** The set with `conversationId` muted or unmuted. */
export function withMuted(ids: ReadonlySet<string>, conversationId: string, muted: boolean): ReadonlySet<string> {
  if (ids.has(conversationId) === muted) return ids;
  const next = new Set(ids);
  if (muted) next.add(conversationId);
  else next.delete(conversationId);
  return next;
}
