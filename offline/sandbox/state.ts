/**
 * The sandbox's state as a folder: every item of every table and every user of the pool, to share a state or keep it
 * as a test fixture (like the Firebase emulators' `--import` / `--export-on-exit`).
 *
 *   <dir>/sandbox-state.json     format, version, when, the pool's id, and what each table holds
 *   <dir>/tables/<model>.jsonl   one item per line, in DynamoDB's typed JSON (`{"id":{"S":"…"}}`)
 *   <dir>/users.json             the pool's users as the pool stores them (password verifiers included: an export
 *                                signs in like the original, so treat it like the data directory)
 *   <dir>/buckets/<name>.jsonl   with storage: one object per line (key, content type, stored headers, user
 *                                metadata, ETag, the bytes in base64)
 *
 * Importing writes every item (replacing items with the same key), every user (replacing users with the same
 * username) and every object (replacing objects with the same key); what the sandbox held besides stays. Start from
 * `--reset` to get exactly the exported state. Tables are matched by model (table names carry the API id), then by
 * name, buckets by their defineStorage name, then by bucket name; an export naming a table or bucket this backend does
 * not have is refused before anything is written. Refresh sessions are not exported: users sign in again. An imported
 * object keeps its ETag; its LastModified is the import's time.
 */
import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredUser, UserPool } from '../cognito/index.js';
import type { BackendDescription, BucketDescription, TableDescription } from '../loader/index.js';
import type { StorageApi } from '../s3/index.js';

export const STATE_FORMAT = 'amplify-gen2-offline-state';
export const STATE_VERSION = 1;
const MANIFEST = 'sandbox-state.json';

type Item = Record<string, AttributeValue>;

export interface SandboxState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  exportedAt: string;
  userPoolId: string;
  tables: { model?: string; name: string; items: Item[] }[];
  users: StoredUser[];
  /** The buckets' objects (absent in exports of a sandbox without storage, and in those made before it existed). */
  buckets?: StateBucket[];
}

/** One object of a bucket in a state. */
export interface StateObject {
  key: string;
  contentType: string;
  /** `content-disposition`, `cache-control`, … as stored. */
  headers: Record<string, string>;
  /** User metadata (`x-amz-meta-*`, without the prefix). */
  metadata: Record<string, string>;
  etag: string;
  /** The bytes, base64. */
  body: string;
}

export interface StateBucket {
  /** The defineStorage name (`friendlyName`). */
  name: string;
  /** The synthesized bucket name. */
  bucketName: string;
  objects: StateObject[];
}

/** What a sandbox holds that makes up its state. */
export interface StateSource {
  description: BackendDescription;
  dynamodb: DynamoDBClient;
  userPool: UserPool;
  /** The storage service, when the sandbox runs one (offline/s3). */
  storage?: Pick<StorageApi, 'buckets' | 'store'>;
}

/** The served buckets with their stores. */
function servedBuckets(source: StateSource): { bucket: BucketDescription; store: NonNullable<ReturnType<StorageApi['store']>> }[] {
  return (source.storage?.buckets() ?? []).flatMap((bucket) => {
    const store = source.storage!.store(bucket);
    return store ? [{ bucket, store }] : [];
  });
}

export async function exportState(source: StateSource, now = new Date()): Promise<SandboxState> {
  const tables: SandboxState['tables'] = [];
  for (const table of source.description.tables) {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await source.dynamodb.send(new ScanCommand({ TableName: table.name, ExclusiveStartKey: start, ConsistentRead: true }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    tables.push({ ...(table.model ? { model: table.model } : {}), name: table.name, items });
  }
  const users = source.userPool.store.all().map((user) => ({ ...structuredClone(user), sessions: [] }));
  const served = servedBuckets(source);
  const buckets = served.map(({ bucket, store }): StateBucket => ({
    name: bucket.friendlyName,
    bucketName: bucket.name,
    objects: store.keys().flatMap((key) => {
      const object = store.read(key);
      if (!object) return [];
      const { contentType, headers, metadata, etag } = object.metadata;
      return [{ key, contentType, headers, metadata, etag, body: object.body.toString('base64') }];
    }),
  }));
  return { format: STATE_FORMAT, version: STATE_VERSION, exportedAt: now.toISOString(), userPoolId: source.userPool.id, tables, users, ...(served.length > 0 ? { buckets } : {}) };
}

/** Checks what `value` claims to be a sandbox state; the error says what is wrong. */
export function checkState(value: unknown): SandboxState {
  const state = value as Partial<SandboxState> | null;
  if (state === null || typeof state !== 'object' || state.format !== STATE_FORMAT) throw new Error(`Not a sandbox state (no "format": "${STATE_FORMAT}")`);
  if (state.version !== STATE_VERSION) throw new Error(`Sandbox state version ${String(state.version)} is not supported (this sandbox reads version ${STATE_VERSION})`);
  if (!Array.isArray(state.tables) || !Array.isArray(state.users)) throw new Error('A sandbox state needs "tables" and "users" lists');
  for (const table of state.tables) {
    if (typeof table?.name !== 'string' || !Array.isArray(table.items)) throw new Error('Each table of a sandbox state needs a "name" and an "items" list');
  }
  for (const user of state.users) {
    if (typeof user?.username !== 'string' || typeof user.attributes !== 'object') throw new Error('Each user of a sandbox state needs a "username" and "attributes"');
  }
  if (state.buckets !== undefined) {
    if (!Array.isArray(state.buckets)) throw new Error('"buckets" of a sandbox state must be a list');
    for (const bucket of state.buckets) {
      if (typeof bucket?.name !== 'string' || !Array.isArray(bucket.objects)) throw new Error('Each bucket of a sandbox state needs a "name" and an "objects" list');
      for (const object of bucket.objects) {
        if (typeof object?.key !== 'string' || typeof object.body !== 'string' || typeof object.contentType !== 'string') throw new Error('Each object of a sandbox state needs a "key", a "contentType" and a base64 "body"');
      }
    }
  }
  return state as SandboxState;
}

export interface ImportReport {
  tables: { name: string; items: number }[];
  users: number;
  /** Objects written per bucket (defineStorage name), when the state has buckets. */
  buckets?: { name: string; objects: number }[];
}

export async function importState(target: StateSource, state: SandboxState): Promise<ImportReport> {
  checkState(state);
  const matched = state.tables.map((exported) => {
    const table: TableDescription | undefined =
      target.description.tables.find((t) => exported.model !== undefined && t.model === exported.model) ?? target.description.tables.find((t) => t.name === exported.name);
    return { exported, table };
  });
  const unknown = matched.filter((m) => m.table === undefined).map((m) => m.exported.model ?? m.exported.name);
  if (unknown.length > 0) throw new Error(`The state holds tables this backend does not have: ${unknown.join(', ')}; nothing was imported`);
  const served = servedBuckets(target);
  const matchedBuckets = (state.buckets ?? []).map((exported) => ({
    exported,
    served: served.find(({ bucket }) => bucket.friendlyName === exported.name) ?? served.find(({ bucket }) => bucket.name === exported.bucketName),
  }));
  const unknownBuckets = matchedBuckets.filter((m) => m.served === undefined && m.exported.objects.length > 0).map((m) => m.exported.name);
  if (unknownBuckets.length > 0) throw new Error(`The state holds buckets this sandbox does not serve: ${unknownBuckets.join(', ')}; nothing was imported`);

  const report: ImportReport = { tables: [], users: 0 };
  for (const { exported, table } of matched) {
    const name = table!.name;
    for (let i = 0; i < exported.items.length; i += 25) {
      let requests: WriteRequest[] = exported.items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } }));
      // Unprocessed items are retried until written (the local DynamoDB never throttles, so this ends).
      while (requests.length > 0) {
        const out = await target.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [name]: requests } }));
        requests = out.UnprocessedItems?.[name] ?? [];
      }
    }
    report.tables.push({ name, items: exported.items.length });
  }
  for (const user of state.users) {
    target.userPool.store.put({ ...structuredClone(user), sessions: [] });
    report.users++;
  }
  if (state.buckets !== undefined) report.buckets = [];
  for (const { exported, served: into } of matchedBuckets) {
    if (!into) continue;
    for (const object of exported.objects) {
      into.store.put(object.key, Buffer.from(object.body, 'base64'), { contentType: object.contentType, headers: object.headers ?? {}, metadata: object.metadata ?? {} }, object.etag || undefined);
    }
    report.buckets!.push({ name: into.bucket.friendlyName, objects: exported.objects.length });
  }
  return report;
}

export interface ResetReport {
  tables: { name: string; items: number }[];
  users: number;
  /** Objects deleted per bucket, when the sandbox serves buckets. */
  buckets?: { name: string; objects: number }[];
}

/**
 * Empties the sandbox: deletes every item of every table and every user of the pool (their sessions with them), as
 * `--reset` does at start but while it runs. Straight to DynamoDB: no resolver runs and no subscription fires.
 */
export async function resetState(target: StateSource): Promise<ResetReport> {
  const report: ResetReport = { tables: [], users: 0 };
  for (const table of target.description.tables) {
    const keyNames = table.keySchema.map((key) => key.attributeName);
    let deleted = 0;
    let start: Item | undefined;
    do {
      const page = await target.dynamodb.send(
        new ScanCommand({ TableName: table.name, ExclusiveStartKey: start, ConsistentRead: true, ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name])) }),
      );
      const keys = page.Items ?? [];
      for (let i = 0; i < keys.length; i += 25) {
        let requests: WriteRequest[] = keys.slice(i, i + 25).map((key) => ({ DeleteRequest: { Key: key } }));
        while (requests.length > 0) {
          const out = await target.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table.name]: requests } }));
          requests = out.UnprocessedItems?.[table.name] ?? [];
        }
      }
      deleted += keys.length;
      start = page.LastEvaluatedKey;
    } while (start);
    report.tables.push({ name: table.name, items: deleted });
  }
  for (const user of target.userPool.store.all()) {
    target.userPool.store.delete(user.username);
    report.users++;
  }
  const served = servedBuckets(target);
  if (served.length > 0) report.buckets = [];
  for (const { bucket, store } of served) {
    const keys = store.keys();
    for (const key of keys) store.delete(key);
    report.buckets!.push({ name: bucket.friendlyName, objects: keys.length });
  }
  return report;
}

/** Writes `state` as a folder (created if missing; files of an earlier export are replaced). */
export function writeStateDirectory(directory: string, state: SandboxState): void {
  mkdirSync(join(directory, 'tables'), { recursive: true });
  const fileOf = (table: SandboxState['tables'][number]) => `${(table.model ?? table.name).replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`;
  for (const table of state.tables) {
    writeFileSync(join(directory, 'tables', fileOf(table)), table.items.map((item) => `${JSON.stringify(item)}\n`).join(''));
  }
  writeFileSync(join(directory, 'users.json'), `${JSON.stringify(state.users, null, 1)}\n`);
  const bucketFile = (bucket: StateBucket) => `buckets/${bucket.name.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`;
  if (state.buckets !== undefined) mkdirSync(join(directory, 'buckets'), { recursive: true });
  for (const bucket of state.buckets ?? []) {
    writeFileSync(join(directory, bucketFile(bucket)), bucket.objects.map((object) => `${JSON.stringify(object)}\n`).join(''));
  }
  const { tables, users: _users, buckets, ...manifest } = state;
  const listing = tables.map((table) => ({ ...(table.model ? { model: table.model } : {}), name: table.name, file: `tables/${fileOf(table)}`, items: table.items.length }));
  const bucketListing = buckets?.map((bucket) => ({ name: bucket.name, bucketName: bucket.bucketName, file: bucketFile(bucket), objects: bucket.objects.length }));
  writeFileSync(join(directory, MANIFEST), `${JSON.stringify({ ...manifest, tables: listing, ...(bucketListing ? { buckets: bucketListing } : {}) }, null, 1)}\n`);
}

/** The non-empty lines of a JSON-lines file, parsed. */
function readJsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Reads a folder written by `writeStateDirectory`. */
export function readStateDirectory(directory: string): SandboxState {
  let manifest: { tables?: { model?: string; name: string; file: string }[]; buckets?: { name: string; bucketName: string; file: string }[] } & Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(join(directory, MANIFEST), 'utf8')) as typeof manifest;
  } catch (error) {
    throw new Error(`${directory} holds no sandbox state (${MANIFEST}: ${(error as Error).message})`, { cause: error });
  }
  if (!Array.isArray(manifest.tables)) throw new Error(`${join(directory, MANIFEST)} lists no tables`);
  const files = new Set(readdirSync(join(directory, 'tables')).map((file) => `tables/${file}`));
  const tables = manifest.tables.map(({ model, name, file }) => {
    if (!files.has(file)) throw new Error(`${join(directory, MANIFEST)} names ${file}, which is missing`);
    return { ...(model ? { model } : {}), name, items: readJsonLines<Item>(join(directory, file)) };
  });
  const users = JSON.parse(readFileSync(join(directory, 'users.json'), 'utf8')) as StoredUser[];
  const buckets = manifest.buckets?.map(({ name, bucketName, file }): StateBucket => {
    if (!existsSync(join(directory, file))) throw new Error(`${join(directory, MANIFEST)} names ${file}, which is missing`);
    return { name, bucketName, objects: readJsonLines<StateObject>(join(directory, file)) };
  });
  return checkState({ ...manifest, tables, users, ...(buckets ? { buckets } : {}) });
}
