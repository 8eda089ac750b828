/**
 * Starts pieces of work one per task, in the order they were asked for.
 *
 * When the chat mounts, its hooks open their subscriptions and send their first queries. Each Amplify call runs the
 * session check and the client's middleware synchronously up to the socket message or the `fetch`, so starting them
 * all in the mount's effects made one long main-thread task (what Lighthouse counts as blocking time). Through this
 * queue each start runs in a task of its own, so the browser can paint and handle input in between.
 *
 * The order is kept: pieces run first in, first out, one per task, and a piece asked for while others wait runs after
 * them. So the conversation feed's subscription, asked for before the list queries (useConversationFeed's effect
 * runs before the other hooks' effects), is still started before any of them.
 */

/** Stops what a piece started (a subscription, a timer, a guard against a late answer). */
export type Stop = () => void;

/** A piece of work: starts something, and returns how to stop it (or nothing). */
export type Work = () => Stop | void;

export interface StartQueue {
  /**
   * Runs `work` in a task of its own after every piece asked for before it. The returned function cancels it if it has
   * not run yet, or calls what it returned if it has (safe to call more than once; a React effect's cleanup).
   */
  start(work: Work): Stop;
  /** Pieces waiting to run (for tests). */
  pending(): number;
}

/** Runs `callback` in a later task. */
export type ScheduleTask = (callback: () => void) => void;

export function createStartQueue(scheduleTask: ScheduleTask): StartQueue {
  interface Entry {
    readonly work: Work;
    cancelled: boolean;
    stop: Stop | null;
  }
  const waiting: Entry[] = [];
  let scheduled = false;

  function runNext(): void {
    scheduled = false;
    let entry = waiting.shift();
    while (entry?.cancelled) entry = waiting.shift();
    if (!entry) return;
    // The next piece gets a task of its own, even if this one throws.
    if (waiting.length > 0) schedule();
    entry.stop = entry.work() ?? null;
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    scheduleTask(runNext);
  }

  return {
    start(work) {
      const entry: Entry = { work, cancelled: false, stop: null };
      waiting.push(entry);
      schedule();
      return () => {
        if (entry.cancelled) return;
        entry.cancelled = true;
        const stop = entry.stop;
        entry.stop = null;
        stop?.();
      };
    },
    pending: () => waiting.filter((entry) => !entry.cancelled).length,
  };
}

/**
 * A new task as soon as possible: a MessageChannel message (not clamped like nested setTimeout calls, and without the
 * wait for idle time of requestIdleCallback, which would hold the requests back while the page renders).
 */
function nextTask(): ScheduleTask {
  if (typeof MessageChannel === 'undefined') return (callback) => void setTimeout(callback, 0);
  let channel: MessageChannel | null = null;
  const callbacks: (() => void)[] = [];
  return (callback) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => callbacks.shift()?.();
    }
    callbacks.push(callback);
    channel.port2.postMessage(null);
  };
}

/** The page's queue: the chat's start-up subscriptions and queries. */
export const startQueue: StartQueue = createStartQueue(nextTask());
