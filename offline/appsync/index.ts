/**
 * The offline AppSync endpoint: GraphQL over HTTPS with AppSync's auth modes and resolver runtimes (VTL and
 * APPSYNC_JS), and the real-time endpoint (offline/realtime) on the same port. See README.md.
 */
export { appSyncService, type AppSyncServiceOptions, type StartAppSyncServer } from './service.js';
export { startAppSyncServer, type AppSyncServer, type AppSyncServerOptions } from './server.js';
// SigV4 itself (the console signs with it; the storage endpoint verifies S3's form with the same canonical request).
export { signSigV4, sigV4Signature, parseAuthorizationHeader, parseAmzDate, sha256Hex, type IamCredential, type SigV4SigningKey } from './auth/index.js';
