/**
 * The live stream (`/api/live`) as rows for the page: the recent log lines and events first, then each new one,
 * newest first, at most MAX_ITEMS kept. Messages are applied in batches (a busy sandbox sends many per second).
 * Paused, new rows wait (also bounded) and are shown on resume; cleared, the list starts empty again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { consoleSocket } from '../api';
import type { LiveItem, LiveMessage, LogEntry, SandboxEvent } from './types';

/** The rows kept in the page, newest first. */
export const MAX_ITEMS = 3000;
const FLUSH_MS = 100;

export type StreamState = 'connecting' | 'open' | 'closed';

let sequence = 0;
const logItem = (entry: LogEntry): LiveItem => ({ key: `l${++sequence}`, time: entry.time, type: 'log', entry });
const eventItem = (event: SandboxEvent): LiveItem => ({ key: `e${++sequence}`, time: event.time, type: 'event', event });

/** The snapshot's lines and events in time order (both are oldest first). */
function merged(entries: LogEntry[], events: SandboxEvent[]): LiveItem[] {
  const items = [...entries.map(logItem), ...events.map(eventItem)];
  // A stable sort: a line and an event of the same millisecond keep their order.
  return items.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
}

export interface LiveStream {
  /** Newest first. */
  items: LiveItem[];
  state: StreamState;
  paused: boolean;
  /** Rows that arrived while paused. */
  waiting: number;
  setPaused(paused: boolean): void;
  clear(): void;
  reconnect(): void;
}

export function useLiveStream(): LiveStream {
  const [items, setItems] = useState<LiveItem[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const [paused, setPausedState] = useState(false);
  const [waiting, setWaiting] = useState(0);
  const [attempt, setAttempt] = useState(0);
  // Arrived, oldest first, not yet shown (the next flush, or the resume).
  const incoming = useRef<LiveItem[]>([]);
  const pausedRef = useRef(false);

  const flush = useCallback(() => {
    if (pausedRef.current) {
      setWaiting(incoming.current.length);
      return;
    }
    if (incoming.current.length === 0) return;
    const arrived = incoming.current.reverse();
    incoming.current = [];
    setItems((current) => [...arrived, ...current].slice(0, MAX_ITEMS));
  }, []);

  useEffect(() => {
    const socket = consoleSocket('/api/live');
    let timer: number | undefined;
    const schedule = () => {
      timer ??= window.setTimeout(() => {
        timer = undefined;
        flush();
      }, FLUSH_MS);
    };
    const push = (item: LiveItem) => {
      incoming.current.push(item);
      if (incoming.current.length > MAX_ITEMS) incoming.current.splice(0, incoming.current.length - MAX_ITEMS);
      schedule();
    };
    socket.onopen = () => setState('open');
    socket.onclose = () => setState('closed');
    socket.onmessage = (message: MessageEvent<string>) => {
      let data: LiveMessage;
      try {
        data = JSON.parse(message.data) as LiveMessage;
      } catch {
        return;
      }
      if (data.type === 'recent') {
        // A (re)connection starts from the sandbox's own recent history.
        incoming.current = [];
        setItems(merged(data.entries, data.events ?? []).reverse().slice(0, MAX_ITEMS));
      } else if (data.type === 'log') push(logItem(data.entry));
      else if (data.type === 'event') push(eventItem(data.event));
    };
    return () => {
      window.clearTimeout(timer);
      socket.onclose = null;
      socket.close();
    };
  }, [attempt, flush]);

  const setPaused = useCallback(
    (next: boolean) => {
      pausedRef.current = next;
      setPausedState(next);
      setWaiting(next ? incoming.current.length : 0);
      if (!next) flush();
    },
    [flush],
  );

  const clear = useCallback(() => {
    incoming.current = [];
    setWaiting(0);
    setItems([]);
  }, []);

  const reconnect = useCallback(() => {
    setState('connecting');
    setAttempt((n) => n + 1);
  }, []);

  return { items, state, paused, waiting, setPaused, clear, reconnect };
}
