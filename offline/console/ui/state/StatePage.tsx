/**
 * The State page: what the sandbox holds (items per table, users), exported as a folder on this machine (the
 * format of `--export-on-exit` / `--import`) or as a JSON file to download, imported back from either, and a reset
 * that empties it.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../api';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';
import { ResetPanel } from './ResetPanel';
import type { Outcome } from './outcome';
import './state.css';

interface TableSummary {
  name: string;
  model?: string;
  itemCount: number;
}

export function StatePage() {
  const [tables, setTables] = useState<TableSummary[] | undefined>();
  const [users, setUsers] = useState<number | undefined>();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [loadError, setLoadError] = useState<string | undefined>();

  const refresh = useCallback(async () => {
    try {
      const [tableList, userList] = await Promise.all([api<TableSummary[]>('GET', '/api/tables'), api<{ users: unknown[] }>('GET', '/api/users')]);
      setTables(tableList);
      setUsers(userList.users.length);
      setLoadError(undefined);
    } catch (error) {
      setLoadError(describeError(error));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const done = useCallback(
    (next: Outcome) => {
      setOutcome(next);
      void refresh();
    },
    [refresh],
  );

  return (
    <div className="state-page">
      <h1>State</h1>
      <p className="muted">
        Everything the sandbox holds: every item of every table and every user of the pool (with their password verifiers, so treat an export like the data
        directory). The command line does the same with <code>--export-on-exit DIR</code> and <code>--import DIR</code>.
      </p>
      <section aria-labelledby="state-holds">
        <h2 id="state-holds">What the sandbox holds</h2>
        {loadError && <p className="error">{loadError}</p>}
        {tables && (
          <table className="state-summary" aria-label="What the sandbox holds">
            <thead>
              <tr>
                <th>Table</th>
                <th>Items</th>
              </tr>
            </thead>
            <tbody>
              {tables.map((table) => (
                <tr key={table.name}>
                  <td title={table.name}>{table.model ?? table.name}</td>
                  <td>{table.itemCount ?? '—'}</td>
                </tr>
              ))}
              <tr>
                <td>Users of the pool</td>
                <td>{users}</td>
              </tr>
            </tbody>
          </table>
        )}
      </section>
      {outcome && (
        <p role="status" className={outcome.ok ? 'notice' : 'notice error'}>
          {outcome.message}
        </p>
      )}
      <div className="state-panels">
        <ExportPanel onDone={done} />
        <ImportPanel onDone={done} />
        <ResetPanel onDone={done} />
      </div>
    </div>
  );
}
