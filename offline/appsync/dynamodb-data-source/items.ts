/**
 * Single-item operations: GetItem, PutItem, UpdateItem, DeleteItem.
 * Results (AppSync DynamoDB resolver reference): GetItem → the item or null; PutItem → the item as
 * written; UpdateItem → the item after the update (ReturnValues ALL_NEW); DeleteItem → the deleted
 * item (ALL_OLD), or null when there was none.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDbCallContext } from './context.js';
import { DYNAMODB_MAPPING, mappingTemplateError } from '../../errors.js';
import { toDataSourceError } from './sdk-errors.js';
import {
  keyIdentity,
  mergeExpressionAttributes,
  readExpression,
  readKey,
  readOptionalBoolean,
  readProjection,
  isRecord,
  type Expression,
  type RequestObject,
} from './request.js';
import { fromAttributeMap, sameAttributeValue, toAttributeMap, type TypedMap } from './values.js';

export async function getItem(context: DynamoDbCallContext, request: RequestObject): Promise<unknown> {
  const key = readKey(request, 'GetItem');
  const projection = readProjection(request, 'GetItem');
  const result = await context.client.send(
    new GetItemCommand({
      TableName: context.tableName,
      Key: key,
      ConsistentRead: readOptionalBoolean(request, 'consistentRead', 'GetItem'),
      ...(projection && { ProjectionExpression: projection.expression }),
      ...mergeExpressionAttributes(projection),
    }),
  );
  return result.Item ? fromAttributeMap(result.Item) : null;
}

/** A write's `condition`, with AppSync's extras (`equalsIgnore`, `conditionalCheckFailedHandler`). */
export interface WriteCondition extends Expression {
  equalsIgnore: string[];
}

export function readCondition(request: RequestObject, where: string): WriteCondition | undefined {
  const expression = readExpression(request.condition, `${where}.condition`);
  if (!expression) return undefined;
  const raw = request.condition as Record<string, unknown>;
  const handler = raw.conditionalCheckFailedHandler;
  if (isRecord(handler) && handler.strategy !== undefined && handler.strategy !== 'Reject') {
    throw mappingTemplateError(DYNAMODB_MAPPING.conditionHandlerNotSupported(where, handler.strategy));
  }
  const equalsIgnore = Array.isArray(raw.equalsIgnore) ? raw.equalsIgnore.filter((v): v is string => typeof v === 'string') : [];
  return { ...expression, equalsIgnore };
}

async function currentItem(context: DynamoDbCallContext, key: TypedMap): Promise<TypedMap | undefined> {
  const result = await context.client.send(new GetItemCommand({ TableName: context.tableName, Key: key, ConsistentRead: true }));
  return result.Item;
}

function sameItem(a: TypedMap, b: TypedMap, ignore: readonly string[]): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)].filter((n) => !ignore.includes(n)));
  return [...names].every((n) => sameAttributeValue(a[n], b[n]));
}

/**
 * AppSync's default ("Reject") handling of a failed condition: it re-reads the item; when the item
 * already is what the PutItem wanted (ignoring `equalsIgnore` attributes) the write counts as a
 * success, otherwise the error carries the current item as `data`. Only PutItem has a knowable
 * desired item, so UpdateItem/DeleteItem always reject.
 */
async function onConditionFailed(
  context: DynamoDbCallContext,
  error: ConditionalCheckFailedException,
  key: TypedMap,
  desired: { item: TypedMap; equalsIgnore: string[] } | undefined,
): Promise<unknown> {
  const current = await currentItem(context, key);
  if (desired && current && sameItem(current, desired.item, desired.equalsIgnore)) return fromAttributeMap(current);
  throw toDataSourceError(error, current ? fromAttributeMap(current) : null);
}

export async function putItem(context: DynamoDbCallContext, request: RequestObject): Promise<unknown> {
  const key = readKey(request, 'PutItem');
  const attributeValues =
    request.attributeValues === undefined || request.attributeValues === null
      ? {}
      : toAttributeMap(request.attributeValues, 'PutItem.attributeValues');
  // The key is not repeated in attributeValues by util.dynamodb.put; AppSync merges the two.
  // (`_version` only matters with conflict detection, which Gen 2 model tables do not enable.)
  const item: TypedMap = { ...attributeValues, ...key };
  const condition = readCondition(request, 'PutItem');
  return context.locks.with([keyIdentity(context.tableName, key)], async () => {
    try {
      await context.client.send(
        new PutItemCommand({
          TableName: context.tableName,
          Item: item,
          ...(condition && { ConditionExpression: condition.expression }),
          ...mergeExpressionAttributes(condition),
        }),
      );
    } catch (error) {
      if (condition && error instanceof ConditionalCheckFailedException) {
        return onConditionFailed(context, error, key, { item, equalsIgnore: condition.equalsIgnore });
      }
      throw error;
    }
    return fromAttributeMap(item);
  });
}

export async function updateItem(context: DynamoDbCallContext, request: RequestObject): Promise<unknown> {
  const key = readKey(request, 'UpdateItem');
  const update = readExpression(request.update, 'UpdateItem.update');
  if (!update) throw mappingTemplateError(DYNAMODB_MAPPING.needsUpdate('UpdateItem'));
  const condition = readCondition(request, 'UpdateItem');
  return context.locks.with([keyIdentity(context.tableName, key)], async () => {
    try {
      const result = await context.client.send(
        new UpdateItemCommand({
          TableName: context.tableName,
          Key: key,
          UpdateExpression: update.expression,
          ...(condition && { ConditionExpression: condition.expression }),
          ...mergeExpressionAttributes(update, condition),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes ? fromAttributeMap(result.Attributes) : null;
    } catch (error) {
      if (condition && error instanceof ConditionalCheckFailedException) return onConditionFailed(context, error, key, undefined);
      throw error;
    }
  });
}

export async function deleteItem(context: DynamoDbCallContext, request: RequestObject): Promise<unknown> {
  const key = readKey(request, 'DeleteItem');
  const condition = readCondition(request, 'DeleteItem');
  return context.locks.with([keyIdentity(context.tableName, key)], async () => {
    try {
      const result = await context.client.send(
        new DeleteItemCommand({
          TableName: context.tableName,
          Key: key,
          ...(condition && { ConditionExpression: condition.expression }),
          ...mergeExpressionAttributes(condition),
          ReturnValues: 'ALL_OLD',
        }),
      );
      return result.Attributes ? fromAttributeMap(result.Attributes) : null;
    } catch (error) {
      if (condition && error instanceof ConditionalCheckFailedException) return onConditionFailed(context, error, key, undefined);
      throw error;
    }
  });
}
