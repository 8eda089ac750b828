/**
 * Who may use the console: whoever holds this run's secret. The secret is made anew at every start and printed in the
 * console's URL (`…/?token=<secret>`, like Jupyter's); opening that URL sets it in an HttpOnly, SameSite=Strict cookie
 * and redirects to the same page without it. Every other request must carry the cookie or `Authorization: Bearer
 * <secret>`; anything else gets 401, the WebSocket upgrade included.
 *
 * Two more checks stop other web pages from using a browser that holds the cookie: the `Host` header must name the
 * console's own loopback address (a DNS-rebinding page would send its own host name), and a request that changes
 * something must come from the console's own origin when it says where it comes from (`Origin`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { urlHost } from '../sandbox/http-server.js';

export const COOKIE_NAME = 'amplify_gen2_offline_console';

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The secret the request carries, from its cookie or its `Authorization: Bearer` header. */
export function presentedSecret(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  return cookieValue(req.headers.cookie, COOKIE_NAME);
}

export function carriesSecret(req: IncomingMessage, secret: string): boolean {
  const given = presentedSecret(req);
  return given !== undefined && sameSecret(given, secret);
}

/** The token in the console URL's query string, when it is this run's secret. */
export function tokenInUrl(url: URL, secret: string): boolean {
  const token = url.searchParams.get('token');
  return token !== null && sameSecret(token, secret);
}

/** `Host` names one of the console's own addresses (`hosts` × its port). */
export function hostAllowed(req: IncomingMessage, hosts: readonly string[], port: number): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && hosts.some((name) => host === `${name}:${port}`);
}

/** A request that says where it comes from (`Origin`) must come from one of the console's own origins. */
export function originAllowed(req: IncomingMessage, hosts: readonly string[], port: number): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return hosts.some((name) => origin === `http://${name}:${port}`);
}

/** The cookie that keeps the secret for the console's own pages and requests. */
export function secretCookie(secret: string): string {
  return `${COOKIE_NAME}=${secret}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The names the console answers to on `host`: the address itself and, on loopback, `localhost`. */
export function consoleHostNames(host: string): string[] {
  const literal = urlHost(host);
  return host === '127.0.0.1' || host === '::1' ? [literal, 'localhost'] : [literal];
}
