/**
 * The sandbox's console service: the console's server on its own loopback port, with a secret made anew at every
 * start, driving the DynamoDB, Cognito, AppSync and scheduler services. It follows reloads (new tables appear).
 */
import type { CognitoApi } from '../cognito/index.js';
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
import { graphqlRoutes } from './graphql-api.js';
import type { AppSyncServer } from '../appsync/index.js';
import { startConsoleServer } from './server.js';
import { liveSocket } from './live-api.js';
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
  /** Where the console's built pages are kept (default: the project's node_modules/.cache, see ui-bundle.ts). */
  uiCacheDirectory?: string;
}

type Dependencies = { dynamodb: LocalDynamoDb; cognito: CognitoApi; appsync: AppSyncServer; scheduler: SchedulerApi };

export function consoleService(options: ConsoleServiceOptions = {}): ServiceDefinition<'console', ConsoleApi, Dependencies, undefined> {
  return {
    name: 'console',
    label: 'console',
    dependsOn: ['dynamodb', 'cognito', 'appsync', 'scheduler'],
    async start({ dynamodb, cognito, appsync, scheduler }, context) {
      let description = context.description;
      const secret = newSecret();
      const routes = [
        ...dataRoutes(dynamodb.client, () => description),
        ...authRoutes(() => cognito.pool),
        ...scheduleRoutes(scheduler),
        ...stateRoutes(() => ({ description, dynamodb: dynamodb.client, userPool: cognito.pool })),
        ...graphqlRoutes({ url: () => appsync.internalUrl, pool: () => cognito.pool, description: () => description }),
      ];
      const sockets = [liveSocket(context.logs)];
      const ui = uiBundle(options.uiCacheDirectory, (line) => context.log(line));
      const server = await listenWithFallback(
        'the console',
        options.port ?? DEFAULT_PORTS.console,
        (port) => startConsoleServer({ routes, sockets, ui, secret, host: context.host, port, logger: context.log }),
        context.log,
        'Open the console through the URL printed below.',
      );
      return {
        api: { url: server.url, origin: server.origin, secret, pages: () => ui.ready() },
        urls: { console: server.url },
        summary: server.origin,
        prepareReload: async (next) => () => {
          description = next;
          return undefined;
        },
        close: () => server.close(),
      };
    },
  };
}
