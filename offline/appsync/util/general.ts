/**
 * General `$util` / `util` functions (AppSync's resolver utility reference).
 * Pure functions of their arguments, shared by the VTL and APPSYNC_JS engines.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { UTIL_FAULTS } from '../../errors.js';
import { javaMatches } from './java-regex.js';
import { isList, isPlainMap, MapEntry } from './values.js';

/** `util.autoId()`: a random UUID v4. */
export function autoId(): string {
  return randomUUID();
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `util.autoUlid()`: 26 Crockford base32 characters, 48-bit millisecond time + 80 random bits. */
export function autoUlid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! % 32]!;
  return time + rand;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KSUID_EPOCH = 1_400_000_000;

/** `util.autoKsuid()`: 27 base62 characters encoding 4 bytes of time (since 2014-05-13) + 16 random bytes. */
export function autoKsuid(now: number = Date.now()): string {
  const payload = Buffer.alloc(20);
  payload.writeUInt32BE(Math.floor(now / 1000) - KSUID_EPOCH, 0);
  randomBytes(16).copy(payload, 4);
  let n = BigInt(`0x${payload.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}

export function isNull(value: unknown): boolean {
  return value === null || value === undefined;
}

/** Null, or an empty String / List / Map (Amplify templates pass maps, e.g. `$ctx.args.filter`). */
export function isNullOrEmpty(value: unknown): boolean {
  if (isNull(value)) return true;
  if (typeof value === 'string' || isList(value)) return value.length === 0;
  if (isPlainMap(value)) return Object.keys(value).length === 0;
  return false;
}

/** Null, or a String of only whitespace (Java `Character.isWhitespace`), or an empty collection. */
export function isNullOrBlank(value: unknown): boolean {
  if (typeof value === 'string') return value.trim().length === 0;
  return isNullOrEmpty(value);
}

export function defaultIfNull<T, D>(value: T, fallback: D): T | D {
  return isNull(value) ? fallback : value;
}
export function defaultIfNullOrEmpty<T, D>(value: T, fallback: D): T | D {
  return isNullOrEmpty(value) ? fallback : value;
}
export function defaultIfNullOrBlank<T, D>(value: T, fallback: D): T | D {
  return isNullOrBlank(value) ? fallback : value;
}

export const isString = (v: unknown): boolean => typeof v === 'string';
export const isNumber = (v: unknown): boolean => typeof v === 'number';
export const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
export const isMap = (v: unknown): boolean => isPlainMap(v);
export { isList };

/** `$util.typeOf`: `Null`, `Number`, `String`, `Map`, `List`, `Boolean` or `Object`. */
export function typeOf(value: unknown): string {
  if (isNull(value)) return 'Null';
  if (typeof value === 'number') return 'Number';
  if (typeof value === 'string') return 'String';
  if (typeof value === 'boolean') return 'Boolean';
  if (isList(value)) return 'List';
  if (isPlainMap(value)) return 'Map';
  return 'Object';
}

/** `$util.matches(pattern, s)`: java.util.regex full match. */
export function matches(pattern: string, input: string): boolean {
  return javaMatches(String(pattern), String(input));
}

/** Apache commons-lang `StringEscapeUtils.escapeJavaScript`, which `$util.escapeJavaScript` follows. */
export function escapeJavaScript(input: string): string {
  let out = '';
  for (const ch of String(input)) {
    const code = ch.codePointAt(0)!;
    if (code > 0xffff) {
      out += ch
        .split('')
        .map((u) => `\\u${u.charCodeAt(0).toString(16).toUpperCase()}`)
        .join('');
    } else if (code > 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (code < 32) {
      const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += named[code] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else if (ch === '"' || ch === "'" || ch === '\\' || ch === '/') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/** Java `URLEncoder.encode(s, "UTF-8")`: space → `+`, only `A-Za-z0-9.-*_` unescaped. */
export function urlEncode(input: string): string {
  return encodeURIComponent(String(input))
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Java `URLDecoder.decode(s, "UTF-8")`. */
export function urlDecode(input: string): string {
  return decodeURIComponent(String(input).replace(/\+/g, ' '));
}

export function base64Encode(input: string): string {
  return Buffer.from(String(input), 'utf8').toString('base64');
}

export function base64Decode(input: string): string {
  return Buffer.from(String(input), 'base64').toString('utf8');
}

/** `$util.parseJson`: JSON text → Map/List/scalar. Invalid JSON is a template error. */
export function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') throw new Error(UTIL_FAULTS.expects('parseJson', 'String', typeOf(text)));
  return JSON.parse(text) as unknown;
}

/** `$util.toJson`: any value → JSON text (`null` for null). */
export function toJson(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value, (_k, v: unknown) => (v instanceof MapEntry ? v.toJSON() : v === undefined ? null : v));
}
