/**
 * The sandbox's identity pool service: GetId and GetCredentialsForIdentity (operations.ts) answered on the Cognito
 * endpoint by their own `X-Amz-Target` prefix, identities and live credentials on disk (store.ts), and every issued
 * credential registered with the local AWS endpoint's callers, so the IAM-evaluating endpoints (the storage bucket,
 * AppSync's IAM mode) evaluate its role's policy with the identity's policy variables.
 *
 * It serves only when the synthesized backend has an identity pool (defineAuth adds one). A reload applies the roles'
 * new policies to every live credential; a pool that appears, disappears or changes id applies at the next start.
 */
import type { AwsEndpointsApi } from '../aws-endpoints/index.js';
import type { CognitoApi } from '../cognito/index.js';
import type { BackendDescription, IdentityPoolDescription } from '../loader/index.js';
import { serviceFolder } from '../sandbox/data-directory.js';
import type { RunningService, ServiceDefinition } from '../sandbox/service.js';
import { createIdentityOperations, identityContext, rolePrincipal } from './operations.js';
import { IdentityStore, type IssuedCredentials } from './store.js';

export const IDENTITY_TARGET_PREFIX = 'AWSCognitoIdentityService.';

export interface CognitoIdentityApi {
  /** The identity pool being served, if the backend has one. */
  identityPoolId: string | undefined;
  /** The client's `Auth.Cognito.identityPoolEndpoint` (the Cognito endpoint), when a pool is served. */
  url: string | undefined;
}

export const cognitoIdentityService: ServiceDefinition<'cognitoIdentity', CognitoIdentityApi, { cognito: CognitoApi; awsEndpoints: AwsEndpointsApi }, { needsRestart: boolean }> = {
  name: 'cognitoIdentity',
  label: 'Cognito identity pool',
  dependsOn: ['cognito', 'awsEndpoints'],
  async start({ cognito, awsEndpoints }, context): Promise<RunningService<CognitoIdentityApi, { needsRestart: boolean }>> {
    let description: BackendDescription = context.description;
    const started = description.identityPool;
    const needsRestart = (next: BackendDescription) => next.identityPool?.id !== started?.id;
    if (!started) {
      return {
        api: { identityPoolId: undefined, url: undefined },
        urls: {} as Record<string, string>,
        summary: 'none in this backend',
        prepareReload: async (next) => () => ({ needsRestart: needsRestart(next) }),
        close: () => undefined,
      };
    }
    const store = new IdentityStore(serviceFolder(context.data, 'cognitoIdentity'), started.id);
    const pool = (): IdentityPoolDescription => description.identityPool ?? started;
    const registered = new Map<string, () => void>();
    const register = (credentials: IssuedCredentials) => {
      const current = pool();
      const role = credentials.authenticated ? current.authenticatedRole : current.unauthenticatedRole;
      if (!role) return;
      registered.get(credentials.accessKeyId)?.();
      registered.set(
        credentials.accessKeyId,
        awsEndpoints.registerCaller(credentials.accessKeyId, {
          secretAccessKey: credentials.secretAccessKey,
          principal: rolePrincipal(description.accountId, role),
          policy: role,
          sessionToken: credentials.sessionToken,
          expiresAt: credentials.expiresAt,
          context: identityContext(current, credentials, store.identity(credentials.identityId)?.logins ?? []),
        }),
      );
    };
    const unregister = (accessKeyId: string) => {
      registered.get(accessKeyId)?.();
      registered.delete(accessKeyId);
    };
    const operations = createIdentityOperations({ pool, userPool: cognito.pool, store, register, unregister });
    for (const credentials of store.liveCredentials(Date.now())) register(credentials);
    const stopServing = cognito.serveTarget(IDENTITY_TARGET_PREFIX, (operation, input) => operations.call(operation, input));
    return {
      api: { identityPoolId: started.id, url: cognito.url },
      urls: { identityPool: cognito.url },
      summary: `identity pool ${started.id} at ${cognito.url}${started.allowUnauthenticatedIdentities ? ', guests allowed' : ''}`,
      prepareReload: async (next) => () => {
        if (needsRestart(next)) return { needsRestart: true };
        description = next;
        // The roles' policies may have changed (a storage access rule): live credentials get them at once, as in IAM.
        for (const credentials of store.liveCredentials(Date.now())) register(credentials);
        return { needsRestart: false };
      },
      close: () => {
        stopServing();
        for (const remove of registered.values()) remove();
        registered.clear();
      },
    };
  },
};
