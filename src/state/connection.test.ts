import { describe, expect, it } from 'vitest';
import {
  ackTimedOut,
  browserOnlineChanged,
  connectionBanner,
  initialConnectionStatus,
  socketStateChanged,
  subscriptionAcknowledged,
  subscriptionFailed,
  type ConnectionEvent,
  type ConnectionStatus,
  type ConnectionStep,
  type SocketState,
} from './connection';

type Input = SocketState | 'ack' | 'ack-timeout' | 'sub-error' | 'online' | 'offline';

/** Feeds inputs in order; returns the final status and every event emitted. */
function run(inputs: readonly Input[], start: ConnectionStatus = initialConnectionStatus(true)) {
  let status = start;
  const events: ConnectionEvent[] = [];
  for (const input of inputs) {
    let step: ConnectionStep;
    if (input === 'ack') step = subscriptionAcknowledged(status);
    else if (input === 'ack-timeout') step = ackTimedOut(status);
    else if (input === 'sub-error') step = subscriptionFailed(status);
    else if (input === 'online' || input === 'offline') step = browserOnlineChanged(status, input === 'online');
    else step = socketStateChanged(status, input);
    status = step.status;
    events.push(...step.events);
  }
  return { status, events };
}

const STARTUP: Input[] = ['Connecting', 'Connected', 'ack'];

describe('connection status', () => {
  it('becomes live once the message subscription is acknowledged, not at Connected', () => {
    const connected = run(['Connecting', 'Connected']);
    expect(connected.status.live).toBe(false);
    expect(connected.events).toEqual([]);
    const acked = run(STARTUP);
    expect(acked.status.live).toBe(true);
    expect(acked.events).toEqual(['live']);
    expect(acked.status.liveEpoch).toBe(1);
  });

  it('reports a disruption once and live again after the reconnect is acknowledged', () => {
    const { status, events } = run([
      ...STARTUP,
      'ConnectionDisrupted',
      'ConnectionDisruptedPendingNetwork',
      'Connecting',
      'ConnectionDisrupted',
      'Connecting',
      'Connected',
    ]);
    expect(events).toEqual(['live', 'disrupted']);
    expect(status.live).toBe(false);
    expect(status.disrupted).toBe(true);

    const after = run(['ack'], status);
    expect(after.events).toEqual(['live']);
    expect(after.status.disrupted).toBe(false);
    expect(after.status.liveEpoch).toBe(2);
  });

  it('does not take an acknowledgement from the previous socket for the new one', () => {
    // ack of the old socket, then a disruption: Connected alone must not make it live.
    const { status, events } = run([...STARTUP, 'ConnectionDisrupted', 'Connecting', 'Connected']);
    expect(status.acknowledged).toBe(false);
    expect(status.live).toBe(false);
    expect(events).toEqual(['live', 'disrupted']);
  });

  it('is not fooled by the Connecting/Connected Amplify reports whenever a subscription starts', () => {
    const { events, status } = run([...STARTUP, 'Connecting', 'Connected', 'Connecting']);
    expect(events).toEqual(['live']);
    expect(status.live).toBe(true);
    expect(status.acknowledged).toBe(true);
  });

  it('takes an acknowledgement that arrives before the Connected state', () => {
    const { events, status } = run(['Connecting', 'ack', 'Connected']);
    expect(events).toEqual(['live']);
    expect(status.live).toBe(true);
  });

  it('treats the socket closing (Disconnected) as a gap', () => {
    const { events, status } = run([...STARTUP, 'ConnectedPendingDisconnect', 'Disconnected', 'Connecting', 'Connected', 'ack']);
    expect(events).toEqual(['live', 'disrupted', 'live']);
    expect(status.liveEpoch).toBe(2);
  });

  it('ignores the Disconnected state reported before any socket was opened', () => {
    expect(run(['Disconnected', 'Connecting']).events).toEqual([]);
  });

  it('stays live while the keep-alive is late or the network is flagged', () => {
    const { events, status } = run([...STARTUP, 'ConnectedPendingKeepAlive', 'ConnectedPendingNetwork', 'Connected']);
    expect(events).toEqual(['live']);
    expect(status.live).toBe(true);
  });

  it('falls back to Connected when acknowledgements are not observable', () => {
    const { events, status } = run(['Connecting', 'Connected', 'ack-timeout']);
    expect(events).toEqual(['live']);
    expect(status.ackUnavailable).toBe(true);
    // From then on Connected after a disruption is enough.
    const again = run(['ConnectionDisrupted', 'Connecting', 'Connected'], status);
    expect(again.events).toEqual(['disrupted', 'live']);
  });

  it('ignores a late ack timeout once acknowledged', () => {
    const { status } = run([...STARTUP, 'ack-timeout']);
    expect(status.ackUnavailable).toBe(false);
  });

  it('treats a failed app subscription as a gap until it is acknowledged again', () => {
    const { events, status } = run([...STARTUP, 'sub-error']);
    expect(events).toEqual(['live', 'disrupted']);
    expect(status.live).toBe(false);
    expect(run(['ack'], status).events).toEqual(['live']);
  });

  it('reports a disruption for a socket lost before it was ever live', () => {
    expect(run(['Connecting', 'ConnectionDisrupted']).events).toEqual(['disrupted']);
  });
});

describe('connectionBanner', () => {
  it('says nothing while live or before the first connection', () => {
    expect(connectionBanner(initialConnectionStatus(true))).toBeNull();
    expect(connectionBanner(run(STARTUP).status)).toBeNull();
  });

  it('says offline when the browser is offline, whatever the socket', () => {
    expect(connectionBanner(run([...STARTUP, 'offline']).status)).toBe('offline');
    expect(connectionBanner(initialConnectionStatus(false))).toBe('offline');
    expect(connectionBanner(run([...STARTUP, 'ConnectionDisruptedPendingNetwork']).status)).toBe('offline');
  });

  it('says reconnecting after a disruption while online, until live again', () => {
    const disrupted = run([...STARTUP, 'ConnectionDisrupted', 'Connecting', 'Connected']).status;
    expect(connectionBanner(disrupted)).toBe('reconnecting');
    expect(connectionBanner(run(['ack'], disrupted).status)).toBeNull();
  });

  it('goes back to nothing when the browser comes back online and the socket is live', () => {
    expect(connectionBanner(run([...STARTUP, 'offline', 'online']).status)).toBeNull();
  });
});
