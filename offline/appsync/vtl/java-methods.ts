/**
 * Java semantics of method calls and property access in VTL. AppSync evaluates templates with
 * (Java) Velocity over Java objects: JSON objects are `Map`s, arrays `List`s, strings
 * `java.lang.String`. Resolver data stays plain JSON here; this module gives it the Java methods
 * generated templates call. A method a Java object does not have yields null (Velocity logs and
 * continues) — notably `put` on a List, which the stock amplify-appsync-simulator
 * throws on where Java Velocity goes on (Amplify's owner-field resolvers call it).
 */
import { JAVA_FAULTS } from '../../errors.js';
import { javaRegex, javaReplacement, javaSplit, javaMatches } from '../util/java-regex.js';
import { isPlainMap, javaEquals, javaString, MapEntry, type PlainMap } from '../util/values.js';

/** Returned for "no such method": the caller renders the reference literally, as Velocity does. */
export const NO_METHOD: unique symbol = Symbol('no such method');
type Result = unknown | typeof NO_METHOD;

function int(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(JAVA_FAULTS.notAnInteger(javaString(value)));
  return value;
}

function checkIndex(list: unknown[] | string, i: number, inclusiveEnd = false): number {
  const max = inclusiveEnd ? list.length : list.length - 1;
  if (i < 0 || i > max) throw new RangeError(JAVA_FAULTS.indexOutOfBounds(i, list.length));
  return i;
}

function stringMethod(s: string, name: string, args: unknown[]): Result {
  const a0 = args[0];
  const str0 = (): string => javaString(a0);
  switch (name) {
    case 'length':
      return s.length;
    case 'isEmpty':
      return s.length === 0;
    case 'isBlank':
      return s.trim().length === 0;
    case 'trim':
    case 'strip':
      return s.trim();
    case 'toLowerCase':
      return s.toLowerCase();
    case 'toUpperCase':
      return s.toUpperCase();
    case 'startsWith':
      return s.startsWith(str0(), typeof args[1] === 'number' ? args[1] : 0);
    case 'endsWith':
      return s.endsWith(str0());
    case 'contains':
      return s.includes(str0());
    case 'equals':
      return typeof a0 === 'string' && s === a0;
    case 'equalsIgnoreCase':
      return typeof a0 === 'string' && s.toLowerCase() === a0.toLowerCase();
    case 'compareTo':
      return s < str0() ? -1 : s > str0() ? 1 : 0;
    case 'indexOf':
      return s.indexOf(str0(), typeof args[1] === 'number' ? args[1] : 0);
    case 'lastIndexOf':
      return s.lastIndexOf(str0());
    case 'charAt':
      return s.charAt(checkIndex(s, int(a0)));
    case 'substring': {
      const begin = checkIndex(s, int(a0), true);
      const end = args.length > 1 ? checkIndex(s, int(args[1]), true) : s.length;
      if (end < begin) throw new RangeError(JAVA_FAULTS.substringBounds(begin, end, s.length));
      return s.substring(begin, end);
    }
    case 'concat':
      return s + str0();
    case 'replace':
      return s.split(str0()).join(javaString(args[1]));
    case 'replaceAll':
      return s.replace(javaRegex(str0(), 'g'), javaReplacement(javaString(args[1])));
    case 'replaceFirst':
      return s.replace(javaRegex(str0()), javaReplacement(javaString(args[1])));
    case 'split':
      return javaSplit(s, str0(), typeof args[1] === 'number' ? args[1] : 0);
    case 'matches':
      return javaMatches(str0(), s);
    case 'toString':
    case 'intern':
      return s;
    case 'hashCode': {
      let h = 0;
      for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
      return h;
    }
    default:
      return NO_METHOD;
  }
}

function listMethod(list: unknown[], name: string, args: unknown[]): Result {
  const [a0, a1] = args;
  switch (name) {
    case 'size':
      return list.length;
    case 'isEmpty':
      return list.length === 0;
    case 'get':
      return list[checkIndex(list, int(a0))];
    case 'add':
      if (args.length > 1) {
        list.splice(checkIndex(list, int(a0), true), 0, a1);
        return '';
      }
      list.push(a0);
      return true;
    case 'addAll': {
      const items = args.length > 1 ? a1 : a0;
      if (!Array.isArray(items)) return NO_METHOD;
      if (args.length > 1) list.splice(checkIndex(list, int(a0), true), 0, ...items);
      else list.push(...items);
      return items.length > 0;
    }
    case 'set': {
      const i = checkIndex(list, int(a0));
      const old = list[i];
      list[i] = a1;
      return old;
    }
    case 'remove': {
      // Velocity picks remove(int) for an Integer argument, remove(Object) otherwise.
      if (typeof a0 === 'number' && Number.isInteger(a0)) return list.splice(checkIndex(list, a0), 1)[0];
      const i = list.findIndex((x) => javaEquals(x, a0));
      if (i >= 0) list.splice(i, 1);
      return i >= 0;
    }
    case 'removeAll':
    case 'retainAll': {
      if (!Array.isArray(a0)) return NO_METHOD;
      const keep = list.filter((x) => a0.some((y) => javaEquals(x, y)) === (name === 'retainAll'));
      const changed = keep.length !== list.length;
      list.splice(0, list.length, ...keep);
      return changed;
    }
    case 'contains':
      return list.some((x) => javaEquals(x, a0));
    case 'containsAll':
      return Array.isArray(a0) && a0.every((y) => list.some((x) => javaEquals(x, y)));
    case 'indexOf':
      return list.findIndex((x) => javaEquals(x, a0));
    case 'lastIndexOf': {
      for (let i = list.length - 1; i >= 0; i--) if (javaEquals(list[i], a0)) return i;
      return -1;
    }
    case 'clear':
      list.length = 0;
      return '';
    case 'subList':
      return list.slice(checkIndex(list, int(a0), true), checkIndex(list, int(a1), true));
    case 'equals':
      return javaEquals(list, a0);
    case 'toString':
      return javaString(list);
    default:
      // e.g. `put` on a List: no such method in Java → null, evaluation continues (the stock simulator throws here).
      return NO_METHOD;
  }
}

function key(value: unknown): string {
  return javaString(value);
}

function mapMethod(map: PlainMap, name: string, args: unknown[]): Result {
  const [a0, a1] = args;
  switch (name) {
    case 'get':
      return Object.hasOwn(map, key(a0)) ? map[key(a0)] : null;
    case 'getOrDefault':
      return Object.hasOwn(map, key(a0)) ? map[key(a0)] : a1;
    case 'put': {
      const k = key(a0);
      const old = Object.hasOwn(map, k) ? map[k] : null;
      map[k] = a1;
      return old;
    }
    case 'putIfAbsent': {
      const k = key(a0);
      if (Object.hasOwn(map, k) && map[k] !== null) return map[k];
      map[k] = a1;
      return null;
    }
    case 'putAll':
      if (!isPlainMap(a0)) return NO_METHOD;
      Object.assign(map, a0);
      return '';
    case 'remove': {
      const k = key(a0);
      if (!Object.hasOwn(map, k)) return null;
      const old = map[k];
      delete map[k];
      return old;
    }
    case 'containsKey':
      return Object.hasOwn(map, key(a0));
    case 'containsValue':
      return Object.values(map).some((v) => javaEquals(v, a0));
    case 'keySet':
      return Object.keys(map);
    case 'values':
      return Object.values(map);
    case 'entrySet':
      return Object.keys(map).map((k) => new MapEntry(map, k));
    case 'size':
      return Object.keys(map).length;
    case 'isEmpty':
      return Object.keys(map).length === 0;
    case 'clear':
      for (const k of Object.keys(map)) delete map[k];
      return '';
    case 'equals':
      return javaEquals(map, a0);
    case 'toString':
      return javaString(map);
    default:
      return NO_METHOD;
  }
}

function scalarMethod(value: number | boolean, name: string, args: unknown[]): Result {
  switch (name) {
    case 'toString':
      return javaString(value);
    case 'equals':
      return javaEquals(value, args[0]) && typeof args[0] === typeof value;
    case 'intValue':
    case 'longValue':
      return Math.trunc(Number(value));
    case 'doubleValue':
    case 'floatValue':
      return Number(value);
    case 'booleanValue':
      return value;
    case 'compareTo':
      return Number(value) - Number(args[0]);
    default:
      return NO_METHOD;
  }
}

/**
 * `$target.name(args)`. Plain maps whose own property `name` is a function are host objects
 * (`$util`, `$extensions`, `$foreach`): the function is called. Data maps parsed from JSON never hold
 * functions.
 */
export function invokeMethod(target: unknown, name: string, args: unknown[]): Result {
  if (target === null || target === undefined) return NO_METHOD;
  if (typeof target === 'string') return stringMethod(target, name, args);
  if (typeof target === 'number' || typeof target === 'boolean') return scalarMethod(target, name, args);
  if (Array.isArray(target)) return listMethod(target, name, args);
  if (target instanceof MapEntry) {
    if (name === 'getKey') return target.key;
    if (name === 'getValue') return target.value;
    if (name === 'setValue') return target.setValue(args[0]);
    if (name === 'toString') return javaString(target);
    return NO_METHOD;
  }
  if (isPlainMap(target)) {
    const own = Object.hasOwn(target, name) ? target[name] : undefined;
    if (typeof own === 'function') return (own as (...a: unknown[]) => unknown)(...args);
    return mapMethod(target, name, args);
  }
  return NO_METHOD;
}

/** `$target.name`: a Map key, a `Map.Entry` part, or a JavaBean getter (`getName()` / `isName()`). */
export function getProperty(target: unknown, name: string): unknown {
  if (target === null || target === undefined) return undefined;
  if (isPlainMap(target)) return Object.hasOwn(target, name) ? target[name] : undefined;
  if (target instanceof MapEntry) return name === 'key' ? target.key : name === 'value' ? target.value : undefined;
  const cap = name.charAt(0).toUpperCase() + name.slice(1);
  for (const getter of [`get${cap}`, `is${cap}`]) {
    const r = invokeMethod(target, getter, []);
    if (r !== NO_METHOD) return r;
  }
  return undefined;
}

/** `$target[index]`: List element or Map value. */
export function getIndex(target: unknown, index: unknown): unknown {
  if (Array.isArray(target)) return typeof index === 'number' && Number.isInteger(index) ? target[checkIndex(target, index)] : undefined;
  if (isPlainMap(target)) return Object.hasOwn(target, key(index)) ? target[key(index)] : undefined;
  return undefined;
}

/** `#set($target.name = value)` / `#set($target[index] = value)`: `Map.put` or `List.set`. */
export function assign(target: unknown, name: unknown, value: unknown): void {
  if (isPlainMap(target)) target[key(name)] = value;
  else if (Array.isArray(target) && typeof name === 'number') target[checkIndex(target, int(name))] = value;
}
