import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LambdaRunner } from '../lambda/runner';
import type { BackendDescription, LambdaDescription } from '../loader/types';
import { createEventFeed } from '../sandbox/events';
import { createLogFeed } from '../sandbox/log';
import type { ServiceContext } from '../sandbox/service';
import { schedulerService } from './service';

const dir = mkdtempSync(join(tmpdir(), 'scheduler-service-'));
writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => "swept";\n');

const fn = (name: string, schedules: string[]): LambdaDescription => ({
  name,
  logicalId: name,
  codeDirectory: dir,
  handler: 'index.handler',
  runtime: 'nodejs24.x',
  timeoutSeconds: 5,
  memoryMB: 128,
  environment: {},
  schedules,
  appFunction: true,
  policy: { statements: [], managedPolicyArns: [], skipped: [] },
});

describe('schedulerService', () => {
  it('initializes the environment of a function due to run before an idle one would stop, and only those', async () => {
    const functions = [fn('every-minute', ['cron(*/1 * * * ? *)']), fn('yearly', ['cron(0 0 1 1 ? *)']), fn('on-demand', [])];
    const lambda = new LambdaRunner(functions);
    const description = { lambdas: functions, region: 'us-east-1', accountId: '123456789012' } as unknown as BackendDescription;
    const context = { description, log: createLogFeed(() => undefined).log, events: createEventFeed() } as unknown as ServiceContext;
    const service = await schedulerService.start({ lambda }, context);
    try {
      expect(lambda.environmentCount('every-minute')).toBe(1);
      // Its next run is months away: an environment started now would be stopped idle long before.
      expect(lambda.environmentCount('yearly')).toBe(0);
      expect(lambda.environmentCount('on-demand')).toBe(0);
      // The run takes the environment initialized ahead of it.
      expect(await service.api.current.runNow('every-minute')).toEqual({ status: 'ok', result: 'swept' });
      expect(lambda.environmentCount('every-minute')).toBe(1);
    } finally {
      await service.close();
      await lambda.close();
    }
  });
});
