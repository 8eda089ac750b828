import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { ConnectionEvent, ConnectionStatus } from '../state/connection';
import { connectionMonitor } from './connection-monitor';

/** The real-time connection status (re-renders on change). */
export function useConnectionState(): ConnectionStatus {
  return useSyncExternalStore(connectionMonitor.subscribe, connectionMonitor.getStatus, connectionMonitor.getStatus);
}

/** Calls `handler` (latest version) on 'disrupted' / 'live', synchronously with the change. */
export function useConnectionEvents(handler: (event: ConnectionEvent) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => connectionMonitor.onEvent((event) => ref.current(event)), []);
}
