/** A minimal HTTPS JSON POST over a keep-alive agent that trusts the bench CA (loopback only). */
import { Agent, request } from 'node:https';
import { assertLoopback } from './protocol';

export function loopbackAgent(ca: string, maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, ca });
}

export interface PostResult {
  status: number;
  body: string;
}

export function postJson(url: string, body: string, headers: Record<string, string>, agent: Agent, timeoutMs = 30_000): Promise<PostResult> {
  assertLoopback(url);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`POST ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs a GraphQL request and returns `data`; throws on HTTP errors or GraphQL `errors`. */
export async function graphql<T>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>, agent: Agent): Promise<T> {
  const { status, body } = await postJson(url, JSON.stringify({ query, variables }), headers, agent);
  let parsed: { data?: T; errors?: unknown[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new Error(`HTTP ${status}: ${body.slice(0, 300)}`);
  }
  if (status !== 200 || (parsed.errors && parsed.errors.length > 0) || parsed.data === undefined) {
    throw new Error(`HTTP ${status}: ${body.slice(0, 500)}`);
  }
  return parsed.data;
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
