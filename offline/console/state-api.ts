/**
 * The console's State API: the whole sandbox (every table's items, the pool's users and the buckets' objects) as one
 * JSON document to download or upload, the same state as a folder on the sandbox's machine (the format of
 * `--export-on-exit` / `--import`), and a reset that empties it (offline/sandbox/state.ts says what an import replaces).
 */
import { isAbsolute, resolve } from 'node:path';
import type { StateSource } from '../sandbox/state.js';
import { checkState, exportState, importState, readStateDirectory, resetState, writeStateDirectory } from '../sandbox/state.js';
import { consoleBadRequest } from '../errors.js';
import { ConsoleFailure, requiredString, type Route } from './http.js';

/** A state upload's limit: the sandbox is a development backend, not a data warehouse. */
const MAX_STATE_BYTES = 64 * 1024 * 1024;

/** What went wrong with a state or a folder, as the console's 400. */
async function asBadRequest<T>(run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ConsoleFailure) throw error;
    throw new ConsoleFailure(consoleBadRequest((error as Error).message));
  }
}

/** A folder named in a request: absolute, or relative to where the sandbox was started. */
function folderOf(body: Record<string, unknown>, cwd: string): string {
  const directory = requiredString(body, 'directory');
  return isAbsolute(directory) ? directory : resolve(cwd, directory);
}

export function stateRoutes(source: () => StateSource, cwd = process.cwd()): Route[] {
  return [
    { method: 'GET', path: '/api/state', handler: async () => exportState(source()) },
    {
      method: 'PUT',
      path: '/api/state',
      handler: async ({ body }) => {
        const uploaded = await body(MAX_STATE_BYTES);
        const state = await asBadRequest(() => checkState(uploaded));
        return asBadRequest(() => importState(source(), state));
      },
    },
    {
      method: 'POST',
      path: '/api/state/export',
      handler: async ({ body }) => {
        const directory = folderOf(await body(), cwd);
        const state = await exportState(source());
        await asBadRequest(() => writeStateDirectory(directory, state));
        return {
          directory,
          tables: state.tables.map((table) => ({ name: table.name, items: table.items.length })),
          users: state.users.length,
          ...(state.buckets ? { buckets: state.buckets.map((bucket) => ({ name: bucket.name, objects: bucket.objects.length })) } : {}),
        };
      },
    },
    {
      method: 'POST',
      path: '/api/state/import',
      handler: async ({ body }) => {
        const directory = folderOf(await body(), cwd);
        const state = await asBadRequest(() => readStateDirectory(directory));
        return { directory, ...(await asBadRequest(() => importState(source(), state))) };
      },
    },
    { method: 'POST', path: '/api/state/reset', handler: async () => resetState(source()) },
  ];
}
