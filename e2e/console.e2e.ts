/**
 * The sandbox console in Chromium, each scenario a real thing end to end, on one sandbox + app + browser (starting
 * them is the expensive part). The scenarios live in ./console/, one module per part of the console; the state
 * scenario runs last because it resets the sandbox.
 */
import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack } from './stack';
import { dataAndAuthScenarios } from './console/data-and-auth';
import { explorerScenarios } from './console/explorer';
import { liveScenarios } from './console/live';
import { stateScenarios } from './console/state';

let stack: Stack | undefined;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

const current = (): Stack => {
  if (!stack) throw new Error('the stack did not start');
  return stack;
};

dataAndAuthScenarios(current);
explorerScenarios(current);
liveScenarios(current);
stateScenarios(current);
