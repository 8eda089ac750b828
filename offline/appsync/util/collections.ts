/** `util.list`, `util.map`, `util.str`, `util.math` (AppSync resolver utility reference). */
import { UTIL_FAULTS } from '../../errors.js';
import { isList, isPlainMap, javaEquals, javaString, type PlainMap } from './values.js';

function asList(value: unknown, fn: string): unknown[] {
  if (!isList(value)) throw new Error(UTIL_FAULTS.expects(fn, 'List', javaString(value)));
  return value;
}
function asMap(value: unknown, fn: string): PlainMap {
  if (!isPlainMap(value)) throw new Error(UTIL_FAULTS.expects(fn, 'Map', javaString(value)));
  return value;
}

const containsEq = (list: unknown[], item: unknown): boolean => list.some((x) => javaEquals(x, item));

function compareScalars(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return javaString(a) < javaString(b) ? -1 : 1;
}

export const listUtils = {
  /** A copy of `list` keeping only elements also in `retain` (Java `retainAll`). */
  copyAndRetainAll: (list: unknown, retain: unknown): unknown[] => {
    const keep = asList(retain, 'copyAndRetainAll');
    return asList(list, 'copyAndRetainAll').filter((x) => containsEq(keep, x));
  },
  /** A copy of `list` without elements in `remove` (Java `removeAll`). */
  copyAndRemoveAll: (list: unknown, remove: unknown): unknown[] => {
    const drop = asList(remove, 'copyAndRemoveAll');
    return asList(list, 'copyAndRemoveAll').filter((x) => !containsEq(drop, x));
  },
  /** Stable sort of scalars, or of maps by `property`. */
  sortList: (list: unknown, descending: boolean, property?: string | null): unknown[] => {
    const items = [...asList(list, 'sortList')];
    const key = (x: unknown): unknown => (property && isPlainMap(x) ? x[property] : x);
    items.sort((a, b) => compareScalars(key(a), key(b)) * (descending ? -1 : 1));
    return items;
  },
};

export const mapUtils = {
  copyAndRetainAllKeys: (map: unknown, keys: unknown): PlainMap => {
    const keep = new Set(asList(keys, 'copyAndRetainAllKeys').map((k) => javaString(k)));
    return Object.fromEntries(Object.entries(asMap(map, 'copyAndRetainAllKeys')).filter(([k]) => keep.has(k)));
  },
  copyAndRemoveAllKeys: (map: unknown, keys: unknown): PlainMap => {
    const drop = new Set(asList(keys, 'copyAndRemoveAllKeys').map((k) => javaString(k)));
    return Object.fromEntries(Object.entries(asMap(map, 'copyAndRemoveAllKeys')).filter(([k]) => !drop.has(k)));
  },
};

export const strUtils = {
  toUpper: (s: string): string => String(s).toUpperCase(),
  toLower: (s: string): string => String(s).toLowerCase(),
  /** Replaces every literal occurrence of `target`. */
  toReplace: (s: string, target: string, replacement: string): string => String(s).split(String(target)).join(String(replacement)),
  /** `normalize(s, 'nfc'|'nfd'|'nfkc'|'nfkd')`. */
  normalize: (s: string, form: string): string => String(s).normalize(String(form).toUpperCase() as 'NFC' | 'NFD' | 'NFKC' | 'NFKD'),
};

export const mathUtils = {
  /** Java `Math.round`: half up. */
  roundNum: (n: number): number => Math.floor(n + 0.5),
  minVal: (a: number, b: number): number => Math.min(a, b),
  maxVal: (a: number, b: number): number => Math.max(a, b),
  randomDouble: (): number => Math.random(),
  /** An integer in [min, max). */
  randomWithinRange: (min: number, max: number): number => Math.floor(Math.random() * (max - min)) + min,
};
