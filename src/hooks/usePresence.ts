import { useCallback, useEffect, useState } from 'react';
import type { PresenceSummary } from '../chat/presence';
import { compareTimestamps } from '../chat/timestamps';
import { client } from '../data-client';
import { startQueue } from '../state/start-queue';
import { listAll, subscribeWithRetry, type PresenceRecord } from './amplify-helpers';
import { useConnectionEvents } from './useConnectionState';

export interface Presence {
  /** Presence records by user id (UserPresence.id = the user's sub). */
  readonly byUser: ReadonlyMap<string, PresenceSummary>;
  /** Applies a record this client obtained itself (its own heartbeat's answer). */
  apply(record: PresenceRecord): void;
}

/**
 * Everyone's presence: UserPresence listed, then kept current by onCreate/onUpdateUserPresence
 * (heartbeats and the sweeper write through AppSync, so both reach subscribers); listed again when
 * real-time events flow again after a gap. Staleness is judged at render time (src/chat/presence.ts).
 */
export function usePresence(): Presence {
  const [byUser, setByUser] = useState<ReadonlyMap<string, PresenceRecord>>(new Map());

  const apply = useCallback((record: PresenceRecord) => {
    setByUser((current) => {
      const held = current.get(record.id);
      // The newer write wins (the sweeper's OFFLINE keeps lastSeen but is a newer write).
      if (held && compareTimestamps(record.updatedAt ?? record.lastSeen, held.updatedAt ?? held.lastSeen) < 0) return current;
      return new Map(current).set(record.id, record);
    });
  }, []);

  const load = useCallback(async () => {
    try {
      const records = await listAll<PresenceRecord>((nextToken) => client.models.UserPresence.list({ limit: 500, nextToken }));
      records.forEach(apply);
    } catch {
      // Presence is decoration: without it everyone reads as offline until the next event.
    }
  }, [apply]);

  useEffect(() => {
    // One task each (src/state/start-queue.ts), in this order.
    const stops = [
      startQueue.start(() => void load()),
      startQueue.start(() => subscribeWithRetry<PresenceRecord>(() => client.models.UserPresence.onCreate(), apply)),
      startQueue.start(() => subscribeWithRetry<PresenceRecord>(() => client.models.UserPresence.onUpdate(), apply)),
    ];
    return () => stops.forEach((stop) => stop());
  }, [apply, load]);

  useConnectionEvents((event) => {
    if (event === 'live') void load();
  });

  return { byUser, apply };
}
