import { useState, type ChangeEvent, type FormEvent } from 'react';
import { api, describeError } from '../api';
import { describeCounts, type Outcome, type TableCount } from './outcome';

type ImportReport = { tables: TableCount[]; users: number };

/** Import a folder exported earlier (here or by `--export-on-exit`), or a downloaded JSON file. */
export function ImportPanel({ onDone }: { onDone: (outcome: Outcome) => void }) {
  const [directory, setDirectory] = useState('sandbox-state');
  const [busy, setBusy] = useState(false);

  const run = async (what: string, call: () => Promise<ImportReport>) => {
    setBusy(true);
    try {
      const report = await call();
      onDone({ ok: true, message: `Imported ${describeCounts(report.tables, report.users)} from ${what}` });
    } catch (error) {
      onDone({ ok: false, message: `Import failed: ${describeError(error)}` });
    } finally {
      setBusy(false);
    }
  };

  const fromFolder = (event: FormEvent) => {
    event.preventDefault();
    void run(directory, () => api<ImportReport & { directory: string }>('POST', '/api/state/import', { directory }));
  };

  const fromFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    void run(file.name, async () => {
      let state: unknown;
      try {
        state = JSON.parse(await file.text());
      } catch {
        throw new Error(`${file.name} is not JSON`);
      }
      return api<ImportReport>('PUT', '/api/state', state);
    });
  };

  return (
    <section className="state-panel" aria-labelledby="state-import">
      <h2 id="state-import">Import</h2>
      <p className="muted">Items and users with the same key or username are replaced; everything else stays. Reset first to get exactly the imported state.</p>
      <form onSubmit={fromFolder}>
        <label>
          Folder to import
          <input value={directory} onChange={(event) => setDirectory(event.target.value)} required spellCheck={false} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Import from folder
        </button>
      </form>
      <label className="file-input">
        Upload a JSON file
        <input type="file" accept="application/json,.json" onChange={fromFile} disabled={busy} />
      </label>
    </section>
  );
}
