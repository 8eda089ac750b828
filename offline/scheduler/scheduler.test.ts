import { describe, expect, it } from 'vitest';
import type { LambdaDescription } from '../loader/types';
import { createEventFeed } from '../sandbox/events';
import { Scheduler, type SchedulerClock } from './scheduler';

function fakeClock(start: string) {
  let now = new Date(start);
  const timers: { callback: () => void; at: number; id: number }[] = [];
  let nextId = 0;
  const clock: SchedulerClock = {
    now: () => new Date(now.getTime()),
    setTimeout(callback, ms) {
      const id = nextId++;
      timers.push({ callback, at: now.getTime() + ms, id });
      return id;
    },
    clearTimeout(handle) {
      const index = timers.findIndex((t) => t.id === handle);
      if (index >= 0) timers.splice(index, 1);
    },
  };
  return {
    clock,
    pending: () => timers.map((t) => new Date(t.at).toISOString()),
    /** Moves to the earliest timer and fires it. */
    fireNext() {
      timers.sort((a, b) => a.at - b.at);
      const timer = timers.shift();
      if (!timer) throw new Error('no timer armed');
      now = new Date(timer.at);
      timer.callback();
    },
  };
}

const fn = (name: string, schedules: string[]) => ({ name, schedules }) as unknown as LambdaDescription;
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Scheduler', () => {
  it('invokes on schedule with an EventBridge Scheduler event and logs the outcome', async () => {
    const t = fakeClock('2025-03-01T10:00:30Z');
    const calls: { name: string; event: Record<string, unknown> }[] = [];
    const log: string[] = [];
    const scheduler = new Scheduler({
      functions: [fn('sweeper', ['cron(*/1 * * * ? *)']), fn('plain', [])],
      invoke: async (name, event) => {
        calls.push({ name, event: event as Record<string, unknown> });
        return { swept: 0 };
      },
      region: 'us-east-1',
      accountId: '123456789012',
      logger: (line) => log.push(line),
      clock: t.clock,
    });
    scheduler.start();
    expect(t.pending()).toEqual(['2025-03-01T10:01:00.000Z']);
    t.fireNext();
    await flush();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe('sweeper');
    expect(calls[0]!.event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '123456789012',
      region: 'us-east-1',
      time: '2025-03-01T10:01:00Z',
      resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/sweeper-schedule-0'],
      detail: '{}',
    });
    expect(calls[0]!.event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(t.pending()).toEqual(['2025-03-01T10:02:00.000Z']);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^\[schedule\] sweeper \(cron\(\*\/1 \* \* \* \? \*\)\): ok in \d+ ms$/);
    scheduler.close();
    expect(t.pending()).toEqual([]);
  });

  it('never overlaps runs of one function, and logs failures', async () => {
    const t = fakeClock('2025-03-01T10:00:00Z');
    let release: (() => void) | undefined;
    let invocations = 0;
    const log: string[] = [];
    const scheduler = new Scheduler({
      functions: [fn('slow', ['rate(1 minute)'])],
      invoke: () => {
        invocations++;
        return new Promise((_, reject) => (release = () => reject(new Error('boom'))));
      },
      region: 'us-east-1',
      accountId: '123456789012',
      logger: (line) => log.push(line),
      clock: t.clock,
    });
    scheduler.start();
    t.fireNext();
    await flush();
    expect(invocations).toBe(1);
    t.fireNext(); // the next minute, while the first run is still going
    await flush();
    expect(invocations).toBe(1);
    expect(await scheduler.runNow('slow')).toEqual({ status: 'skipped', reason: 'the previous run is still going' });
    expect(log.filter((l) => l.includes('skipped'))).toHaveLength(2);
    release!();
    await flush();
    expect(log.at(-1)).toMatch(/^\[schedule\] slow \(rate\(1 minute\)\): failed in \d+ ms: Error: boom$/);
    const next = scheduler.runNow('slow');
    release!();
    expect(await next).toEqual({ status: 'failed', error: 'Error: boom' });
    expect(invocations).toBe(2);
    scheduler.close();
  });

  it('runNow with afterCurrent waits for the run in progress, then runs once more', async () => {
    const t = fakeClock('2025-03-01T10:00:00Z');
    const releases: (() => void)[] = [];
    let invocations = 0;
    const scheduler = new Scheduler({
      functions: [fn('slow', ['rate(1 minute)'])],
      invoke: () => {
        invocations++;
        return new Promise((resolve) => releases.push(() => resolve(invocations)));
      },
      region: 'us-east-1',
      accountId: '123456789012',
      clock: t.clock,
    });
    scheduler.start();
    t.fireNext();
    await flush();
    expect(invocations).toBe(1);
    const after = scheduler.runNow('slow', { afterCurrent: true });
    await flush();
    expect(invocations).toBe(1); // still waiting for the scheduled run
    releases[0]!();
    await flush();
    expect(invocations).toBe(2);
    releases[1]!();
    expect(await after).toEqual({ status: 'ok', result: 2 });
    scheduler.close();
  });

  it('runNow invokes immediately and rejects unknown functions', async () => {
    const t = fakeClock('2025-03-01T10:00:00Z');
    const scheduler = new Scheduler({
      functions: [fn('sweeper', ['cron(0 3 * * ? *)'])],
      invoke: async (_name, event) => ({ got: (event as { time: string }).time }),
      region: 'us-east-1',
      accountId: '123456789012',
      clock: t.clock,
    });
    expect(await scheduler.runNow('sweeper')).toEqual({ status: 'ok', result: { got: '2025-03-01T10:00:00Z' } });
    await expect(scheduler.runNow('nope')).rejects.toThrow(/no schedule/);
    expect(scheduler.nextRun('sweeper')?.toISOString()).toBe('2025-03-02T03:00:00.000Z');
  });
});

describe('Scheduler events', () => {
  it('reports each run (by its timer or run now), failed and skipped ones too, naming the schedule to the invoke', async () => {
    const t = fakeClock('2025-03-01T10:00:30Z');
    const events = createEventFeed();
    const schedules: string[] = [];
    let release: (() => void) | undefined;
    const scheduler = new Scheduler({
      functions: [fn('sweeper', ['rate(5 minutes)'])],
      invoke: async (_name, _event, schedule) => {
        schedules.push(schedule);
        if (schedules.length === 2) throw new TypeError('broken');
        if (schedules.length === 3) await new Promise<void>((resolve) => (release = resolve));
        return null;
      },
      region: 'us-east-1',
      accountId: '123456789012',
      events,
      clock: t.clock,
    });
    scheduler.start();
    t.fireNext();
    await flush();
    await scheduler.runNow('sweeper');
    const third = scheduler.runNow('sweeper');
    await scheduler.runNow('sweeper');
    release!();
    await third;
    scheduler.close();
    expect(schedules).toEqual(['sweeper-schedule-0', 'sweeper-schedule-0', 'sweeper-schedule-0']);
    expect(events.recent().map((e) => (e.kind === 'schedule' ? [e.manual, e.outcome, e.detail] : e.kind))).toEqual([
      [false, 'ok', undefined],
      [true, 'failed', 'TypeError: broken'],
      [true, 'skipped', 'the previous run is still going'],
      [true, 'ok', undefined],
    ]);
    expect(events.recent()[0]).toMatchObject({ functionName: 'sweeper', expression: 'rate(5 minutes)' });
  });
});
