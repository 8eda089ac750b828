import { useCallback, useRef, useState } from 'react';
import type { Schema } from '../../amplify/data/resource';
import { client } from '../data-client';
import { errorText, throwIfErrors } from '../state/errors';

export type SearchHit = Schema['SearchHit']['type'];

/** Conversations one search covers (the server's bound): the most recently active ones of the list. */
export const SEARCH_CONVERSATIONS = 50;
const PAGE = 20;

export interface MessageSearch {
  readonly query: string;
  readonly hits: readonly SearchHit[];
  readonly loading: boolean;
  readonly error: string | null;
  /** A search ran (its hits, possibly none, are shown). */
  readonly searched: boolean;
  readonly hasMore: boolean;
  search(query: string, conversationIds: readonly string[]): void;
  loadMore(): void;
  clear(): void;
}

/**
 * searchMessages for the search field: a new search replaces the hits, "Load more" appends the next page (its token
 * carries the conversations and the query); an answer for an older search is dropped.
 */
export function useMessageSearch(): MessageSearch {
  const [state, setState] = useState({ query: '', hits: [] as SearchHit[], nextToken: null as string | null, loading: false, error: null as string | null, searched: false });
  const generation = useRef(0);

  const run = useCallback(async (query: string, variables: { conversationIds?: string[]; nextToken?: string }, append: boolean) => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, query, loading: true, error: null, ...(append ? {} : { hits: [], nextToken: null, searched: false }) }));
    try {
      const answer = await client.queries.searchMessages({ query, limit: PAGE, ...variables });
      throwIfErrors(answer);
      if (mine !== generation.current) return;
      const page = answer.data;
      setState((s) => ({ ...s, loading: false, searched: true, hits: [...(append ? s.hits : []), ...(page?.items ?? [])], nextToken: page?.nextToken ?? null }));
    } catch (reason) {
      if (mine === generation.current) setState((s) => ({ ...s, loading: false, searched: true, error: errorText(reason) }));
    }
  }, []);

  const search = useCallback(
    (query: string, conversationIds: readonly string[]) => {
      const ids = conversationIds.slice(0, SEARCH_CONVERSATIONS);
      if (query.trim() === '' || ids.length === 0) {
        generation.current++;
        setState({ query, hits: [], nextToken: null, loading: false, error: null, searched: query.trim() !== '' });
        return;
      }
      void run(query, { conversationIds: ids }, false);
    },
    [run],
  );

  const loadMore = useCallback(() => {
    if (state.nextToken && !state.loading) void run(state.query, { nextToken: state.nextToken }, true);
  }, [run, state.nextToken, state.loading, state.query]);

  const clear = useCallback(() => {
    generation.current++;
    setState({ query: '', hits: [], nextToken: null, loading: false, error: null, searched: false });
  }, []);

  return { query: state.query, hits: state.hits, loading: state.loading, error: state.error, searched: state.searched, hasMore: state.nextToken !== null, search, loadMore, clear };
}
