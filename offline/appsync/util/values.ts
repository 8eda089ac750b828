/**
 * Value classification shared by `$util` and the VTL interpreter. Resolver data is plain JSON:
 * objects play Java `Map`s (LinkedHashMap: insertion order), arrays play `List`s.
 */

export type PlainMap = Record<string, unknown>;

export function isPlainMap(value: unknown): value is PlainMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** A `Map.Entry` as returned by `entrySet()`; `setValue` writes through to its map. */
export class MapEntry {
  constructor(
    private readonly map: PlainMap,
    readonly key: string,
  ) {}
  get value(): unknown {
    return this.map[this.key];
  }
  setValue(value: unknown): unknown {
    const old = this.map[this.key];
    this.map[this.key] = value;
    return old;
  }
  toJSON(): PlainMap {
    return { key: this.key, value: this.value };
  }
}

/** Java `toString()` of a value, as Velocity prints it (`[a, b]`, `{k=v}`, `null`). */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (value instanceof MapEntry) return `${value.key}=${javaString(value.value)}`;
  if (isPlainMap(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaString(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/**
 * Java `equals` as Velocity 1.7's `==` applies it: numbers compare numerically, collections
 * structurally, and operands of different classes by their `toString()`.
 */
export function javaEquals(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => javaEquals(v, b[i]));
  if (isPlainMap(a) && isPlainMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && javaEquals(a[k], b[k]));
  }
  if (typeof a === typeof b && typeof a !== 'object') return a === b;
  return javaString(a) === javaString(b);
}

/** Deep copy of JSON-like data (Map/List/scalars). */
export function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneData(v)) as T;
  if (isPlainMap(value)) {
    const out: PlainMap = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneData(v);
    return out as T;
  }
  return value;
}
