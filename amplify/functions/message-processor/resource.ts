import { defineFunction } from '@aws-amplify/backend';
import { functionEnvironment, functionLogging } from '../../settings';

/** Handles sendMessage, editMessage and removeMessage (the only ways clients write messages). */
export const messageProcessor = defineFunction({
  name: 'message-processor',
  entry: './handler.ts',
  // A data handler that is also a data client must live in the data stack (no circular dependency).
  resourceGroupName: 'data',
  runtime: 24,
  timeoutSeconds: 10,
  memoryMB: 512,
  environment: functionEnvironment,
  logging: functionLogging,
});
