/**
 * The console's GraphQL route: runs a query or mutation against the sandbox's AppSync endpoint as a chosen caller
 * (callers.ts: a pool user, the API key, the console's IAM principal, or nobody), so that the console's explorer needs
 * neither the local CA nor a password.
 *
 * The request goes to AppSync's own loopback listener over HTTP, so AppSync authorizes it exactly as any other:
 * nothing here loosens a rule. The answer is AppSync's, status and body.
 */
import type { BackendDescription } from '../loader/index.js';
import { consoleBadRequest } from '../errors.js';
import { parseCaller, type Callers } from './callers.js';
import { ConsoleFailure, optionalObject, requiredString, type Route } from './http.js';

export interface GraphQLTarget {
  /** AppSync's loopback URL (`AppSyncServer.internalUrl`). */
  url: () => string | undefined;
  callers: Callers;
  description: () => BackendDescription;
}

/** The callers this API can authorize (what the explorer offers): `GET /api/graphql`. */
export interface GraphQLCallers {
  userPool: boolean;
  apiKey: boolean;
  iam: boolean;
  defaultAuthMode: string;
}

export function graphqlRoutes(target: GraphQLTarget): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/graphql',
      handler: async (): Promise<GraphQLCallers> => {
        const { api } = target.description();
        const modes = new Set([api.defaultAuthMode, ...api.additionalAuthModes]);
        return { userPool: modes.has('AMAZON_COGNITO_USER_POOLS'), apiKey: modes.has('API_KEY') && api.apiKeys.length > 0, iam: modes.has('AWS_IAM'), defaultAuthMode: api.defaultAuthMode };
      },
    },
    {
      method: 'POST',
      path: '/api/graphql',
      handler: async ({ body }) => {
        const input = await body();
        const query = requiredString(input, 'query');
        const variables = optionalObject(input, 'variables');
        const operationName = input['operationName'];
        const caller = parseCaller(optionalObject(input, 'as'));
        const url = target.url();
        if (url === undefined) throw new ConsoleFailure(consoleBadRequest('AppSync is not running.'));
        const endpoint = new URL(url);
        const payload = JSON.stringify({ query, ...(variables ? { variables } : {}), ...(typeof operationName === 'string' ? { operationName } : {}) });
        const { host: _host, ...headers } = await target.callers.headers(caller, {
          host: endpoint.host,
          path: endpoint.pathname,
          body: payload,
          headers: { 'content-type': 'application/json' },
        });
        // fetch sends the host itself (the one signed).
        const response = await fetch(endpoint, { method: 'POST', headers, body: payload });
        return { status: response.status, body: (await response.json()) as unknown };
      },
    },
  ];
}
