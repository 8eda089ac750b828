/** The backend's schedules (function, expression, next run), each with "Run now" and the outcome of its last run. */
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../api';
import type { RunOutcome, Schedule } from './types';
import { ErrorAlert, HeadingWithRefresh } from '../common';

type RunState = { running: true } | { running: false; outcome?: RunOutcome; error?: string };

function OutcomeText({ state }: { state: RunState | undefined }) {
  if (!state) return null;
  if (state.running) return <span className="muted">Running…</span>;
  if (state.error) return <span className="error">{state.error}</span>;
  const outcome = state.outcome;
  if (!outcome) return null;
  if (outcome.status === 'ok') {
    const result = JSON.stringify(outcome.result);
    return (
      <span>
        <span className="outcome outcome-ok">ok</span> <code>{result.length > 200 ? `${result.slice(0, 200)}…` : result}</code>
      </span>
    );
  }
  if (outcome.status === 'failed') {
    return (
      <span>
        <span className="outcome outcome-failed">failed</span> <span className="error">{outcome.error}</span>
      </span>
    );
  }
  return (
    <span>
      <span className="outcome outcome-skipped">skipped</span> {outcome.reason}
    </span>
  );
}

export function SchedulesPanel() {
  const [schedules, setSchedules] = useState<Schedule[]>();
  const [error, setError] = useState<string>();
  const [runs, setRuns] = useState<Record<string, RunState>>({});

  const load = useCallback(() => {
    api<{ schedules: Schedule[] }>('GET', '/api/schedules').then(
      (answer) => {
        setSchedules(answer.schedules);
        setError(undefined);
      },
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(load, [load]);

  const run = (functionName: string) => {
    setRuns((current) => ({ ...current, [functionName]: { running: true } }));
    api<{ outcome: RunOutcome }>('POST', `/api/schedules/${encodeURIComponent(functionName)}/run`).then(
      ({ outcome }) => setRuns((current) => ({ ...current, [functionName]: { running: false, outcome } })),
      (failure: unknown) => setRuns((current) => ({ ...current, [functionName]: { running: false, error: describeError(failure) } })),
    );
    // The next run moved on.
    load();
  };

  return (
    <section className="live-schedules" aria-labelledby="schedules-heading">
      <HeadingWithRefresh heading={<h2 id="schedules-heading">Schedules</h2>} refreshLabel="Refresh schedules" onRefresh={load} />
      <ErrorAlert error={error} />
      {schedules?.length === 0 && <p className="muted">No function of this backend has a schedule.</p>}
      {schedules && schedules.length > 0 && (
        <table aria-label="Schedules">
          <thead>
            <tr>
              <th scope="col">Function</th>
              <th scope="col">Expression</th>
              <th scope="col">Next run</th>
              <th scope="col">Run</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {schedules.map((schedule) => (
              <tr key={`${schedule.functionName} ${schedule.expression}`}>
                <td>
                  <code>{schedule.functionName}</code>
                </td>
                <td>
                  <code>{schedule.expression}</code>
                </td>
                <td>{schedule.nextRun ? <time dateTime={schedule.nextRun}>{new Date(schedule.nextRun).toLocaleString()}</time> : <span className="muted">none</span>}</td>
                <td>
                  <button type="button" onClick={() => run(schedule.functionName)} disabled={runs[schedule.functionName]?.running === true}>
                    Run now
                  </button>
                </td>
                <td aria-live="polite">
                  <OutcomeText state={runs[schedule.functionName]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
