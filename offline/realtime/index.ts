/** The AppSync real-time transport of the offline sandbox (see server.ts for how to attach it). */
export type {
  AppSyncError,
  AuthResult,
  RealtimeBackend,
  RealtimeLogger,
  RealtimeRequest,
  StartSubscriptionArgs,
  StartSubscriptionResult,
} from './backend';
export { silentLogger } from './backend';
export { attachRealtimeServer, DEFAULT_REALTIME_PATH, type RealtimeServer, type RealtimeServerOptions } from './server';
export { serializeDataPayload, dataFrame, GRAPHQL_WS_PROTOCOL } from './protocol-messages';
