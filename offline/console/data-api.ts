/**
 * The console's Data API: the backend's tables with their keys and indexes; Query (table or index), Scan with a filter,
 * paging by `LastEvaluatedKey`; get, put and delete one item. Requests and items use DynamoDB's own parameter names
 * and typed attribute values (`{ "S": "…" }`, `{ "N": "1" }`, …), so what works here works in the AWS SDK.
 *
 * Writes go straight to DynamoDB: no resolver runs and no subscription fires (the console says so next to them).
 */
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { BackendDescription, TableDescription } from '../loader/index.js';
import { consoleBadRequest, consoleNotFound } from '../errors.js';
import { ConsoleFailure, driven, optionalObject, type Route } from './http.js';
import type { ConsoleTable } from './api-types.js';

/** Items per page when the request does not say (DynamoDB's own default is "up to 1 MB"). */
const DEFAULT_PAGE = 25;
const MAX_PAGE = 1000;

type Item = Record<string, AttributeValue>;

function pageSize(body: Record<string, unknown>): number {
  const limit = body['Limit'];
  if (limit === undefined) return DEFAULT_PAGE;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new ConsoleFailure(consoleBadRequest(`Limit must be an integer from 1 to ${MAX_PAGE}.`));
  }
  return limit;
}

function stringOrUndefined(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ConsoleFailure(consoleBadRequest(`${field} must be a string.`));
  return value;
}

/** What Query and Scan share: index, filter, projection, expression names and values, paging. */
function readParameters(body: Record<string, unknown>) {
  return {
    IndexName: stringOrUndefined(body, 'IndexName'),
    FilterExpression: stringOrUndefined(body, 'FilterExpression'),
    ProjectionExpression: stringOrUndefined(body, 'ProjectionExpression'),
    ExpressionAttributeNames: optionalObject(body, 'ExpressionAttributeNames') as Record<string, string> | undefined,
    ExpressionAttributeValues: optionalObject(body, 'ExpressionAttributeValues') as Item | undefined,
    ExclusiveStartKey: optionalObject(body, 'ExclusiveStartKey') as Item | undefined,
    Limit: pageSize(body),
  };
}

/** A page of a Query or Scan, as the console answers it. */
function pageOf(out: { Items?: Item[]; Count?: number; LastEvaluatedKey?: Item }) {
  return { Items: out.Items ?? [], Count: out.Count ?? 0, ...(out.LastEvaluatedKey ? { LastEvaluatedKey: out.LastEvaluatedKey } : {}) };
}

function requiredItem(body: Record<string, unknown>, field: 'Item' | 'Key'): Item {
  const value = optionalObject(body, field);
  if (value === undefined) throw new ConsoleFailure(consoleBadRequest(`${field} is required: attribute name → typed value, e.g. {"id": {"S": "…"}}.`));
  return value as Item;
}

export type { ConsoleTable };

/**
 * The table's items counted now (a COUNT scan, page by page): DescribeTable's ItemCount is refreshed by DynamoDB only
 * every few hours, and the local DynamoDB does not keep it at all, so it would say 0 for a table that holds items.
 */
async function countItems(client: DynamoDBClient, tableName: string): Promise<number> {
  let count = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: start }));
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

export function dataRoutes(client: DynamoDBClient, description: () => BackendDescription): Route[] {
  const table = (name: string): TableDescription => {
    const found = description().tables.find((t) => t.name === name || t.model === name);
    if (!found) throw new ConsoleFailure(consoleNotFound(`table ${name} in this backend`));
    return found;
  };
  return [
    {
      method: 'GET',
      path: '/api/tables',
      handler: async () =>
        Promise.all(
          description().tables.map(async (t): Promise<ConsoleTable> => {
            const itemCount = await countItems(client, t.name).catch(() => undefined);
            return {
              name: t.name,
              ...(t.model ? { model: t.model } : {}),
              keySchema: t.keySchema,
              attributeDefinitions: t.attributeDefinitions,
              globalSecondaryIndexes: t.globalSecondaryIndexes,
              localSecondaryIndexes: t.localSecondaryIndexes,
              ...(itemCount !== undefined ? { itemCount } : {}),
            };
          }),
        ),
    },
    {
      method: 'POST',
      path: '/api/tables/:table/query',
      handler: async ({ params, body }) => {
        const input = await body();
        const keyCondition = stringOrUndefined(input, 'KeyConditionExpression');
        if (keyCondition === undefined) throw new ConsoleFailure(consoleBadRequest('KeyConditionExpression is required (a scan reads the whole table).'));
        const out = await driven(() =>
          client.send(
            new QueryCommand({
              TableName: table(params['table']!).name,
              KeyConditionExpression: keyCondition,
              ScanIndexForward: input['ScanIndexForward'] === false ? false : undefined,
              ...readParameters(input),
            }),
          ),
        );
        return pageOf(out);
      },
    },
    {
      method: 'POST',
      path: '/api/tables/:table/scan',
      handler: async ({ params, body }) => {
        const input = await body();
        const out = await driven(() => client.send(new ScanCommand({ TableName: table(params['table']!).name, ...readParameters(input) })));
        return pageOf(out);
      },
    },
    {
      method: 'POST',
      path: '/api/tables/:table/get',
      handler: async ({ params, body }) => {
        const key = requiredItem(await body(), 'Key');
        const out = await driven(() => client.send(new GetItemCommand({ TableName: table(params['table']!).name, Key: key, ConsistentRead: true })));
        if (!out.Item) throw new ConsoleFailure(consoleNotFound('item with that key'));
        return { Item: out.Item };
      },
    },
    {
      method: 'PUT',
      path: '/api/tables/:table/items',
      handler: async ({ params, body }) => {
        const item = requiredItem(await body(), 'Item');
        await driven(() => client.send(new PutItemCommand({ TableName: table(params['table']!).name, Item: item })));
        return { Item: item };
      },
    },
    {
      method: 'POST',
      path: '/api/tables/:table/delete',
      handler: async ({ params, body }) => {
        const key = requiredItem(await body(), 'Key');
        const out = await driven(() => client.send(new DeleteItemCommand({ TableName: table(params['table']!).name, Key: key, ReturnValues: 'ALL_OLD' })));
        if (!out.Attributes) throw new ConsoleFailure(consoleNotFound('item with that key'));
        return { Deleted: out.Attributes };
      },
    },
  ];
}
