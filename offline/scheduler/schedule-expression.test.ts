import { describe, expect, it } from 'vitest';
import { parseScheduleExpression, ScheduleExpressionError } from './schedule-expression';

const at = (iso: string) => new Date(iso);
function nextTimes(expression: string, from: string, count: number, anchor?: string): string[] {
  const schedule = parseScheduleExpression(expression, anchor ? at(anchor) : at(from));
  const times: string[] = [];
  let t = at(from);
  for (let i = 0; i < count; i++) {
    const next = schedule.next(t);
    if (!next) break;
    times.push(next.toISOString());
    t = next;
  }
  return times;
}

describe('cron expressions (UTC)', () => {
  it('every minute: the Gen 2 presence-sweeper schedule', () => {
    expect(nextTimes('cron(*/1 * * * ? *)', '2025-03-01T10:00:30.500Z', 3)).toEqual([
      '2025-03-01T10:01:00.000Z',
      '2025-03-01T10:02:00.000Z',
      '2025-03-01T10:03:00.000Z',
    ]);
  });

  it('is strictly after the given time, even on a boundary', () => {
    expect(nextTimes('cron(0 * * * ? *)', '2025-03-01T10:00:00.000Z', 1)).toEqual(['2025-03-01T11:00:00.000Z']);
  });

  it('increments, ranges and lists', () => {
    expect(nextTimes('cron(5/20 8-9 * * ? *)', '2025-03-01T07:59:00Z', 7)).toEqual([
      '2025-03-01T08:05:00.000Z',
      '2025-03-01T08:25:00.000Z',
      '2025-03-01T08:45:00.000Z',
      '2025-03-01T09:05:00.000Z',
      '2025-03-01T09:25:00.000Z',
      '2025-03-01T09:45:00.000Z',
      '2025-03-02T08:05:00.000Z',
    ]);
    expect(nextTimes('cron(0,30 12 1,15 * ? *)', '2025-01-15T12:30:00Z', 3)).toEqual([
      '2025-02-01T12:00:00.000Z',
      '2025-02-01T12:30:00.000Z',
      '2025-02-15T12:00:00.000Z',
    ]);
  });

  it('day-of-week 1 = Sunday, names, and the year field', () => {
    // 2025-03-01 is a Saturday.
    expect(nextTimes('cron(0 9 ? * MON-FRI *)', '2025-03-01T00:00:00Z', 2)).toEqual(['2025-03-03T09:00:00.000Z', '2025-03-04T09:00:00.000Z']);
    expect(nextTimes('cron(0 0 ? * 1 *)', '2025-03-01T00:00:00Z', 1)).toEqual(['2025-03-02T00:00:00.000Z']);
    expect(nextTimes('cron(0 0 29 FEB ? 2024-2030)', '2024-03-01T00:00:00Z', 2)).toEqual(['2028-02-29T00:00:00.000Z']);
  });

  it('skips days a month does not have', () => {
    expect(nextTimes('cron(0 0 31 * ? *)', '2025-04-01T00:00:00Z', 2)).toEqual(['2025-05-31T00:00:00.000Z', '2025-07-31T00:00:00.000Z']);
  });

  it('rejects what AWS rejects or the sandbox does not emulate', () => {
    for (const bad of ['cron(* * * * * *)', 'cron(* * ? * ? *)', 'cron(0 0 * *)', 'cron(60 * * * ? *)', 'cron(0 0 L * ? *)', 'cron(0 0 ? * 6#3 *)', 'cron(5-1 * * * ? *)', 'at(2025-01-01T00:00:00)', 'every 5 minutes']) {
      expect(() => parseScheduleExpression(bad), bad).toThrow(ScheduleExpressionError);
    }
  });
});

describe('rate expressions', () => {
  it('counts from the anchor', () => {
    expect(nextTimes('rate(5 minutes)', '2025-03-01T10:07:00Z', 2, '2025-03-01T10:00:00Z')).toEqual(['2025-03-01T10:10:00.000Z', '2025-03-01T10:15:00.000Z']);
    expect(nextTimes('rate(1 hour)', '2025-03-01T10:00:00Z', 1)).toEqual(['2025-03-01T11:00:00.000Z']);
    expect(nextTimes('rate(2 days)', '2025-03-01T00:00:00Z', 1)).toEqual(['2025-03-03T00:00:00.000Z']);
  });

  it('requires a singular unit for 1 and a plural otherwise', () => {
    expect(() => parseScheduleExpression('rate(1 minutes)')).toThrow(/singular/);
    expect(() => parseScheduleExpression('rate(5 minute)')).toThrow(/plural/);
    expect(() => parseScheduleExpression('rate(0 minutes)')).toThrow(ScheduleExpressionError);
    expect(() => parseScheduleExpression('rate(5 weeks)')).toThrow(/unit/);
  });
});
