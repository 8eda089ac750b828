import { describe, expect, it } from 'vitest';
import { PRESENCE_STALE_AFTER_SECONDS } from '../../shared/limits';
import { chatErrorCode } from '../../shared/errors';
import { heartbeat, isStale, staleBefore, sweepStalePresence, type PresenceRecord, type PresenceStore } from './logic';

const ann = { sub: 'ann-sub', username: 'ann-sub' };
const NOW = new Date('2026-06-01T12:00:00.000Z');
const secondsAgo = (s: number) => new Date(NOW.getTime() - s * 1000).toISOString();

class MemoryPresence implements PresenceStore {
  records = new Map<string, PresenceRecord>();
  /** Simulates a heartbeat landing between the sweeper's read and its write. */
  beforeMarkOffline?: (record: PresenceRecord) => void;

  async put(record: PresenceRecord) {
    this.records.set(record.id, { ...record });
    return { ...record };
  }
  async listByStatusSeenBefore(status: PresenceRecord['status'], before: string) {
    return [...this.records.values()].filter((r) => r.status === status && r.lastSeen < before).map((r) => ({ ...r }));
  }
  async markOffline(record: PresenceRecord) {
    this.beforeMarkOffline?.(record);
    const current = this.records.get(record.id);
    if (!current || current.lastSeen !== record.lastSeen || current.status !== record.status) return false;
    current.status = 'OFFLINE';
    return true;
  }
}

describe('heartbeat', () => {
  it('records the caller ONLINE now, owned by <sub>::<username>', async () => {
    const store = new MemoryPresence();
    const record = await heartbeat(store, ann, undefined, () => NOW);
    expect(record).toEqual({ id: 'ann-sub', owner: 'ann-sub::ann-sub', status: 'ONLINE', lastSeen: NOW.toISOString() });
  });

  it('accepts AWAY and OFFLINE and rejects anything else', async () => {
    const store = new MemoryPresence();
    await expect(heartbeat(store, ann, 'AWAY', () => NOW)).resolves.toMatchObject({ status: 'AWAY' });
    await expect(heartbeat(store, ann, 'OFFLINE', () => NOW)).resolves.toMatchObject({ status: 'OFFLINE' });
    await expect(heartbeat(store, ann, 'INVISIBLE', () => NOW)).rejects.toSatisfy(
      (e: Error) => chatErrorCode(e.message) === 'ValidationError',
    );
  });
});

describe('staleness', () => {
  it('is stale after two missed 30-second heartbeats (more than 90 s)', () => {
    expect(PRESENCE_STALE_AFTER_SECONDS).toBe(90);
    expect(staleBefore(NOW)).toBe(secondsAgo(90));
    expect(isStale({ status: 'ONLINE', lastSeen: secondsAgo(89) }, NOW)).toBe(false);
    expect(isStale({ status: 'ONLINE', lastSeen: secondsAgo(90) }, NOW)).toBe(false);
    expect(isStale({ status: 'ONLINE', lastSeen: secondsAgo(91) }, NOW)).toBe(true);
    expect(isStale({ status: 'AWAY', lastSeen: secondsAgo(600) }, NOW)).toBe(true);
    expect(isStale({ status: 'OFFLINE', lastSeen: secondsAgo(600) }, NOW)).toBe(false);
  });
});

describe('sweepStalePresence', () => {
  it('marks stale ONLINE and AWAY users OFFLINE and leaves the others alone', async () => {
    const store = new MemoryPresence();
    const seed = (id: string, status: PresenceRecord['status'], ago: number) =>
      store.records.set(id, { id, owner: `${id}::${id}`, status, lastSeen: secondsAgo(ago) });
    seed('fresh', 'ONLINE', 30);
    seed('stale', 'ONLINE', 120);
    seed('away-stale', 'AWAY', 3600);
    seed('away-fresh', 'AWAY', 10);
    seed('gone', 'OFFLINE', 99999);
    const result = await sweepStalePresence(store, () => NOW);
    expect(result).toEqual({ stale: 2, markedOffline: 2 });
    expect(Object.fromEntries([...store.records.values()].map((r) => [r.id, r.status]))).toEqual({
      fresh: 'ONLINE',
      stale: 'OFFLINE',
      'away-stale': 'OFFLINE',
      'away-fresh': 'AWAY',
      gone: 'OFFLINE',
    });
  });

  it('keeps a user online whose heartbeat lands between the sweeper\'s read and write', async () => {
    const store = new MemoryPresence();
    store.records.set('ann', { id: 'ann', owner: 'ann::ann', status: 'ONLINE', lastSeen: secondsAgo(300) });
    store.beforeMarkOffline = (record) => {
      store.records.set(record.id, { ...record, lastSeen: NOW.toISOString() });
    };
    const result = await sweepStalePresence(store, () => NOW);
    expect(result).toEqual({ stale: 1, markedOffline: 0 });
    expect(store.records.get('ann')!.status).toBe('ONLINE');
  });
});
