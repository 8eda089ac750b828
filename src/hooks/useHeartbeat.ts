import { useEffect, useRef } from 'react';
import { HEARTBEAT_INTERVAL_SECONDS, type PresenceStatus } from '../../amplify/shared/limits';
import { client } from '../data-client';
import { createHeartbeat, type Heartbeat } from '../state/heartbeat';
import { startQueue } from '../state/start-queue';
import type { PresenceRecord } from './amplify-helpers';
import { useConnectionEvents } from './useConnectionState';

/**
 * Keeps the signed-in user's presence: heartbeat(ONLINE) every HEARTBEAT_INTERVAL_SECONDS (30 s, a
 * third of the 90 s staleness limit) while the tab is visible, AWAY as soon as it is hidden (and every
 * interval while it stays open), a beat as soon as events flow again after a gap, and OFFLINE when
 * the page is closed (best effort). `onRecord` receives each answer.
 */
export function useHeartbeat(onRecord: (record: PresenceRecord) => void): { goOffline(): Promise<void> } {
  const onRecordRef = useRef(onRecord);
  const heartbeatRef = useRef<Heartbeat | null>(null);
  useEffect(() => {
    onRecordRef.current = onRecord;
  });

  useEffect(() => {
    const send = (status: PresenceStatus) => {
      client.mutations
        .heartbeat({ status })
        .then(({ data }) => {
          if (data) onRecordRef.current(data);
        })
        .catch(() => {
          // Offline: the next beat (or the reconnect) tries again.
        });
    };
    const heartbeat = createHeartbeat({
      send,
      intervalMs: HEARTBEAT_INTERVAL_SECONDS * 1000,
      isVisible: () => document.visibilityState === 'visible',
      setTimer: (callback, ms) => window.setTimeout(callback, ms),
      clearTimer: (handle) => window.clearTimeout(handle),
    });
    heartbeatRef.current = heartbeat;
    const onVisibility = () => heartbeat.visibilityChanged();
    const onPageHide = () => {
      heartbeat.stop();
      send('OFFLINE');
    };
    const onPageShow = (event: PageTransitionEvent) => {
      // Back from the back/forward cache: start beating again.
      if (event.persisted) heartbeat.start();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('pageshow', onPageShow);
    // The first beat is sent from the start queue (src/state/start-queue.ts), in a task of its own.
    const cancelStart = startQueue.start(() => heartbeat.start());
    return () => {
      cancelStart();
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('pageshow', onPageShow);
      heartbeat.stop();
      heartbeatRef.current = null;
    };
  }, []);

  useConnectionEvents((event) => {
    if (event === 'live') heartbeatRef.current?.beatNow();
  });

  return {
    async goOffline() {
      heartbeatRef.current?.stop();
      try {
        await client.mutations.heartbeat({ status: 'OFFLINE' });
      } catch {
        // Signing out anyway; the sweeper marks the user offline within 150 s.
      }
    },
  };
}
