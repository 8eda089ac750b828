/**
 * The AppSync subscription engine behind the real-time transport (`RealtimeBackend`).
 *
 * start: authenticate the start's own header object → parse/validate → exactly one root field
 * (`DuplicatedOperationError` otherwise, as AppSync) → it must be a Subscription field → auth directives for the mode (and a
 * user-pool caller's `cognito:groups` against `cognito_groups`) on the root field AND every selected field → run the
 * subscription resolver once with the subscriber's identity and arguments (`util.unauthorized()`/`util.error()` fail
 * the start) → keep its enhanced filter and invalidation filter.
 *
 * publish: for each mutation root field that returned a value, every subscription field whose
 * `@aws_subscribe(mutations:)` lists it is matched against the payload (the mutation's response limited to the
 * mutation's selection set, after field resolvers). Matching subscribers are grouped by (document, operation,
 * variables); each group's frame is projected and serialized once and the same bytes go to every member.
 *
 * Filter choice (how AppSync combines the two is not documented): when the resolver set an enhanced filter, only
 * that filter applies (Amplify's templates fold the client's arguments into it); otherwise the supplied arguments filter.
 * Declared-but-unset variables count as omitted arguments (AppSync treats them as null, so such a subscription never
 * fires; that quirk is not reproduced).
 */
import { getArgumentValues, getVariableValues, type GraphQLSchema } from 'graphql16';
import type { Authenticator, AuthInput } from '../auth/index.js';
import { normalizeHeaders } from '../auth/index.js';
import type { GraphQLExecutor, PublishedEvent } from '../executor/index.js';
import { rootFieldNodes } from '../executor/index.js';
import { ResolverError, type InvalidationRequest, type JsonObject } from '../util/index.js';
import type { AppSyncError, AuthResult, RealtimeBackend, RealtimeRequest, StartSubscriptionArgs, StartSubscriptionResult } from '../../realtime/index.js';
import { serializeDataPayload } from '../../realtime/index.js';
import type { RealtimeServer } from '../../realtime/index.js';
import { matchesArguments, matchesFilter, PayloadView } from './filter.js';
import { validateSubscriptionFilter } from '../util/subscription-filter.js';
import { projectForSubscriber } from '../executor/subscription-payload.js';
import { SubscriptionRegistry, type StartRequest, type StoredSubscription } from './engine-registry.js';
import { forbiddenSelection, subscriptionsByMutation } from './engine-schema.js';
import type { LineLogger } from '../../sandbox/log.js';
import { boundedCopy, MAX_LISTED, summarizeCaller, type DeliveryEvent, type SandboxEvents } from '../../sandbox/events.js';
import {
  UNAUTHORIZED_HEADER,
  UNPARSABLE,
  connectionRefused,
  duplicatedOperation,
  invalidSubscriptionFilter,
  notASubscription,
  notAuthorizedToAccess,
  subscriptionFieldUndefined,
  subscriptionResolverFailed,
} from '../../errors.js';

/** What decides whether a subscription accepts a payload, as a string: equal strings, equal verdicts. */
const matchKeys = new WeakMap<StoredSubscription, string>();
function matchKeyOf(sub: StoredSubscription): string {
  let key = matchKeys.get(sub);
  if (key === undefined) {
    // undefined is kept apart from a missing key (matchesArguments tells them apart; JSON would drop it).
    const text = JSON.stringify(sub.filter ?? sub.args, (_name, value: unknown) => (value === undefined ? '\u0000undefined' : value));
    key = `${sub.filter ? 'f' : 'a'}${text}`;
    matchKeys.set(sub, key);
  }
  return key;
}

export interface SubscriptionEngineOptions {
  executor: GraphQLExecutor;
  authenticator: Authenticator;
  /** Path of the GraphQL endpoint; IAM header objects are signed over `POST <path>/connect` and `POST <path>`. */
  graphqlPath?: string;
  /** One `debug` line per connect/subscription; `error` when a subscription resolver fails. */
  logger?: LineLogger;
  /** Subscriptions started and stopped, and one `delivery` event per published mutation event. */
  events?: SandboxEvents;
}

type Transport = Pick<RealtimeServer, 'deliver' | 'invalidate'> & Partial<Pick<RealtimeServer, 'fail'>>;

const describeErrors = (errors: readonly AppSyncError[]): string => errors.map((e) => `${e.errorType ?? 'Error'}: ${e.message}`).join('; ');

/**
 * Why a header object (connection or start) does not name this API, if it does not. Its `host` is the
 * GraphQL API host, and AppSync finds the API by it (private APIs are reached through a VPC endpoint with
 * `{"host": "<api host>"}`, amplify-js#12517), so a missing or foreign host is not a request for this API. The
 * sandbox serves the API and the socket on one host (clients append `/realtime` to a custom domain's GraphQL URL): the
 * host the socket was opened on.
 * This also keeps an IAM header signed for another host from being replayed here.
 */
export function foreignHost(header: Record<string, unknown>, request: RealtimeRequest): string | undefined {
  const host = normalizeHeaders(header)['host'];
  if (host === undefined || host === '') return 'the header object has no host';
  const served = request.headers.host;
  if (typeof served !== 'string' || host.toLowerCase() !== served.toLowerCase()) return `host ${JSON.stringify(host.slice(0, 200))} is not this API's host`;
  return undefined;
}

export class SubscriptionEngine implements RealtimeBackend {
  readonly registry = new SubscriptionRegistry();
  private schema: GraphQLSchema;
  private byMutation: ReadonlyMap<string, readonly string[]>;
  private readonly graphqlPath: string;
  private transport: Transport | undefined;

  constructor(private options: SubscriptionEngineOptions) {
    this.schema = options.executor.schema;
    this.byMutation = subscriptionsByMutation(this.schema);
    this.graphqlPath = options.graphqlPath ?? '/graphql';
  }

  /** The transport that carries frames (set once the real-time server is attached). */
  attach(transport: Transport): void {
    this.transport = transport;
  }

  private authInput(header: Record<string, unknown>, path: string, body: string, request: RealtimeRequest): AuthInput {
    return { headers: normalizeHeaders(header), method: 'POST', path, query: '', body, sourceIp: request.remoteAddress };
  }

  async authenticateConnection(header: Record<string, unknown>, request: RealtimeRequest): Promise<AuthResult> {
    const foreign = foreignHost(header, request);
    if (foreign) {
      this.options.logger?.(`realtime connect refused: ${foreign}`, 'debug');
      // The same answer as for a bad token: nothing tells which part of the header object was wrong.
      return { ok: false, ...connectionRefused(UNAUTHORIZED_HEADER.message) };
    }
    const outcome = await this.options.authenticator.authenticate(this.authInput(header, `${this.graphqlPath}/connect`, '{}', request));
    if (outcome.ok) return { ok: true, identity: outcome.caller };
    this.options.logger?.(`realtime connect refused: ${outcome.errorType} (${outcome.message})`, 'debug');
    // As AppSync: connection_error with errorCode 401 / UnauthorizedException (non-retryable for both clients).
    return { ok: false, ...connectionRefused(outcome.message) };
  }

  async startSubscription(args: StartSubscriptionArgs): Promise<StartSubscriptionResult> {
    const fail = (errors: AppSyncError[]): StartSubscriptionResult => {
      this.options.logger?.(`subscription start refused (${args.subscriptionId}): ${describeErrors(errors)}`, 'debug');
      return { ok: false, errors };
    };
    const foreign = foreignHost(args.authorization, args.request);
    if (foreign) {
      this.options.logger?.(`subscription start (${args.subscriptionId}): ${foreign}`, 'debug');
      return fail([UNAUTHORIZED_HEADER]);
    }
    const auth = await this.options.authenticator.authenticate(this.authInput(args.authorization, this.graphqlPath, args.rawData, args.request));
    if (!auth.ok) return fail([UNAUTHORIZED_HEADER]);
    const prepared = await this.prepare({
      connectionId: args.connectionId,
      subscriptionId: args.subscriptionId,
      query: args.query,
      operationName: args.operationName,
      variables: args.variables,
      caller: auth.caller,
      headers: normalizeHeaders(args.authorization),
    });
    if (!prepared.ok) return fail(prepared.errors);
    this.registry.add(prepared.stored);
    if (this.options.events) {
      const { stored } = prepared;
      this.options.events.emit({
        kind: 'subscription-started',
        field: stored.fieldName,
        caller: summarizeCaller(auth.caller.mode, auth.caller.identity, auth.caller.principalKey),
        filter: boundedCopy(stored.filter ?? stored.args),
        filterKind: stored.filter ? 'enhanced' : 'arguments',
        connectionId: stored.connectionId,
        subscriptionId: stored.subscriptionId,
      });
    }
    this.options.logger?.(`subscription ${prepared.stored.fieldName} started (${auth.caller.authType}, ${prepared.stored.filter ? 'enhanced filter' : 'argument filter'})`, 'debug');
    return { ok: true };
  }

  /**
   * Everything a start does after authentication: validation against the schema, field authorization for the caller's
   * mode, and the subscribe-time resolver. Kept with the subscription so a sandbox reload can run it again.
   */
  private async prepare(request: StartRequest): Promise<{ ok: true; stored: StoredSubscription } | { ok: false; errors: AppSyncError[] }> {
    const fail = (errors: AppSyncError[]) => ({ ok: false as const, errors });
    const { caller } = request;
    const executor = this.options.executor;
    const parsed = executor.parseOperation(request.query, request.operationName);
    if ('malformed' in parsed) return fail([{ errorType: UNPARSABLE.errorType, message: UNPARSABLE.message }]);
    // graphql-js's SingleFieldSubscriptionsRule catches > 1 root field first; AppSync reports it as a duplicate.
    if ('errors' in parsed && parsed.errors.some((e) => /must select only one top level field/.test(e.message))) return fail([duplicatedOperation(request.subscriptionId)]);
    if ('errors' in parsed) return fail(parsed.errors.map((e) => ({ message: e.message })));
    const { operation, fragments } = parsed;
    if (operation.operation !== 'subscription') return fail([notASubscription(operation.operation)]);
    const roots = rootFieldNodes(operation, fragments);
    if (roots.length !== 1) return fail([duplicatedOperation(request.subscriptionId)]);
    const node = roots[0]!;
    const fieldName = node.name.value;
    const fieldDef = this.schema.getSubscriptionType()?.getFields()[fieldName];
    if (!fieldDef) return fail([subscriptionFieldUndefined(fieldName)]);
    const denied = forbiddenSelection(executor, 'Subscription', node, fragments, caller);
    if (denied) return fail([notAuthorizedToAccess(denied.fieldName, denied.typeName)]);

    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], request.variables ?? {});
    if (coerced.errors) return fail(coerced.errors.map((e) => ({ message: e.message })));
    const variables = JSON.parse(JSON.stringify(coerced.coerced)) as JsonObject;
    const fieldArgs = JSON.parse(JSON.stringify(getArgumentValues(fieldDef, node, coerced.coerced))) as JsonObject;

    const stored: StoredSubscription = {
      connectionId: request.connectionId,
      subscriptionId: request.subscriptionId,
      fieldName,
      responseKey: node.alias?.value ?? fieldName,
      fieldNode: node,
      returnType: fieldDef.type,
      fragments,
      variables,
      args: fieldArgs,
      projectionKey: JSON.stringify([request.query, request.operationName ?? null, variables]),
      request,
    };
    const resolver = executor.resolverFor('Subscription', fieldName);
    if (resolver) {
      try {
        const run = await executor.runResolver(resolver, JSON.parse(JSON.stringify(fieldArgs)) as JsonObject, caller, request.headers, [node], fragments, variables);
        for (const [filter, what] of [[run.subscriptionFilter, 'subscription filter'], [run.subscriptionInvalidationFilter, 'invalidation filter']] as const) {
          const problems = filter === undefined ? [] : validateSubscriptionFilter(filter);
          if (problems.length > 0) return fail([invalidSubscriptionFilter(what, problems.join('; '))]);
        }
        if (run.subscriptionFilter) stored.filter = run.subscriptionFilter;
        if (run.subscriptionInvalidationFilter) stored.invalidationFilter = run.subscriptionInvalidationFilter;
      } catch (error) {
        if (error instanceof ResolverError) return fail([{ errorType: error.errorType ?? undefined, message: error.message }]);
        this.options.logger?.(`subscription resolver Subscription.${fieldName} failed: ${(error as Error).stack ?? String(error)}`, 'error');
        return fail([subscriptionResolverFailed((error as Error).message)]);
      }
    }
    return { ok: true, stored };
  }

  /**
   * Sandbox reload (offline only — AWS has no equivalent): serve a new schema and resolvers. Every live subscription
   * goes through validation, field authorization and its subscribe-time resolver again with the identity it started
   * with; one that no longer passes ends with an `error` frame carrying the reason, the others keep their ids.
   */
  async reload(executor: GraphQLExecutor, authenticator: Authenticator): Promise<{ kept: number; ended: number }> {
    this.options = { ...this.options, executor, authenticator };
    this.schema = executor.schema;
    this.byMutation = subscriptionsByMutation(this.schema);
    let kept = 0;
    let ended = 0;
    for (const sub of [...this.registry.all()]) {
      const prepared = await this.prepare(sub.request);
      if (this.registry.get(sub.connectionId, sub.subscriptionId) !== sub) continue; // stopped meanwhile
      if (prepared.ok) {
        this.registry.add(prepared.stored);
        kept++;
        continue;
      }
      this.registry.remove(sub.connectionId, sub.subscriptionId);
      this.stopped(sub.connectionId, [sub], 'reload');
      this.transport?.fail?.(sub.connectionId, sub.subscriptionId, prepared.errors);
      this.options.logger?.(`subscription ${sub.fieldName} (${sub.subscriptionId}) ended by the reload: ${describeErrors(prepared.errors)}`, 'debug');
      ended++;
    }
    return { kept, ended };
  }

  stopSubscription(connectionId: string, subscriptionId: string): void {
    const sub = this.registry.remove(connectionId, subscriptionId);
    if (sub) this.stopped(connectionId, [sub], 'stopped');
  }

  connectionClosed(connectionId: string): void {
    this.stopped(connectionId, this.registry.removeConnection(connectionId), 'connection closed');
  }

  /** A `subscription-stopped` event for subscriptions of one connection that ended. */
  private stopped(connectionId: string, subs: readonly StoredSubscription[], reason: 'stopped' | 'connection closed' | 'invalidated' | 'reload'): void {
    if (!this.options.events || subs.length === 0) return;
    this.options.events.emit({
      kind: 'subscription-stopped',
      connectionId,
      subscriptions: subs.slice(0, MAX_LISTED).map((sub) => ({ subscriptionId: sub.subscriptionId, field: sub.fieldName })),
      count: subs.length,
      reason,
    });
  }

  /**
   * Delivers a mutation's published payloads; returns the number of frames handed to the transport. Each event is one
   * `delivery` event (made by request `requestId`), however many subscriptions it reaches.
   */
  publish(events: readonly PublishedEvent[], requestId?: string): number {
    let delivered = 0;
    for (const event of events) {
      const fields = this.byMutation.get(event.mutationField) ?? [];
      const delivery: DeliveryEvent | undefined = this.options.events && fields.length > 0
        ? { kind: 'delivery', mutationField: event.mutationField, ...(requestId ? { requestId } : {}), subscriptionFields: [...fields], matched: 0, delivered: 0, subscriptions: [] }
        : undefined;
      for (const subscriptionField of fields) {
        delivered += this.publishTo(subscriptionField, event.payload, delivery);
      }
      if (delivery) this.options.events!.emit(delivery);
    }
    return delivered;
  }

  private publishTo(subscriptionField: string, payload: unknown, delivery?: DeliveryEvent): number {
    const groups = new Map<string, StoredSubscription[]>();
    // Subscribers of one room usually hold the same filter: each distinct filter is evaluated once per payload.
    const verdicts = new Map<string, boolean>();
    // Per-user filters differ (each names its subscriber): their lists are looked up in Sets built once per payload.
    const view = new PayloadView(payload);
    for (const sub of this.registry.candidates(subscriptionField, payload)) {
      const key = matchKeyOf(sub);
      let matches = verdicts.get(key);
      if (matches === undefined) {
        matches = sub.filter ? matchesFilter(sub.filter, view) : matchesArguments(sub.args, payload as Record<string, unknown> | null);
        verdicts.set(key, matches);
      }
      if (!matches) continue;
      if (delivery) {
        delivery.matched++;
        if (delivery.subscriptions.length < MAX_LISTED) delivery.subscriptions.push({ connectionId: sub.connectionId, subscriptionId: sub.subscriptionId, field: sub.fieldName });
      }
      const group = groups.get(sub.projectionKey);
      if (group) group.push(sub);
      else groups.set(sub.projectionKey, [sub]);
    }
    let delivered = 0;
    for (const group of groups.values()) {
      const first = group[0]!;
      const projected = projectForSubscriber(this.schema, payload, first.returnType, first.fieldNode.selectionSet, first.fragments, first.variables);
      const text = serializeDataPayload({ data: { [first.responseKey]: projected } });
      for (const sub of group) if (this.transport?.deliver(sub.connectionId, sub.subscriptionId, text)) delivered++;
    }
    if (delivery) delivery.delivered += delivered;
    return delivered;
  }

  /** `extensions.invalidateSubscriptions` from a mutation: closes every matching subscription with `complete`. */
  invalidate(requests: readonly InvalidationRequest[]): number {
    let closed = 0;
    for (const request of requests) {
      for (const sub of [...this.registry.forField(request.subscriptionField)]) {
        if (!sub.invalidationFilter || !matchesFilter(sub.invalidationFilter, request.payload)) continue;
        this.registry.remove(sub.connectionId, sub.subscriptionId);
        this.stopped(sub.connectionId, [sub], 'invalidated');
        if (this.transport?.invalidate(sub.connectionId, sub.subscriptionId)) closed++;
      }
    }
    return closed;
  }
}

