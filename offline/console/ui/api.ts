/**
 * The console's JSON API as the pages call it: same origin, the secret in its HttpOnly cookie (sent by the browser),
 * failures as ConsoleApiError with the server's `{ error: { code, message } }`.
 */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    credentials: 'same-origin',
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new ConsoleApiError(response.status, 'NotJson', `The console answered ${response.status} with something that is not JSON.`);
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ConsoleApiError(response.status, error?.code ?? String(response.status), error?.message ?? `HTTP ${response.status}`);
  }
  return json as T;
}

/** The console's WebSocket at `path` (same origin; the browser sends the secret's cookie). */
export function consoleSocket(path: string): WebSocket {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return new WebSocket(url);
}

/** A failure as one line for the page. */
export function describeError(error: unknown): string {
  if (error instanceof ConsoleApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
