/**
 * The console's State API: the whole sandbox (every table's items and the pool's users) as one JSON document to
 * download, and the same document uploaded to import it (offline/sandbox/state.ts says what an import replaces).
 */
import type { StateSource } from '../sandbox/state.js';
import { exportState, importState, checkState } from '../sandbox/state.js';
import { consoleBadRequest } from '../errors.js';
import { ConsoleFailure, type Route } from './http.js';

/** A state upload's limit: the sandbox is a development backend, not a data warehouse. */
const MAX_STATE_BYTES = 64 * 1024 * 1024;

export function stateRoutes(source: () => StateSource): Route[] {
  return [
    { method: 'GET', path: '/api/state', handler: async () => exportState(source()) },
    {
      method: 'PUT',
      path: '/api/state',
      handler: async ({ body }) => {
        const uploaded = await body(MAX_STATE_BYTES);
        let state;
        try {
          state = checkState(uploaded);
        } catch (error) {
          throw new ConsoleFailure(consoleBadRequest((error as Error).message));
        }
        try {
          return await importState(source(), state);
        } catch (error) {
          throw new ConsoleFailure(consoleBadRequest((error as Error).message));
        }
      },
    },
  ];
}
