/**
 * `$util.time` / `util.time`. AppSync's `nowISO8601()` has millisecond precision
 * (`2026-01-01T00:00:00.000Z`); formats follow java.time `DateTimeFormatter` patterns, of which the
 * common tokens are supported: `yyyy yy MMMM MMM MM M dd d HH H hh h mm m ss s S… a EEEE EEE Z XXX XX X z 'text'`.
 */
import { UTIL_FAULTS } from '../../errors.js';

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  weekday: number;
  offsetMinutes: number;
}

/** Offset of `timeZone` (IANA id or `UTC`) at `ms`, in minutes east of UTC. */
function offsetMinutes(ms: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Z' || timeZone === 'GMT') return 0;
  const fixed = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/.exec(timeZone);
  if (fixed) return (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0));
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - (ms - (ms % 1000))) / 60000);
}

function fields(ms: number, timeZone: string): Fields {
  const offset = offsetMinutes(ms, timeZone);
  const d = new Date(ms + offset * 60000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millis: d.getUTCMilliseconds(),
    weekday: d.getUTCDay(),
    offsetMinutes: offset,
  };
}

const TOKEN = /'([^']*)'|y+|M+|d+|H+|h+|m+|s+|S+|a|E+|Z+|X+|x+|z+|u+/g;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatOffset(minutes: number, colon: boolean, zForZero: boolean): string {
  if (minutes === 0 && zForZero) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ':' : ''}${pad(abs % 60, 2)}`;
}

/** Format epoch milliseconds with a DateTimeFormatter pattern in `timeZone` (default UTC). */
export function formatEpochMillis(ms: number, pattern: string, timeZone = 'UTC'): string {
  const f = fields(ms, timeZone);
  return pattern.replace(TOKEN, (token, literal: string | undefined) => {
    if (literal !== undefined) return literal === '' ? "'" : literal;
    const n = token.length;
    switch (token[0]) {
      case 'y':
      case 'u':
        return n === 2 ? pad(f.year % 100, 2) : pad(f.year, n);
      case 'M':
        return n >= 4 ? MONTHS[f.month - 1]! : n === 3 ? MONTHS[f.month - 1]!.slice(0, 3) : pad(f.month, n);
      case 'd':
        return pad(f.day, n);
      case 'H':
        return pad(f.hour, n);
      case 'h':
        return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, n);
      case 'm':
        return pad(f.minute, n);
      case 's':
        return pad(f.second, n);
      case 'S':
        return pad(f.millis, 3).padEnd(n, '0').slice(0, n);
      case 'a':
        return f.hour < 12 ? 'AM' : 'PM';
      case 'E':
        return n >= 4 ? DAYS[f.weekday]! : DAYS[f.weekday]!.slice(0, 3);
      case 'Z':
        return n === 5 ? formatOffset(f.offsetMinutes, true, true) : formatOffset(f.offsetMinutes, false, false);
      case 'X':
        return n === 1 ? formatOffset(f.offsetMinutes, false, true).slice(0, f.offsetMinutes % 60 === 0 ? 3 : 5) : formatOffset(f.offsetMinutes, n >= 3, true);
      case 'x':
        return formatOffset(f.offsetMinutes, n >= 3, false);
      case 'z':
        return timeZone === 'UTC' ? 'UTC' : timeZone;
      default:
        return token;
    }
  });
}

/** Parse `text` with a DateTimeFormatter pattern (numeric tokens, month names, offsets) → epoch ms. */
export function parseFormattedToEpochMillis(text: string, pattern: string, timeZone = 'UTC'): number {
  const parts: { kind: string; len: number }[] = [];
  let regex = '^';
  let last = 0;
  for (const m of pattern.matchAll(TOKEN)) {
    regex += escapeRe(pattern.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      regex += escapeRe(m[1] === '' ? "'" : m[1]);
      continue;
    }
    const kind = m[0][0]!;
    const len = m[0].length;
    parts.push({ kind, len });
    if (kind === 'M' && len >= 3) regex += '([A-Za-z]+)';
    else if (kind === 'E') regex += '[A-Za-z]+';
    else if (kind === 'a') regex += '(AM|PM|am|pm)';
    else if (kind === 'Z' || kind === 'X' || kind === 'x') regex += '(Z|[+-]\\d{2}:?\\d{2}|[+-]\\d{2})';
    else if (kind === 'z') regex += '([A-Za-z_/+-]+)';
    else regex += len > 1 ? `(\\d{${len}})` : '(\\d+)';
    if (kind === 'E') parts.pop();
  }
  regex += escapeRe(pattern.slice(last)) + '$';
  const m = new RegExp(regex).exec(text);
  if (!m) throw new Error(UTIL_FAULTS.unparsableWithPattern(text, pattern));
  const v = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millis: 0, pm: null as boolean | null, offset: null as number | null, zone: timeZone };
  parts.forEach((p, i) => {
    const s = m[i + 1]!;
    switch (p.kind) {
      case 'y':
      case 'u':
        v.year = p.len === 2 ? 2000 + Number(s) : Number(s);
        break;
      case 'M':
        v.month = p.len >= 3 ? MONTHS.findIndex((name) => name.toLowerCase().startsWith(s.toLowerCase().slice(0, 3))) + 1 : Number(s);
        break;
      case 'd':
        v.day = Number(s);
        break;
      case 'H':
      case 'h':
        v.hour = Number(s);
        break;
      case 'm':
        v.minute = Number(s);
        break;
      case 's':
        v.second = Number(s);
        break;
      case 'S':
        v.millis = Number(s.padEnd(3, '0').slice(0, 3));
        break;
      case 'a':
        v.pm = s.toUpperCase() === 'PM';
        break;
      case 'Z':
      case 'X':
      case 'x':
        v.offset = s === 'Z' ? 0 : offsetMinutes(0, s);
        break;
      case 'z':
        v.zone = s;
        break;
    }
  });
  if (v.pm !== null) v.hour = (v.hour % 12) + (v.pm ? 12 : 0);
  const local = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second, v.millis);
  const offset = v.offset ?? offsetMinutes(local, v.zone);
  return local - offset * 60000;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The `util.time` object bound to a clock. */
export function timeUtils(clock: Clock = systemClock) {
  return {
    nowISO8601: (): string => new Date(clock.now()).toISOString(),
    nowEpochSeconds: (): number => Math.floor(clock.now() / 1000),
    nowEpochMilliSeconds: (): number => clock.now(),
    nowFormatted: (format: string, timeZone?: string): string => formatEpochMillis(clock.now(), format, timeZone),
    parseFormattedToEpochMilliSeconds: (text: string, format: string, timeZone?: string): number => parseFormattedToEpochMillis(text, format, timeZone),
    parseISO8601ToEpochMilliSeconds: (text: string): number => {
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) throw new Error(UTIL_FAULTS.notIso8601(text));
      return ms;
    },
    epochMilliSecondsToSeconds: (ms: number): number => Math.floor(ms / 1000),
    epochMilliSecondsToISO8601: (ms: number): string => new Date(ms).toISOString(),
    epochMilliSecondsToFormatted: (ms: number, format: string, timeZone?: string): string => formatEpochMillis(ms, format, timeZone),
  };
}
