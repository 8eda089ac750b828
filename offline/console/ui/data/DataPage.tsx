/**
 * The Data page: every table of the backend with its keys and indexes; one table at a time to query, scan, page
 * through, and edit items as DynamoDB typed JSON, saved straight to DynamoDB or through AppSync as IAM.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../api';
import { TableList } from './TableList';
import { TableView } from './TableView';
import type { ConsoleTable } from './types';
import './data.css';
import { ErrorAlert, HeadingWithRefresh } from '../common';

export function DataPage() {
  const [tables, setTables] = useState<ConsoleTable[]>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const load = useCallback(() => {
    api<ConsoleTable[]>('GET', '/api/tables').then(
      (list) => {
        setTables(list);
        setError(undefined);
      },
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(load, [load]);
  const table = tables?.find((t) => t.name === selected);
  return (
    <div className="data-page">
      <aside className="data-sidebar" aria-label="Tables of the backend">
        <HeadingWithRefresh heading={<h1>Data</h1>} refreshLabel="Refresh tables" onRefresh={load} />
        <ErrorAlert error={error} />
        {tables ? <TableList tables={tables} selected={selected} onSelect={setSelected} /> : !error && <p className="muted">Loading…</p>}
      </aside>
      <section className="data-main" aria-label={table ? `Table ${table.model ?? table.name}` : 'No table chosen'}>
        {table ? <TableView key={table.name} table={table} onChanged={load} /> : <p className="muted">Choose a table.</p>}
      </section>
    </div>
  );
}
