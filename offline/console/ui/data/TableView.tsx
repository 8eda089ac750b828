/** One table: its search, the page of results, and the item open in the editor. */
import { useState } from 'react';
import { api, describeError } from '../api';
import { ItemEditor } from './ItemEditor';
import { Pager } from './Pager';
import { ResultsTable } from './ResultsTable';
import { SearchPanel } from './SearchPanel';
import { keyOf, tableLabel, type ConsoleTable, type Item } from './types';
import { useSearch } from './useSearch';
import { ErrorAlert } from '../common';

interface Props {
  table: ConsoleTable;
  /** After a write (item counts change). */
  onChanged: () => void;
}

/** What the editor shows: a stored item, or a new one (`item` undefined); `n` tells two openings apart. */
type Editing = { item: Item | undefined; n: number } | undefined;

export function TableView({ table, onChanged }: Props) {
  const search = useSearch(table);
  const [editing, setEditing] = useState<Editing>();
  const [openError, setOpenError] = useState<string>();
  const show = (item: Item | undefined) => setEditing((previous) => ({ item, n: (previous?.n ?? 0) + 1 }));
  /** An item of the results is read again in full (an index may project only some attributes) before it is edited. */
  const open = (item: Item | undefined) => {
    setOpenError(undefined);
    if (item === undefined) return show(undefined);
    api<{ Item: Item }>('POST', `/api/tables/${encodeURIComponent(table.name)}/get`, { Key: keyOf(table, item) }).then(
      ({ Item: full }) => show(full),
      (error: unknown) => setOpenError(describeError(error)),
    );
  };
  return (
    <div className="table-view">
      <div className="row">
        <h2>{tableLabel(table)}</h2>
        <button type="button" onClick={() => open(undefined)}>
          New item
        </button>
      </div>
      <SearchPanel table={table} form={search.form} busy={search.busy} onChange={search.setForm} onRun={() => void search.run()} />
      <ErrorAlert error={search.error ?? openError} />
      <div className="data-split">
        <div className="data-results-column">
          {search.page ? (
            <>
              <Pager
                count={search.page.Count}
                pageNumber={search.pageNumber}
                hasNext={search.page.LastEvaluatedKey !== undefined}
                busy={search.busy}
                onFirst={() => void search.first()}
                onNext={() => void search.next()}
              />
              <ResultsTable table={table} items={search.page.Items} onOpen={open} />
            </>
          ) : (
            <p className="muted">Run a scan or a query to see items.</p>
          )}
        </div>
        {editing && (
          <ItemEditor
            key={editing.n}
            table={table}
            stored={editing.item}
            onChanged={() => {
              onChanged();
              if (search.page) void search.reload();
            }}
            onClose={() => setEditing(undefined)}
          />
        )}
      </div>
    </div>
  );
}
