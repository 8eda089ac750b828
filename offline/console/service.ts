/**
 * The sandbox's console service: the console's server on its own loopback port, with a secret made anew at every
 * start, driving the DynamoDB, Cognito, storage, AppSync and scheduler services. It follows reloads (new tables appear).
 */
import type { AwsEndpointsApi } from '../aws-endpoints/index.js';
import type { CognitoApi } from '../cognito/index.js';
import type { LocalCertificate } from '../tls/index.js';
import type { LocalDynamoDb } from '../dynamodb/index.js';
import type { SchedulerApi } from '../scheduler/index.js';
import { listenWithFallback } from '../sandbox/listen-fallback.js';
import { DEFAULT_PORTS } from '../sandbox/ports.js';
import type { ServiceDefinition } from '../sandbox/service.js';
import { newSecret } from './access.js';
import { authRoutes } from './auth-api.js';
import { dataRoutes } from './data-api.js';
import { scheduleRoutes } from './schedules-api.js';
import { stateRoutes } from './state-api.js';
import { storageRoutes } from './storage-api.js';
import type { StorageApi } from '../s3/index.js';
import { graphqlRoutes } from './graphql-api.js';
import { Callers, consoleIamIdentity, newConsoleIamKey } from './callers.js';
import { subscriptionsSocket } from './subscriptions-api.js';
import type { AppSyncServer } from '../appsync/index.js';
import { startConsoleServer } from './server.js';
import { liveSocket } from './live-api.js';
import { requestRoutes } from './requests-api.js';
import { uiBundle, type UiBundleState } from './ui-bundle.js';

export interface ConsoleApi {
  /** The URL to open: it carries this run's secret. */
  url: string;
  /** The console's address without the secret. */
  origin: string;
  /** This run's secret (`Authorization: Bearer <secret>` for scripts). */
  secret: string;
  /** Builds the console's pages now if they are not (they are otherwise built when first asked for). */
  pages(): Promise<UiBundleState>;
}

export interface ConsoleServiceOptions {
  /** The preferred port (a taken one falls back to a free port, with a warning); 0 picks a free one. */
  port?: number;
  /**
   * The address to bind. Default: the sandbox's host when it is a loopback address, else 127.0.0.1 — a sandbox
   * served to other machines (`--host 0.0.0.0`) keeps its console on this one unless this says otherwise.
   */
  host?: string;
  /** Where the console's built pages are kept (default: the project's node_modules/.cache, see ui-bundle.ts). */
  uiCacheDirectory?: string;
}

type Dependencies = { tls: LocalCertificate; dynamodb: LocalDynamoDb; awsEndpoints: AwsEndpointsApi; storage: StorageApi; cognito: CognitoApi; appsync: AppSyncServer; scheduler: SchedulerApi };

/** `host` when it is a loopback address, else 127.0.0.1. */
export function loopbackOr(host: string): string {
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  return loopback ? host : '127.0.0.1';
}

export function consoleService(options: ConsoleServiceOptions = {}): ServiceDefinition<'console', ConsoleApi, Dependencies, undefined> {
  return {
    name: 'console',
    label: 'console',
    dependsOn: ['tls', 'dynamodb', 'awsEndpoints', 'storage', 'cognito', 'appsync', 'scheduler'],
    async start({ tls, dynamodb, awsEndpoints, storage, cognito, appsync, scheduler }, context) {
      let description = context.description;
      const secret = newSecret();
      // The console's IAM caller: a key of this run that AppSync knows, allowed appsync:GraphQL on this API.
      const iamKey = newConsoleIamKey(description);
      let unregisterIam = awsEndpoints.registerCaller(iamKey.accessKeyId, iamKey);
      const callers = new Callers({
        pool: () => cognito.pool,
        description: () => description,
        iam: () => ({ accessKeyId: iamKey.accessKeyId, secretAccessKey: iamKey.secretAccessKey, region: description.region }),
      });
      const routes = [
        ...dataRoutes(dynamodb.client, () => description),
        ...authRoutes(() => cognito.pool),
        ...scheduleRoutes(scheduler),
        ...requestRoutes(context.events),
        ...stateRoutes(() => ({ description, dynamodb: dynamodb.client, userPool: cognito.pool, storage })),
        ...storageRoutes(() => storage),
        ...graphqlRoutes({ url: () => appsync.internalUrl, callers, description: () => description }),
      ];
      const sockets = [liveSocket(context.logs, context.events), subscriptionsSocket({ appsync: () => appsync, ca: tls.ca, callers, log: context.log })];
      const ui = uiBundle(options.uiCacheDirectory, (line) => context.log(line));
      const server = await listenWithFallback(
        'the console',
        options.port ?? DEFAULT_PORTS.console,
        (port) => startConsoleServer({ routes, sockets, ui, secret, host: options.host ?? loopbackOr(context.host), port, logger: context.log }),
        context.log,
        'Open the console through the URL printed below.',
      );
      return {
        api: { url: server.url, origin: server.origin, secret, pages: () => ui.ready() },
        urls: { console: server.url },
        summary: server.origin,
        prepareReload: async (next) => () => {
          description = next;
          // The API's id may have changed: the console's policy names it.
          unregisterIam = awsEndpoints.registerCaller(iamKey.accessKeyId, { ...iamKey, ...consoleIamIdentity(next) });
          return undefined;
        },
        close: async () => {
          unregisterIam();
          await server.close();
        },
      };
    },
  };
}
