/**
 * Loading older pages with a `nextToken`, as a pure state machine for a React reducer.
 *
 * The caller picks a request id (a counter or a UUID) when it starts a load and hands it back with
 * the answer; answers for any other id (a superseded request, a conversation left meanwhile, a
 * duplicate delivery) are ignored. Owner-filtered AppSync queries filter *after* `limit`, so a page
 * may be short or empty and still carry a `nextToken` (docs/data-model.md, "Post-filter pagination"):
 * only a missing `nextToken` ends the list.
 */

export interface PagedList<T> {
  readonly items: readonly T[];
  /** Token for the next page; null before the first page and after the last. */
  readonly nextToken: string | null;
  readonly loading: boolean;
  /** True once a page came back without a nextToken. */
  readonly exhausted: boolean;
  /** The request whose answer is awaited (null when idle). */
  readonly requestId: string | null;
  /** Message of the last failed load, cleared by the next start. */
  readonly error: string | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken?: string | null;
}

export function emptyPagedList<T>(): PagedList<T> {
  return { items: [], nextToken: null, loading: false, exhausted: false, requestId: null, error: null };
}

/** True when a new load may start: nothing in flight and more pages may exist. */
export function canLoadMore<T>(state: PagedList<T>): boolean {
  return !state.loading && !state.exhausted;
}

/**
 * Starts loading the next page (the first one while `nextToken` is null and nothing was loaded).
 * The caller then queries with `state.nextToken` as it was *before* this call. No-op unless
 * canLoadMore.
 */
export function startLoad<T>(state: PagedList<T>, requestId: string): PagedList<T> {
  if (!canLoadMore(state)) return state;
  return { ...state, loading: true, requestId, error: null };
}

/**
 * Appends a page answered for `requestId`. With `keyOf`, items already in the list are not added
 * again (pages can overlap when items were added between two requests).
 */
export function receivePage<T>(
  state: PagedList<T>,
  requestId: string,
  page: Page<T>,
  keyOf?: (item: T) => string,
): PagedList<T> {
  if (!state.loading || state.requestId !== requestId) return state;
  const nextToken = page.nextToken ?? null;
  return {
    items: [...state.items, ...newItems(state.items, page.items, keyOf)],
    nextToken,
    loading: false,
    exhausted: nextToken === null,
    requestId: null,
    error: null,
  };
}

/** Records a failed load for `requestId`; the same page can be requested again. */
export function failLoad<T>(state: PagedList<T>, requestId: string, error: string): PagedList<T> {
  if (!state.loading || state.requestId !== requestId) return state;
  return { ...state, loading: false, requestId: null, error };
}

function newItems<T>(existing: readonly T[], incoming: readonly T[], keyOf?: (item: T) => string): T[] {
  if (!keyOf) return [...incoming];
  const seen = new Set(existing.map(keyOf));
  const fresh: T[] = [];
  for (const item of incoming) {
    const key = keyOf(item);
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(item);
  }
  return fresh;
}
