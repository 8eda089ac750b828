/**
 * The AppSync DynamoDB data source: executes one request object — what a VTL request mapping
 * template (`version` 2017-02-28 / 2018-05-29) renders or an APPSYNC_JS `request` handler returns —
 * against the local DynamoDB and resolves to what AppSync puts in `$ctx.result`. Failures reject with
 * a `DataSourceError` whose `type`/`message` are what AppSync puts in `$ctx.error`.
 *
 * Supported operations: GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan, BatchGetItem,
 * BatchPutItem, BatchDeleteItem, TransactGetItems, TransactWriteItems. `Sync` (conflict detection /
 * DataStore, which Gen 2 model tables do not enable) is refused.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { batchDeleteItem, batchGetItem, batchPutItem } from './batch.js';
import type { DynamoDbCallContext } from './context.js';
import { DYNAMODB_MAPPING, mappingTemplateError } from '../../errors.js';
import { toDataSourceError } from './sdk-errors.js';
import { itemLocksFor } from './item-locks.js';
import { deleteItem, getItem, putItem, updateItem } from './items.js';
import { query, scan } from './listing.js';
import { processPaginationTokens, type PaginationTokens } from './pagination.js';
import { isRecord, type RequestObject } from './request.js';
import { transactGetItems, transactWriteItems } from './transactions.js';

export { DataSourceError } from '../../errors.js';
export { PaginationTokens } from './pagination.js';

export interface ExecuteDynamoDbOptions {
  /** Token sealing key holder; defaults to one random key per process. */
  paginationTokens?: PaginationTokens;
}

type Handler = (context: DynamoDbCallContext, request: RequestObject) => Promise<unknown>;

const HANDLERS: Record<string, Handler> = {
  GetItem: getItem,
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchPutItem: batchPutItem,
  BatchDeleteItem: batchDeleteItem,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
};

/** Versions of the DynamoDB request mapping document AppSync accepts (APPSYNC_JS omits it). */
const VERSIONS = new Set(['2017-02-28', '2018-05-29']);

export async function executeDynamoDbRequest(
  client: DynamoDBClient,
  tableName: string,
  request: object,
  options: ExecuteDynamoDbOptions = {},
): Promise<unknown> {
  if (!isRecord(request)) throw mappingTemplateError(DYNAMODB_MAPPING.requestNotAnObject);
  const { operation, version } = request;
  if (version !== undefined && (typeof version !== 'string' || !VERSIONS.has(version))) {
    throw mappingTemplateError(DYNAMODB_MAPPING.unsupportedVersion(version));
  }
  if (typeof operation !== 'string') throw mappingTemplateError(DYNAMODB_MAPPING.noOperation);
  if (operation === 'Sync') {
    throw mappingTemplateError(DYNAMODB_MAPPING.syncNotSupported);
  }
  const handler = HANDLERS[operation];
  if (!handler) throw mappingTemplateError(DYNAMODB_MAPPING.unsupportedOperation(operation));
  const context: DynamoDbCallContext = {
    client,
    tableName,
    tokens: options.paginationTokens ?? processPaginationTokens,
    locks: itemLocksFor(client),
  };
  try {
    return await handler(context, request);
  } catch (error) {
    throw toDataSourceError(error);
  }
}
