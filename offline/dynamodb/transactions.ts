/**
 * TransactWriteItems and TransactGetItems for the local DynamoDB, which dynalite 4 lacks, executed inside the process
 * that runs dynalite, on dynalite's own store (`transaction-endpoint.ts` serves them on dynalite's HTTP port).
 *
 * Nothing here evaluates an expression or validates an item itself: each action is checked by dynalite's own request
 * validation (its `validations/*.js` type tables, constraint checks and per-operation `custom` validators, which parse
 * the expressions) and executed by dynalite's own `putItem` / `updateItem` / `deleteItem` / `getItem` actions — a
 * ConditionCheck is dynalite's `deleteItem` whose writes are thrown away.
 *
 * Atomicity. dynalite serialises writes with a per-item lock (`store.getItemDb(table).lock(key)`, the `lock` package):
 * PutItem, UpdateItem and DeleteItem (and BatchWriteItem, which runs those) hold it around their read-check-write. A
 * transaction takes the same locks on all its items (table by table in name order, each table's keys in one atomic
 * acquisition, so two transactions cannot deadlock and a single write never waits on a second lock), then runs every
 * action against a *staged* view of the store: reads go to the store, writes (items and index entries) are collected.
 * Because no two actions may touch one item, every action sees its item as it was when the locks were taken — the
 * state at the start. If every action passes, the collected writes are committed as ONE LevelDB batch (atomic, also
 * across a crash) before the locks are released; otherwise nothing is written. Every write the sandbox makes reaches
 * dynalite's write actions (the AppSync data sources through the sandbox's client, the Lambdas through
 * offline/aws-endpoints, which proxies to this same server), so no write can interleave with a transaction on its
 * items. Reusing dynalite's lock rather than a lock of our own in front of dynalite means no write path can bypass it.
 * Plain GetItem/Query/Scan do not lock (as in dynalite); they see a transaction entirely or not at all per item read
 * because the commit is one batch.
 *
 * Where the answers come from (see docs/offline-fidelity.md for what differs):
 * - request shape errors: dynalite's validators with the TransactWriteItems/TransactGetItems shape, so member paths
 *   read `transactItems.1.member.put.tableName`, as DynamoDB's do;
 * - an action with no or several operations, two actions on one item, a missing table: DynamoDB's texts;
 * - key errors of an action (missing key attribute, wrong type) cancel the transaction with a `ValidationError` reason
 *   carrying dynalite's (= DynamoDB's) key message, as DynamoDB does; an empty string/binary key value is a
 *   request-level ValidationException;
 * - failed conditions: `ConditionalCheckFailed` reasons, `Item` with ReturnValuesOnConditionCheckFailure ALL_OLD;
 *   dynalite's errors while applying an update (wrong operand type, item too large, …) are `ValidationError` reasons;
 * - ClientRequestToken: a successful TransactWriteItems is remembered for 10 minutes after it completed; the same
 *   token with the same TransactItems (key order ignored) answers the same without writing again, with other items
 *   IdempotentParameterMismatchException, while the first is still running TransactionInProgressException.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** dynalite's error objects: `statusCode` and the JSON `body` it sends. */
export interface DynamoDbFailure {
  statusCode: number;
  body: { __type: string; message?: string; Message?: string; [more: string]: unknown };
}

type AttributeMap = Record<string, unknown>;
type Callback<T = unknown> = (error?: DynaliteError | null, result?: T) => void;

interface DynaliteError extends Error {
  statusCode?: number;
  body?: DynamoDbFailure['body'];
}

interface Releaser {
  (done?: (...args: unknown[]) => void): (...args: unknown[]) => void;
}

interface SubDb {
  lock(key: string | string[], exec: (release: Releaser) => void): void;
  get(key: string, callback: Callback<AttributeMap>): void;
  put(key: string, value: unknown, callback: Callback): void;
  del(key: string, callback: Callback): void;
}

interface TableDefinition {
  TableName: string;
  KeySchema: { AttributeName: string; KeyType: string }[];
  [more: string]: unknown;
}

/** The object `db.create()` returns in dynalite 4 (db/index.js). */
export interface DynaliteStore {
  options: { maxItemSize: number; [more: string]: unknown };
  db: { batch(operations: BatchOperation[], callback: Callback): void };
  getTable(name: string, callback: Callback<TableDefinition>): void;
  getItemDb(name: string): SubDb;
  getIndexDb(indexType: string, tableName: string, indexName: string): SubDb;
}

interface BatchOperation {
  type: 'put' | 'del';
  key: string;
  value?: unknown;
}

type ValidationTypes = Record<string, unknown>;
type Action = (store: unknown, data: AttributeMap, callback: Callback<AttributeMap>) => void;

interface DynaliteModules {
  validations: {
    checkTypes(data: unknown, types: ValidationTypes): AttributeMap;
    checkValidations(data: AttributeMap, types: ValidationTypes, custom: ((data: AttributeMap) => string | undefined) | undefined, store?: unknown): void;
  };
  db: {
    validateItem(item: AttributeMap, table: TableDefinition): DynaliteError | undefined;
    validateKey(key: AttributeMap, table: TableDefinition): DynaliteError | undefined;
    createKey(item: AttributeMap, table: TableDefinition): string;
    validationError(message: string): DynaliteError;
  };
  operations: Record<'putItem' | 'updateItem' | 'deleteItem' | 'getItem', { types: ValidationTypes; custom: (data: AttributeMap, store: unknown) => string | undefined }>;
  actions: Record<'putItem' | 'updateItem' | 'deleteItem' | 'getItem', Action>;
}

let modules: DynaliteModules | undefined;

/** dynalite's own modules (the same module objects its HTTP handler uses). */
function dynalite(): DynaliteModules {
  if (modules) return modules;
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('dynalite/package.json'));
  const load = <T>(path: string) => require(join(root, path)) as T;
  const names = ['putItem', 'updateItem', 'deleteItem', 'getItem'] as const;
  modules = {
    validations: load('validations/index.js'),
    db: load('db/index.js'),
    operations: Object.fromEntries(names.map((n) => [n, load(`validations/${n}.js`)])) as DynaliteModules['operations'],
    actions: Object.fromEntries(names.map((n) => [n, load(`actions/${n}.js`)])) as DynaliteModules['actions'],
  };
  return modules;
}

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810#';
const MAX_ACTIONS = 100;
/** "A client request token is valid for 10 minutes after the first request that uses it is completed." */
export const IDEMPOTENCY_WINDOW_MS = 10 * 60 * 1000;
/** How often expired tokens are swept without a transaction to trigger it. */
const TOKEN_SWEEP_MS = 60 * 1000;

export const MESSAGES = {
  noOperation: 'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request',
  severalOperations: 'TransactItems can only contain one of Check, Put, Update or Delete',
  sameItem: 'Transaction request cannot include multiple operations on one item',
  conditionFailed: 'The conditional request failed',
  mismatch: 'DynamoDB rejected the request because you retried a request with a different payload but with an idempotent token that was already used.',
  inProgress: 'Transaction from previous request is still in progress',
} as const;

function failure(statusCode: number, type: string, message: string): DynamoDbFailure {
  return { statusCode, body: { __type: type, message } };
}
const validationFailure = (message: string) => toFailure(dynalite().db.validationError(message));

function toFailure(error: unknown): DynamoDbFailure {
  const e = error as DynaliteError;
  if (e && typeof e.statusCode === 'number' && e.body) return { statusCode: e.statusCode, body: e.body };
  return failure(500, `${DYNAMODB}InternalServerError`, `offline sandbox: ${String((e as Error)?.message ?? error)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Request shapes, built from dynalite's own type tables so every member is checked as in the single-item operations.

type WriteKind = 'ConditionCheck' | 'Put' | 'Update' | 'Delete';
const WRITE_KINDS: readonly WriteKind[] = ['ConditionCheck', 'Put', 'Update', 'Delete'];

/** Per kind: the dynalite operation that validates and executes it, and the members it has in DynamoDB's model. */
const WRITE_KIND_SPEC: Record<WriteKind, { operation: 'putItem' | 'updateItem' | 'deleteItem'; members: string[] }> = {
  ConditionCheck: { operation: 'deleteItem', members: ['TableName', 'Key', 'ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'] },
  Put: { operation: 'putItem', members: ['TableName', 'Item', 'ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'] },
  Update: { operation: 'updateItem', members: ['TableName', 'Key', 'UpdateExpression', 'ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'] },
  Delete: { operation: 'deleteItem', members: ['TableName', 'Key', 'ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues'] },
};
const REQUIRED_EXPRESSION: Partial<Record<WriteKind, string>> = { ConditionCheck: 'ConditionExpression', Update: 'UpdateExpression' };
const RETURN_ON_FAILURE = { type: 'String', enum: ['ALL_OLD', 'NONE'] };

let shapes: { write: ValidationTypes; get: ValidationTypes } | undefined;

function requestShapes(): { write: ValidationTypes; get: ValidationTypes } {
  if (shapes) return shapes;
  const { operations } = dynalite();
  const member = (kind: WriteKind) => {
    const types = operations[WRITE_KIND_SPEC[kind].operation].types as Record<string, object>;
    const children: Record<string, unknown> = Object.fromEntries(WRITE_KIND_SPEC[kind].members.map((m) => [m, types[m]]));
    const required = REQUIRED_EXPRESSION[kind];
    if (required) children[required] = { type: 'String', notNull: true };
    children['ReturnValuesOnConditionCheckFailure'] = RETURN_ON_FAILURE;
    return { type: `FieldStruct<${kind}>`, children };
  };
  const transactItems = (children: unknown) => ({
    type: 'List',
    notNull: true,
    lengthGreaterThanOrEqual: 1,
    lengthLessThanOrEqual: MAX_ACTIONS,
    children,
  });
  const put = operations.putItem.types;
  const get = operations.getItem.types as Record<string, unknown>;
  shapes = {
    write: {
      ReturnConsumedCapacity: put['ReturnConsumedCapacity'],
      ReturnItemCollectionMetrics: put['ReturnItemCollectionMetrics'],
      ClientRequestToken: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 36 },
      TransactItems: transactItems({ type: 'ValueStruct<TransactWriteItem>', children: Object.fromEntries(WRITE_KINDS.map((k) => [k, member(k)])) }),
    },
    get: {
      ReturnConsumedCapacity: get['ReturnConsumedCapacity'],
      TransactItems: transactItems({
        type: 'ValueStruct<TransactGetItem>',
        children: {
          Get: {
            type: 'FieldStruct<Get>',
            notNull: true,
            children: Object.fromEntries(['TableName', 'Key', 'ProjectionExpression', 'ExpressionAttributeNames'].map((m) => [m, get[m]])),
          },
        },
      }),
    },
  };
  return shapes;
}

export type TransactionOperation = 'TransactWriteItems' | 'TransactGetItems';

/** The operations of each item that are present (dynalite's type check drops null and unknown members too). */
function kindsOf(item: unknown): WriteKind[] {
  if (typeof item !== 'object' || item === null) return [];
  return WRITE_KINDS.filter((kind) => (item as AttributeMap)[kind] != null);
}

/**
 * The request-level checks that need no table: types (SerializationException), constraints (ValidationException with
 * member paths), one operation per action. Returns the normalised request, or the failure DynamoDB answers. Also used
 * by offline/aws-endpoints before it authorizes the actions, so a malformed transaction is refused as DynamoDB
 * refuses it rather than as an authorization failure.
 */
export function checkTransactionRequest(operation: TransactionOperation, body: unknown): { request: AttributeMap } | { failure: DynamoDbFailure } {
  const { validations } = dynalite();
  const types = operation === 'TransactWriteItems' ? requestShapes().write : requestShapes().get;
  try {
    const request = validations.checkTypes(structuredClone(body ?? {}), types);
    validations.checkValidations(request, types, (data) => {
      if (operation !== 'TransactWriteItems') return undefined;
      for (const item of data['TransactItems'] as unknown[]) {
        const count = kindsOf(item).length;
        if (count === 0) return MESSAGES.noOperation;
        if (count > 1) return MESSAGES.severalOperations;
      }
      return undefined;
    });
    return { request };
  } catch (error) {
    return { failure: toFailure(error) };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Execution

/** One action after the request-level checks: what dynalite's action receives, and where it lands. */
interface PreparedAction {
  kind: WriteKind | 'Get';
  operation: 'putItem' | 'updateItem' | 'deleteItem' | 'getItem';
  data: AttributeMap;
  returnOldItem: boolean;
  table?: TableDefinition;
  /** dynalite's item key (its lock key); unset when the key does not fit the table. */
  key?: string;
  /** Set when the key does not fit the table: the action's ValidationError reason. */
  keyError?: string;
}

export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: AttributeMap;
}

export interface TransactionAnswer {
  statusCode: number;
  body: AttributeMap;
}

const ok = (body: AttributeMap): TransactionAnswer => ({ statusCode: 200, body });
const fromFailure = (f: DynamoDbFailure): TransactionAnswer => ({ statusCode: f.statusCode, body: f.body });

function cancelled(reasons: CancellationReason[]): TransactionAnswer {
  const codes = reasons.map((r) => r.Code).join(', ');
  return {
    statusCode: 400,
    body: {
      __type: `${DYNAMODB}TransactionCanceledException`,
      Message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
      CancellationReasons: reasons,
    },
  };
}

/** Sorted-key JSON, so the same request with its keys in another order has the same fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as AttributeMap)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function getTable(store: DynaliteStore, name: string): Promise<TableDefinition> {
  return new Promise((resolve, reject) => store.getTable(name, (error, table) => (error ? reject(error) : resolve(table!))));
}

/** Takes dynalite's item locks on every key; resolves to the function that releases them all. */
async function lockItems(store: DynaliteStore, actions: PreparedAction[]): Promise<() => void> {
  const byTable = new Map<string, Set<string>>();
  for (const action of actions) {
    if (!action.table || action.key === undefined) continue;
    const keys = byTable.get(action.table.TableName) ?? new Set<string>();
    keys.add(action.key);
    byTable.set(action.table.TableName, keys);
  }
  const releases: (() => void)[] = [];
  for (const table of [...byTable.keys()].sort()) {
    const keys = [...byTable.get(table)!];
    releases.push(await new Promise<() => void>((resolve) => store.getItemDb(table).lock(keys, (release) => resolve(release(() => undefined)))));
  }
  return () => {
    for (const release of releases.reverse()) release();
  };
}

/**
 * The store as dynalite's actions see it, except that writes are collected into `writes` instead of applied, and the
 * item lock is a pass-through (the transaction holds the real one). Keys get the prefixes dynalite's `getSubDb` gives
 * them (`item-<table>~`, `index-<global|local>~<table>~<index>~`), so `writes` can be committed as one batch.
 */
function stagedView(store: DynaliteStore, writes: BatchOperation[], seen: { item?: AttributeMap }) {
  const staged = (prefix: string, real?: SubDb): SubDb => ({
    lock: (_key, exec) => exec((done) => done ?? (() => undefined)),
    get: (key, callback) =>
      real!.get(key, (error, item) => {
        if (!error) seen.item = item;
        callback(error, item);
      }),
    put: (key, value, callback) => {
      writes.push({ type: 'put', key: prefix + key, value });
      process.nextTick(callback, null);
    },
    del: (key, callback) => {
      writes.push({ type: 'del', key: prefix + key });
      process.nextTick(callback, null);
    },
  });
  return {
    options: store.options,
    getTable: store.getTable,
    getItemDb: (name: string) => staged(`item-${name}~`, store.getItemDb(name)),
    getIndexDb: (indexType: string, tableName: string, indexName: string) => staged(`index-${indexType.toLowerCase()}~${tableName}~${indexName}~`),
  };
}

function runAction(action: Action, store: unknown, data: AttributeMap): Promise<{ error?: DynaliteError; result?: AttributeMap }> {
  return new Promise((resolve) => {
    try {
      action(store, data, (error, result) => resolve(error ? { error } : { result: result ?? {} }));
    } catch (error) {
      resolve({ error: error as DynaliteError });
    }
  });
}

const typeOf = (error: DynaliteError | undefined) => String(error?.body?.__type ?? '').split('#').pop();
const messageOf = (error: DynaliteError) => String(error.body?.message ?? error.body?.Message ?? error.message);

/** An empty key value: a request-level error in DynamoDB, worded as below (dynalite's key-only text differs slightly). */
const EMPTY_KEY = /(The AttributeValue for a key attribute cannot contain an empty (?:string|binary) value\. Key: .*)$/;

/** ConsumedCapacity as dynalite computes it for the single actions, doubled (a transaction prepares and commits). */
function consumedCapacity(mode: unknown, perAction: (AttributeMap | undefined)[]): AttributeMap {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  const byTable = new Map<string, number>();
  for (const capacity of perAction) {
    if (!capacity) continue;
    const table = String(capacity['TableName']);
    byTable.set(table, (byTable.get(table) ?? 0) + 2 * Number(capacity['CapacityUnits'] ?? 0));
  }
  return {
    ConsumedCapacity: [...byTable].map(([TableName, CapacityUnits]) => ({
      TableName,
      CapacityUnits,
      ...(mode === 'INDEXES' ? { Table: { CapacityUnits } } : {}),
    })),
  };
}

interface TokenRecord {
  /** SHA-256 of the canonical request: enough to tell a different request under the same token, a few bytes to keep. */
  fingerprint: string;
  /** Set once the first request completed successfully; undefined while it runs. */
  answer?: TransactionAnswer;
  completedAt?: number;
}

export interface TransactionEngineOptions {
  /** Milliseconds since the epoch; tests pass a clock to cross the 10-minute idempotency window. */
  now?: () => number;
}

/** TransactWriteItems / TransactGetItems on one dynalite store. */
export class TransactionEngine {
  readonly #store: DynaliteStore;
  readonly #now: () => number;
  readonly #tokens = new Map<string, TokenRecord>();

  constructor(store: DynaliteStore, options: TransactionEngineOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
    // Tokens older than the window are forgotten when the next tokenized transaction comes, and once a minute, so that an
    // idle sandbox lets go of them too. The timer holds the engine weakly: a dropped engine is not kept alive by it.
    const engine = new WeakRef(this);
    const timer: NodeJS.Timeout = setInterval(() => {
      const alive = engine.deref();
      if (alive) alive.forgetExpired();
      else clearInterval(timer);
    }, TOKEN_SWEEP_MS);
    timer.unref();
  }

  /** Forgets the tokens of transactions completed more than the idempotency window ago. */
  forgetExpired(): void {
    this.#forgetExpired();
  }

  /** Tokens remembered (running or completed within the window). */
  get rememberedTokens(): number {
    return this.#tokens.size;
  }

  execute(operation: TransactionOperation, body: unknown): Promise<TransactionAnswer> {
    return operation === 'TransactWriteItems' ? this.transactWriteItems(body) : this.transactGetItems(body);
  }

  async transactWriteItems(body: unknown): Promise<TransactionAnswer> {
    const checked = checkTransactionRequest('TransactWriteItems', body);
    if ('failure' in checked) return fromFailure(checked.failure);
    const { request } = checked;
    const items = request['TransactItems'] as AttributeMap[];
    const token = request['ClientRequestToken'] as string | undefined;
    if (token === undefined) return this.#write(request, items);

    this.#forgetExpired();
    const fingerprint = createHash('sha256').update(canonical(items)).digest('base64');
    const known = this.#tokens.get(token);
    if (known) {
      if (known.fingerprint !== fingerprint) return fromFailure(failure(400, `${DYNAMODB}IdempotentParameterMismatchException`, MESSAGES.mismatch));
      if (!known.answer) return fromFailure(failure(400, `${DYNAMODB}TransactionInProgressException`, MESSAGES.inProgress));
      return known.answer;
    }
    const record: TokenRecord = { fingerprint };
    this.#tokens.set(token, record);
    let answer: TransactionAnswer | undefined;
    try {
      answer = await this.#write(request, items);
      return answer;
    } finally {
      // Only a successful transaction binds its token; after a failure the same token may run again.
      if (answer?.statusCode === 200) {
        record.answer = answer;
        record.completedAt = this.#now();
        this.#tokens.delete(token);
        this.#tokens.set(token, record); // completion order = map order, for #forgetExpired
      } else {
        this.#tokens.delete(token);
      }
    }
  }

  async transactGetItems(body: unknown): Promise<TransactionAnswer> {
    const checked = checkTransactionRequest('TransactGetItems', body);
    if ('failure' in checked) return fromFailure(checked.failure);
    const { request } = checked;
    const prepared = this.#prepare((request['TransactItems'] as AttributeMap[]).map((item) => ({ kind: 'Get' as const, detail: item['Get'] as AttributeMap })));
    if ('failure' in prepared) return fromFailure(prepared.failure);
    const actions = await this.#resolveKeys(prepared.actions);
    if ('failure' in actions) return fromFailure(actions.failure);
    if (actions.some((a) => a.keyError !== undefined)) return cancelled(actions.map(keyReason));

    const release = await lockItems(this.#store, actions);
    try {
      const results = [];
      for (const action of actions) {
        const { error, result } = await runAction(dynalite().actions.getItem, this.#store, { ...action.data, ConsistentRead: true, ReturnConsumedCapacity: request['ReturnConsumedCapacity'] });
        if (error) return fromFailure(toFailure(error));
        results.push(result!);
      }
      return ok({
        Responses: results.map((r) => (r['Item'] ? { Item: r['Item'] } : {})),
        ...consumedCapacity(request['ReturnConsumedCapacity'], results.map((r) => r['ConsumedCapacity'] as AttributeMap | undefined)),
      });
    } finally {
      release();
    }
  }

  async #write(request: AttributeMap, items: AttributeMap[]): Promise<TransactionAnswer> {
    const prepared = this.#prepare(items.map((item) => {
      const kind = kindsOf(item)[0]!;
      return { kind, detail: item[kind] as AttributeMap };
    }));
    if ('failure' in prepared) return fromFailure(prepared.failure);
    const actions = await this.#resolveKeys(prepared.actions);
    if ('failure' in actions) return fromFailure(actions.failure);

    const release = await lockItems(this.#store, actions);
    try {
      const writes: BatchOperation[] = [];
      const reasons: CancellationReason[] = [];
      const capacities: (AttributeMap | undefined)[] = [];
      for (const action of actions) {
        if (action.keyError !== undefined) {
          reasons.push(keyReason(action));
          continue;
        }
        const actionWrites: BatchOperation[] = [];
        const seen: { item?: AttributeMap } = {};
        const data = { ...action.data, ReturnConsumedCapacity: request['ReturnConsumedCapacity'] };
        const { error, result } = await runAction(dynalite().actions[action.operation], stagedView(this.#store, actionWrites, seen), data);
        const type = typeOf(error);
        if (!error) {
          reasons.push({ Code: 'None' });
          capacities.push(result!['ConsumedCapacity'] as AttributeMap | undefined);
          if (action.kind !== 'ConditionCheck') writes.push(...actionWrites);
        } else if (type === 'ConditionalCheckFailedException') {
          reasons.push({ Code: 'ConditionalCheckFailed', Message: MESSAGES.conditionFailed, ...(action.returnOldItem && seen.item ? { Item: seen.item } : {}) });
        } else if (type === 'ValidationException') {
          reasons.push({ Code: 'ValidationError', Message: messageOf(error) });
        } else {
          return fromFailure(toFailure(error));
        }
      }
      if (reasons.some((r) => r.Code !== 'None')) return cancelled(reasons);
      if (writes.length > 0) await new Promise<void>((resolve, reject) => this.#store.db.batch(writes, (error) => (error ? reject(error) : resolve())));
      return ok(consumedCapacity(request['ReturnConsumedCapacity'], capacities));
    } catch (error) {
      return fromFailure(toFailure(error));
    } finally {
      release();
    }
  }

  /** Per action: its dynalite request (validated and with parsed expressions by dynalite's own `custom` validator). */
  #prepare(entries: { kind: WriteKind | 'Get'; detail: AttributeMap }[]): { actions: PreparedAction[] } | { failure: DynamoDbFailure } {
    const { operations } = dynalite();
    const actions: PreparedAction[] = [];
    for (const { kind, detail } of entries) {
      const operation = kind === 'Get' ? 'getItem' : WRITE_KIND_SPEC[kind].operation;
      const data: AttributeMap = { ...detail };
      const returnOldItem = data['ReturnValuesOnConditionCheckFailure'] === 'ALL_OLD';
      delete data['ReturnValuesOnConditionCheckFailure'];
      const message = operations[operation].custom(data, this.#store);
      if (message) return { failure: validationFailure(message) };
      actions.push({ kind, operation, data, returnOldItem });
    }
    return { actions };
  }

  /** Tables (ResourceNotFoundException), keys against them, and the one-action-per-item rule. */
  async #resolveKeys(actions: PreparedAction[]): Promise<PreparedAction[] | { failure: DynamoDbFailure }> {
    const { db } = dynalite();
    const tables = new Map<string, TableDefinition>();
    for (const action of actions) {
      const name = String(action.data['TableName']);
      if (tables.has(name)) continue;
      try {
        tables.set(name, await getTable(this.#store, name));
      } catch (error) {
        return { failure: toFailure(error) };
      }
    }
    const seen = new Set<string>();
    for (const action of actions) {
      const table = tables.get(String(action.data['TableName']))!;
      action.table = table;
      const keyOrItem = (action.kind === 'Put' ? action.data['Item'] : action.data['Key']) as AttributeMap;
      const invalid = action.kind === 'Put' ? db.validateItem(keyOrItem, table) : db.validateKey(keyOrItem, table);
      if (invalid) {
        const empty = EMPTY_KEY.exec(messageOf(invalid));
        if (empty) return { failure: validationFailure(`One or more parameter values are not valid. ${empty[1]}`) };
        action.keyError = messageOf(invalid);
        continue;
      }
      action.key = db.createKey(keyOrItem, table);
      const identity = `${table.TableName}\u0000${action.key}`;
      if (seen.has(identity)) return { failure: validationFailure(MESSAGES.sameItem) };
      seen.add(identity);
    }
    return actions;
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [token, record] of this.#tokens) {
      if (record.completedAt === undefined) continue;
      if (now - record.completedAt <= IDEMPOTENCY_WINDOW_MS) break;
      this.#tokens.delete(token);
    }
  }
}

function keyReason(action: PreparedAction): CancellationReason {
  return action.keyError === undefined ? { Code: 'None' } : { Code: 'ValidationError', Message: action.keyError };
}
