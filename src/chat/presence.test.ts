import { describe, expect, it } from 'vitest';
import { PRESENCE_STALE_AFTER_SECONDS } from '../../amplify/shared/limits';
import { PRESENCE_STALE_AFTER_MS, isPresenceStale, lastSeenLabel, presenceDot, presenceLabel } from './presence';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;

describe('staleness', () => {
  it('uses the shared 90 s constant', () => {
    expect(PRESENCE_STALE_AFTER_MS).toBe(PRESENCE_STALE_AFTER_SECONDS * 1000);
    expect(PRESENCE_STALE_AFTER_MS).toBe(90 * SEC);
  });

  it('is stale strictly after 90 s, like the sweeper', () => {
    expect(isPresenceStale({ status: 'ONLINE', lastSeen: ago(90 * SEC) }, NOW)).toBe(false);
    expect(isPresenceStale({ status: 'ONLINE', lastSeen: ago(90 * SEC + 1) }, NOW)).toBe(true);
  });

  it('a lastSeen in the future (clock skew) is fresh; a missing or bad one is stale', () => {
    expect(isPresenceStale({ status: 'ONLINE', lastSeen: ago(-5 * SEC) }, NOW)).toBe(false);
    expect(isPresenceStale({ status: 'ONLINE', lastSeen: null }, NOW)).toBe(true);
    expect(isPresenceStale({ status: 'ONLINE', lastSeen: 'garbage' }, NOW)).toBe(true);
    expect(isPresenceStale(null, NOW)).toBe(true);
  });
});

describe('presenceDot', () => {
  it('follows a fresh status', () => {
    expect(presenceDot({ status: 'ONLINE', lastSeen: ago(10 * SEC) }, NOW)).toBe('online');
    expect(presenceDot({ status: 'AWAY', lastSeen: ago(10 * SEC) }, NOW)).toBe('away');
    expect(presenceDot({ status: 'OFFLINE', lastSeen: ago(10 * SEC) }, NOW)).toBe('offline');
  });

  it('shows a stale ONLINE or AWAY as offline before the sweeper catches up', () => {
    expect(presenceDot({ status: 'ONLINE', lastSeen: ago(2 * MIN) }, NOW)).toBe('offline');
    expect(presenceDot({ status: 'AWAY', lastSeen: ago(2 * MIN) }, NOW)).toBe('offline');
  });

  it('is offline without a record or status', () => {
    expect(presenceDot(undefined, NOW)).toBe('offline');
    expect(presenceDot({ lastSeen: ago(0) }, NOW)).toBe('offline');
  });
});

describe('lastSeenLabel', () => {
  it.each([
    [0, 'last seen just now'],
    [59 * SEC, 'last seen just now'],
    [60 * SEC, 'last seen 1 min ago'],
    [5 * MIN + 30 * SEC, 'last seen 5 min ago'],
    [59 * MIN, 'last seen 59 min ago'],
    [HOUR, 'last seen 1 h ago'],
    [23 * HOUR + 59 * MIN, 'last seen 23 h ago'],
    [24 * HOUR, 'last seen 1 day ago'],
    [4 * 24 * HOUR, 'last seen 4 days ago'],
    [-30 * SEC, 'last seen just now'],
  ])('%i ms ago → %s', (elapsed, label) => {
    expect(lastSeenLabel(ago(elapsed), NOW)).toBe(label);
  });

  it('is empty when unknown', () => {
    expect(lastSeenLabel(null, NOW)).toBe('');
    expect(lastSeenLabel('nope', NOW)).toBe('');
  });
});

describe('presenceLabel', () => {
  it('says Online / Away while fresh, the last-seen time once offline or stale', () => {
    expect(presenceLabel({ status: 'ONLINE', lastSeen: ago(5 * SEC) }, NOW)).toBe('Online');
    expect(presenceLabel({ status: 'AWAY', lastSeen: ago(5 * SEC) }, NOW)).toBe('Away');
    expect(presenceLabel({ status: 'OFFLINE', lastSeen: ago(5 * MIN) }, NOW)).toBe('last seen 5 min ago');
    expect(presenceLabel({ status: 'ONLINE', lastSeen: ago(3 * MIN) }, NOW)).toBe('last seen 3 min ago');
  });

  it('says Offline when nothing is known', () => {
    expect(presenceLabel(null, NOW)).toBe('Offline');
  });
});
