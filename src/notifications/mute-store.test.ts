import { describe, expect, it } from 'vitest';
import { createLocalStorageMuteStore, createMemoryMuteStore, muteStorageKey, parseMuted, withMuted, type MuteStorage } from './mute-store';

function fakeStorage(failing = false): MuteStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      if (failing) throw new Error('QuotaExceededError');
      items.set(key, value);
    },
    removeItem: (key) => void items.delete(key),
  };
}

describe('mute store', () => {
  it('keeps muted conversation ids per user in localStorage', () => {
    const storage = fakeStorage();
    const ann = createLocalStorageMuteStore(storage, 'ann');
    ann.write(withMuted(ann.read(), 'c1', true));
    expect(storage.items.get(muteStorageKey('ann'))).toBe('["c1"]');
    expect([...createLocalStorageMuteStore(storage, 'ann').read()]).toEqual(['c1']);
    expect(createLocalStorageMuteStore(storage, 'bob').read().size).toBe(0);
    ann.write(withMuted(ann.read(), 'c1', false));
    expect(storage.items.has(muteStorageKey('ann'))).toBe(false);
  });

  it('keeps the state for the session when storage refuses writes', () => {
    const store = createLocalStorageMuteStore(fakeStorage(true), 'ann');
    store.write(new Set(['c1']));
    expect(store.read().has('c1')).toBe(true);
    const memory = createMemoryMuteStore();
    memory.write(new Set(['c2']));
    expect([...memory.read()]).toEqual(['c2']);
  });

  it('reads damaged values as nothing muted', () => {
    expect(parseMuted('{')).toEqual(new Set());
    expect(parseMuted('{"a":1}')).toEqual(new Set());
    expect(parseMuted('["a", 2, ""]')).toEqual(new Set(['a']));
  });

  it('withMuted returns the same set when nothing changes', () => {
    const ids = new Set(['c1']);
    expect(withMuted(ids, 'c1', true)).toBe(ids);
    expect(withMuted(ids, 'c2', false)).toBe(ids);
  });
});
