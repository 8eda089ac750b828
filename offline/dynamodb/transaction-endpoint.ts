/**
 * Starts dynalite with its store in hand and serves TransactWriteItems / TransactGetItems (transactions.ts) on its own
 * HTTP server, so every client of the local DynamoDB — the sandbox's client, the Lambdas through offline/aws-endpoints —
 * has them at the same URL. dynalite 4 does not export its store: `dynalite()` calls `db.create()` of its db module,
 * so that function is wrapped for the duration of the (synchronous) call and hands the store over. Requests for the two
 * operations are answered here; every other request goes to dynalite's own handler untouched.
 */
// Before dynalite: its in-memory store must keep buffers of their own size (memory-store.ts).
import { OwnedBuffersMemoryLevel } from './memory-store.js';
import { createRequire } from 'node:module';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import dynalite from 'dynalite';
import { DYNAMODB_MISSING_AUTHENTICATION_TOKEN } from '../errors.js';
import { closeIteratorsWhenDone } from './closing-iterators.js';
import { TransactionEngine, type DynaliteStore, type TransactionEngineOptions, type TransactionOperation } from './transactions.js';

type DynaliteOptions = Parameters<typeof dynalite>[0];

const TARGETS: Record<string, TransactionOperation> = {
  'DynamoDB_20120810.TransactWriteItems': 'TransactWriteItems',
  'DynamoDB_20120810.TransactGetItems': 'TransactGetItems',
};
/** dynalite's own request limit. */
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const JSON_TYPES = new Set(['application/json', 'application/x-amz-json-1.0']);

export interface DynaliteWithTransactions {
  server: Server;
  store: DynaliteStore;
  engine: TransactionEngine;
}

/** dynalite's `db.create`, wrapped while `dynalite()` runs so that its store is returned too. */
function createDynalite(options: DynaliteOptions): { server: Server; store: DynaliteStore } {
  const require = createRequire(import.meta.url);
  const dbModule = require(join(dirname(require.resolve('dynalite/package.json')), 'db', 'index.js')) as { create: (o: unknown) => DynaliteStore };
  const create = dbModule.create;
  let store: DynaliteStore | undefined;
  dbModule.create = (o) => (store = create(o));
  let server: Server;
  try {
    server = dynalite(options);
  } finally {
    dbModule.create = create;
  }
  if (!store) throw new Error('dynalite did not create its store through db.create (unsupported dynalite version)');
  if (!options?.path && !(store.db instanceof OwnedBuffersMemoryLevel)) throw new Error("dynalite's in-memory store is not memory-store.ts's (dynalite loaded before it)");
  closeIteratorsWhenDone(store.db);
  return { server, store };
}

/** The 52-character request id dynalite (and DynamoDB) send. */
const requestId = () => randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0');

function send(req: IncomingMessage, res: ServerResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
  res.writeHead(statusCode, {
    'x-amzn-RequestId': requestId(),
    'x-amz-crc32': String(crc32(text)),
    'Content-Type': contentType === 'application/json' ? 'application/json' : 'application/x-amz-json-1.0',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function answer(engine: TransactionEngine, operation: TransactionOperation, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      res.writeHead(413).end();
      req.destroy();
      return;
    }
    chunks.push(chunk);
  }
  const authorization = req.headers.authorization;
  if (typeof authorization !== 'string' || !authorization.trim().startsWith('AWS4-')) {
    const { errorType, message } = DYNAMODB_MISSING_AUTHENTICATION_TOKEN;
    return send(req, res, 400, { __type: `com.amazon.coral.service#${errorType}`, message });
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return send(req, res, 400, { __type: 'com.amazon.coral.service#SerializationException' });
  }
  const result = await engine.execute(operation, body);
  send(req, res, result.statusCode, result.body);
}

/**
 * dynalite's HTTP server (not yet listening) with the two transaction operations added, its store and the engine.
 * `engineOptions.now` lets tests move the idempotency window.
 */
export function startDynaliteWithTransactions(options: DynaliteOptions, engineOptions: TransactionEngineOptions = {}): DynaliteWithTransactions {
  const { server, store } = createDynalite(options);
  const engine = new TransactionEngine(store, engineOptions);
  const dynaliteHandlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    const operation = typeof target === 'string' ? TARGETS[target] : undefined;
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (req.method !== 'POST' || !operation || !JSON_TYPES.has(contentType)) {
      for (const handler of dynaliteHandlers) handler.call(server, req, res);
      return;
    }
    answer(engine, operation, req, res).catch((error: unknown) => {
      if (!res.headersSent) send(req, res, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `offline sandbox: ${String(error)}` });
      else res.destroy();
    });
  });
  return { server, store, engine };
}
