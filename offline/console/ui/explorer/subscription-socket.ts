/**
 * The explorer's subscriptions: one WebSocket to the console (`/api/subscriptions`), opened when the first subscription
 * starts, on which each subscription is started and stopped by id; the console runs it on AppSync's real-time endpoint
 * as the tab's caller. Each subscription is an async iterable of results, as GraphiQL streams them.
 */
import { consoleSocket } from '../api';

/** A GraphQL result as AppSync sends it (`data`, `errors`). */
export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: readonly { message: string }[];
}

interface PageFrame {
  type: 'start_ack' | 'data' | 'error' | 'complete';
  id?: string;
  payload?: GraphQLResult;
  errors?: GraphQLResult['errors'];
}

export interface SubscriptionRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  as?: Record<string, unknown>;
}

/** What happened to a subscription, for the tab's status line. */
export type SubscriptionState = 'starting' | 'listening' | 'ended' | 'failed';

const PATH = '/api/subscriptions';
const closedError = (why: string): GraphQLResult => ({ errors: [{ message: `The console's subscription socket closed (${why}).` }] });

export class SubscriptionSocket {
  private socket: WebSocket | undefined;
  private opening: Promise<WebSocket> | undefined;
  private readonly listeners = new Map<string, (frame: PageFrame) => void>();
  private counter = 0;

  private open(): Promise<WebSocket> {
    if (this.opening) return this.opening;
    this.opening = new Promise((resolve, reject) => {
      const socket = consoleSocket(PATH);
      socket.addEventListener('open', () => resolve(socket), { once: true });
      socket.addEventListener('message', (event) => {
        let frame: PageFrame;
        try {
          frame = JSON.parse(String(event.data)) as PageFrame;
        } catch {
          return;
        }
        if (frame.id !== undefined) this.listeners.get(frame.id)?.(frame);
      });
      socket.addEventListener('close', (event) => {
        this.socket = undefined;
        this.opening = undefined;
        reject(new Error('refused'));
        const why = event.reason || `code ${event.code}`;
        for (const listener of [...this.listeners.values()]) listener({ type: 'error', errors: closedError(why).errors });
        this.listeners.clear();
      });
      this.socket = socket;
    });
    return this.opening;
  }

  /** Starts a subscription; its results arrive through the iterable, which a `return()` (GraphiQL's stop) stops. */
  subscribe(request: SubscriptionRequest, onState: (state: SubscriptionState) => void): AsyncIterableIterator<GraphQLResult> {
    const id = `explorer-${++this.counter}`;
    const queue: GraphQLResult[] = [];
    let done = false;
    let wake: (() => void) | undefined;
    const push = (result: GraphQLResult | undefined, end: boolean) => {
      if (result) queue.push(result);
      if (end) {
        done = true;
        this.listeners.delete(id);
      }
      wake?.();
      wake = undefined;
    };
    this.listeners.set(id, (frame) => {
      switch (frame.type) {
        case 'start_ack':
          return onState('listening');
        case 'data':
          return push(frame.payload ?? {}, false);
        case 'error':
          onState('failed');
          return push({ errors: frame.errors ?? [] }, true);
        case 'complete':
          onState('ended');
          return push(undefined, true);
      }
    });
    onState('starting');
    this.open().then(
      (socket) => {
        if (!done) socket.send(JSON.stringify({ type: 'start', id, ...request }));
      },
      () => undefined, // the close listener has reported it
    );
    const iterator: AsyncIterableIterator<GraphQLResult> = {
      next: async () => {
        while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
        const value = queue.shift();
        return value ? { value, done: false } : { value: undefined, done: true };
      },
      return: async () => {
        if (!done) {
          if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'stop', id }));
          onState('ended');
          push(undefined, true);
        }
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Closes the socket: the console stops every subscription of this page. */
  close(): void {
    this.listeners.clear();
    this.socket?.close();
    this.socket = undefined;
    this.opening = undefined;
  }
}
