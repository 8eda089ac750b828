/**
 * EventBridge Scheduler schedule expressions (`rate(…)`, `cron(…)`), evaluated in UTC.
 *
 * cron fields: minutes hours day-of-month month day-of-week year, e.g. `cron(*\/5 8-17 ? * MON-FRI *)`. Supported per
 * field: `*`, `?` (day-of-month or day-of-week, exactly one of them), values, names (JAN-DEC, SUN-SAT), ranges `a-b`,
 * lists `a,b`, increments `*\/n`, `a/n`, `a-b/n`. Day-of-week 1 = Sunday … 7 = Saturday, as in AWS.
 * `L`, `W` and `#` are rejected with a clear error (not emulated).
 */
export interface ScheduleExpression {
  expression: string;
  /** The first fire time strictly after `after`, or undefined when there is none (year range exhausted). */
  next(after: Date): Date | undefined;
}

export class ScheduleExpressionError extends Error {
  constructor(expression: string, reason: string) {
    super(`Unsupported schedule expression "${expression}": ${reason}`);
    this.name = 'ScheduleExpressionError';
  }
}

const MINUTE = 60_000;
const RATE_UNITS: Record<string, number> = { minute: MINUTE, minutes: MINUTE, hour: 60 * MINUTE, hours: 60 * MINUTE, day: 1440 * MINUTE, days: 1440 * MINUTE };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS },
  { name: 'year', min: 1970, max: 2199 },
];

/** `anchor` is when a rate schedule starts counting (the sandbox's start). */
export function parseScheduleExpression(expression: string, anchor: Date = new Date()): ScheduleExpression {
  const trimmed = expression.trim();
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/.exec(trimmed);
  if (rate) return parseRate(trimmed, Number(rate[1]), rate[2]!, anchor);
  const cron = /^cron\((.*)\)$/.exec(trimmed);
  if (cron) return parseCron(trimmed, cron[1]!);
  if (trimmed.startsWith('at(')) throw new ScheduleExpressionError(expression, 'one-time at() schedules are not emulated');
  throw new ScheduleExpressionError(expression, 'expected rate(…) or cron(…)');
}

function parseRate(expression: string, value: number, unit: string, anchor: Date): ScheduleExpression {
  const unitMs = RATE_UNITS[unit];
  if (!unitMs) throw new ScheduleExpressionError(expression, `unknown unit "${unit}" (minute(s), hour(s), day(s))`);
  if (!Number.isInteger(value) || value < 1) throw new ScheduleExpressionError(expression, 'the value must be a positive integer');
  if ((value === 1) === unit.endsWith('s')) {
    const singular = unit.replace(/s$/, '');
    throw new ScheduleExpressionError(expression, value === 1 ? `use the singular unit: rate(1 ${singular})` : `use the plural unit: rate(${value} ${singular}s)`);
  }
  const interval = value * unitMs;
  const start = anchor.getTime();
  return {
    expression,
    next(after) {
      const elapsed = after.getTime() - start;
      const k = elapsed < 0 ? 1 : Math.floor(elapsed / interval) + 1;
      return new Date(start + k * interval);
    },
  };
}

function parseValue(token: string, spec: FieldSpec, expression: string): number {
  const upper = token.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  const value = named >= 0 ? named + spec.min : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new ScheduleExpressionError(expression, `${spec.name}: "${token}" is not in ${spec.min}-${spec.max}`);
  }
  return value;
}

/** The set of allowed values of one field, or undefined for `*` / `?` (any). */
function parseField(text: string, spec: FieldSpec, expression: string): Set<number> | undefined {
  if (text === '*' || text === '?') return undefined;
  if (/[LW#]/i.test(text.replace(/[A-Z]{3}/gi, (m) => (spec.names?.includes(m.toUpperCase()) ? '' : m)))) {
    throw new ScheduleExpressionError(expression, `${spec.name}: L, W and # are not emulated`);
  }
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleExpressionError(expression, `${spec.name}: bad increment in "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-') as [string, string];
      [from, to] = [parseValue(a, spec, expression), parseValue(b, spec, expression)];
      if (from > to) throw new ScheduleExpressionError(expression, `${spec.name}: range "${range}" runs backwards`);
    } else {
      from = parseValue(range, spec, expression);
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function parseCron(expression: string, body: string): ScheduleExpression {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new ScheduleExpressionError(expression, 'cron needs 6 fields: minutes hours day-of-month month day-of-week year');
  const [dom, dow] = [parts[2]!, parts[4]!];
  if ((dom === '?') === (dow === '?')) throw new ScheduleExpressionError(expression, 'exactly one of day-of-month and day-of-week must be "?"');
  const [minutes, hours, days, months, weekdays, years] = parts.map((p, i) => parseField(p, FIELDS[i]!, expression));
  const allows = (set: Set<number> | undefined, v: number) => set === undefined || set.has(v);
  return {
    expression,
    next(after) {
      // Start at the next whole minute, then skip forward field by field (largest unit first).
      const t = new Date(Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE);
      while (t.getUTCFullYear() <= 2199) {
        if (!allows(years, t.getUTCFullYear())) {
          t.setUTCFullYear(t.getUTCFullYear() + 1, 0, 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!allows(months, t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!allows(days, t.getUTCDate()) || !allows(weekdays, t.getUTCDay() + 1)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
          continue;
        }
        if (!allows(hours, t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
          continue;
        }
        if (!allows(minutes, t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
          continue;
        }
        return new Date(t.getTime());
      }
      return undefined;
    },
  };
}
