import { defineFunction } from '@aws-amplify/backend';
import { functionEnvironment, functionLogging } from '../../settings';

/** Handles the heartbeat mutation: records the caller as ONLINE (or AWAY / OFFLINE) now. */
export const presence = defineFunction({
  name: 'presence',
  entry: './handler.ts',
  resourceGroupName: 'data',
  runtime: 24,
  timeoutSeconds: 10,
  memoryMB: 256,
  environment: functionEnvironment,
  logging: functionLogging,
});
