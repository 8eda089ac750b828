/** One row of the Live page: a summary line, and what it holds in full when expanded. */
import { memo, useState, type ReactNode } from 'react';
import { levelOf } from './classify';
import { TraceView } from './TraceView';
import { useDisplayName } from './user-names';
import type { CallerSummary, LambdaInvoker, LiveItem, SandboxEvent } from './types';

const clock = (time: string) => {
  const date = new Date(time);
  return `${date.toLocaleTimeString(undefined, { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
};

function CallerText({ caller }: { caller: CallerSummary | undefined }) {
  const who = useDisplayName(caller?.who ?? '');
  if (!caller) return <>no caller</>;
  const mode = { AMAZON_COGNITO_USER_POOLS: 'user pool', AWS_IAM: 'IAM', API_KEY: 'API key', AWS_LAMBDA: 'Lambda', OPENID_CONNECT: 'OIDC' }[caller.authType] ?? caller.authType;
  return <>{caller.who ? `${mode} ${who}` : mode}</>;
}

function invokerText(invoker: LambdaInvoker): string {
  switch (invoker.kind) {
    case 'appsync':
      return `resolver ${invoker.field}`;
    case 'schedule':
      return `schedule ${invoker.schedule ?? ''}`.trim();
    case 'trigger':
      return `trigger ${invoker.trigger}`;
    case 'direct':
      return 'direct';
  }
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** The kind label and the one-line summary of an event. */
function summary(event: SandboxEvent): { label: string; text: ReactNode } {
  switch (event.kind) {
    case 'request': {
      const operation = `${event.operationType ?? 'request'} ${event.operationName ?? event.rootFields.join(', ')}`.trim();
      const errors = event.errors.reduce((sum, e) => sum + e.count, 0);
      return {
        label: 'Request',
        text: (
          <>
            <strong>{operation}</strong>
            {event.operationName && event.rootFields.length > 0 && <span className="muted"> {event.rootFields.join(', ')}</span>} · <CallerText caller={event.caller} /> · {event.status} ·{' '}
            {event.durationMs} ms
            {errors > 0 && <span className="error"> · {errors === 1 ? '1 error' : `${errors} errors`}</span>}
          </>
        ),
      };
    }
    case 'subscription-started':
      return { label: 'Subscribed', text: <><strong>{event.field}</strong> · <CallerText caller={event.caller} /> · {event.filterKind === 'enhanced' ? 'enhanced filter' : 'argument filter'}</> };
    case 'subscription-stopped':
      return {
        label: 'Unsubscribed',
        text: (
          <>
            <strong>{[...new Set(event.subscriptions.map((s) => s.field))].join(', ')}</strong>
            {event.count > 1 && ` ×${event.count}`} · {event.reason}
          </>
        ),
      };
    case 'delivery':
      return {
        label: 'Delivery',
        text: (
          <>
            <strong>{event.mutationField}</strong> → {event.delivered === 1 ? '1 subscription' : `${event.delivered} subscriptions`} <span className="muted">({event.subscriptionFields.join(', ')})</span>
          </>
        ),
      };
    case 'lambda':
      return {
        label: 'Lambda',
        text: (
          <>
            <strong>{event.functionName}</strong> · {invokerText(event.invoker)} · {event.durationMs} ms
            {event.error && <span className="error"> · {event.error.type ? `${event.error.type}: ` : ''}{event.error.message}</span>}
          </>
        ),
      };
    case 'schedule':
      return {
        label: 'Schedule',
        text: (
          <>
            <strong>{event.functionName}</strong> {event.manual ? '(run now)' : <code>{event.expression}</code>} · <span className={event.outcome === 'failed' ? 'error' : undefined}>{event.outcome}</span>
            {event.detail && `: ${event.detail}`} · {event.durationMs} ms
          </>
        ),
      };
    case 'reload':
      return {
        label: 'Reload',
        text: event.outcome === 'ok' ? <>{event.changes.length > 0 ? event.changes.join('; ') : 'nothing changed'} · {event.durationMs} ms</> : <span className="error">failed: {event.error}</span>,
      };
  }
}

/** What an event holds in full (beyond its summary). */
function EventDetails({ event }: { event: SandboxEvent }) {
  switch (event.kind) {
    case 'request':
      return (
        <div className="details">
          <dl className="facts">
            <dt>Request id</dt>
            <dd><code>{event.requestId}</code></dd>
            <dt>Caller</dt>
            <dd>{event.caller ? `${event.caller.authType}${event.caller.who ? ` ${event.caller.who}` : ''}${event.caller.username ? ` (username ${event.caller.username})` : ''}${event.caller.sub && event.caller.sub !== event.caller.username ? ` (sub ${event.caller.sub})` : ''}` : 'none (refused before authentication)'}</dd>
            <dt>Root fields</dt>
            <dd>{event.rootFields.join(', ') || '—'}</dd>
          </dl>
          {event.errors.length > 0 && (
            <ul className="errors">
              {event.errors.map((error, index) => (
                <li key={index} className="error">
                  {error.type ? `${error.type}: ` : ''}
                  {error.message}
                  {error.count > 1 && ` (×${error.count})`}
                </li>
              ))}
            </ul>
          )}
          {event.traced ? <TraceView requestId={event.requestId} /> : <p className="muted">No resolver trace: it was made while no Live page was open.</p>}
        </div>
      );
    case 'subscription-started':
      return (
        <div className="details">
          <dl className="facts">
            <dt>Connection</dt>
            <dd><code>{event.connectionId}</code></dd>
            <dt>Subscription id</dt>
            <dd><code>{event.subscriptionId}</code></dd>
          </dl>
          <figure aria-label="Filter">
            <pre>{json(event.filter)}</pre>
          </figure>
        </div>
      );
    case 'subscription-stopped':
    case 'delivery':
      return (
        <div className="details">
          {event.kind === 'delivery' && (
            <p>
              {event.matched} matched, {event.delivered} delivered{event.requestId && <> · request <code>{event.requestId}</code></>}
            </p>
          )}
          <ul>
            {(event.kind === 'delivery' ? event.subscriptions : event.subscriptions.map((s) => ({ ...s, connectionId: event.connectionId }))).map((s) => (
              <li key={`${s.connectionId} ${s.subscriptionId}`}>
                <code>{s.field}</code> {s.subscriptionId} <span className="muted">on {s.connectionId}</span>
              </li>
            ))}
          </ul>
        </div>
      );
    case 'lambda':
      return event.error ? <p className="error details">{event.error.message}</p> : null;
    default:
      return null;
  }
}

function expandable(event: SandboxEvent): boolean {
  return event.kind === 'request' || event.kind === 'subscription-started' || event.kind === 'subscription-stopped' || event.kind === 'delivery';
}

export const LiveRow = memo(function LiveRow({ item }: { item: LiveItem }) {
  const [open, setOpen] = useState(false);
  const level = levelOf(item);
  if (item.type === 'log') {
    return (
      <li className={`live-row level-${level}`}>
        <time dateTime={item.time}>{clock(item.time)}</time>
        <span className={`kind kind-log level-${item.entry.level}`}>{item.entry.level}</span>
        <code className="log-line">{item.entry.line}</code>
      </li>
    );
  }
  const { event } = item;
  const { label, text } = summary(event);
  return (
    <li className={`live-row level-${level} event-${event.kind}`}>
      <time dateTime={item.time}>{clock(item.time)}</time>
      <span className={`kind kind-${event.kind}`}>{label}</span>
      <div className="live-main">
        {expandable(event) ? (
          <button type="button" className="summary" aria-expanded={open} onClick={() => setOpen(!open)}>
            {text}
          </button>
        ) : (
          <div className="summary">{text}</div>
        )}
        {event.kind === 'lambda' && event.output.length > 0 && (
          <figure className="lambda-output" aria-label={`Console output of ${event.functionName}`}>
            <pre>
              {event.output.join('\n')}
              {event.outputDropped > 0 && `\n… ${event.outputDropped} more lines`}
            </pre>
          </figure>
        )}
        {(open || (event.kind === 'lambda' && event.error)) && <EventDetails event={event} />}
      </div>
    </li>
  );
});
