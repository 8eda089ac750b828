/**
 * The console's GraphQL route: runs a query or mutation against the sandbox's AppSync endpoint as a chosen caller, so
 * that the console's explorer needs neither the local CA nor a password:
 *
 * - `{ "as": { "user": "<username, e-mail or sub>" } }`: with the tokens a sign-in of that user would give (a
 *   confirmed, enabled user; their ID token, as the Amplify client sends it), reused while the pool accepts them;
 * - `{ "as": { "apiKey": true } }`: with the API's key, where the API has API-key authorization;
 * - no `as`: with no credentials at all (AppSync refuses it, as it would).
 *
 * The request goes to AppSync's own loopback listener over HTTP, so AppSync authorizes it exactly as any other:
 * nothing here loosens a rule. The answer is AppSync's, status and body.
 */
import type { UserPool } from '../cognito/index.js';
import type { BackendDescription } from '../loader/index.js';
import { consoleBadRequest } from '../errors.js';
import { ConsoleFailure, driven, optionalObject, requiredString, type Route } from './http.js';

export interface GraphQLTarget {
  /** AppSync's loopback URL (`AppSyncServer.internalUrl`). */
  url: () => string | undefined;
  pool: () => UserPool;
  description: () => BackendDescription;
}

/**
 * The ID token to call as `user`: the one minted earlier for them while the pool still accepts it (so the explorer does
 * not start a session per request), else a new sign-in.
 */
async function idTokenFor(target: GraphQLTarget, tokens: Map<string, string>, user: string): Promise<string> {
  const pool = target.pool();
  const username = pool.getUser(user)?.username ?? user;
  const cached = tokens.get(username);
  if (cached !== undefined) {
    const stillGood = await pool.verifyUserPoolToken(cached).then(
      (claims) => Number(claims['exp']) * 1000 - pool.now() > 60_000,
      () => false,
    );
    if (stillGood) return cached;
    tokens.delete(username);
  }
  const result = (await pool.signInAs(username)) as { AuthenticationResult?: { IdToken?: string } };
  const idToken = String(result.AuthenticationResult?.IdToken);
  tokens.set(username, idToken);
  return idToken;
}

async function headersFor(target: GraphQLTarget, tokens: Map<string, string>, as: Record<string, unknown> | undefined): Promise<Record<string, string>> {
  if (as === undefined) return {};
  if (typeof as['user'] === 'string') return { authorization: await driven(() => idTokenFor(target, tokens, as['user'] as string)) };
  if (as['apiKey'] === true) {
    const key = target.description().api.apiKeys[0];
    if (key === undefined) throw new ConsoleFailure(consoleBadRequest('This API has no API key.'));
    return { 'x-api-key': key };
  }
  throw new ConsoleFailure(consoleBadRequest('as must be {"user": "<username>"} or {"apiKey": true}.'));
}

export function graphqlRoutes(target: GraphQLTarget): Route[] {
  const tokens = new Map<string, string>();
  return [
    {
      method: 'POST',
      path: '/api/graphql',
      handler: async ({ body }) => {
        const input = await body();
        const query = requiredString(input, 'query');
        const variables = optionalObject(input, 'variables');
        const operationName = input['operationName'];
        const url = target.url();
        if (url === undefined) throw new ConsoleFailure(consoleBadRequest('AppSync is not running.'));
        const headers = await headersFor(target, tokens, optionalObject(input, 'as'));
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ query, ...(variables ? { variables } : {}), ...(typeof operationName === 'string' ? { operationName } : {}) }),
        });
        return { status: response.status, body: (await response.json()) as unknown };
      },
    },
  ];
}
