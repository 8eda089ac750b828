/**
 * What the sandbox does, as structured events for whoever watches (the console's Live page): GraphQL requests,
 * subscriptions started and stopped, deliveries of a mutation's event, Lambda invocations, schedule runs and reloads.
 * Like the log feed (log.ts): the latest events are kept in a ring, a listener that throws is dropped and the sandbox
 * never waits for one.
 *
 * Resolver traces (what each resolver and pipeline function sent to its data source and got back) are recorded only
 * while someone watches (`tracing`), kept for the latest requests only and fetched by request id, never streamed.
 * Values in a trace are bounded copies (`boundedCopy`): the cost of keeping one is the bound's, not the value's size.
 */

/** Who made a request or started a subscription, as the Live page shows it. */
export interface CallerSummary {
  /** AppSync's name of the auth type: `AMAZON_COGNITO_USER_POOLS`, `AWS_IAM`, `API_KEY`… */
  authType: string;
  /** The user's e-mail (from their token's claims) or username, the IAM principal (user ARN) or the API key's id (shortened). */
  who?: string;
  /** A user-pool caller's username, when `who` is their e-mail. */
  username?: string;
  /** A user-pool caller's `sub`. */
  sub?: string;
}

export interface EventError {
  type?: string;
  message: string;
}

export interface RequestEvent {
  kind: 'request';
  /** The request's id (AppSync's `x-amzn-requestid`): its trace is fetched by it. */
  requestId: string;
  operationType?: 'query' | 'mutation' | 'subscription';
  operationName?: string;
  rootFields: string[];
  caller?: CallerSummary;
  durationMs: number;
  status: number;
  /** Distinct errors of the response (at most MAX_EVENT_ERRORS), with how many times each occurred. */
  errors: (EventError & { count: number })[];
  /** Whether a resolver trace was recorded for it (only while someone watches). */
  traced: boolean;
}

export interface SubscriptionStartedEvent {
  kind: 'subscription-started';
  field: string;
  caller?: CallerSummary;
  /** The enhanced filter its resolver set, or the arguments that filter it (a bounded copy). */
  filter: unknown;
  filterKind: 'enhanced' | 'arguments';
  connectionId: string;
  subscriptionId: string;
}

export interface SubscriptionStoppedEvent {
  kind: 'subscription-stopped';
  connectionId: string;
  /** The subscriptions that ended, with their field (at most MAX_LISTED). */
  subscriptions: { subscriptionId: string; field: string }[];
  /** How many ended (more than listed when many did). */
  count: number;
  reason: 'stopped' | 'connection closed' | 'invalidated' | 'reload';
}

export interface DeliveryEvent {
  kind: 'delivery';
  /** The mutation field whose event this is. */
  mutationField: string;
  /** The request that made it. */
  requestId?: string;
  /** The subscription fields listening to that mutation. */
  subscriptionFields: string[];
  /** Subscriptions whose filter matched, and frames handed to their connections. */
  matched: number;
  delivered: number;
  /** Some of the matched subscriptions (at most MAX_LISTED). */
  subscriptions: { connectionId: string; subscriptionId: string; field: string }[];
}

export type LambdaInvoker =
  | { kind: 'appsync'; field: string }
  | { kind: 'schedule'; schedule?: string }
  | { kind: 'trigger'; trigger: string }
  | { kind: 'direct' };

export interface LambdaEvent {
  kind: 'lambda';
  functionName: string;
  invoker: LambdaInvoker;
  durationMs: number;
  /** What the function wrote to its console during the invocation (at most MAX_OUTPUT_LINES lines, each capped). */
  output: string[];
  /** Lines left out past the cap. */
  outputDropped: number;
  error?: EventError;
}

export interface ScheduleEvent {
  kind: 'schedule';
  functionName: string;
  expression: string;
  /** Run from the console (or the API) rather than by its timer. */
  manual: boolean;
  outcome: 'ok' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  detail?: string;
  durationMs: number;
}

export interface ReloadEvent {
  kind: 'reload';
  outcome: 'ok' | 'failed';
  /** What changed, one phrase each (`tables: …`, `functions changed: …`). */
  changes: string[];
  error?: string;
  durationMs: number;
}

type EventBody = RequestEvent | SubscriptionStartedEvent | SubscriptionStoppedEvent | DeliveryEvent | LambdaEvent | ScheduleEvent | ReloadEvent;
/** One event, as the live stream sends it. */
export type SandboxEvent = EventBody & { id: number; time: string };
export type SandboxEventKind = SandboxEvent['kind'];

/** One data-source call or handler of a resolver. */
export interface TraceStep {
  /** The pipeline function's name; absent for a unit resolver's own step and a pipeline's before/after handlers. */
  function?: string;
  /** `request`/`response` handlers only (before, after, or a function that returned early). */
  handler?: 'before' | 'after';
  runtime: 'VTL' | 'APPSYNC_JS';
  dataSource?: { name: string; type: string };
  /** The request the handler made (bounded copy). */
  request?: unknown;
  /** The data source's result (bounded copy), or its error. */
  result?: unknown;
  error?: EventError;
  /** Returned early: the data source was not called. */
  earlyReturn?: boolean;
  durationMs: number;
}

export interface TraceResolver {
  /** `Type.field`. */
  field: string;
  /** Where in the response (`listMessages.items.0.author`). */
  path: string;
  kind: 'UNIT' | 'PIPELINE';
  runtime: 'VTL' | 'APPSYNC_JS';
  /** Milliseconds from the request's start. */
  startMs: number;
  durationMs: number;
  steps: TraceStep[];
  error?: EventError;
}

export interface RequestTrace {
  requestId: string;
  resolvers: TraceResolver[];
  /** Resolvers left out past MAX_TRACE_RESOLVERS. */
  dropped: number;
}

/** The sandbox's events: the emitting side (services) and the watching side (the console). */
export interface SandboxEvents {
  emit(event: EventBody): void;
  /** True while someone watches: resolver traces are recorded only then. */
  readonly tracing: boolean;
  /** Keeps a request's trace (the latest `keepTraces` are kept). */
  keepTrace(trace: RequestTrace): void;
  /** The latest events, oldest first. */
  recent(): SandboxEvent[];
  /** Calls `listener` for every event from now on; returns the way to stop. */
  subscribe(listener: (event: SandboxEvent) => void): () => void;
  /** A kept trace by request id. */
  trace(requestId: string): RequestTrace | undefined;
}

export const MAX_LISTED = 20;
export const MAX_EVENT_ERRORS = 10;
export const MAX_OUTPUT_LINES = 100;
export const MAX_LINE_CHARS = 2_000;
export const MAX_TRACE_RESOLVERS = 200;

export interface EventFeedOptions {
  /** Events kept for a new watcher (default 1000). */
  keep?: number;
  /** Request traces kept (default 200). */
  keepTraces?: number;
}

export function createEventFeed(options: EventFeedOptions = {}): SandboxEvents {
  const keep = Math.max(1, options.keep ?? 1000);
  const keepTraces = Math.max(1, options.keepTraces ?? 200);
  const ring: SandboxEvent[] = [];
  let next = 0;
  let sequence = 0;
  const listeners = new Set<(event: SandboxEvent) => void>();
  // Map keeps insertion order: the first key is the oldest trace.
  const traces = new Map<string, RequestTrace>();
  return {
    emit(body) {
      const event = { ...body, id: ++sequence, time: new Date().toISOString() } as SandboxEvent;
      if (ring.length < keep) ring.push(event);
      else ring[next] = event;
      next = (next + 1) % keep;
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          listeners.delete(listener);
        }
      }
    },
    get tracing() {
      return listeners.size > 0;
    },
    keepTrace(trace) {
      traces.delete(trace.requestId);
      traces.set(trace.requestId, trace);
      if (traces.size > keepTraces) traces.delete(traces.keys().next().value!);
    },
    recent: () => (ring.length < keep ? [...ring] : [...ring.slice(next), ...ring.slice(0, next)]),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    trace: (requestId) => traces.get(requestId),
  };
}

/** A string cut to `max` characters, saying how much was left out. */
export function capString(text: string, max = MAX_LINE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** The marker a bounded copy puts where it left something out. */
export const TRUNCATED = '…';

/**
 * A JSON copy of `value` visiting at most `budget` values (strings cut to 500 characters, at most 50 entries per
 * array or object, 8 levels deep): what is left out is marked with `…` entries. Its cost is bounded by `budget`,
 * whatever the size of `value` — no JSON.stringify of the whole.
 */
export function boundedCopy(value: unknown, budget = 400): unknown {
  let left = budget;
  const copy = (v: unknown, depth: number): unknown => {
    left--;
    if (v === null || v === undefined) return v ?? null;
    switch (typeof v) {
      case 'string':
        return capString(v, 500);
      case 'number':
      case 'boolean':
        return v;
      case 'bigint':
        return String(v);
      case 'object':
        break;
      default:
        return null;
    }
    if (depth >= 8) return TRUNCATED;
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (let i = 0; i < v.length; i++) {
        if (left <= 0 || i >= 50) {
          out.push(`${TRUNCATED} ${v.length - i} more`);
          break;
        }
        out.push(copy(v[i], depth + 1));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    let count = 0;
    for (const key in v) {
      if (!Object.prototype.hasOwnProperty.call(v, key)) continue;
      if (left <= 0 || count >= 50) {
        out[TRUNCATED] = 'more entries left out';
        break;
      }
      out[key] = copy((v as Record<string, unknown>)[key], depth + 1);
      count++;
    }
    return out;
  };
  return copy(value, 0);
}

/** `ctx.identity` and the auth type of a caller → who it is, for the Live page. */
export function summarizeCaller(authType: string, identity: Record<string, unknown> | null, principalKey?: string): CallerSummary {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  if (identity === null) {
    // API key callers have no identity; their key is their id (shown shortened).
    const key = principalKey?.startsWith('API_KEY:') ? principalKey.slice('API_KEY:'.length) : undefined;
    return { authType, ...(key ? { who: key.length > 12 ? `${key.slice(0, 8)}…${key.slice(-4)}` : key } : {}) };
  }
  // IAM callers: the principal (their `username` is the access key id); users: their e-mail when the token carries
  // it (an ID token does; a pool whose usernames are generated shows nothing readable otherwise), else their username.
  const claims = identity['claims'];
  const email = claims !== null && typeof claims === 'object' ? text((claims as Record<string, unknown>)['email']) : undefined;
  const username = text(identity['username']);
  const who = text(identity['userArn']) ?? email ?? username ?? text(identity['sub']);
  const sub = text(identity['sub']);
  return { authType, ...(who ? { who } : {}), ...(username && username !== who ? { username } : {}), ...(sub && sub !== who ? { sub } : {}) };
}
