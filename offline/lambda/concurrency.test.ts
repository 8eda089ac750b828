import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaDescription } from '../loader/types';
import { availableParallelism } from 'node:os';
import { DEFAULT_FUNCTION_CONCURRENCY, defaultFunctionConcurrency, LambdaRunner } from './runner';
import { functionConcurrency } from './service';

// A handler that reports to the test's server that it started, and finishes only when the server answers.
const dir = mkdtempSync(join(tmpdir(), 'lambda-concurrency-'));
writeFileSync(
  join(dir, 'index.mjs'),
  `
import http from 'node:http';
export const handler = (event) =>
  new Promise((resolve, reject) => {
    http.get(event.url + '/' + event.id, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ id: event.id, pid: process.pid, body }));
    }).on('error', reject);
  });
`,
);

const fn = (name: string): LambdaDescription => ({
  name,
  logicalId: name,
  codeDirectory: dir,
  handler: 'index.handler',
  runtime: 'nodejs24.x',
  timeoutSeconds: 20,
  memoryMB: 128,
  environment: {},
  schedules: [],
  appFunction: true,
  policy: { statements: [], managedPolicyArns: [], skipped: [] },
});

/**
 * Holds each request until `barrier` requests are held at once, then answers them all and every later one at once:
 * the first `barrier` invocations can only finish if they run at the same time (else the first waits forever and the
 * function times out). `log` is the order of arrivals and answers.
 */
function barrierServer(barrier: number) {
  const held: [string, ServerResponse][] = [];
  const log: string[] = [];
  let open = false;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((request, response) => {
    const id = request.url!.slice(1);
    log.push(`start ${id}`);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const answer = (which: string, to: ServerResponse) => {
      log.push(`end ${which}`);
      inFlight--;
      to.end('released');
    };
    if (open) return answer(id, response);
    held.push([id, response]);
    if (held.length < barrier) return;
    open = true;
    for (const [which, to] of held.splice(0)) answer(which, to);
  });
  return { server, log, maxInFlight: () => maxInFlight };
}

describe('LambdaRunner concurrency', () => {
  const barrier = barrierServer(2);
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => barrier.server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(barrier.server.address() as AddressInfo).port}`;
  });
  afterAll(() => barrier.server.close());

  it('runs two invocations of one function at the same time, each in its own environment, and keeps at most `concurrency`', async () => {
    const runner = new LambdaRunner([fn('parallel')], { concurrency: () => 2 });
    try {
      const results = (await Promise.all(['a', 'b', 'c'].map((id) => runner.invoke('parallel', { url, id })))) as { id: string; pid: number; body: string }[];
      expect(results.map((result) => result.body)).toEqual(['released', 'released', 'released']);
      // a and b both started before either ended: they ran at the same time.
      expect(barrier.log.slice(0, 2).sort()).toEqual(['start a', 'start b']);
      // c found both environments busy and the bound reached: it waited, then ran warm in one of them.
      expect(runner.environmentCount('parallel')).toBe(2);
      expect(new Set(results.map((result) => result.pid)).size).toBe(2);
      expect(results[2]!.pid).toBeOneOf([results[0]!.pid, results[1]!.pid]);
      expect(barrier.maxInFlight()).toBe(2);
    } finally {
      await runner.close();
    }
  });
});

describe('the sandbox\'s bound (OFFLINE_SANDBOX_LAMBDA_CONCURRENCY, else 4 or the cores available)', () => {
  it('is the default when unset, the whole number given otherwise, and refuses anything else', () => {
    // 4, or the cores this process may use when fewer (2 on CI's machine; 1 for the benchmark's pinned systems).
    expect(defaultFunctionConcurrency()).toBe(Math.min(DEFAULT_FUNCTION_CONCURRENCY, availableParallelism()));
    expect(functionConcurrency(undefined)).toBe(defaultFunctionConcurrency());
    expect(functionConcurrency('')).toBe(defaultFunctionConcurrency());
    expect(functionConcurrency('1')).toBe(1);
    expect(functionConcurrency('16')).toBe(16);
    for (const bad of ['0', '-2', '1.5', 'many']) expect(() => functionConcurrency(bad)).toThrow(`OFFLINE_SANDBOX_LAMBDA_CONCURRENCY must be a whole number from 1, not "${bad}"`);
  });
});

describe('idle environments', () => {
  it('are stopped once idle for the timeout, and the next invocation cold-starts a new one', async () => {
    const server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let stopped: () => void = () => undefined;
    const stoppedLine = new Promise<void>((resolve) => (stopped = resolve));
    const lines: string[] = [];
    const runner = new LambdaRunner([fn('idle')], {
      idleTimeoutMs: 100,
      logger: (line) => {
        lines.push(line);
        if (line.includes('stopped an execution environment idle')) stopped();
      },
    });
    try {
      const first = (await runner.invoke('idle', { url, id: 'one' })) as { pid: number };
      expect(runner.environmentCount('idle')).toBe(1);
      await stoppedLine;
      expect(runner.environmentCount('idle')).toBe(0);
      const second = (await runner.invoke('idle', { url, id: 'two' })) as { pid: number; body: string };
      expect(second.body).toBe('ok');
      expect(second.pid).not.toBe(first.pid);
      expect(lines.filter((line) => line.includes('cold start')).length).toBeGreaterThanOrEqual(2);
    } finally {
      await runner.close();
      server.close();
    }
  });
});
