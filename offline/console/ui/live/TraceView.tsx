/** A request's resolver trace, loaded on demand: each resolver that ran, and what each step sent and got back. */
import { useState } from 'react';
import { api, describeError } from '../api';
import type { RequestTrace, TraceStep } from './types';
import { ErrorAlert } from '../common';

const json = (value: unknown) => JSON.stringify(value, null, 2);

function StepView({ step }: { step: TraceStep }) {
  const who = step.function ?? (step.handler ? `${step.handler} handler` : 'request');
  return (
    <li className="trace-step">
      <div>
        <strong>{who}</strong> <span className="muted">{step.runtime}</span>
        {step.dataSource && (
          <>
            {' → '}
            <code>{step.dataSource.name}</code> <span className="muted">({step.dataSource.type})</span>
          </>
        )}
        {step.earlyReturn && <span className="muted"> returned early</span>}
        <span className="muted"> {step.durationMs} ms</span>
      </div>
      {step.request !== undefined && (
        <details>
          <summary>Request sent</summary>
          <pre>{json(step.request)}</pre>
        </details>
      )}
      {step.error ? (
        <p className="error">
          {step.error.type ? `${step.error.type}: ` : ''}
          {step.error.message}
        </p>
      ) : (
        step.result !== undefined && (
          <details>
            <summary>Result</summary>
            <pre>{json(step.result)}</pre>
          </details>
        )
      )}
    </li>
  );
}

export function TraceView({ requestId }: { requestId: string }) {
  const [trace, setTrace] = useState<RequestTrace>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const load = () => {
    setLoading(true);
    api<RequestTrace>('GET', `/api/requests/${encodeURIComponent(requestId)}/trace`).then(
      (answer) => {
        setTrace(answer);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        setError(describeError(failure));
        setLoading(false);
      },
    );
  };
  if (!trace) {
    return (
      <div className="trace">
        <button type="button" onClick={load} disabled={loading}>
          {loading ? 'Loading trace…' : 'Show resolver trace'}
        </button>
        <ErrorAlert error={error} />
      </div>
    );
  }
  return (
    <section className="trace" aria-label="Resolver trace">
      {trace.resolvers.length === 0 && <p className="muted">No resolver ran for this request.</p>}
      <ol className="trace-resolvers">
        {trace.resolvers.map((resolver, index) => (
          <li key={index}>
            <div>
              <code>{resolver.field}</code> <span className="muted">at {resolver.path}</span> <span className="muted">
                {resolver.kind === 'PIPELINE' ? 'pipeline' : 'unit'}, {resolver.runtime}, +{resolver.startMs} ms, {resolver.durationMs} ms
              </span>
            </div>
            {resolver.error && (
              <p className="error">
                {resolver.error.type ? `${resolver.error.type}: ` : ''}
                {resolver.error.message}
              </p>
            )}
            <ol className="trace-steps">
              {resolver.steps.map((step, at) => (
                <StepView key={at} step={step} />
              ))}
            </ol>
          </li>
        ))}
      </ol>
      {trace.dropped > 0 && <p className="muted">{trace.dropped} more resolvers ran (not recorded).</p>}
    </section>
  );
}
