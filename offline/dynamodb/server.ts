/**
 * Runs dynalite (DynamoDB's API on LevelDB, or in memory) on 127.0.0.1 with an OS-assigned port and
 * hands back a client bound to it. Persistence: LevelDB writes each acknowledged write to its log
 * with `write(2)` before dynalite answers, so an acknowledged item survives the Node process being
 * killed (SIGKILL) — see durability.test.ts. LevelDB does not fsync per write (`sync: false`), so a
 * power loss or kernel crash may lose the last writes; that is accepted for a dev sandbox.
 */
import { mkdirSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoDbClient } from './client.js';
import { lockDataDirectory, type DirectoryLock } from './directory-lock.js';
import { installDynaliteExpressionCache } from './expression-cache.js';
import { startDynaliteWithTransactions } from './transaction-endpoint.js';

const PROBE_TABLE = 'offline-sandbox-open-probe';

export interface StartDynamoDbOptions {
  /** LevelDB directory (created if missing); `undefined` keeps everything in memory. */
  dataDirectory?: string;
  /** The clock of the TransactWriteItems idempotency window (ms since the epoch); tests move it. Default `Date.now`. */
  transactionClock?: () => number;
}

/** A DynamoDB request received by another server of the sandbox (the functions' endpoint), body already read. */
export interface ForwardedDynamoDbRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  client: DynamoDBClient;
  /**
   * Answers a request on `response` exactly as the HTTP port would (dynalite's handler, the transactions), without a
   * second HTTP exchange inside the process. False, with nothing written, once close() began.
   */
  serve(request: ForwardedDynamoDbRequest, response: ServerResponse): boolean;
  /**
   * Refuses new requests from `client`, lets the ones already sent finish (their writes are
   * persisted and answered), stops the server (requests it already received from other clients
   * are answered too), closes LevelDB and destroys the client. Idempotent: every call returns the
   * same promise.
   */
  close(): Promise<void>;
}

export async function startDynamoDb(options: StartDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const { dataDirectory } = options;
  let lock: DirectoryLock | undefined;
  if (dataDirectory !== undefined) {
    mkdirSync(dataDirectory, { recursive: true });
    lock = lockDataDirectory(dataDirectory);
  }
  // dynalite re-parses every condition/update/key/filter/projection expression per request; see expression-cache.ts.
  installDynaliteExpressionCache();
  // Tables become ACTIVE at once: DynamoDB's CREATING phase only adds waiting to a sandbox. dynalite has no
  // transactions; transaction-endpoint.ts serves TransactWriteItems / TransactGetItems on the same port.
  const { server } = startDynaliteWithTransactions(
    { path: dataDirectory, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 },
    { now: options.transactionClock },
  );

  // The sandbox's own client is the only one on this port. Let it decide when an idle keep-alive socket ends: a server-side
  // idle timeout (Node's default 5 s) races the client reusing that socket, which fails the request with ECONNRESET
  // (the client makes one attempt only). The race is likeliest right after the event loop was busy, e.g. for a large query.
  server.keepAliveTimeout = 0;

  let closing = false;
  // Keep-alive sockets that become idle after close() began would keep server.close() waiting.
  server.on('request', (_request, response) => {
    response.on('close', () => {
      if (closing) server.closeIdleConnections();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createLocalDynamoDbClient(endpoint);

  // Requests sent through `client` before close() run to completion; later ones are refused at once.
  let inFlight = 0;
  let onDrained: (() => void) | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      if (closing) throw new Error(`The local DynamoDB at ${endpoint} is closed.`);
      inFlight += 1;
      try {
        return await next(args);
      } finally {
        inFlight -= 1;
        if (inFlight === 0) onDrained?.();
      }
    },
    { step: 'initialize', priority: 'high', name: 'offlineSandboxCloseGuard' },
  );

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      if (inFlight > 0) await new Promise<void>((resolve) => (onDrained = resolve));
      // Other clients' requests already received are still answered before LevelDB closes.
      await new Promise<void>((resolve, reject) => {
        server.close((error) => {
          client.destroy();
          lock?.release();
          if (error) reject(error);
          else resolve();
        });
        server.closeIdleConnections();
      });
    })();
    return closed;
  };

  // LevelDB opens lazily; surface a failure to open (e.g. the directory is locked by another
  // sandbox process) now rather than on the first resolver call. The probe is a point read: a
  // dynalite *listing* on a store that failed to open emits an unhandled stream error.
  try {
    await client.send(new DescribeTableCommand({ TableName: PROBE_TABLE })).catch((error: unknown) => {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    });
  } catch (error) {
    await close().catch(() => undefined);
    const where = dataDirectory === undefined ? 'in memory' : `in ${dataDirectory}`;
    throw new Error(`Local DynamoDB (dynalite) could not open its store ${where}: ${(error as Error).message}`, {
      cause: error,
    });
  }

  const serve = (request: ForwardedDynamoDbRequest, response: ServerResponse): boolean => {
    if (closing) return false;
    // What the handlers read of a request: method, url, headers and the body as a stream ('data'/'end' or for await).
    const incoming = Object.assign(Readable.from(request.body.length > 0 ? [request.body] : []), {
      method: request.method,
      url: request.url,
      headers: { ...request.headers, 'content-length': String(request.body.length) },
    }) as unknown as IncomingMessage;
    server.emit('request', incoming, response);
    return true;
  };

  return { endpoint, client, serve, close };
}
