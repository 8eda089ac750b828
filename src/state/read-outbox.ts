import { covers, type ReadPoint } from '../chat/read-points';

/**
 * The reads waiting to reach the server, per conversation: the newest asked for is sent after a pause (`delayMs`, the
 * timer is the caller's to give), never more than one call per conversation at a time, and never when the server's
 * point (`confirmedReadAt`) already covers it — so a burst of messages read as they arrive is one markRead, not one
 * per message. A failed call is forgotten: the next read asks again.
 */
export interface ReadOutbox {
  /** Asks for the conversation to be marked read up to `point` (a later point replaces a waiting one). */
  request(conversationId: string, point: ReadPoint): void;
  /** Cancels the waiting timers (sign-out). */
  close(): void;
}

export interface ReadOutboxOptions {
  send(conversationId: string, point: ReadPoint): Promise<void>;
  confirmedReadAt(conversationId: string): string | null;
  delayMs: number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

interface Box {
  wanted: ReadPoint | null;
  sending: boolean;
  timer: unknown;
}

export function createReadOutbox(options: ReadOutboxOptions): ReadOutbox {
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  const boxes = new Map<string, Box>();

  function flush(conversationId: string, box: Box): void {
    if (box.sending || !box.wanted) return;
    const wanted = box.wanted;
    box.wanted = null;
    if (covers(options.confirmedReadAt(conversationId), wanted.readAt)) return;
    box.sending = true;
    options
      .send(conversationId, wanted)
      .catch(() => undefined)
      .finally(() => {
        box.sending = false;
        flush(conversationId, box);
      });
  }

  return {
    request(conversationId, point) {
      if (covers(options.confirmedReadAt(conversationId), point.readAt)) return;
      let box = boxes.get(conversationId);
      if (!box) {
        box = { wanted: null, sending: false, timer: null };
        boxes.set(conversationId, box);
      }
      if (box.wanted && covers(box.wanted.readAt, point.readAt)) return;
      box.wanted = point;
      if (box.timer !== null) clearTimer(box.timer);
      const target = box;
      box.timer = setTimer(() => {
        target.timer = null;
        flush(conversationId, target);
      }, options.delayMs);
    },
    close() {
      for (const box of boxes.values()) if (box.timer !== null) clearTimer(box.timer);
      boxes.clear();
    },
  };
}
