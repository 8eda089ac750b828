import { useState, type FormEvent } from 'react';
import { api, describeError } from '../api';
import { describeCounts, type Outcome, type TableCount } from './outcome';

/** Export to a folder on the sandbox's machine, or download the same state as one JSON file. */
export function ExportPanel({ onDone }: { onDone: (outcome: Outcome) => void }) {
  const [directory, setDirectory] = useState('sandbox-state');
  const [busy, setBusy] = useState(false);

  const toFolder = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const report = await api<{ directory: string; tables: TableCount[]; users: number }>('POST', '/api/state/export', { directory });
      onDone({ ok: true, message: `Exported ${describeCounts(report.tables, report.users)} to ${report.directory}` });
    } catch (error) {
      onDone({ ok: false, message: `Export failed: ${describeError(error)}` });
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    setBusy(true);
    try {
      const state = await api<{ exportedAt: string; tables: { name: string; items: unknown[] }[]; users: unknown[] }>('GET', '/api/state');
      const file = new Blob([JSON.stringify(state)], { type: 'application/json' });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(file);
      link.download = `sandbox-state-${state.exportedAt.replace(/[:.]/g, '-')}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
      onDone({ ok: true, message: `Downloaded ${describeCounts(state.tables.map((t) => ({ name: t.name, items: t.items.length })), state.users.length)}` });
    } catch (error) {
      onDone({ ok: false, message: `Download failed: ${describeError(error)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="state-panel" aria-labelledby="state-export">
      <h2 id="state-export">Export</h2>
      <form onSubmit={(event) => void toFolder(event)}>
        <label>
          Folder on this machine
          <input value={directory} onChange={(event) => setDirectory(event.target.value)} required spellCheck={false} />
        </label>
        <p className="muted">A relative folder is taken from where the sandbox was started; an earlier export there is replaced.</p>
        <button type="submit" className="primary" disabled={busy}>
          Export to folder
        </button>
      </form>
      <button type="button" onClick={() => void download()} disabled={busy}>
        Download as JSON
      </button>
    </section>
  );
}
