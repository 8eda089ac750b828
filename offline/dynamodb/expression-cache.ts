/**
 * Memoizes dynalite's expression parsers. dynalite 4 parses every ConditionExpression, UpdateExpression,
 * KeyConditionExpression, FilterExpression and ProjectionExpression with a PEG parser on every request
 * (`validations/index.js` → `db/{condition,update,projection}Parser.js`); the sandbox sends the same few expressions
 * over and over, and that parsing was ~15% of the sandbox's CPU under load. We cannot edit node_modules, so this
 * module replaces the `parse` export of those three CommonJS modules (once, at load) with a caching wrapper:
 * dynalite looks `parser.parse` up at call time on the same module objects (`require` cache), so it calls ours.
 *
 * What the parsers' output depends on (read in dynalite 4.0.0's grammars):
 * - the expression text; the ExpressionAttributeNames (substituted into paths, and "not defined" errors);
 * - the ExpressionAttributeValues only through (a) which keys exist and (b) each value's type (`getImmediateType`:
 *   operand type checks, a function node's `attrType`) — the value objects themselves are placed in the tree by
 *   reference (`resolveAttrVal` returns `attrVals[name]`);
 * - EXCEPT two value-dependent checks in the condition grammar: `BETWEEN` compares its two bounds, and
 *   `attribute_type` reads its second operand's string. Expressions containing either word bypass the cache.
 * Side effects: the parsers delete the names/values they use from `context.unusedAttrNames/unusedAttrVals`
 * (dynalite then reports unused ones). We record which were used and replay those deletions on a hit.
 *
 * So the key is (parser, expression, names, value keys with their types), and a cached entry is a template of the
 * parse tree in which each value object is a slot; a hit builds a FRESH tree (same shape, same sharing between
 * nodes, same prototypes) with the current request's value objects in the slots — exactly what the parser would have
 * returned. dynalite may mutate what it gets (it is its per-request data); it never sees the template itself. Any
 * result we cannot template with certainty (an unexpected object kind, a value's inner object in the tree, two value
 * keys holding one object) is returned as parsed and not cached. Parse exceptions are not cached either.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type AttributeMap = Record<string, unknown>;

/** The `options.context` dynalite passes (validations/index.js `validateExpressions` + `parse`). */
interface ParserContext {
  attrNames?: AttributeMap;
  attrVals?: AttributeMap;
  unusedAttrNames?: Record<string, boolean>;
  unusedAttrVals?: Record<string, boolean>;
  isKeyCondition?: boolean;
  [other: string]: unknown;
}

type Parse = (input: string, options?: { context?: ParserContext }) => unknown;

interface ParserModule {
  parse: Parse;
}

/** A value object's place in a cached tree. */
class ValueSlot {
  constructor(readonly key: string) {}
}

interface CacheEntry {
  /** The parse result with value objects replaced by slots (or an error string, as the parsers return them). */
  template: unknown;
  usedNames: string[];
  usedValues: string[];
}

const MAX_ENTRIES = 1000;
/** DynamoDB bounds each expression at 4 KB; a longer key is not worth keeping. */
const MAX_KEY_LENGTH = 16 * 1024;
/** The condition grammar's two checks that read attribute values, not only their types (see above). */
const VALUE_DEPENDENT = /between|attribute_type/i;
const PATCHED = Symbol.for('offline-sandbox.dynalite-expression-cache');

const entries = new Map<string, CacheEntry>();
let hits = 0;
let misses = 0;
let bypassed = 0;

function remember(key: string, entry: CacheEntry): void {
  entries.set(key, entry);
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
}

function recall(key: string): CacheEntry | undefined {
  const entry = entries.get(key);
  if (entry) {
    entries.delete(key);
    entries.set(key, entry);
  }
  return entry;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** A value's type as the grammars see it: every key holding a non-null member (`S`, `N`, …, and any stray key). */
function valueSignature(value: unknown): string | undefined {
  if (!isPlainObject(value)) return undefined;
  return Object.keys(value)
    .filter((type) => value[type] != null)
    .join('+');
}

function cacheKey(parser: string, input: string, context: ParserContext): string | undefined {
  if (parser === 'condition' && VALUE_DEPENDENT.test(input)) return undefined;
  const { attrNames, attrVals } = context;
  if (attrNames != null && (!isPlainObject(attrNames) || Object.values(attrNames).some((name) => typeof name !== 'string'))) return undefined;
  if (attrVals != null && !isPlainObject(attrVals)) return undefined;
  let values = '';
  if (attrVals != null) {
    for (const [name, value] of Object.entries(attrVals)) {
      const signature = valueSignature(value);
      if (signature === undefined) return undefined;
      values += `${JSON.stringify(name)}:${signature},`;
    }
  }
  const key = [parser, context.isKeyCondition === true ? 'key' : '', input, attrNames == null ? '-' : JSON.stringify(Object.entries(attrNames)), attrVals == null ? '-' : values].join('\u0000');
  return key.length > MAX_KEY_LENGTH ? undefined : key;
}

/** Every object reachable inside the attribute values (a template must never hold one: it would be stale). */
function innerObjects(attrVals: AttributeMap | undefined): Set<object> {
  const found = new Set<object>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || found.has(value)) return;
    found.add(value);
    for (const child of Object.values(value)) walk(child);
  };
  for (const value of Object.values(attrVals ?? {})) if (value !== null && typeof value === 'object') for (const child of Object.values(value)) walk(child);
  return found;
}

/** The parse tree with value objects as slots, or undefined when it holds anything we cannot rebuild exactly. */
function toTemplate(result: unknown, attrVals: AttributeMap | undefined): unknown {
  const slots = new Map<object, string>();
  for (const [key, value] of Object.entries(attrVals ?? {})) {
    if (value === null || typeof value !== 'object') return undefined;
    if (slots.has(value)) return undefined; // two keys, one object: identity cannot tell which slot it was
    slots.set(value, key);
  }
  const inner = innerObjects(attrVals);
  const copies = new Map<object, unknown>();
  let ok = true;
  const copy = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    const slot = slots.get(node);
    if (slot !== undefined) return new ValueSlot(slot);
    if (inner.has(node) || node instanceof ValueSlot) {
      ok = false;
      return undefined;
    }
    const known = copies.get(node);
    if (known !== undefined) return known;
    if (Array.isArray(node)) {
      if (Object.getPrototypeOf(node) !== Array.prototype) return ((ok = false), undefined);
      const out: unknown[] = [];
      copies.set(node, out);
      for (const item of node) out.push(copy(item));
      return out;
    }
    if (!isPlainObject(node) || Object.getOwnPropertySymbols(node).length > 0 || Object.getOwnPropertyNames(node).length !== Object.keys(node).length) {
      ok = false;
      return undefined;
    }
    const out = Object.create(Object.getPrototypeOf(node) as object | null) as Record<string, unknown>;
    copies.set(node, out);
    for (const [key, value] of Object.entries(node)) out[key] = copy(value);
    return out;
  };
  const template = copy(result);
  return ok ? template : undefined;
}

/** A fresh tree from a template: slots become the current request's value objects; sharing between nodes is kept. */
function instantiate(template: unknown, attrVals: AttributeMap | undefined): unknown {
  const copies = new Map<object, unknown>();
  const build = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (node instanceof ValueSlot) return attrVals?.[node.key];
    const known = copies.get(node);
    if (known !== undefined) return known;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      copies.set(node, out);
      for (const item of node) out.push(build(item));
      return out;
    }
    const out = Object.create(Object.getPrototypeOf(node) as object | null) as Record<string, unknown>;
    copies.set(node, out);
    for (const [key, value] of Object.entries(node)) out[key] = build(value);
    return out;
  };
  return build(template);
}

function forget(unused: Record<string, boolean> | undefined, used: readonly string[]): void {
  if (unused) for (const key of used) delete unused[key];
}

function cachingParse(parser: string, original: Parse): Parse {
  return (input, options) => {
    const context = options?.context;
    const key = typeof input === 'string' && context ? cacheKey(parser, input, context) : undefined;
    if (key === undefined || !context) {
      bypassed++;
      return original(input, options);
    }
    const entry = recall(key);
    if (entry) {
      hits++;
      forget(context.unusedAttrNames, entry.usedNames);
      forget(context.unusedAttrVals, entry.usedValues);
      return typeof entry.template === 'string' ? entry.template : instantiate(entry.template, context.attrVals);
    }
    misses++;
    // Parse with fresh "unused" sets to learn which names and values this expression uses, then apply the same
    // deletions to dynalite's sets (also when the parser throws, as the original would have deleted them).
    const probeNames: Record<string, boolean> = Object.fromEntries(Object.keys(context.attrNames ?? {}).map((k) => [k, true]));
    const probeValues: Record<string, boolean> = Object.fromEntries(Object.keys(context.attrVals ?? {}).map((k) => [k, true]));
    const usage = () => ({
      usedNames: Object.keys(context.attrNames ?? {}).filter((k) => !Object.hasOwn(probeNames, k)),
      usedValues: Object.keys(context.attrVals ?? {}).filter((k) => !Object.hasOwn(probeValues, k)),
    });
    let result: unknown;
    try {
      result = original(input, { ...options, context: { ...context, unusedAttrNames: probeNames, unusedAttrVals: probeValues } });
    } finally {
      const { usedNames, usedValues } = usage();
      forget(context.unusedAttrNames, usedNames);
      forget(context.unusedAttrVals, usedValues);
    }
    const template = typeof result === 'string' ? result : toTemplate(result, context.attrVals);
    if (template !== undefined) remember(key, { template, ...usage() });
    return result;
  };
}

/** Installs the cache on dynalite's three parsers (idempotent). */
export function installDynaliteExpressionCache(): void {
  const require = createRequire(import.meta.url);
  // The same absolute file names dynalite's own `require('../db/…Parser')` resolves to, hence the same module objects.
  const root = dirname(require.resolve('dynalite/package.json'));
  for (const parser of ['condition', 'update', 'projection']) {
    const parserModule = require(join(root, 'db', `${parser}Parser.js`)) as ParserModule & { [PATCHED]?: true };
    if (parserModule[PATCHED]) continue;
    parserModule.parse = cachingParse(parser, parserModule.parse);
    parserModule[PATCHED] = true;
  }
}

/** Counters for tests (a test must know the cache was used, not merely that results are right). */
export function dynaliteExpressionCacheStats(): { hits: number; misses: number; bypassed: number; size: number } {
  return { hits, misses, bypassed, size: entries.size };
}
