/**
 * The sandbox's log lines carry a level so that the CLI (offline/cli/start.ts) can filter and format them, while
 * a logger that ignores the level (the tests' `(line) => lines.push(line)`) still receives every line unchanged:
 *
 * - `debug`: one line per request, real-time connection or subscription, Lambda cold start or console output, and
 *   schedule run — shown with `--verbose` only;
 * - `info` (the default): start-up, reloads, what is not emulated;
 * - `warn`, `error`: something the developer should look at;
 * - `code`: a confirmation / password-reset / verification code or a temporary password (Cognito would e-mail it);
 *   the CLI prints it as a highlighted block.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'code';

export type LineLogger = (line: string, level?: LogLevel) => void;
