import { defineFunction } from '@aws-amplify/backend';
import { functionEnvironment, functionLogging } from '../../settings';

/** Cognito post-confirmation trigger: creates the new user's UserProfile in the directory. */
export const postConfirmation = defineFunction({
  name: 'post-confirmation',
  entry: './handler.ts',
  // An auth trigger that calls the data API belongs with the auth resources.
  resourceGroupName: 'auth',
  runtime: 24,
  timeoutSeconds: 10,
  memoryMB: 256,
  environment: functionEnvironment,
  logging: functionLogging,
});
