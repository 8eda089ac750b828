import { formatTime } from './days';
import { userIdOf } from './participants';

/**
 * Threads (docs/data-model.md, "Threads"): a reply is a message with `threadRootId`; its root carries the thread's
 * counts, written by the backend with each reply and delivered on the reply's events. Pure helpers for the timeline
 * (the root's "N replies · last reply" button) and the thread panel.
 */

/** A thread root's counts. */
export interface ThreadSummary {
  readonly replyCount: number;
  readonly lastReplyAt: string | null;
  readonly lastReplySender: string | null;
}

/** The counts a record or an event carries (null fields: none known). */
export interface ThreadFields {
  readonly replyCount?: number | null;
  readonly lastReplyAt?: string | null;
  readonly lastReplySender?: string | null;
}

/** The summary in a record's or event's fields, or null when it carries no count. */
export function threadSummaryOf(fields: ThreadFields): ThreadSummary | null {
  if (typeof fields.replyCount !== 'number') return null;
  return {
    replyCount: Math.max(0, fields.replyCount),
    lastReplyAt: fields.lastReplyAt ?? null,
    lastReplySender: fields.lastReplySender ? userIdOf(fields.lastReplySender) : null,
  };
}

/** "1 reply" / "N replies" (null for none: no button). */
export function replyCountLabel(summary: ThreadSummary | null | undefined): string | null {
  if (!summary || summary.replyCount <= 0) return null;
  return summary.replyCount === 1 ? '1 reply' : `${summary.replyCount} replies`;
}

/** The root's thread button: "N replies · last reply 10:42" (null for none). */
export function threadButtonLabel(summary: ThreadSummary | null | undefined, locale?: string): string | null {
  const count = replyCountLabel(summary);
  if (!count) return null;
  return summary?.lastReplyAt ? `${count} · last reply ${formatTime(summary.lastReplyAt, locale)}` : count;
}
