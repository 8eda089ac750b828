/**
 * BatchGetItem / BatchPutItem / BatchDeleteItem across tables named in `tables`.
 * Results (AppSync resolver reference): `data` holds, per table and in request order, the item (get:
 * null when absent; put: the item written; delete: the key deleted), with null where the entry was
 * left unprocessed; `unprocessedKeys`/`unprocessedItems` list, per table, what DynamoDB did not
 * process (always empty against dynalite). AppSync does not retry unprocessed entries.
 */
import { BatchGetItemCommand, BatchWriteItemCommand, DescribeTableCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import type { DynamoDbCallContext } from './context.js';
import { DYNAMODB_MAPPING, mappingTemplateError } from '../../errors.js';
import {
  isRecord,
  keyIdentity,
  mergeExpressionAttributes,
  pickKey,
  readOptionalBoolean,
  readProjection,
  type RequestObject,
} from './request.js';
import { fromAttributeMap, toAttributeMap, type TypedMap } from './values.js';

function readTables(request: RequestObject, operation: string): [string, unknown][] {
  if (!isRecord(request.tables) || Object.keys(request.tables).length === 0) {
    throw mappingTemplateError(DYNAMODB_MAPPING.batchNeedsTables(operation));
  }
  return Object.entries(request.tables);
}

function readList(value: unknown, where: string): TypedMap[] {
  if (!Array.isArray(value)) throw mappingTemplateError(DYNAMODB_MAPPING.notAList(where));
  return value.map((entry, i) => toAttributeMap(entry, `${where}[${i}]`));
}

const keyNamesByClient = new WeakMap<DynamoDBClient, Map<string, Promise<string[]>>>();

/** The table's primary-key attribute names (cached per client; tables keep their key schema). */
export function tableKeyNames(client: DynamoDBClient, table: string): Promise<string[]> {
  let cache = keyNamesByClient.get(client);
  if (!cache) keyNamesByClient.set(client, (cache = new Map()));
  let names = cache.get(table);
  if (!names) {
    names = client
      .send(new DescribeTableCommand({ TableName: table }))
      .then((r) => (r.Table?.KeySchema ?? []).map((k) => k.AttributeName ?? ''));
    names.catch(() => cache.delete(table));
    cache.set(table, names);
  }
  return names;
}

export async function batchGetItem(context: DynamoDbCallContext, request: RequestObject): Promise<unknown> {
  const requested = readTables(request, 'BatchGetItem').map(([table, spec]) => {
    if (!isRecord(spec)) throw mappingTemplateError(DYNAMODB_MAPPING.batchGetNeedsKeys(table));
    const projection = readProjection(spec, `BatchGetItem.tables.${table}`);
    return { table, keys: readList(spec.keys, `BatchGetItem.tables.${table}.keys`), projection, consistentRead: readOptionalBoolean(spec, 'consistentRead', `BatchGetItem.tables.${table}`) };
  });
  const output = await context.client.send(
    new BatchGetItemCommand({
      RequestItems: Object.fromEntries(
        requested.map(({ table, keys, projection, consistentRead }) => [
          table,
          { Keys: keys, ConsistentRead: consistentRead, ...(projection && { ProjectionExpression: projection.expression }), ...mergeExpressionAttributes(projection) },
        ]),
      ),
    }),
  );
  const data: Record<string, unknown[]> = {};
  const unprocessedKeys: Record<string, unknown[]> = {};
  for (const { table, keys } of requested) {
    const found = new Map<string, TypedMap>();
    const keyNames = Object.keys(keys[0] ?? {});
    for (const item of output.Responses?.[table] ?? []) found.set(keyIdentity(table, pickKey(item, keyNames)), item);
    const unprocessed = output.UnprocessedKeys?.[table]?.Keys ?? [];
    data[table] = keys.map((key) => {
      const item = found.get(keyIdentity(table, key));
      return item ? fromAttributeMap(item) : null;
    });
    unprocessedKeys[table] = unprocessed.map(fromAttributeMap);
  }
  return { data, unprocessedKeys };
}

async function batchWrite(
  context: DynamoDbCallContext,
  request: RequestObject,
  operation: 'BatchPutItem' | 'BatchDeleteItem',
): Promise<unknown> {
  const requested = readTables(request, operation).map(([table, entries]) => ({
    table,
    entries: readList(entries, `${operation}.tables.${table}`),
  }));
  const lockIds: string[] = [];
  for (const { table, entries } of requested) {
    const keyNames = operation === 'BatchPutItem' ? await tableKeyNames(context.client, table) : undefined;
    for (const entry of entries) lockIds.push(keyIdentity(table, keyNames ? pickKey(entry, keyNames) : entry));
  }
  const output = await context.locks.with(lockIds, () =>
    context.client.send(
      new BatchWriteItemCommand({
        RequestItems: Object.fromEntries(
          requested.map(({ table, entries }) => [
            table,
            entries.map((entry): WriteRequest => (operation === 'BatchPutItem' ? { PutRequest: { Item: entry } } : { DeleteRequest: { Key: entry } })),
          ]),
        ),
      }),
    ),
  );
  const data: Record<string, unknown[]> = {};
  const unprocessed: Record<string, unknown[]> = {};
  for (const { table, entries } of requested) {
    const left = (output.UnprocessedItems?.[table] ?? []).map((w) => (w.PutRequest?.Item ?? w.DeleteRequest?.Key ?? {}) as TypedMap);
    const leftIds = new Set(left.map((e) => keyIdentity(table, e)));
    data[table] = entries.map((entry) => (leftIds.has(keyIdentity(table, entry)) ? null : fromAttributeMap(entry)));
    unprocessed[table] = left.map(fromAttributeMap);
  }
  return operation === 'BatchPutItem' ? { data, unprocessedItems: unprocessed } : { data, unprocessedKeys: unprocessed };
}

export const batchPutItem = (context: DynamoDbCallContext, request: RequestObject) => batchWrite(context, request, 'BatchPutItem');
export const batchDeleteItem = (context: DynamoDbCallContext, request: RequestObject) => batchWrite(context, request, 'BatchDeleteItem');
