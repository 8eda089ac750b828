/**
 * The live subscriptions, indexed by subscription field (publishing only looks at the fields a mutation feeds
 * through `@aws_subscribe`) and by connection (cleanup on stop/close). Nothing outlives its connection.
 */
import type { FieldNode, GraphQLOutputType } from 'graphql16';
import type { AuthenticatedCaller } from '../auth/index.js';
import type { JsonObject } from '../util/index.js';
import type { SubscriptionFilter } from '../util/context.js';
import type { Fragments } from '../executor/subscription-payload.js';
import { EqualityIndex, equalityKeyOf } from './equality-index.js';

/** What a start carried once authenticated: enough to prepare the subscription again (sandbox reload). */
export interface StartRequest {
  connectionId: string;
  subscriptionId: string;
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  caller: AuthenticatedCaller;
  headers: Record<string, string>;
}

export interface StoredSubscription {
  connectionId: string;
  subscriptionId: string;
  fieldName: string;
  /** Alias or field name: the key of `data` in delivered frames. */
  responseKey: string;
  fieldNode: FieldNode;
  returnType: GraphQLOutputType;
  fragments: Fragments;
  variables: JsonObject;
  /** Arguments the subscriber supplied (basic filtering: each one must equal the same-named field of the payload). */
  args: JsonObject;
  /** Enhanced filter set by the subscription resolver (`extensions.setSubscriptionFilter`). */
  filter?: SubscriptionFilter;
  /** `extensions.setSubscriptionInvalidationFilter`: which `invalidateSubscriptions` payloads close it. */
  invalidationFilter?: SubscriptionFilter;
  /** Subscribers with the same key receive byte-identical frames: same document, operation and variables. */
  projectionKey: string;
  request: StartRequest;
}

const keyOf = (connectionId: string, subscriptionId: string): string => `${connectionId}\u0000${subscriptionId}`;

export class SubscriptionRegistry {
  private readonly byField = new Map<string, Map<string, StoredSubscription>>();
  /** Per field, the subscriptions filed by the equality their filter or arguments impose (publishing's candidates). */
  private readonly indexByField = new Map<string, EqualityIndex<StoredSubscription>>();
  private readonly byConnection = new Map<string, Map<string, StoredSubscription>>();

  add(sub: StoredSubscription): void {
    this.remove(sub.connectionId, sub.subscriptionId);
    const key = keyOf(sub.connectionId, sub.subscriptionId);
    let field = this.byField.get(sub.fieldName);
    if (!field) this.byField.set(sub.fieldName, (field = new Map()));
    field.set(key, sub);
    let index = this.indexByField.get(sub.fieldName);
    if (!index) this.indexByField.set(sub.fieldName, (index = new EqualityIndex()));
    index.add(sub, equalityKeyOf(sub.filter, sub.args));
    let connection = this.byConnection.get(sub.connectionId);
    if (!connection) this.byConnection.set(sub.connectionId, (connection = new Map()));
    connection.set(sub.subscriptionId, sub);
  }

  remove(connectionId: string, subscriptionId: string): StoredSubscription | undefined {
    const connection = this.byConnection.get(connectionId);
    const sub = connection?.get(subscriptionId);
    if (!connection || !sub) return undefined;
    connection.delete(subscriptionId);
    if (connection.size === 0) this.byConnection.delete(connectionId);
    const field = this.byField.get(sub.fieldName);
    field?.delete(keyOf(connectionId, subscriptionId));
    if (field?.size === 0) this.byField.delete(sub.fieldName);
    const index = this.indexByField.get(sub.fieldName);
    index?.remove(sub);
    if (index?.size === 0) this.indexByField.delete(sub.fieldName);
    return sub;
  }

  /** Removes every subscription of a connection; returns them. */
  removeConnection(connectionId: string): StoredSubscription[] {
    const removed: StoredSubscription[] = [];
    for (const subscriptionId of [...(this.byConnection.get(connectionId)?.keys() ?? [])]) {
      const sub = this.remove(connectionId, subscriptionId);
      if (sub) removed.push(sub);
    }
    return removed;
  }

  get(connectionId: string, subscriptionId: string): StoredSubscription | undefined {
    return this.byConnection.get(connectionId)?.get(subscriptionId);
  }

  all(): Iterable<StoredSubscription> {
    return [...this.byConnection.values()].flatMap((connection) => [...connection.values()]);
  }

  forField(fieldName: string): Iterable<StoredSubscription> {
    return this.byField.get(fieldName)?.values() ?? [];
  }

  /**
   * The subscriptions of a field that may accept `payload` — a superset of those whose filter (or arguments) match it,
   * each once; the caller still tests each.
   */
  candidates(fieldName: string, payload: unknown): Iterable<StoredSubscription> {
    return this.indexByField.get(fieldName)?.candidates(payload) ?? [];
  }

  get size(): number {
    let n = 0;
    for (const field of this.byField.values()) n += field.size;
    return n;
  }
}
