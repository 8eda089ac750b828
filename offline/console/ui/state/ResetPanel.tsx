import { useState } from 'react';
import { api, describeError } from '../api';
import { describeCounts, type Outcome, type TableCount } from './outcome';

/** Empty the sandbox, after a second click that says what it deletes. */
export function ResetPanel({ onDone }: { onDone: (outcome: Outcome) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const reset = async () => {
    setBusy(true);
    try {
      const report = await api<{ tables: TableCount[]; users: number }>('POST', '/api/state/reset');
      onDone({ ok: true, message: `Reset: deleted ${describeCounts(report.tables, report.users)}` });
    } catch (error) {
      onDone({ ok: false, message: `Reset failed: ${describeError(error)}` });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  return (
    <section className="state-panel" aria-labelledby="state-reset">
      <h2 id="state-reset">Reset</h2>
      <p className="muted">
        Deletes every item of every table and every user of the pool, straight in DynamoDB and the pool: no resolver runs and no subscription fires; signed-in
        apps lose their sessions.
      </p>
      {confirming ? (
        <div role="group" aria-label="Confirm the reset">
          <button type="button" className="danger" onClick={() => void reset()} disabled={busy}>
            Delete everything
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Reset sandbox…
        </button>
      )}
    </section>
  );
}
