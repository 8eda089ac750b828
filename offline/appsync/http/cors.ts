/** CORS for the browser client (Amplify v6 sends `authorization`, `content-type`, `x-amz-user-agent`, SigV4 and API-key headers). */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const ALLOWED_HEADERS = ['authorization', 'content-type', 'x-amz-user-agent', 'x-amz-date', 'x-api-key', 'x-amz-security-token', 'x-amz-content-sha256'];

export function applyCors(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', typeof req.headers.origin === 'string' ? req.headers.origin : '*');
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', 'x-amzn-requestid, x-amzn-errortype');
}

export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  applyCors(req, res);
  res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
  res.setHeader('access-control-allow-headers', ALLOWED_HEADERS.join(', '));
  res.setHeader('access-control-max-age', '86400');
  res.writeHead(204).end();
}
