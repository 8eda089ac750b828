/**
 * Parsed AND validated GraphQL documents by query text: the local Lambdas send the same few documents on
 * every call (`publishConversationEvent`, `createUserPresence`, `updateUserPresence`), and clients resend theirs, so graphql-js's
 * `parse` + `validate` were redone for identical text on every request (~8% of the sandbox's CPU under load).
 *
 * One cache belongs to ONE schema object and ONE validation rule set (the executor creates it next to its schema), so
 * the key is in effect (schema identity, rules, query text): a sandbox reload builds a new executor with a new schema
 * and a new, empty cache — a document validated against an old schema is never served against a new one.
 *
 * What is cached is the outcome of `parse` + `validate`, which depend on nothing else: a syntax error
 * (`malformed`), the validation errors (`invalid`, the same `GraphQLError`s, so the same error output every time), or
 * the valid document with its fragments. Checks that depend on the request (operation name, variables, the caller's
 * auth, the resolver count and query depth limits, which run during execution) are not part of it and still run on
 * every request. A validator stack overflow (`RangeError`) depends on the call stack, not only the text: not cached.
 *
 * A cached document is shared by concurrent requests and by live subscriptions, so it is deep-frozen: a mutation by
 * any later code would throw instead of leaking into other requests.
 */
import { Kind, parse, validate, type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql16';
import type { Fragments } from './subscription-payload.js';
import { LruMap } from '../util/lru.js';

export type DocumentAnalysis =
  | { kind: 'malformed' }
  | { kind: 'invalid'; errors: readonly GraphQLError[] }
  | { kind: 'valid'; document: DocumentNode; fragments: Fragments };

export interface DocumentCacheOptions {
  /** Most documents kept (default 1,000). */
  maxEntries?: number;
  /** Most query characters kept in total (default 4 Mi): a few huge documents cannot pin much memory. */
  maxQueryChars?: number;
}

export function fragmentsOf(document: DocumentNode): Fragments {
  const fragments: Fragments = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition as FragmentDefinitionNode;
  }
  return fragments;
}

/** Freezes the AST nodes (not `loc`: its token list is never read after parsing and is long). */
function deepFreeze(root: unknown): void {
  // Iterative: a document the parser and validator accepted can be nested deeper than a recursive walk's stack.
  const seen = new Set<object>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    for (const [key, child] of Object.entries(value)) if (key !== 'loc') pending.push(child);
    Object.freeze(value);
  }
}

export class DocumentCache {
  private readonly entries: LruMap<string, DocumentAnalysis>;
  private hitCount = 0;
  private missCount = 0;

  constructor(
    readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
    options: DocumentCacheOptions = {},
  ) {
    this.entries = new LruMap(options.maxEntries ?? 1000, options.maxQueryChars ?? 4 * 1024 * 1024);
  }

  /** Hits and misses so far (tests assert that the cache was actually used). */
  get stats(): { hits: number; misses: number; size: number } {
    return { hits: this.hitCount, misses: this.missCount, size: this.entries.size };
  }

  /** Parses and validates `query` against this cache's schema, or returns the outcome of an earlier identical query. */
  analyze(query: string): DocumentAnalysis {
    const cached = this.entries.get(query);
    if (cached) {
      this.hitCount++;
      return cached;
    }
    this.missCount++;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      // Syntax errors are a property of the text; anything else (a stack overflow) is refused without caching.
      if (!(error instanceof RangeError)) this.entries.set(query, { kind: 'malformed' }, query.length);
      return { kind: 'malformed' };
    }
    let errors: readonly GraphQLError[];
    try {
      errors = validate(this.schema, document, this.rules);
    } catch (error) {
      // A document nested (or fragment-chained) deeper than the validator's recursion can follow: as unparsable, not a 500.
      if (error instanceof RangeError) return { kind: 'malformed' };
      throw error;
    }
    const analysis: DocumentAnalysis = errors.length > 0 ? { kind: 'invalid', errors } : { kind: 'valid', document, fragments: fragmentsOf(document) };
    if (analysis.kind === 'valid') {
      deepFreeze(analysis.document);
      Object.freeze(analysis.fragments);
    }
    this.entries.set(query, analysis, query.length);
    return analysis;
  }
}
