/**
 * The offline AppSync endpoint: GraphQL over HTTPS with AppSync's auth modes and resolver runtimes (VTL and
 * APPSYNC_JS), and the real-time endpoint (offline/realtime) on the same port. See README.md.
 */
export { appSyncService, type AppSyncServiceOptions, type StartAppSyncServer } from './service.js';
export { startAppSyncServer, type AppSyncServer, type AppSyncServerOptions } from './server.js';
export { signSigV4, type IamCredential, type SigV4SigningKey } from './auth/index.js';
