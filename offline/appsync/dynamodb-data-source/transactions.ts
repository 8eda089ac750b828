/**
 * TransactGetItems and TransactWriteItems, emulated (dynalite has neither).
 *
 * TransactWriteItems is all-or-nothing like DynamoDB's: under item locks shared with every write of
 * this data source, each item's condition is evaluated first (by a no-op conditional write of the
 * item's current state); any failure cancels the transaction with
 * `DynamoDB:TransactionCanceledException` and per-item `cancellationReasons` (in request order,
 * `None` where that item was fine). Otherwise the writes are applied in order; if one fails, the
 * items already written are restored from their snapshots. Readers that bypass the locks (plain
 * GetItem/Query) can observe a half-applied transaction — DynamoDB's isolation is stronger there.
 *
 * Results (AppSync resolver reference): TransactGetItems → `{ items: [item|null], cancellationReasons: null }`;
 * TransactWriteItems → `{ keys: [key], cancellationReasons: null }`; on cancellation the error's
 * `data` is `{ keys: null, cancellationReasons: [{ type, message, item? }] }`.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDbCallContext } from './context.js';
import {
  CONDITIONAL_REQUEST_FAILED,
  DYNAMODB_MAPPING,
  dynamoDbValidationError,
  mappingTemplateError,
  TRANSACTION_SAME_ITEM_TWICE,
  transactionCancelled,
  transactItemsLength,
  type DataSourceError,
} from '../../errors.js';
import { toDataSourceError } from './sdk-errors.js';
import { readCondition, type WriteCondition } from './items.js';
import {
  isRecord,
  keyIdentity,
  mergeExpressionAttributes,
  readExpression,
  readKey,
  readProjection,
  restrictToExpression,
  type Expression,
  type RequestObject,
} from './request.js';
import { fromAttributeMap, toAttributeMap, type TypedMap } from './values.js';

/** DynamoDB's limit on actions per transaction. */
const MAX_TRANSACT_ITEMS = 100;

function readTransactItems(request: RequestObject, operation: string): RequestObject[] {
  const items = request.transactItems;
  if (!Array.isArray(items)) throw mappingTemplateError(DYNAMODB_MAPPING.transactNeedsItems(operation));
  if (items.length === 0 || items.length > MAX_TRANSACT_ITEMS) {
    throw dynamoDbValidationError(transactItemsLength(MAX_TRANSACT_ITEMS));
  }
  return items.map((item, i) => {
    if (!isRecord(item) || typeof item.table !== 'string') throw mappingTemplateError(DYNAMODB_MAPPING.transactItemNeedsTable(operation, i));
    return item;
  });
}

export async function transactGetItems(context: DynamoDbCallContext, request: RequestObject): Promise<unknown> {
  const specs = readTransactItems(request, 'TransactGetItems').map((item, i) => ({
    table: item.table as string,
    key: readKey(item, `TransactGetItems.transactItems[${i}]`),
    projection: readProjection(item, `TransactGetItems.transactItems[${i}]`),
  }));
  // The locks give a snapshot consistent with concurrent (emulated) transactions and writes.
  const items = await context.locks.with(
    specs.map((s) => keyIdentity(s.table, s.key)),
    () =>
      Promise.all(
        specs.map(async ({ table, key, projection }) => {
          const output = await context.client.send(
            new GetItemCommand({
              TableName: table,
              Key: key,
              ConsistentRead: true,
              ...(projection && { ProjectionExpression: projection.expression }),
              ...mergeExpressionAttributes(projection),
            }),
          );
          return output.Item ? fromAttributeMap(output.Item) : null;
        }),
      ),
  );
  return { items, cancellationReasons: null };
}

interface WriteAction {
  table: string;
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheck';
  key: TypedMap;
  item?: TypedMap;
  update?: Expression;
  condition?: WriteCondition;
  returnItemOnFailure: boolean;
}

function readWriteAction(item: RequestObject, i: number): WriteAction {
  const where = `TransactWriteItems.transactItems[${i}]`;
  const operation = item.operation;
  if (operation !== 'PutItem' && operation !== 'UpdateItem' && operation !== 'DeleteItem' && operation !== 'ConditionCheck') {
    throw mappingTemplateError(DYNAMODB_MAPPING.transactBadOperation(where));
  }
  const key = readKey(item, where);
  const condition = readCondition(item, where);
  const returnItemOnFailure = !(isRecord(item.condition) && item.condition.returnValuesOnConditionCheckFailure === false);
  const action: WriteAction = { table: item.table as string, operation, key, condition, returnItemOnFailure };
  if (operation === 'PutItem') {
    const values = item.attributeValues === undefined || item.attributeValues === null ? {} : toAttributeMap(item.attributeValues, `${where}.attributeValues`);
    action.item = { ...values, ...key };
  } else if (operation === 'UpdateItem') {
    action.update = readExpression(item.update, `${where}.update`);
    if (!action.update) throw mappingTemplateError(DYNAMODB_MAPPING.needsUpdate(where));
  } else if (operation === 'ConditionCheck' && !condition) {
    throw mappingTemplateError(DYNAMODB_MAPPING.conditionCheckNeedsCondition(where));
  }
  return action;
}

interface CancellationReason {
  type: string;
  message: string | null;
  item?: unknown;
}

function cancelled(reasons: CancellationReason[]): DataSourceError {
  return transactionCancelled(reasons);
}

/** Evaluates the condition alone against the item's current state, changing nothing. */
async function checkCondition(context: DynamoDbCallContext, action: WriteAction, snapshot: TypedMap | undefined): Promise<void> {
  if (!action.condition) return;
  const condition = restrictToExpression(action.condition);
  const attributes = { ConditionExpression: condition.expression, ...mergeExpressionAttributes(condition) };
  // Rewriting the identical item, or deleting an absent one, is a no-op whose condition DynamoDB evaluates.
  if (snapshot) await context.client.send(new PutItemCommand({ TableName: action.table, Item: snapshot, ...attributes }));
  else await context.client.send(new DeleteItemCommand({ TableName: action.table, Key: action.key, ...attributes }));
}

async function apply(context: DynamoDbCallContext, action: WriteAction): Promise<void> {
  const condition = action.condition && { ConditionExpression: action.condition.expression };
  if (action.operation === 'PutItem') {
    await context.client.send(
      new PutItemCommand({ TableName: action.table, Item: action.item, ...condition, ...mergeExpressionAttributes(action.condition) }),
    );
  } else if (action.operation === 'UpdateItem' && action.update) {
    await context.client.send(
      new UpdateItemCommand({
        TableName: action.table,
        Key: action.key,
        UpdateExpression: action.update.expression,
        ...condition,
        ...mergeExpressionAttributes(action.update, action.condition),
      }),
    );
  } else if (action.operation === 'DeleteItem') {
    await context.client.send(
      new DeleteItemCommand({ TableName: action.table, Key: action.key, ...condition, ...mergeExpressionAttributes(action.condition) }),
    );
  }
}

async function restore(context: DynamoDbCallContext, action: WriteAction, snapshot: TypedMap | undefined): Promise<void> {
  if (snapshot) await context.client.send(new PutItemCommand({ TableName: action.table, Item: snapshot }));
  else await context.client.send(new DeleteItemCommand({ TableName: action.table, Key: action.key }));
}

export async function transactWriteItems(context: DynamoDbCallContext, request: RequestObject): Promise<unknown> {
  const actions = readTransactItems(request, 'TransactWriteItems').map(readWriteAction);
  const ids = actions.map((a) => keyIdentity(a.table, a.key));
  if (new Set(ids).size !== ids.length) throw dynamoDbValidationError(TRANSACTION_SAME_ITEM_TWICE);

  return context.locks.with(ids, async () => {
    const snapshots = await Promise.all(
      actions.map(async (a) => (await context.client.send(new GetItemCommand({ TableName: a.table, Key: a.key, ConsistentRead: true }))).Item),
    );
    const reasons: CancellationReason[] = [];
    for (const [i, action] of actions.entries()) {
      const snapshot = snapshots[i];
      try {
        await checkCondition(context, action, snapshot);
        reasons.push({ type: 'None', message: null });
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw toDataSourceError(error);
        reasons.push({
          type: 'ConditionalCheckFailed',
          message: CONDITIONAL_REQUEST_FAILED,
          ...(action.returnItemOnFailure && snapshot && { item: fromAttributeMap(snapshot) }),
        });
      }
    }
    if (reasons.some((r) => r.type !== 'None')) throw cancelled(reasons);

    const applied: number[] = [];
    try {
      for (const [i, action] of actions.entries()) {
        await apply(context, action);
        applied.push(i);
      }
    } catch (error) {
      for (const i of applied.reverse()) await restore(context, actions[i] as WriteAction, snapshots[i]);
      throw toDataSourceError(error);
    }
    return { keys: actions.map((a) => fromAttributeMap(a.key)), cancellationReasons: null };
  });
}
