import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ProfilesById } from '../chat/conversations';
import { client } from '../data-client';
import { errorText } from '../state/errors';
import { startQueue } from '../state/start-queue';
import type { Person } from '../state/people';
import { listAll, subscribeWithRetry, type ProfileRecord } from './amplify-helpers';
import type { LoadStatus } from './useConversations';
import { useConnectionEvents } from './useConnectionState';

export interface Directory {
  /** Profiles by user id (a profile's id is the user's sub). */
  readonly profiles: ProfilesById;
  readonly people: readonly Person[];
  readonly status: LoadStatus;
  readonly error: string | null;
  reload(): void;
}

/** The user directory (UserProfile, readable by every signed-in user), kept current by its subscriptions. */
export function useDirectory(): Directory {
  const [records, setRecords] = useState<ReadonlyMap<string, ProfileRecord>>(new Map());
  const [status, setStatus] = useState<LoadStatus>('loading');
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (visible: boolean) => {
    if (visible) {
      setStatus((current) => (current === 'error' ? 'loading' : current));
      setError(null);
    }
    try {
      const fetched = await listAll<ProfileRecord>((nextToken) => client.models.UserProfile.list({ limit: 500, nextToken }));
      setRecords((current) => {
        const next = new Map(current);
        for (const profile of fetched) next.set(profile.id, profile);
        return next;
      });
      setStatus('ready');
    } catch (reason) {
      if (visible) {
        setStatus('error');
        setError(errorText(reason));
      }
    }
  }, []);

  useEffect(() => {
    const upsert = (profile: ProfileRecord) => setRecords((current) => new Map(current).set(profile.id, profile));
    // One task each (src/state/start-queue.ts), in this order.
    const stops = [
      startQueue.start(() => void load(true)),
      startQueue.start(() => subscribeWithRetry<ProfileRecord>(() => client.models.UserProfile.onCreate(), upsert)),
      startQueue.start(() => subscribeWithRetry<ProfileRecord>(() => client.models.UserProfile.onUpdate(), upsert)),
    ];
    return () => stops.forEach((stop) => stop());
  }, [load]);

  useConnectionEvents((event) => {
    if (event === 'live') void load(false);
  });

  const people = useMemo(
    () => [...records.values()].map((p) => ({ id: p.id, displayName: p.displayName, email: p.email ?? null })),
    [records],
  );
  const reload = useCallback(() => void load(true), [load]);
  return { profiles: records, people, status, error, reload };
}
