/**
 * The real-time connection as the UI needs it, from Amplify's connection-state events
 * (`Hub.listen('api')`, `payload.event === CONNECTION_STATE_CHANGE`), the browser's online flag, and
 * the acknowledgement of the app's message subscription.
 *
 * "Live" means events are being delivered: the socket is Connected *and* the message subscription has
 * been acknowledged since the last disruption. Amplify reports Connected when the socket's
 * connection_ack arrives, before it restarts the subscriptions: fetching missed messages at that
 * point could miss one created between the fetch and the subscription's start. So catching up waits
 * for the acknowledgement, unless acknowledgements are not observable (then Connected is enough; the
 * monitor calls ackTimedOut()).
 *
 * Pure and immutable: every function returns the next state and what happened.
 */

/** Amplify's ConnectionState values (@aws-amplify/api-graphql), as strings. */
export type SocketState =
  | 'Connected'
  | 'ConnectedPendingNetwork'
  | 'ConnectionDisrupted'
  | 'ConnectionDisruptedPendingNetwork'
  | 'Connecting'
  | 'ConnectedPendingDisconnect'
  | 'Disconnected'
  | 'ConnectedPendingKeepAlive';

export interface ConnectionStatus {
  /** The last socket state reported (null before the first subscription opens a socket). */
  readonly socket: SocketState | null;
  readonly browserOnline: boolean;
  /** True after the socket was lost, until events flow again. */
  readonly disrupted: boolean;
  /** Events are being delivered (see the module comment). */
  readonly live: boolean;
  /** The socket reported Connected since the last disruption. */
  readonly connected: boolean;
  /** The message subscription was acknowledged since the last disruption. */
  readonly acknowledged: boolean;
  /** Acknowledgements are not observed in this session: Connected alone means live. */
  readonly ackUnavailable: boolean;
  /** Counts the times events started flowing (first time included); a dependency for refreshes. */
  readonly liveEpoch: number;
}

/**
 * - 'disrupted': the connection was lost; read catch-up cursors now.
 * - 'live': events flow again (or for the first time): fetch what may have been missed.
 */
export type ConnectionEvent = 'disrupted' | 'live';

export interface ConnectionStep {
  readonly status: ConnectionStatus;
  readonly events: readonly ConnectionEvent[];
}

export function initialConnectionStatus(browserOnline: boolean): ConnectionStatus {
  return {
    socket: null,
    browserOnline,
    disrupted: false,
    live: false,
    connected: false,
    acknowledged: false,
    ackUnavailable: false,
    liveEpoch: 0,
  };
}

/** The socket is gone (closed while wanted, or failed). */
const LOST_STATES: ReadonlySet<SocketState> = new Set<SocketState>([
  'ConnectionDisrupted',
  'ConnectionDisruptedPendingNetwork',
  'Disconnected',
]);

/** The socket is open (keep-alive late or network flagged included: events still arrive on it). */
const OPEN_STATES: ReadonlySet<SocketState> = new Set<SocketState>([
  'Connected',
  'ConnectedPendingNetwork',
  'ConnectedPendingKeepAlive',
]);

/**
 * A connection-state change reported by Amplify. Note that Amplify reports Connecting (then
 * Connected) each time a subscription *starts*, on an open socket too: Connecting is no gap.
 */
export function socketStateChanged(status: ConnectionStatus, socket: SocketState): ConnectionStep {
  if (LOST_STATES.has(socket)) {
    const next: ConnectionStatus = { ...status, socket, live: false, connected: false, acknowledged: false };
    // A socket reported before (even one that never became live) was lost: data loaded meanwhile has a gap.
    if (!status.disrupted && (status.live || status.socket !== null)) {
      return { status: { ...next, disrupted: true }, events: ['disrupted'] };
    }
    return { status: next, events: [] };
  }
  return settle({ ...status, socket, connected: status.connected || OPEN_STATES.has(socket) }, []);
}

/** The message subscription was acknowledged by the server. */
export function subscriptionAcknowledged(status: ConnectionStatus): ConnectionStep {
  return settle({ ...status, acknowledged: true, ackUnavailable: false }, []);
}

/** No acknowledgement came in time after Connected: stop waiting for them in this session. */
export function ackTimedOut(status: ConnectionStatus): ConnectionStep {
  if (status.acknowledged || status.ackUnavailable) return { status, events: [] };
  return settle({ ...status, ackUnavailable: true }, []);
}

/**
 * The app's own subscription failed (an error frame, not a socket state): it is being restarted, so
 * events may be missed until it is acknowledged again.
 */
export function subscriptionFailed(status: ConnectionStatus): ConnectionStep {
  const next: ConnectionStatus = { ...status, acknowledged: false };
  if (!status.live) return settle(next, []);
  return settle({ ...next, live: false, disrupted: true }, ['disrupted']);
}

export function browserOnlineChanged(status: ConnectionStatus, browserOnline: boolean): ConnectionStep {
  if (status.browserOnline === browserOnline) return { status, events: [] };
  return { status: { ...status, browserOnline }, events: [] };
}

function settle(status: ConnectionStatus, events: ConnectionEvent[]): ConnectionStep {
  const live = status.connected && (status.acknowledged || status.ackUnavailable);
  if (live && !status.live) {
    return { status: { ...status, live: true, disrupted: false, liveEpoch: status.liveEpoch + 1 }, events: [...events, 'live'] };
  }
  return { status, events };
}

export type ConnectionBanner = 'offline' | 'reconnecting' | null;

/** What the banner says: offline (browser or socket without network), reconnecting, or nothing. */
export function connectionBanner(status: ConnectionStatus): ConnectionBanner {
  if (!status.browserOnline) return 'offline';
  if (status.socket === 'ConnectionDisruptedPendingNetwork' || status.socket === 'ConnectedPendingNetwork') return 'offline';
  if (status.disrupted) return 'reconnecting';
  return null;
}
