/**
 * The sandbox's AppSync service: GraphQL over HTTPS and the real-time endpoint on one port (plus a plain-HTTP
 * loopback listener for the functions), resolving through the DynamoDB, Lambda and Cognito services and
 * authenticating IAM callers with the functions' credentials.
 */
import type { AwsEndpointsApi } from '../aws-endpoints/index.js';
import type { CognitoApi } from '../cognito/index.js';
import type { LocalDynamoDb } from '../dynamodb/index.js';
import type { LambdaRunner } from '../lambda/index.js';
import { DEFAULT_PORTS } from '../sandbox/ports.js';
import { listenWithFallback } from '../sandbox/listen-fallback.js';
import type { ServiceDefinition } from '../sandbox/service.js';
import type { LocalCertificate } from '../tls/index.js';
import { startAppSyncServer, type AppSyncServer, type AppSyncServerOptions } from './server.js';

export type StartAppSyncServer = (options: AppSyncServerOptions) => Promise<AppSyncServer>;

export interface AppSyncServiceOptions {
  /** The preferred port (a taken one falls back to a free port, with a warning); 0 picks a free one. */
  port?: number;
  /** The server to start (default `startAppSyncServer`; tests pass a fake). */
  startServer?: StartAppSyncServer;
}

type Dependencies = { tls: LocalCertificate; dynamodb: LocalDynamoDb; awsEndpoints: AwsEndpointsApi; lambda: LambdaRunner; cognito: CognitoApi };

export function appSyncService(options: AppSyncServiceOptions = {}): ServiceDefinition<'appsync', AppSyncServer, Dependencies, { kept: number; ended: number }> {
  return {
    name: 'appsync',
    label: 'AppSync server',
    dependsOn: ['tls', 'dynamodb', 'awsEndpoints', 'lambda', 'cognito'],
    async start({ tls, dynamodb, awsEndpoints, lambda, cognito }, context) {
      const start = options.startServer ?? startAppSyncServer;
      const server = await listenWithFallback(
        'AppSync',
        options.port ?? DEFAULT_PORTS.appsync,
        (port) =>
          start({
            description: context.description,
            dynamodb: dynamodb.client,
            lambdas: lambda,
            verifyUserPoolToken: (token) => cognito.pool.verifyUserPoolToken(token) as Promise<Record<string, unknown>>,
            iamCredentials: awsEndpoints.credentials,
            tls: { key: tls.key, cert: tls.cert },
            host: context.host,
            port,
            logger: context.log,
            events: context.events,
          }),
        context.log,
        'Rewrite amplify_outputs.json (the sandbox CLI does) and reload the web app.',
      );
      return {
        api: server,
        urls: { graphql: server.url, realtime: server.realtimeUrl, internal: server.internalUrl },
        summary: server.url,
        // Refuses (changing nothing) a schema or resolver it cannot build; the switch-over prepares live subscriptions again.
        prepareReload: async (next) => server.prepareReload(next),
        close: () => server.close(),
      };
    },
  };
}
