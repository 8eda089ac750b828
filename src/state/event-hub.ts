/**
 * One source, several listeners: the app's single conversation-event subscription publishes here and every part of
 * the app that needs its events (timelines, unread counts, the conversation list) listens, instead of each opening a
 * subscription of its own.
 */

export interface EventSource<T> {
  /** Calls `listener` with every later event; returns the function that stops it. */
  listen(listener: (event: T) => void): () => void;
}

export interface EventHub<T> extends EventSource<T> {
  /**
   * Delivers an event to every current listener, in the order they started listening. A listener that throws does
   * not keep the event from the others; the first error is thrown once all have had it.
   */
  publish(event: T): void;
}

export function createEventHub<T>(): EventHub<T> {
  const listeners = new Set<(event: T) => void>();
  return {
    listen(listener) {
      // A function listening twice is two listeners (each stop removes its own).
      const own = (event: T) => listener(event);
      listeners.add(own);
      return () => {
        listeners.delete(own);
      };
    },
    publish(event) {
      const failures: unknown[] = [];
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw failures[0];
    },
  };
}
