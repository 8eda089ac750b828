import { describe, expect, it } from 'vitest';
import {
  countUnread,
  createLocalStorageReadStore,
  createMemoryReadStore,
  hasUnreadActivity,
  markRead,
  type KeyValueStorage,
} from './unread';

const ME = 'sub-me';
const ANN = 'sub-ann';
const at = (minute: number) => `2024-05-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

const messages = [
  { sender: ANN, createdAt: at(1) },
  { sender: ME, createdAt: at(2) },
  { sender: ANN, createdAt: at(3) },
  { sender: `${ME}::${ME}`, createdAt: at(4) },
  { sender: ANN, createdAt: at(5) },
];

/** A fake Web Storage holding raw strings. */
function fakeStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  const storage: KeyValueStorage & { data: Map<string, string> } = {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => {
      data.set(key, value);
    },
  };
  return storage;
}

describe('countUnread', () => {
  it('counts every message from others when nothing was read yet', () => {
    expect(countUnread(messages, ME, null)).toBe(3);
  });

  it('counts only messages strictly newer than the marker', () => {
    expect(countUnread(messages, ME, at(3))).toBe(1);
    expect(countUnread(messages, ME, at(5))).toBe(0);
  });

  it('never counts my own messages, in either owner-entry form', () => {
    const mine = [
      { sender: ME, createdAt: at(9) },
      { sender: `${ME}::${ME}`, createdAt: at(9) },
    ];
    expect(countUnread(mine, ME, null)).toBe(0);
    expect(countUnread(mine, `${ME}::${ME}`, at(0))).toBe(0);
  });

  it('compares instants, not text', () => {
    expect(countUnread([{ sender: ANN, createdAt: '2024-05-01T12:00:00+02:00' }], ME, '2024-05-01T10:00:00Z')).toBe(0);
    expect(countUnread([{ sender: ANN, createdAt: '2024-05-01T10:00:00.001Z' }], ME, '2024-05-01T10:00:00Z')).toBe(1);
  });
});

describe('hasUnreadActivity', () => {
  it('is true when the last activity is after the marker or there is no marker', () => {
    expect(hasUnreadActivity(at(5), at(4))).toBe(true);
    expect(hasUnreadActivity(at(5), null)).toBe(true);
    expect(hasUnreadActivity(at(5), at(5))).toBe(false);
    expect(hasUnreadActivity(null, null)).toBe(false);
    expect(hasUnreadActivity(undefined, at(1))).toBe(false);
  });
});

describe('markRead', () => {
  it('moves the marker forward only', () => {
    const store = createMemoryReadStore();
    markRead(store, 'c1', at(5));
    markRead(store, 'c1', at(3));
    expect(store.get('c1')).toBe(at(5));
    markRead(store, 'c1', at(7));
    expect(store.get('c1')).toBe(at(7));
  });

  it('ignores an unparsable timestamp', () => {
    const store = createMemoryReadStore();
    markRead(store, 'c1', 'yesterday');
    expect(store.get('c1')).toBeNull();
  });

  it('makes counts drop to zero for what was read', () => {
    const store = createMemoryReadStore();
    expect(countUnread(messages, ME, store.get('c1'))).toBe(3);
    markRead(store, 'c1', at(5));
    expect(countUnread(messages, ME, store.get('c1'))).toBe(0);
  });
});

describe('createMemoryReadStore', () => {
  it('keeps markers per conversation and snapshots them', () => {
    const store = createMemoryReadStore({ c1: at(1) });
    store.set('c2', at(2));
    expect(store.get('c1')).toBe(at(1));
    expect(store.get('missing')).toBeNull();
    expect(store.snapshot()).toEqual({ c1: at(1), c2: at(2) });
  });

  it('drops invalid initial entries', () => {
    expect(createMemoryReadStore({ c1: 'nope', c2: 5, c3: at(3) }).snapshot()).toEqual({ c3: at(3) });
  });

  it('a snapshot is a copy', () => {
    const store = createMemoryReadStore();
    const snap = store.snapshot();
    store.set('c1', at(1));
    expect(snap).toEqual({});
  });
});

describe('createLocalStorageReadStore', () => {
  it('persists markers as JSON and reads them back in a new store', () => {
    const storage = fakeStorage();
    const store = createLocalStorageReadStore(storage, 'chat.read.sub-me');
    markRead(store, 'c1', at(4));
    expect(JSON.parse(storage.data.get('chat.read.sub-me') ?? 'null')).toEqual({ c1: at(4) });
    expect(createLocalStorageReadStore(storage, 'chat.read.sub-me').get('c1')).toBe(at(4));
  });

  it('keeps users apart by key', () => {
    const storage = fakeStorage();
    createLocalStorageReadStore(storage, 'chat.read.a').set('c1', at(1));
    expect(createLocalStorageReadStore(storage, 'chat.read.b').get('c1')).toBeNull();
  });

  it.each([
    ['not JSON', '{oops'],
    ['an array', '["c1"]'],
    ['a string', '"c1"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('starts empty when the stored value is %s, and overwrites it on the next write', (_label, raw) => {
    const storage = fakeStorage({ k: raw });
    const store = createLocalStorageReadStore(storage, 'k');
    expect(store.snapshot()).toEqual({});
    store.set('c1', at(1));
    expect(JSON.parse(storage.data.get('k') ?? 'null')).toEqual({ c1: at(1) });
  });

  it('keeps the valid entries of a partly corrupt object', () => {
    const storage = fakeStorage({ k: JSON.stringify({ c1: at(1), c2: 123, c3: 'garbage', c4: null, c5: at(5) }) });
    expect(createLocalStorageReadStore(storage, 'k').snapshot()).toEqual({ c1: at(1), c5: at(5) });
  });

  it('keeps working in memory when storage throws on read and write', () => {
    const storage: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = createLocalStorageReadStore(storage, 'k');
    expect(store.get('c1')).toBeNull();
    expect(() => markRead(store, 'c1', at(2))).not.toThrow();
    expect(store.get('c1')).toBe(at(2));
  });

  it('does not let a "__proto__" key touch prototypes', () => {
    const storage = fakeStorage({ k: `{"__proto__": "${at(1)}", "c1": "${at(2)}"}` });
    const store = createLocalStorageReadStore(storage, 'k');
    expect(store.get('c1')).toBe(at(2));
    expect(store.get('__proto__')).toBe(at(1));
    expect(Object.getPrototypeOf(store.snapshot())).toBe(Object.prototype);
  });
});
