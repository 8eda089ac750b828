/** The Cognito identity pool: GetId and GetCredentialsForIdentity with credentials scoped by its roles. See README.md. */
export { cognitoIdentityService, IDENTITY_TARGET_PREFIX, type CognitoIdentityApi } from './service.js';
export { createIdentityOperations, identityContext, rolePrincipal, CREDENTIALS_LIFETIME_MS, type IdentityOperations } from './operations.js';
export { IdentityStore, type IssuedCredentials, type StoredIdentity } from './store.js';
