/**
 * Who the console calls AppSync as, and the headers that say so (the same over HTTP and in a real-time header object):
 *
 * - `{ "user": "<username, e-mail or sub>" }`: the ID token a sign-in of that confirmed, enabled user would give, reused
 *   while the pool accepts it (so the explorer does not start a session per request);
 * - `{ "apiKey": true }`: the API's key, where the API has API-key authorization;
 * - `{ "iam": true }`: the console's own IAM principal (an administrator on AppSync's Queries page), signing with
 *   SigV4 like AWS's clients; its identity policy allows `appsync:GraphQL` on this API and nothing else;
 * - nothing: no credentials at all (AppSync refuses it, as it would).
 *
 * AppSync authenticates and authorizes these as any other request: nothing here loosens a rule.
 */
import { randomBytes } from 'node:crypto';
import { signSigV4, type SigV4SigningKey } from '../appsync/index.js';
import type { CallerCredential } from '../aws-endpoints/index.js';
import type { UserPool } from '../cognito/index.js';
import type { BackendDescription } from '../loader/index.js';
import { consoleBadRequest } from '../errors.js';
import { ConsoleFailure, driven } from './http.js';

export type Caller = { kind: 'none' } | { kind: 'user'; user: string } | { kind: 'apiKey' } | { kind: 'iam' };

/** The role the console's IAM principal stands for (`assumed-role/<role>/console`). */
export const CONSOLE_ROLE_NAME = 'amplify-gen2-offline-console';

/** The caller a request's `as` names; a ConsoleFailure when it names none. */
export function parseCaller(as: Record<string, unknown> | undefined): Caller {
  if (as === undefined) return { kind: 'none' };
  if (typeof as['user'] === 'string' && as['user'] !== '') return { kind: 'user', user: as['user'] };
  if (as['apiKey'] === true) return { kind: 'apiKey' };
  if (as['iam'] === true) return { kind: 'iam' };
  throw new ConsoleFailure(consoleBadRequest('as must be {"user": "<username>"}, {"apiKey": true} or {"iam": true}.'));
}

/** The console's IAM key for this run: a fresh access key and secret, its principal and identity policy. */
export interface ConsoleIamKey extends CallerCredential {
  accessKeyId: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A new key for `description`'s API (temporary keys start with ASIA and have 20 upper-case characters, as AWS's). */
export function newConsoleIamKey(description: BackendDescription): ConsoleIamKey {
  const accessKeyId = `ASIA${[...randomBytes(16)].map((byte) => ALPHANUMERIC[byte % 32]).join('')}`;
  return { accessKeyId, secretAccessKey: randomBytes(30).toString('base64'), ...consoleIamIdentity(description) };
}

/** The console's principal and its policy on `description`'s API (again after a reload: the API id may change). */
export function consoleIamIdentity(description: BackendDescription): Pick<CallerCredential, 'principal' | 'policy'> {
  const { accountId, region } = description;
  return {
    principal: `arn:aws:sts::${accountId}:assumed-role/${CONSOLE_ROLE_NAME}/console`,
    policy: {
      roleArn: `arn:aws:iam::${accountId}:role/${CONSOLE_ROLE_NAME}`,
      roleName: CONSOLE_ROLE_NAME,
      statements: [
        {
          effect: 'Allow',
          actions: ['appsync:GraphQL'],
          resources: [`arn:aws:appsync:${region}:${accountId}:apis/${description.api.id}/*`],
          source: 'the sandbox console',
        },
      ],
      managedPolicyArns: [],
      skipped: [],
    },
  };
}

export interface CallerSources {
  pool: () => UserPool;
  description: () => BackendDescription;
  /** The console's IAM key (see newConsoleIamKey). */
  iam: () => SigV4SigningKey;
}

/** A request to AppSync that the caller's headers are for (IAM signs exactly these). */
export interface SignedPart {
  /** The GraphQL endpoint's host, as the request carries it (`127.0.0.1:20002`). */
  host: string;
  /** `/graphql`, or `/graphql/connect` for a real-time connection. */
  path: string;
  /** The exact body: the request's JSON, `{}` for a real-time connection, the `data` string of a real-time start. */
  body: string;
  /** Headers sent with the request that IAM signs too. */
  headers: Record<string, string>;
}

export class Callers {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly sources: CallerSources) {}

  /** The headers that make a request `caller`'s: the request's own (`headers`, `host`) plus its credentials. */
  async headers(caller: Caller, request: SignedPart): Promise<Record<string, string>> {
    const base = { ...request.headers, host: request.host };
    switch (caller.kind) {
      case 'none':
        return base;
      case 'user':
        return { ...base, Authorization: await driven(() => this.idTokenFor(caller.user)) };
      case 'apiKey': {
        const key = this.sources.description().api.apiKeys[0];
        if (key === undefined) throw new ConsoleFailure(consoleBadRequest('This API has no API key.'));
        return { ...base, 'x-api-key': key };
      }
      case 'iam':
        return signSigV4({ method: 'POST', path: request.path, query: '', headers: base, body: request.body }, this.sources.iam());
    }
  }

  /**
   * The ID token to call as `user`: the one minted earlier for them while the pool still accepts it, else a new
   * sign-in (a real session of the pool, which a global sign-out revokes).
   */
  private async idTokenFor(user: string): Promise<string> {
    const pool = this.sources.pool();
    const username = pool.getUser(user)?.username ?? user;
    const cached = this.tokens.get(username);
    if (cached !== undefined) {
      const stillGood = await pool.verifyUserPoolToken(cached).then(
        (claims) => Number(claims['exp']) * 1000 - pool.now() > 60_000,
        () => false,
      );
      if (stillGood) return cached;
      this.tokens.delete(username);
    }
    const result = (await pool.signInAs(username)) as { AuthenticationResult?: { IdToken?: string } };
    const idToken = String(result.AuthenticationResult?.IdToken);
    this.tokens.set(username, idToken);
    return idToken;
  }
}
