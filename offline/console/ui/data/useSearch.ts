/** The Data page's search: the form, the current page and how it was reached (paging by LastEvaluatedKey). */
import { useCallback, useState } from 'react';
import { api, describeError } from '../api';
import { EMPTY_SEARCH, searchRequest, type SearchForm } from './query-request';
import type { ConsoleTable, Item, ItemPage } from './types';

export interface Search {
  form: SearchForm;
  setForm: (form: SearchForm) => void;
  page: ItemPage | undefined;
  /** 1 for the first page. */
  pageNumber: number;
  busy: boolean;
  error: string | undefined;
  run: () => Promise<void>;
  next: () => Promise<void>;
  first: () => Promise<void>;
  /** Reads the current page again (after a write). */
  reload: () => Promise<void>;
}

export function useSearch(table: ConsoleTable): Search {
  const [form, setForm] = useState<SearchForm>(EMPTY_SEARCH);
  const [page, setPage] = useState<ItemPage>();
  const [start, setStart] = useState<{ key: Item | undefined; number: number }>({ key: undefined, number: 1 });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const fetchPage = useCallback(
    async (startKey: Item | undefined, number: number) => {
      const request = searchRequest(table, form);
      if ('error' in request) {
        setError(request.error);
        return;
      }
      setBusy(true);
      setError(undefined);
      try {
        const body = startKey ? { ...request.body, ExclusiveStartKey: startKey } : request.body;
        const result = await api<ItemPage>('POST', `/api/tables/${encodeURIComponent(table.name)}/${request.operation}`, body);
        setPage(result);
        setStart({ key: startKey, number });
      } catch (failure) {
        setError(describeError(failure));
      } finally {
        setBusy(false);
      }
    },
    [table, form],
  );

  return {
    form,
    setForm,
    page,
    pageNumber: start.number,
    busy,
    error,
    run: () => fetchPage(undefined, 1),
    next: () => (page?.LastEvaluatedKey ? fetchPage(page.LastEvaluatedKey, start.number + 1) : Promise.resolve()),
    first: () => fetchPage(undefined, 1),
    reload: () => fetchPage(start.key, start.number),
  };
}
