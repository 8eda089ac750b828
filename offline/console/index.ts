/** The sandbox console: see and change what the local backend holds, behind a per-run secret. See README.md. */
export { consoleService, type ConsoleApi, type ConsoleServiceOptions } from './service.js';
export type { ConsoleTable } from './data-api.js';
export type { ConsoleUser } from './auth-api.js';
