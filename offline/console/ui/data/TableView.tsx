/** One table: its search, the page of results, and the item open in the editor. */
import { useState } from 'react';
import { ItemEditor } from './ItemEditor';
import { Pager } from './Pager';
import { ResultsTable } from './ResultsTable';
import { SearchPanel } from './SearchPanel';
import { tableLabel, type ConsoleTable, type Item } from './types';
import { useSearch } from './useSearch';

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
  const open = (item: Item | undefined) => setEditing((previous) => ({ item, n: (previous?.n ?? 0) + 1 }));
  return (
    <div className="table-view">
      <div className="row">
        <h2>{tableLabel(table)}</h2>
        <button type="button" onClick={() => open(undefined)}>
          New item
        </button>
      </div>
      <SearchPanel table={table} form={search.form} busy={search.busy} onChange={search.setForm} onRun={() => void search.run()} />
      {search.error && (
        <p role="alert" className="error">
          {search.error}
        </p>
      )}
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
