/**
 * The console's request traces: what each resolver of a GraphQL request sent to its data source and got back, kept
 * for the latest requests made while the Live page (any live stream) was open, fetched by the request's id.
 */
import { consoleTraceNotKept } from '../errors.js';
import type { SandboxEvents } from '../sandbox/events.js';
import { ConsoleFailure, type Route } from './http.js';

export function requestRoutes(events: SandboxEvents): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/requests/:id/trace',
      handler: async ({ params }) => {
        const trace = events.trace(params['id']!);
        if (!trace) throw new ConsoleFailure(consoleTraceNotKept(params['id']!.slice(0, 100)));
        return trace;
      },
    },
  ];
}
