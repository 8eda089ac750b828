import { CONNECTION_STATE_CHANGE } from 'aws-amplify/data';
import { Hub } from 'aws-amplify/utils';
import { MESSAGE_FEED_SUBSCRIPTION } from './amplify-helpers';
import {
  ackTimedOut,
  browserOnlineChanged,
  initialConnectionStatus,
  socketStateChanged,
  subscriptionAcknowledged,
  subscriptionFailed,
  type ConnectionEvent,
  type ConnectionStatus,
  type ConnectionStep,
  type SocketState,
} from '../state/connection';

/**
 * One monitor for the page: Amplify's connection-state events and subscription acknowledgements on
 * the 'api' Hub channel, the browser's online/offline events, and failures the app reports, fed to
 * the pure machine in src/state/connection.ts. Components read it through useConnectionState();
 * data hooks react to its 'disrupted' / 'live' events.
 *
 * The "sentinel" is the subscription whose acknowledgement means events flow again: the message
 * feed's subscription (MESSAGE_FEED_SUBSCRIPTION, the one that catch-ups depend on).
 */

/** Amplify's Hub event for a subscription's start_ack (CONTROL_MSG.SUBSCRIPTION_ACK in @aws-amplify/api-graphql). */
const SUBSCRIPTION_ACK = 'Subscription ack';
const SENTINEL_FIELD = MESSAGE_FEED_SUBSCRIPTION;
/** After Connected, how long to wait for the sentinel's acknowledgement before relying on Connected alone. */
const ACK_TIMEOUT_MS = 5_000;

type Listener = () => void;
type EventListener = (event: ConnectionEvent) => void;

export interface ConnectionMonitor {
  getStatus(): ConnectionStatus;
  /** For useSyncExternalStore. */
  subscribe(listener: Listener): () => void;
  /** Called synchronously when the connection is lost or events flow again. */
  onEvent(listener: EventListener): () => void;
  /** The app's own sentinel subscription failed and is being restarted. */
  reportSubscriptionFailure(): void;
  /** Forgets the session's connection history (after sign-out: the next user starts afresh). */
  reset(): void;
}

const SOCKET_STATES: ReadonlySet<string> = new Set<SocketState>([
  'Connected',
  'ConnectedPendingNetwork',
  'ConnectionDisrupted',
  'ConnectionDisruptedPendingNetwork',
  'Connecting',
  'ConnectedPendingDisconnect',
  'Disconnected',
  'ConnectedPendingKeepAlive',
]);

function createConnectionMonitor(): ConnectionMonitor {
  const browserOnline = typeof navigator === 'undefined' ? true : navigator.onLine;
  let status = initialConnectionStatus(browserOnline);
  const listeners = new Set<Listener>();
  const eventListeners = new Set<EventListener>();
  let ackTimer: ReturnType<typeof setTimeout> | null = null;

  function apply(step: ConnectionStep): void {
    const changed = step.status !== status;
    status = step.status;
    if (status.socket === 'Connected' && !status.acknowledged && !status.ackUnavailable) {
      ackTimer ??= setTimeout(() => {
        ackTimer = null;
        apply(ackTimedOut(status));
      }, ACK_TIMEOUT_MS);
    } else if (ackTimer !== null && (status.acknowledged || status.socket !== 'Connected')) {
      clearTimeout(ackTimer);
      ackTimer = null;
    }
    for (const event of step.events) for (const listener of [...eventListeners]) listener(event);
    if (changed) for (const listener of [...listeners]) listener();
  }

  Hub.listen('api', ({ payload }) => {
    if (payload.event === CONNECTION_STATE_CHANGE) {
      const state = (payload.data as { connectionState?: unknown } | undefined)?.connectionState;
      if (typeof state === 'string' && SOCKET_STATES.has(state)) apply(socketStateChanged(status, state as SocketState));
    } else if (payload.event === SUBSCRIPTION_ACK) {
      const query = (payload.data as { query?: unknown } | undefined)?.query;
      if (typeof query === 'string' && query.includes(SENTINEL_FIELD)) apply(subscriptionAcknowledged(status));
    }
  });

  if (typeof window !== 'undefined') {
    window.addEventListener('online', () => apply(browserOnlineChanged(status, true)));
    window.addEventListener('offline', () => apply(browserOnlineChanged(status, false)));
  }

  return {
    getStatus: () => status,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    reportSubscriptionFailure() {
      apply(subscriptionFailed(status));
    },
    reset() {
      if (ackTimer !== null) clearTimeout(ackTimer);
      ackTimer = null;
      apply({ status: initialConnectionStatus(status.browserOnline), events: [] });
    },
  };
}

/** The page's monitor, listening from the moment this module is first imported (before any subscription starts). */
export const connectionMonitor: ConnectionMonitor = createConnectionMonitor();
