/**
 * Scroll decisions for the message list, taken after each render that changed the messages:
 * - older messages prepended: keep what the reader sees where it was (restore the offset by the
 *   height added above);
 * - a new message at the bottom: follow it when the reader was at the bottom or sent it, otherwise
 *   leave the view alone and report it as unseen (a "jump to latest" button);
 * - anything else (an edit, a removal): stay at the bottom if there, else leave the view alone.
 */

export interface ScrollMetrics {
  readonly scrollTop: number;
  readonly scrollHeight: number;
  readonly clientHeight: number;
}

export interface ListEnds {
  /** Key of the first (oldest) and last (newest) item rendered; null when empty. */
  readonly firstKey: string | null;
  readonly lastKey: string | null;
}

export type ScrollAction =
  | { readonly kind: 'none' }
  | { readonly kind: 'bottom' }
  | { readonly kind: 'restore'; readonly scrollTop: number }
  | { readonly kind: 'unseen' };

/** Within this many pixels of the bottom counts as "at the bottom". */
export const AT_BOTTOM_PX = 80;
/** Older messages are requested when the reader is within this many pixels of the top. */
export const LOAD_OLDER_PX = 240;

export function isAtBottom(metrics: ScrollMetrics, tolerance = AT_BOTTOM_PX): boolean {
  return metrics.scrollHeight - metrics.scrollTop - metrics.clientHeight <= tolerance;
}

export function shouldLoadOlder(metrics: ScrollMetrics, threshold = LOAD_OLDER_PX): boolean {
  // Also when the content does not fill the view yet (no scrollbar: the reader cannot scroll up).
  return metrics.scrollTop <= threshold || metrics.scrollHeight <= metrics.clientHeight;
}

/**
 * @param before metrics and ends measured after the previous render (null: first render with items)
 * @param after ends and scrollHeight after this render
 * @param lastIsOwn the newest item was sent by the signed-in user
 */
export function scrollAfterUpdate(
  before: (ScrollMetrics & ListEnds) | null,
  after: ListEnds & { readonly scrollHeight: number },
  lastIsOwn: boolean,
): ScrollAction {
  if (after.lastKey === null) return { kind: 'none' };
  if (before === null || before.lastKey === null) return { kind: 'bottom' };
  const wasAtBottom = isAtBottom(before);
  if (after.lastKey !== before.lastKey) {
    return wasAtBottom || lastIsOwn ? { kind: 'bottom' } : { kind: 'unseen' };
  }
  if (after.firstKey !== before.firstKey) {
    if (wasAtBottom && before.scrollHeight <= before.clientHeight) return { kind: 'bottom' };
    return { kind: 'restore', scrollTop: before.scrollTop + (after.scrollHeight - before.scrollHeight) };
  }
  return wasAtBottom ? { kind: 'bottom' } : { kind: 'none' };
}
