/**
 * `startAppSyncServer`: the offline AppSync endpoint — HTTPS `POST /graphql` and the real-time socket at
 * `/graphql/realtime` on one port (clients derive `<graphql url>/realtime` for a custom domain, and Amplify v6 always dials wss://),
 * plus a plain-HTTP loopback listener for the local Lambdas (same handler; they cannot trust the local CA).
 * Binds to loopback by default (the stock amplify-appsync-simulator listens on all interfaces).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { LambdaRunner } from '../lambda/index.js';
import type { BackendDescription } from '../loader/index.js';
import { closeServer, listen, urlHost } from '../sandbox/http-server.js';
import type { SandboxEvents } from '../sandbox/events.js';
import type { LineLogger } from '../sandbox/log.js';
import { attachRealtimeServer, type RealtimeServer } from '../realtime/index.js';
import { Authenticator, type IamCredential } from './auth/index.js';
import { GraphQLExecutor } from './executor/index.js';
import { createGraphQLHttpHandler, type GraphQLHttpHandlerOptions } from './http/index.js';
import { SubscriptionEngine } from './subscriptions/engine.js';


/** How long an idle keep-alive connection stays open (AppSync's front end: about a minute). */
const IDLE_KEEP_ALIVE_MS = 65_000;
export interface AppSyncServerOptions {
  description: BackendDescription;
  dynamodb: DynamoDBClient;
  lambdas: LambdaRunner;
  verifyUserPoolToken: (token: string) => Promise<Record<string, unknown>>;
  iamCredentials: Map<string, IamCredential>;
  tls: { key: string; cert: string };
  host?: string;
  port?: number;
  /** Request and connection lines at `debug`, failures of the server at `error` (offline/sandbox/log.ts). */
  logger?: LineLogger;
  /** Requests, subscriptions and deliveries as structured events (offline/sandbox/events.ts). */
  events?: SandboxEvents;
}

export interface AppSyncServer {
  url: string;
  realtimeUrl: string;
  /** Plain-HTTP loopback endpoint for the local Lambdas only (same handler; they cannot trust the local CA). */
  internalUrl: string;
  /**
   * Serves another synthesis of the backend (sandbox reload): new schema, resolvers, data sources and auth rules for
   * the next request; live subscriptions are prepared again (see `SubscriptionEngine.reload`). Connections stay open.
   */
  reload(description: BackendDescription): Promise<{ kept: number; ended: number }>;
  /**
   * `reload` in two steps: builds the new schema, resolvers and auth rules (throws, changing nothing, when they do not
   * build) and returns the switch-over, which cannot fail.
   */
  prepareReload(description: BackendDescription): () => Promise<{ kept: number; ended: number }>;
  close(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';

export async function startAppSyncServer(options: AppSyncServerOptions): Promise<AppSyncServer> {
  const host = options.host ?? '127.0.0.1';
  const log: LineLogger = options.logger ?? (() => undefined);
  const build = (description: BackendDescription) => ({
    executor: new GraphQLExecutor(description, { dynamodb: options.dynamodb, lambdas: options.lambdas, logger: log }),
    authenticator: new Authenticator({ description, verifyUserPoolToken: options.verifyUserPoolToken, iamCredentials: options.iamCredentials }),
  });
  const { executor, authenticator } = build(options.description);
  const engine = new SubscriptionEngine({ executor, authenticator, graphqlPath: GRAPHQL_PATH, logger: log, ...(options.events ? { events: options.events } : {}) });
  // The handler reads executor and authenticator from this object on every request, so a reload swaps them in place.
  const handlerOptions: GraphQLHttpHandlerOptions = { executor, authenticator, engine, path: GRAPHQL_PATH, logger: log, ...(options.events ? { events: options.events } : {}) };
  const handler = createGraphQLHttpHandler(handlerOptions);

  const https = createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler);
  // The internal listener has no real-time endpoint: the Lambdas only run queries and mutations (IAM).
  const internal = createHttpServer(handler);
  // Node closes idle keep-alive sockets after 5 s, racing clients that reuse them (a request written as the server
  // closes fails with ECONNRESET / "socket hang up" — seen in the benchmarks). AWS front ends keep idle connections
  // for about a minute; so does the sandbox.
  for (const server of [https, internal]) {
    server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
    server.headersTimeout = IDLE_KEEP_ALIVE_MS + 1_000;
  }
  let realtime: RealtimeServer | undefined;
  try {
    realtime = attachRealtimeServer({
      server: https,
      backend: engine,
      path: `${GRAPHQL_PATH}/realtime`,
      logger: {
        // Warnings here are about one connection (refused, misbehaving, too slow): per-connection lines, like info.
        info: (message, fields) => log(`realtime ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`, 'debug'),
        warn: (message, fields) => log(`realtime WARN ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`, 'debug'),
        error: (message, fields) => log(`realtime ERROR ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`, 'error'),
      },
    });
    engine.attach(realtime);
    const port = await listen(https, options.port ?? 0, host);
    const internalPort = await listen(internal, 0, '127.0.0.1');
    const base = `${urlHost(host)}:${port}`;
    log(`AppSync emulator at https://${base}${GRAPHQL_PATH} (internal http://127.0.0.1:${internalPort}${GRAPHQL_PATH})`, 'debug');
    let closing: Promise<void> | undefined;
    const prepareReload = (description: BackendDescription) => {
      const next = build(description); // throws (and changes nothing) if the schema does not build
      return () => {
        handlerOptions.executor = next.executor;
        handlerOptions.authenticator = next.authenticator;
        return engine.reload(next.executor, next.authenticator);
      };
    };
    return {
      url: `https://${base}${GRAPHQL_PATH}`,
      realtimeUrl: `wss://${base}${GRAPHQL_PATH}/realtime`,
      internalUrl: `http://127.0.0.1:${internalPort}${GRAPHQL_PATH}`,
      reload: async (description) => prepareReload(description)(),
      prepareReload,
      close: () =>
        (closing ??= (async () => {
          await realtime?.close({ graceMs: 200 });
          await Promise.all([closeServer(https), closeServer(internal)]);
        })()),
    };
  } catch (error) {
    await realtime?.close({ graceMs: 0 });
    if (https.listening) await closeServer(https);
    if (internal.listening) await closeServer(internal);
    throw error;
  }
}
