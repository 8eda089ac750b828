/**
 * Runs the functions that have schedules (`LambdaDescription.schedules`) on those schedules, as EventBridge Scheduler
 * would: UTC, never two runs of the same function at once (a tick that finds the previous run still going is skipped
 * and logged), one log line per run with its outcome. Timers are unref'd, so they never keep the process alive.
 *
 * The event is EventBridge Scheduler's default notification for a templated Lambda target without `Input` (the
 * Gen 2 `defineFunction({ schedule })` output): note `detail` is the string "{}", not an object, as Scheduler sends it.
 */
import { randomUUID } from 'node:crypto';
import type { LambdaDescription } from '../loader/index.js';
import type { SandboxEvents } from '../sandbox/events.js';
import type { LineLogger } from '../sandbox/log';
import { parseScheduleExpression, type ScheduleExpression } from './schedule-expression';

export interface SchedulerClock {
  now(): Date;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: SchedulerClock = {
  now: () => new Date(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface SchedulerOptions {
  functions: LambdaDescription[];
  /** Invokes the function; `schedule` names the schedule (for the sandbox's events). */
  invoke: (functionName: string, event: unknown, schedule: string) => Promise<unknown>;
  region: string;
  accountId: string;
  /** One line per run: `debug` when it ran or was skipped, `warn` when it failed. */
  logger?: LineLogger;
  clock?: SchedulerClock;
  /** One `schedule` event per run (ran, failed or skipped). */
  events?: SandboxEvents;
}

export type RunOutcome = { status: 'ok'; result: unknown } | { status: 'failed'; error: string } | { status: 'skipped'; reason: string };

export interface ScheduledEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.scheduler';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: '{}';
}

interface Entry {
  functionName: string;
  scheduleName: string;
  schedule: ScheduleExpression;
  timer?: unknown;
}

/** Longest single setTimeout (larger delays are re-armed). */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class Scheduler {
  private readonly entries: Entry[] = [];
  /** Function name → its run in progress. */
  private readonly running = new Map<string, Promise<RunOutcome>>();
  private readonly clock: SchedulerClock;
  private readonly log: LineLogger;
  private stopped = true;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? (() => undefined);
    const anchor = this.clock.now();
    for (const fn of options.functions) {
      fn.schedules.forEach((expression, index) => {
        this.entries.push({
          functionName: fn.name,
          scheduleName: `${fn.name}-schedule-${index}`,
          schedule: parseScheduleExpression(expression, anchor),
        });
      });
    }
  }

  /** Function name → its schedule expressions. */
  get schedules(): { functionName: string; expression: string }[] {
    return this.entries.map((e) => ({ functionName: e.functionName, expression: e.schedule.expression }));
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const entry of this.entries) this.arm(entry);
  }

  /** When the entry fires next (for logs and tests). */
  nextRun(functionName: string): Date | undefined {
    const times = this.entries.filter((e) => e.functionName === functionName).map((e) => e.schedule.next(this.clock.now()));
    return times.filter((t): t is Date => t !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
  }

  private arm(entry: Entry, after: Date = this.clock.now()): void {
    if (this.stopped) return;
    const at = entry.schedule.next(after);
    if (!at) return;
    const delay = at.getTime() - this.clock.now().getTime();
    entry.timer = this.clock.setTimeout(
      () => {
        if (delay > MAX_DELAY_MS) return this.arm(entry, after);
        // Arm the next tick first, so a long run does not shift the schedule.
        this.arm(entry, at);
        void this.run(entry.functionName, entry.scheduleName, at, entry.schedule.expression, false);
      },
      Math.max(0, Math.min(delay, MAX_DELAY_MS)),
    );
  }

  /**
   * Runs a scheduled function now (tests, manual runs), with the same event and the same no-overlap rule: while a run
   * is going this is `skipped`, unless `afterCurrent` asks to wait for that run to end and then run.
   */
  async runNow(functionName: string, options: { afterCurrent?: boolean } = {}): Promise<RunOutcome> {
    const entry = this.entries.find((e) => e.functionName === functionName);
    if (!entry) throw new Error(`${functionName} has no schedule in this backend`);
    if (options.afterCurrent) {
      for (let current = this.running.get(functionName); current; current = this.running.get(functionName)) await current;
    }
    return this.run(entry.functionName, entry.scheduleName, this.clock.now(), entry.schedule.expression, true);
  }

  private event(scheduleName: string, time: Date): ScheduledEvent {
    const { region, accountId } = this.options;
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: accountId,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [`arn:aws:scheduler:${region}:${accountId}:schedule/default/${scheduleName}`],
      detail: '{}',
    };
  }

  private run(functionName: string, scheduleName: string, time: Date, expression: string, manual: boolean): Promise<RunOutcome> {
    const label = manual ? `${expression}, run now` : expression;
    if (this.running.has(functionName)) {
      const reason = 'the previous run is still going';
      this.log(`[schedule] ${functionName} (${label}): skipped, ${reason}`, 'debug');
      this.options.events?.emit({ kind: 'schedule', functionName, expression, manual, outcome: 'skipped', detail: reason, durationMs: 0 });
      return Promise.resolve({ status: 'skipped', reason });
    }
    const started = Date.now();
    const run = this.invokeOnce(functionName, scheduleName, time, label)
      .then((outcome) => {
        const detail = outcome.status === 'failed' ? { detail: outcome.error } : {};
        this.options.events?.emit({ kind: 'schedule', functionName, expression, manual, outcome: outcome.status, ...detail, durationMs: Date.now() - started });
        return outcome;
      })
      .finally(() => this.running.delete(functionName));
    this.running.set(functionName, run);
    return run;
  }

  private async invokeOnce(functionName: string, scheduleName: string, time: Date, label: string): Promise<RunOutcome> {
    const started = Date.now();
    try {
      const result = await this.options.invoke(functionName, this.event(scheduleName, time), scheduleName);
      this.log(`[schedule] ${functionName} (${label}): ok in ${Date.now() - started} ms`, 'debug');
      return { status: 'ok', result };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.log(`[schedule] ${functionName} (${label}): failed in ${Date.now() - started} ms: ${message}`, 'warn');
      return { status: 'failed', error: message };
    }
  }

  close(): void {
    this.stopped = true;
    for (const entry of this.entries) {
      if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
      entry.timer = undefined;
    }
  }
}
