import { PRESENCE_STALE_AFTER_SECONDS, PRESENCE_STATUSES, type PresenceStatus } from '../../shared/limits';
import { ownerValue, type CallerIdentity } from '../../shared/owner';
import { ChatError } from '../../shared/errors';

/** Presence rules (heartbeat and staleness), independent of AppSync: tests drive them with an in-memory store. */

export interface PresenceRecord {
  /** The user's id (Cognito sub): one presence record per user. */
  id: string;
  /** `<sub>::<username>`. */
  owner: string;
  status: PresenceStatus;
  lastSeen: string;
}

export interface PresenceStore {
  /** Creates or replaces the caller's record (through AppSync, so subscribers see it). */
  put(record: PresenceRecord): Promise<PresenceRecord>;
  /** Records with this status whose lastSeen is strictly before `before` (ISO 8601). */
  listByStatusSeenBefore(status: PresenceStatus, before: string): Promise<PresenceRecord[]>;
  /**
   * Sets the record OFFLINE unless it changed since it was read (a heartbeat won the race).
   * Returns whether it was changed.
   */
  markOffline(record: PresenceRecord): Promise<boolean>;
}

export type Clock = () => Date;
const systemClock: Clock = () => new Date();

export function validateStatus(status: unknown): PresenceStatus {
  if (status === undefined || status === null) return 'ONLINE';
  if (typeof status === 'string' && (PRESENCE_STATUSES as readonly string[]).includes(status)) {
    return status as PresenceStatus;
  }
  throw new ChatError('ValidationError', `status must be one of ${PRESENCE_STATUSES.join(', ')}`);
}

/** Records the caller's heartbeat: status (ONLINE unless told otherwise) and lastSeen = now. */
export async function heartbeat(
  store: PresenceStore,
  caller: CallerIdentity,
  status: unknown,
  clock: Clock = systemClock,
): Promise<PresenceRecord> {
  return store.put({
    id: caller.sub,
    owner: ownerValue(caller),
    status: validateStatus(status),
    lastSeen: clock().toISOString(),
  });
}

/** The lastSeen before which a presence is stale: it missed two heartbeats (90 s with a 30 s beat). */
export function staleBefore(now: Date): string {
  return new Date(now.getTime() - PRESENCE_STALE_AFTER_SECONDS * 1000).toISOString();
}

export function isStale(record: Pick<PresenceRecord, 'status' | 'lastSeen'>, now: Date): boolean {
  return record.status !== 'OFFLINE' && record.lastSeen < staleBefore(now);
}

export interface SweepResult {
  stale: number;
  markedOffline: number;
}

/** Marks every ONLINE or AWAY user whose heartbeats stopped as OFFLINE. */
export async function sweepStalePresence(store: PresenceStore, clock: Clock = systemClock): Promise<SweepResult> {
  const now = clock();
  const before = staleBefore(now);
  const result: SweepResult = { stale: 0, markedOffline: 0 };
  for (const status of ['ONLINE', 'AWAY'] as const) {
    const candidates = await store.listByStatusSeenBefore(status, before);
    for (const record of candidates) {
      if (!isStale(record, now)) continue;
      result.stale += 1;
      if (await store.markOffline(record)) result.markedOffline += 1;
    }
  }
  return result;
}
