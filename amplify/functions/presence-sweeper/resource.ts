import { defineFunction } from '@aws-amplify/backend';
import { PRESENCE_SWEEP_SCHEDULE } from '../../shared/limits';
import { functionEnvironment, functionLogging } from '../../settings';

/** Runs on a schedule and marks users whose heartbeats stopped as OFFLINE (through AppSync, so subscribers see it). */
export const presenceSweeper = defineFunction({
  name: 'presence-sweeper',
  entry: './handler.ts',
  resourceGroupName: 'data',
  runtime: 24,
  timeoutSeconds: 60,
  memoryMB: 256,
  schedule: PRESENCE_SWEEP_SCHEDULE,
  environment: functionEnvironment,
  logging: functionLogging,
});
