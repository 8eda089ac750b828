import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LambdaDescription } from '../loader/types';
import { LambdaInvocationError, LambdaRunner } from './runner';

const dir = mkdtempSync(join(tmpdir(), 'lambda-runner-'));
writeFileSync(
  join(dir, 'index.mjs'),
  `
let coldStarts = 0;
coldStarts += 1;
export const handler = async (event, context) => {
  if (event.fail) { const e = new Error('boom: ' + event.fail); e.name = 'ValidationError'; throw e; }
  if (event.hang) { await new Promise(() => {}); }
  return { echo: event, env: process.env.GREETING, shared: process.env.SHARED ?? null, coldStarts, name: context.functionName, remaining: context.getRemainingTimeInMillis() > 0 };
};
`,
);

const fn = (name: string, extra: Partial<LambdaDescription> = {}): LambdaDescription => ({
  name,
  logicalId: name,
  codeDirectory: dir,
  handler: 'index.handler',
  runtime: 'nodejs24.x',
  timeoutSeconds: 5,
  memoryMB: 128,
  environment: { GREETING: `hello from ${name}` },
  schedules: [],
  appFunction: true,
  policy: { statements: [], managedPolicyArns: [], skipped: [] },
  ...extra,
});

const runner = new LambdaRunner([fn('alpha'), fn('beta'), fn('slow', { timeoutSeconds: 0.2 })], {
  environment: (f) => ({ SHARED: `local-${f.name}` }),
});
afterAll(() => runner.close());

describe('LambdaRunner', () => {
  it('invokes the bundle\'s handler with the event, its own environment and a Lambda context', async () => {
    await expect(runner.invoke('alpha', { x: 1 })).resolves.toEqual({
      echo: { x: 1 },
      env: 'hello from alpha',
      shared: 'local-alpha',
      coldStarts: 1,
      name: 'alpha',
      remaining: true,
    });
    await expect(runner.invoke('beta', {})).resolves.toMatchObject({ env: 'hello from beta', shared: 'local-beta' });
  });

  it('reuses a warm environment across invocations', async () => {
    await runner.invoke('alpha', {});
    await expect(runner.invoke('alpha', {})).resolves.toMatchObject({ coldStarts: 1 });
  });

  it('reports a thrown error as Lambda does (errorType = error name, errorMessage)', async () => {
    const error = await runner.invoke('alpha', { fail: 'bad input' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaInvocationError);
    expect((error as LambdaInvocationError).lambdaError).toMatchObject({ errorType: 'ValidationError', errorMessage: 'boom: bad input' });
  });

  it('times out a hanging invocation and starts a fresh environment for the next one', async () => {
    const error = (await runner.invoke('slow', { hang: true }).catch((e: unknown) => e)) as LambdaInvocationError;
    expect(error.lambdaError.errorMessage).toMatch(/Task timed out after 0.20 seconds/);
    await expect(runner.invoke('slow', { ok: true })).resolves.toMatchObject({ echo: { ok: true } });
  });

  it('refuses an unknown function', async () => {
    await expect(runner.invoke('nope', {})).rejects.toThrow(/No function named nope/);
  });
});
