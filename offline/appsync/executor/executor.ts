/**
 * Executes GraphQL requests against the synthesized backend the way AppSync does:
 * parse → validate (whole-request errors) → execute with graphql-js 16, running the description's resolvers and
 * checking the schema's auth directives on **every field touched**, nested ones included (a field whose modes do not
 * include the caller's, or whose `cognito_groups` the user-pool caller is in none of, is null with
 * `Not Authorized to access <field> on type <Type>`, errorType `Unauthorized`; rules in schema/auth-directives.ts).
 * Mutations report what they publish: each successful root field's response limited to its own selection set.
 *
 * Execution limits as AppSync applies them (AppSync developer guide, "Configuring GraphQL run complexity, query depth,
 * and introspection"): at most 10,000 resolver executions per request, or the API's `ResolverCountLimit` — every
 * further resolver fails with `ResolverExecutionLimitReached` and does not run; a field nested deeper than the API's
 * `QueryDepthLimit` (when set) fails with `QueryDepthLimitReached`; `IntrospectionConfig: DISABLED` makes
 * `__schema`/`__type` a validation error.
 */
import {
  Kind,
  NoSchemaIntrospectionCustomRule,
  execute,
  getOperationAST,
  responsePathAsArray,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ResponsePath,
  specifiedRules,
} from 'graphql16';
import type { BackendDescription, ResolverDescription } from '../../loader/index.js';
import { MAX_TRACE_RESOLVERS, type RequestTrace, type TraceResolver } from '../../sandbox/events.js';
import type { AuthenticatedCaller } from '../auth/index.js';
import { loadJsModule } from '../js/index.js';
import { AuthDirectives } from '../schema/auth-directives.js';
import { buildAppSyncSchema } from '../schema/build-schema.js';
import { projectForSubscriber, publishedPayload, type Fragments } from './subscription-payload.js';
import { ResolverError, unauthorizedError, type InvalidationRequest, type JsonObject } from '../util/index.js';
import { parseTemplate } from '../vtl/index.js';
import type { DataSourceDependencies } from './data-sources.js';
import { DocumentCache } from './document-cache.js';
import { FieldFailure, executionError, locationsOf, validationError, type AppSyncErrorEntry } from './errors.js';
import { ResolverRunner, type ResolverRun } from './pipeline.js';
import { SUBSCRIPTION_OVER_HTTP, queryDepthLimitReached, resolverExecutionLimitReached, tooManyInvalidations } from '../../errors.js';
import { selectionSetGraphQL, selectionSetList } from './selection.js';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface PublishedEvent {
  /** The mutation field (name, not alias). */
  mutationField: string;
  /** Its response limited to the mutation's selection set, keyed by field names (what AppSync publishes to subscribers). */
  payload: unknown;
}

export interface ExecutionOutcome {
  /** `malformed`: 400 "Unable to parse GraphQL query."; otherwise HTTP 200 with `body`. */
  kind: 'malformed' | 'response';
  body: { data: unknown; errors?: AppSyncErrorEntry[] };
  operationType?: 'query' | 'mutation' | 'subscription';
  /** The operation's name, when it has one. */
  operationName?: string;
  rootFields: string[];
  published: PublishedEvent[];
  invalidations: InvalidationRequest[];
}

interface RequestState {
  caller: AuthenticatedCaller;
  headers: Record<string, string>;
  variables: JsonObject;
  appended: AppSyncErrorEntry[];
  invalidations: InvalidationRequest[];
  /** Resolvers started so far in this request (the resolver count limit). */
  resolverExecutions: number;
  /** Where the resolvers that run are recorded, when the request is traced. */
  trace?: RequestTrace;
  /** When the request started (`performance.now()`), for the trace's offsets. */
  startedAt: number;
}

export interface ParsedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Fragments;
}

export const MAX_INVALIDATIONS_PER_REQUEST = 5;
/** AppSync's default (and largest) number of resolver executions per request. */
export const DEFAULT_RESOLVER_COUNT_LIMIT = 10_000;

/** Number of fields on the path (list indices are not levels): a root field is at depth 1. */
function fieldDepth(path: ResponsePath | undefined): number {
  let depth = 0;
  for (let at = path; at; at = at.prev) if (typeof at.key === 'string') depth++;
  return depth;
}

/** Plain JSON copy: graphql-js builds argument objects without prototypes; resolver code expects plain maps. */
const plain = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

export { fragmentsOf } from './document-cache.js';

/** The root field nodes of an operation (fragment spreads and inline fragments flattened). */
export function rootFieldNodes(operation: OperationDefinitionNode, fragments: Fragments): FieldNode[] {
  const out: FieldNode[] = [];
  const walk = (selections: OperationDefinitionNode['selectionSet']['selections'], seen: Set<string>): void => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) out.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet.selections, seen);
      else if (!seen.has(selection.name.value)) {
        const fragment = fragments[selection.name.value];
        if (fragment) walk(fragment.selectionSet.selections, new Set([...seen, selection.name.value]));
      }
    }
  };
  walk(operation.selectionSet.selections, new Set());
  return out;
}

export class GraphQLExecutor {
  readonly schema: GraphQLSchema;
  readonly auth: AuthDirectives;
  private readonly resolvers = new Map<string, ResolverDescription>();
  private readonly runner: ResolverRunner;
  private readonly resolverCountLimit: number;
  private readonly queryDepthLimit: number;
  private readonly validationRules: typeof specifiedRules;
  /** Parsed + validated documents for this executor's schema and rules only (a reload builds a new executor). */
  readonly documents: DocumentCache;

  constructor(
    private readonly description: BackendDescription,
    deps: DataSourceDependencies,
  ) {
    this.schema = buildAppSyncSchema(description.api.schema);
    this.auth = new AuthDirectives(this.schema, description.api.defaultAuthMode);
    this.runner = new ResolverRunner(description, deps);
    this.resolverCountLimit = description.api.resolverCountLimit || DEFAULT_RESOLVER_COUNT_LIMIT;
    this.queryDepthLimit = description.api.queryDepthLimit || 0;
    this.validationRules = description.api.introspection === 'DISABLED' ? [...specifiedRules, NoSchemaIntrospectionCustomRule] : specifiedRules;
    this.documents = new DocumentCache(this.schema, this.validationRules);
    for (const resolver of description.resolvers) this.resolvers.set(`${resolver.typeName}.${resolver.fieldName}`, resolver);
    this.precompile();
  }

  /** Parses every template and loads every JS module once, so bad code fails at startup (as AppSync refuses it
   * when the resolver is created), not per request. */
  private precompile(): void {
    const codes = [...this.description.resolvers.map((r) => ({ code: r.code, label: `${r.typeName}.${r.fieldName}` })), ...Object.values(this.description.functions).map((f) => ({ code: f.code, label: f.name }))];
    for (const { code, label } of codes) {
      if (code.runtime === 'APPSYNC_JS') loadJsModule(code.code, `${label}.js`);
      else for (const template of [code.request, code.response]) if (template !== undefined) parseTemplate(template);
    }
  }

  resolverFor(typeName: string, fieldName: string): ResolverDescription | undefined {
    return this.resolvers.get(`${typeName}.${fieldName}`);
  }

  /**
   * Parses and validates a document (cached per query text for this schema, see `DocumentCache`) and picks the
   * operation; a string error is the whole-request problem. The validation errors of a cached invalid document are
   * mapped anew for every request, so callers never share (or can alter) another request's error objects.
   */
  parseOperation(query: string, operationName: string | null | undefined): ParsedOperation | { malformed: true } | { errors: AppSyncErrorEntry[] } {
    const analysis = this.documents.analyze(query);
    if (analysis.kind === 'malformed') return { malformed: true };
    if (analysis.kind === 'invalid') return { errors: analysis.errors.map(validationError) };
    const { document, fragments } = analysis;
    const operation = getOperationAST(document, operationName ?? undefined);
    if (!operation) {
      const message = operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
      return { errors: [{ path: null, locations: [], message }] };
    }
    return { document, operation, fragments };
  }

  /** Runs a request; with `trace`, each resolver that runs is recorded in it (at most MAX_TRACE_RESOLVERS). */
  async execute(request: GraphQLRequest, caller: AuthenticatedCaller, headers: Record<string, string>, trace?: RequestTrace): Promise<ExecutionOutcome> {
    const outcome: ExecutionOutcome = { kind: 'response', body: { data: null }, rootFields: [], published: [], invalidations: [] };
    if (typeof request.query !== 'string' || request.query.trim() === '') return { ...outcome, kind: 'malformed' };
    const parsed = this.parseOperation(request.query, request.operationName);
    if ('malformed' in parsed) return { ...outcome, kind: 'malformed' };
    if ('errors' in parsed) return { ...outcome, body: { data: null, errors: parsed.errors } };
    const { document, operation, fragments } = parsed;
    const rootNodes = rootFieldNodes(operation, fragments);
    outcome.operationType = operation.operation;
    if (operation.name) outcome.operationName = operation.name.value;
    outcome.rootFields = rootNodes.map((n) => n.name.value);
    if (operation.operation === 'subscription') {
      // Subscriptions are served on the real-time endpoint only (the error message is the Amplify simulator's).
      return { ...outcome, body: { data: null, errors: [{ path: null, locations: locationsOf(operation.loc ? [{ line: operation.loc.startToken.line, column: operation.loc.startToken.column }] : undefined) ?? [], message: SUBSCRIPTION_OVER_HTTP }] } };
    }
    const variables = plain(request.variables ?? {}) as JsonObject;
    const state: RequestState = { caller, headers, variables, appended: [], invalidations: [], resolverExecutions: 0, startedAt: performance.now(), ...(trace ? { trace } : {}) };
    let result: Awaited<ReturnType<typeof execute>>;
    try {
      result = await execute({
        schema: this.schema,
        document,
        operationName: request.operationName ?? undefined,
        variableValues: variables,
        contextValue: state,
        fieldResolver: this.fieldResolver,
      });
    } catch (error) {
      // Recursion deeper than the stack (see parseOperation): the request is refused as unparsable, never a 500.
      if (error instanceof RangeError) return { ...outcome, kind: 'malformed' };
      throw error;
    }
    const errors = [...(result.errors ?? []).map((e) => (result.data === undefined ? validationError(e) : executionError(e))), ...state.appended];
    outcome.body = errors.length > 0 ? { data: result.data ?? null, errors } : { data: result.data ?? null };
    if (state.invalidations.length > MAX_INVALIDATIONS_PER_REQUEST) {
      outcome.body.errors = [...(outcome.body.errors ?? []), { path: null, locations: null, ...tooManyInvalidations(MAX_INVALIDATIONS_PER_REQUEST) }];
    } else {
      outcome.invalidations = state.invalidations;
    }
    if (operation.operation === 'mutation' && result.data) {
      for (const node of rootNodes) {
        const value = (result.data as Record<string, unknown>)[node.alias?.value ?? node.name.value];
        if (value === null || value === undefined) continue;
        outcome.published.push({ mutationField: node.name.value, payload: publishedPayload(value, node.selectionSet, fragments, variables) });
      }
    }
    return outcome;
  }

  /** Runs the resolver of `typeName.fieldName` (used at subscribe time: AppSync runs a subscription resolver once, at `start`). Throws `ResolverError`. */
  runResolver(
    resolver: ResolverDescription,
    args: JsonObject,
    caller: AuthenticatedCaller,
    headers: Record<string, string>,
    fieldNodes: readonly FieldNode[],
    fragments: Fragments,
    variables: JsonObject,
    source: JsonObject | null = null,
    trace?: TraceResolver,
  ): Promise<ResolverRun> {
    return this.runner.run(resolver, {
      arguments: args,
      source,
      identity: plain(caller.identity),
      request: { headers, domainName: null },
      info: { fieldName: resolver.fieldName, parentTypeName: resolver.typeName, variables, selectionSetList: selectionSetList(fieldNodes, fragments), selectionSetGraphQL: selectionSetGraphQL(fieldNodes) },
      authType: caller.authType,
    }, trace);
  }

  private readonly fieldResolver: GraphQLFieldResolver<unknown, RequestState> = async (source, args, state, info) => {
    const typeName = info.parentType.name;
    if (this.queryDepthLimit > 0 && fieldDepth(info.path) > this.queryDepthLimit) {
      throw new FieldFailure({ ...queryDepthLimitReached(this.queryDepthLimit), data: null, errorInfo: null });
    }
    const rootField = info.path.prev === undefined;
    if (
      !this.auth.allows(typeName, info.fieldName, state.caller.mode, state.caller.groups) ||
      (rootField && state.caller.mayAccessRootField?.(typeName, info.fieldName) === false)
    ) {
      throw new FieldFailure(unauthorizedError({ fieldName: info.fieldName, parentTypeName: typeName }).toJSON());
    }
    const resolver = this.resolverFor(typeName, info.fieldName);
    if (!resolver) return defaultResolve(source, info);
    if (++state.resolverExecutions > this.resolverCountLimit) {
      throw new FieldFailure({ ...resolverExecutionLimitReached(this.resolverCountLimit), data: null, errorInfo: null });
    }
    const fragments = info.fragments as Fragments;
    const trace = state.trace && this.traceResolver(state.trace, resolver, info, state.startedAt);
    let run: ResolverRun;
    try {
      const parent = source !== null && typeof source === 'object' ? (source as JsonObject) : null;
      run = await this.runResolver(resolver, plain(args) as JsonObject, state.caller, state.headers, info.fieldNodes, fragments, state.variables, parent, trace);
      if (trace) trace.durationMs = Math.round((performance.now() - state.startedAt - trace.startMs) * 10) / 10;
    } catch (error) {
      if (trace) {
        trace.durationMs = Math.round((performance.now() - state.startedAt - trace.startMs) * 10) / 10;
        trace.error = { ...(error instanceof ResolverError && error.errorType ? { type: error.errorType } : {}), message: (error as Error).message };
      }
      if (error instanceof ResolverError) {
        this.append(state, error.appendedErrors, info);
        throw new FieldFailure({ message: error.message, errorType: error.errorType, data: this.filterData(error.data, info), errorInfo: error.errorInfo });
      }
      throw error;
    }
    this.append(state, run.errors, info);
    state.invalidations.push(...run.invalidations);
    return run.value;
  };

  /** A new entry of the request's trace for this resolver (undefined past MAX_TRACE_RESOLVERS). */
  private traceResolver(trace: RequestTrace, resolver: ResolverDescription, info: GraphQLResolveInfo, startedAt: number): TraceResolver | undefined {
    if (trace.resolvers.length >= MAX_TRACE_RESOLVERS) {
      trace.dropped++;
      return undefined;
    }
    const entry: TraceResolver = {
      field: `${resolver.typeName}.${resolver.fieldName}`,
      path: responsePathAsArray(info.path).join('.'),
      kind: resolver.kind,
      runtime: resolver.code.runtime,
      startMs: Math.round((performance.now() - startedAt) * 10) / 10,
      durationMs: 0,
      steps: [],
    };
    trace.resolvers.push(entry);
    return entry;
  }

  private append(state: RequestState, errors: ResolverRun['errors'], info: GraphQLResolveInfo): void {
    for (const e of errors) {
      state.appended.push({ path: responsePathAsArray(info.path), data: this.filterData(e.data, info), errorType: e.errorType, errorInfo: e.errorInfo, locations: locationsOf(info.fieldNodes.map((n) => n.loc).filter((l) => l !== undefined).map((l) => ({ line: l.startToken.line, column: l.startToken.column }))), message: e.message });
    }
  }

  /** AppSync filters the `data` of `util.error` by the field's selection set (its `errorInfo` is not filtered). */
  private filterData(data: unknown, info: GraphQLResolveInfo): unknown {
    if (data === null || data === undefined) return null;
    const node = info.fieldNodes[0];
    if (!node?.selectionSet) return data;
    return projectForSubscriber(this.schema, data, info.returnType, node.selectionSet, info.fragments as Fragments, info.variableValues);
  }
}

function defaultResolve(source: unknown, info: GraphQLResolveInfo): unknown {
  if (source === null || typeof source !== 'object') return null;
  const value = (source as Record<string, unknown>)[info.fieldName];
  return typeof value === 'function' ? null : value;
}

