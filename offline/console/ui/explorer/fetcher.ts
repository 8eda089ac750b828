/**
 * GraphiQL's fetcher for the explorer: queries and mutations go to the console's `POST /api/graphql` as the tab's
 * caller (AppSync's answer comes back as `{status, body}`: the body is the result GraphiQL shows, the status goes to
 * the tab's status line); subscriptions go over the console's subscription socket and stream as an async iterable.
 * A subscription's result is AppSync's latest event, with the earlier ones (newest first, at most 20) under
 * `extensions.explorer`, which the console adds. The schema's introspection runs as the console's IAM principal where
 * the API takes IAM, so that the editor knows the schema whoever the tab calls as.
 */
import type { GraphiQL } from 'graphiql';
import type { ComponentProps } from 'react';
import { api, describeError } from '../api';
import { asOf, type CallerChoice } from './callers';
import { operationType, type OperationDocument } from './operation-type';
import type { GraphQLResult, SubscriptionSocket, SubscriptionState } from './subscription-socket';

/** What the last run of a tab came to, for its status line. */
export type RunStatus =
  | { kind: 'running'; caller: CallerChoice }
  | { kind: 'answered'; caller: CallerChoice; status: number; ms: number }
  | { kind: 'refused'; caller: CallerChoice; message: string }
  | { kind: 'subscription'; caller: CallerChoice; state: SubscriptionState; events: number };

export interface FetcherContext {
  /** The active tab (the one GraphiQL runs) and its caller. */
  activeTab: () => { id: string; caller: CallerChoice };
  /** Who introspects the schema. */
  schemaCaller: () => CallerChoice;
  report: (tabId: string, status: RunStatus) => void;
  subscriptions: SubscriptionSocket;
}

type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];

/** How many earlier events of a subscription are shown with the latest one. */
const MAX_EARLIER_EVENTS = 20;

interface ConsoleAnswer {
  status: number;
  body: GraphQLResult;
}

export function explorerFetcher(context: FetcherContext): Fetcher {
  return async (params, options) => {
    const variables = (params.variables ?? undefined) as Record<string, unknown> | undefined;
    const operationName = params.operationName ?? undefined;
    const introspection = operationName === 'IntrospectionQuery';
    const tab = context.activeTab();
    const caller = introspection ? context.schemaCaller() : tab.caller;
    const as = asOf(caller);

    const document = options?.documentAST as OperationDocument | undefined;
    if (!introspection && operationType(params.query, operationName, document) === 'subscription') {
      let events = 0;
      let state: SubscriptionState = 'starting';
      const report = () => context.report(tab.id, { kind: 'subscription', caller, state, events });
      const results = context.subscriptions.subscribe({ query: params.query, ...(variables ? { variables } : {}), ...(operationName ? { operationName } : {}), ...(as ? { as } : {}) }, (next) => {
        state = next;
        report();
      });
      // GraphiQL shows the latest result: the earlier events go with it (newest first), so that a burst (a message
      // and the typing events around it) does not hide what came before.
      const earlier: unknown[] = [];
      const counted: AsyncIterableIterator<GraphQLResult> = {
        next: async () => {
          const result = await results.next();
          if (result.done || !result.value.data) return result;
          events += 1;
          report();
          const shown: GraphQLResult & { extensions?: unknown } = { ...result.value, ...(earlier.length > 0 ? { extensions: { explorer: { events, earlier: [...earlier] } } } : {}) };
          earlier.unshift(result.value.data);
          earlier.splice(MAX_EARLIER_EVENTS);
          return { value: shown, done: false };
        },
        return: async () => (await results.return?.()) ?? { value: undefined, done: true },
        [Symbol.asyncIterator]: () => counted,
      };
      return counted as never;
    }

    const started = performance.now();
    if (!introspection) context.report(tab.id, { kind: 'running', caller });
    try {
      const answer = await api<ConsoleAnswer>('POST', '/api/graphql', { query: params.query, ...(variables ? { variables } : {}), ...(operationName ? { operationName } : {}), ...(as ? { as } : {}) });
      if (!introspection) context.report(tab.id, { kind: 'answered', caller, status: answer.status, ms: Math.round(performance.now() - started) });
      return answer.body as never;
    } catch (error) {
      // The console refused before AppSync was asked (an unknown user, no API key): shown as a GraphQL error.
      const message = describeError(error);
      if (!introspection) context.report(tab.id, { kind: 'refused', caller, message });
      return { errors: [{ message }] } as never;
    }
  };
}
