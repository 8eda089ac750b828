/**
 * GetId and GetCredentialsForIdentity, as Cognito identity pools answer them
 * ([GetId](https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetId.html),
 * [GetCredentialsForIdentity](https://docs.aws.amazon.com/cognitoidentity/latest/APIReference/API_GetCredentialsForIdentity.html)):
 *
 * - `Logins` maps a provider to a user pool ID token. The provider is the pool's provider name
 *   (`cognito-idp.<region>.amazonaws.com/<pool id>`) or, as Amplify sends it, the token's issuer without its scheme —
 *   locally `127.0.0.1:<port>/<pool id>`. The token is verified as AppSync verifies user pool tokens (signature, issuer,
 *   expiry, revocation, a deleted or disabled user), must be an ID token, and of the app client the pool trusts.
 * - GetId answers the identity linked to that login (made on first sign-in, the same one ever after); without logins a
 *   new guest identity, only when the pool allows unauthenticated identities.
 * - GetCredentialsForIdentity answers temporary credentials for the pool's authenticated role (with a login of that
 *   identity) or its unauthenticated role (a guest identity, guests allowed), valid one hour. They are registered with
 *   the local AWS endpoint, which evaluates every request signed with them against that role's policy with the
 *   identity's policy variables (`cognito-identity.amazonaws.com:sub` is the identity id).
 */
import type { UserPool } from '../cognito/index.js';
import { TokenVerificationError } from '../cognito/index.js';
import {
  identityNotFound,
  identityOperationNotEmulated,
  identityPoolNotFound,
  identityPoolWithoutRole,
  invalidLoginProvider,
  invalidLoginToken,
  loginsDoNotMatch,
  MUST_NOT_BE_NULL,
  unauthenticatedNotSupported,
  validationError,
} from '../errors.js';
import type { IamContext } from '../iam/index.js';
import type { IdentityPoolDescription, RolePolicyDescription } from '../loader/index.js';
import type { IdentityStore, IssuedCredentials } from './store.js';

/** How long GetCredentialsForIdentity's credentials last (Cognito's default: one hour). */
export const CREDENTIALS_LIFETIME_MS = 60 * 60 * 1000;

export interface IdentityOperationsOptions {
  pool: () => IdentityPoolDescription;
  userPool: UserPool;
  store: IdentityStore;
  /** Registers credentials for the IAM-evaluating endpoints; called for every issued credential. */
  register(credentials: IssuedCredentials): void;
  /** Forgets expired credentials. */
  unregister(accessKeyId: string): void;
  now?: () => number;
}

/** The principal AWS reports for an identity pool role session. */
export function rolePrincipal(accountId: string, role: RolePolicyDescription): string {
  return `arn:aws:sts::${accountId}:assumed-role/${role.roleName ?? 'unknown-role'}/CognitoIdentityCredentials`;
}

/** The request context an identity's credentials are evaluated with (policy variables and condition keys). */
export function identityContext(pool: IdentityPoolDescription, credentials: IssuedCredentials, logins: readonly string[]): IamContext {
  const providers = [...new Set(logins.map((login) => login.slice(0, login.lastIndexOf('/'))))];
  return {
    'cognito-identity.amazonaws.com:sub': credentials.identityId,
    'cognito-identity.amazonaws.com:aud': pool.id,
    'cognito-identity.amazonaws.com:amr': credentials.authenticated
      ? ['authenticated', ...providers, ...logins.map((login) => `${login.slice(0, login.lastIndexOf('/'))}:CognitoSignIn:${login.slice(login.lastIndexOf('/') + 1)}`)]
      : ['unauthenticated'],
  };
}

export function createIdentityOperations(options: IdentityOperationsOptions) {
  const now = options.now ?? Date.now;

  /** The provider a Logins key names: the pool's provider name, or the local issuer without its scheme. */
  const providerFor = (key: string) => {
    const pool = options.pool();
    const localIssuer = options.userPool.issuer.replace(/^\w+:\/\//, '');
    return pool.providers.find((provider) => provider.providerName === key || (key === localIssuer && provider.providerName.endsWith(`/${options.userPool.id}`)));
  };

  /** `<provider name>/<sub>` for each verified login; throws NotAuthorizedException for any bad one. */
  const verifyLogins = async (logins: unknown): Promise<string[]> => {
    if (logins === undefined || logins === null) return [];
    if (typeof logins !== 'object' || Array.isArray(logins)) throw validationError('logins', 'Member must be a map');
    const verified: string[] = [];
    for (const [key, token] of Object.entries(logins as Record<string, unknown>)) {
      const provider = providerFor(key);
      if (!provider) throw invalidLoginProvider(key);
      if (typeof token !== 'string') throw invalidLoginToken('Not a token.');
      try {
        const claims = await options.userPool.verifyUserPoolToken(token, { expectedUse: 'id', ...(provider.clientId ? { clientIds: [provider.clientId] } : {}) });
        verified.push(`${provider.providerName}/${claims.sub}`);
      } catch (error) {
        if (error instanceof TokenVerificationError) throw invalidLoginToken(error.reason === 'expired' ? 'Token expired.' : `${error.message}.`);
        throw error;
      }
    }
    return verified;
  };

  const getId = async (input: Record<string, unknown>) => {
    const pool = options.pool();
    const poolId = input['IdentityPoolId'];
    if (typeof poolId !== 'string') throw validationError('identityPoolId', MUST_NOT_BE_NULL);
    if (poolId !== pool.id) throw identityPoolNotFound(poolId);
    const logins = await verifyLogins(input['Logins']);
    if (logins.length === 0) {
      if (!pool.allowUnauthenticatedIdentities) throw unauthenticatedNotSupported();
      return { IdentityId: options.store.newGuestIdentity(now()) };
    }
    const identityIds = new Set(logins.map((login) => options.store.identityForLogin(login, now())));
    // Two logins of different identities: Cognito would merge them; the sandbox trusts one user pool, so it cannot happen.
    return { IdentityId: [...identityIds][0] };
  };

  const getCredentialsForIdentity = async (input: Record<string, unknown>) => {
    const pool = options.pool();
    const identityId = input['IdentityId'];
    if (typeof identityId !== 'string') throw validationError('identityId', MUST_NOT_BE_NULL);
    const identity = options.store.identity(identityId);
    if (!identity) throw identityNotFound(identityId);
    const logins = await verifyLogins(input['Logins']);
    const authenticated = logins.length > 0;
    if (authenticated && !logins.every((login) => identity.logins.includes(login))) throw loginsDoNotMatch();
    if (!authenticated && identity.logins.length > 0) throw loginsDoNotMatch();
    if (!authenticated && !pool.allowUnauthenticatedIdentities) throw unauthenticatedNotSupported();
    const role = authenticated ? pool.authenticatedRole : pool.unauthenticatedRole;
    if (!role) throw identityPoolWithoutRole();
    const { issued, expired } = options.store.issue(identityId, authenticated, now(), CREDENTIALS_LIFETIME_MS);
    for (const old of expired) options.unregister(old.accessKeyId);
    options.register(issued);
    return {
      IdentityId: identityId,
      Credentials: {
        AccessKeyId: issued.accessKeyId,
        SecretKey: issued.secretAccessKey,
        SessionToken: issued.sessionToken,
        // The JSON protocol's timestamps are epoch seconds.
        Expiration: issued.expiresAt / 1000,
      },
    };
  };

  return {
    async call(operation: string, input: unknown): Promise<Record<string, unknown>> {
      const body = input !== null && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
      if (operation === 'GetId') return getId(body);
      if (operation === 'GetCredentialsForIdentity') return getCredentialsForIdentity(body);
      throw identityOperationNotEmulated(operation);
    },
  };
}

export type IdentityOperations = ReturnType<typeof createIdentityOperations>;
