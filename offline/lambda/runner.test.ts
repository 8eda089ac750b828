import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LambdaDescription } from '../loader/types';
import { createEventFeed, type LambdaEvent } from '../sandbox/events';
import { loadOrCreateCertificate } from '../tls/certificate';
import { sandboxProcessEnvironment } from '../cli/process-environment.mjs';
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
  return { echo: event, env: process.env.GREETING, shared: process.env.SHARED ?? null, arena: process.env.MALLOC_ARENA_MAX ?? null, coldStarts, name: context.functionName, remaining: context.getRemainingTimeInMillis() > 0 };
};
`,
);

writeFileSync(
  join(dir, 'chatty.mjs'),
  `
export const handler = async (event) => {
  console.log('hello', event.who, { n: 1 });
  console.error('careful\\nsecond line');
  if (event.fail) throw new TypeError('it broke');
  return 'done';
};
`,
);

writeFileSync(
  join(dir, 'secure.mjs'),
  `
import https from 'node:https';
export const handler = (event) =>
  new Promise((resolve) => {
    https.get(event.url, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ body }));
    }).on('error', (error) => resolve({ error: error.code }));
  });
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

// What `npm run dev` gives the sandbox's process (offline/cli/process-environment.mjs): never the functions'.
Object.assign(process.env, sandboxProcessEnvironment({}));
const runner = new LambdaRunner([fn('alpha'), fn('beta'), fn('slow', { timeoutSeconds: 0.2 })], {
  environment: (f) => ({ SHARED: `local-${f.name}` }),
});
afterAll(() => runner.close());

describe('LambdaRunner', () => {
  it('invokes the bundle\'s handler with the event, its own environment (none of the sandbox process\'s) and a Lambda context', async () => {
    expect(process.env['MALLOC_ARENA_MAX']).toBe('2');
    await expect(runner.invoke('alpha', { x: 1 })).resolves.toEqual({
      echo: { x: 1 },
      env: 'hello from alpha',
      shared: 'local-alpha',
      arena: null,
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

describe('LambdaRunner events', () => {
  it('reports each invocation with what invoked it, its duration, its own console lines and its error', async () => {
    const events = createEventFeed();
    const lines: [string, string | undefined][] = [];
    const chatty = new LambdaRunner([fn('chatty', { handler: 'chatty.handler' })], { events, logger: (line, level) => lines.push([line, level]) });
    try {
      await expect(chatty.invoke('chatty', { who: 'ann' }, { kind: 'appsync', field: 'Mutation.send' })).resolves.toBe('done');
      await expect(chatty.invoke('chatty', { who: 'bob', fail: true, triggerSource: 'PostConfirmation_ConfirmSignUp' })).rejects.toThrow('it broke');
      const [first, second] = events.recent() as (LambdaEvent & { id: number })[];
      expect(first).toMatchObject({ kind: 'lambda', functionName: 'chatty', invoker: { kind: 'appsync', field: 'Mutation.send' }, output: ['hello ann { n: 1 }', 'careful', 'second line'], outputDropped: 0 });
      expect(first!.error).toBeUndefined();
      expect(first!.durationMs).toBeGreaterThanOrEqual(0);
      expect(second).toMatchObject({ invoker: { kind: 'trigger', trigger: 'PostConfirmation_ConfirmSignUp' }, output: ['hello bob { n: 1 }', 'careful', 'second line'], error: { type: 'TypeError', message: 'it broke' } });
      // The sandbox's log still has every line, stdout at debug and stderr at warn.
      expect(lines).toContainEqual(['[lambda] chatty: hello ann { n: 1 }', 'debug']);
      expect(lines).toContainEqual(['[lambda] chatty: second line', 'warn']);
    } finally {
      await chatty.close();
    }
  });
});

describe('LambdaRunner trustedCertificates', () => {
  it("lets a function's TLS connections trust a CA this process does not, and only in the runner given it", async () => {
    // A CA of its own (not the tests' CA, which NODE_EXTRA_CA_CERTS makes the whole process trust).
    const certificate = await loadOrCreateCertificate(mkdtempSync(join(tmpdir(), 'lambda-ca-')));
    const server = createServer({ key: certificate.key, cert: certificate.cert }, (_request, response) => response.end('trusted'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const trusting = new LambdaRunner([fn('secure', { handler: 'secure.handler' })], { trustedCertificates: [certificate.ca] });
    const plain = new LambdaRunner([fn('secure', { handler: 'secure.handler' })]);
    try {
      await expect(trusting.invoke('secure', { url })).resolves.toEqual({ body: 'trusted' });
      await expect(plain.invoke('secure', { url })).resolves.toEqual({ error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      // This thread's own connections are unaffected by the worker's trust.
      const here = await fetch(url).then(() => 'connected', (error: Error & { cause?: { code?: string } }) => error.cause?.code);
      expect(here).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      await trusting.close();
      await plain.close();
      server.close();
    }
  });
});
