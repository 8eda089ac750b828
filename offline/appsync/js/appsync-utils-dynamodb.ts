/**
 * `@aws-appsync/utils/dynamodb` helpers: build DynamoDB data-source request objects.
 * AWS-captured shapes: `get({key:{id:"id"}})` → `{"operation":"GetItem","key":{"id":{"S":"id"}}}`;
 * `put` does not repeat the key in `attributeValues`; `update` with `operations.increment(10)` →
 * `SET #expName_1 = #expName_1 + :expValue_1`; `scan` passes its options through.
 * Unconfirmed (no AWS capture of them): query key-condition placeholders (`#pk = :pk_eq AND …` here),
 * the `, ` joiner between several updates, `remove`/`updateListItem` encodings, projection naming.
 */
import { JS_DYNAMODB_FAULTS } from '../../errors.js';
import { buildDynamoDBExpression, type DynamoDBExpression } from '../util/filter-expression.js';
import { toDynamoDB, toMapValues, type AttributeValue } from '../util/util-dynamodb.js';
import { isPlainMap, type PlainMap } from '../util/values.js';

type Options = PlainMap;

export const operations = {
  add: (value: unknown) => ({ type: 'OPERATION_ADD', value }),
  remove: () => ({ type: 'OPERATION_REMOVE' }),
  replace: (value: unknown) => ({ type: 'OPERATION_REPLACE', value }),
  increment: (by: number) => ({ type: 'OPERATION_INCREMENT', by }),
  decrement: (by: number) => ({ type: 'OPERATION_DECREMENT', by }),
  append: (items: unknown[]) => ({ type: 'OPERATION_APPEND', items }),
  prepend: (items: unknown[]) => ({ type: 'OPERATION_PREPEND', items }),
  updateListItem: (item: unknown, index: number) => ({ type: 'OPERATION_UPDATE_LIST_ITEM', items: item, index }),
};

function expression(filter: unknown, what: string): DynamoDBExpression {
  const expr = buildDynamoDBExpression(filter);
  if (!expr) throw new TypeError(JS_DYNAMODB_FAULTS.invalidExpression(what));
  return expr;
}

const CONDITION_EXTRAS = ['equalsIgnore', 'consistentRead', 'conditionalCheckFailedHandler', 'returnValuesOnConditionCheckFailure'];

function condition(input: unknown): PlainMap | undefined {
  if (input === undefined || input === null) return undefined;
  if (!isPlainMap(input)) throw new TypeError(JS_DYNAMODB_FAULTS.notAnObject('condition'));
  const filter = Object.fromEntries(Object.entries(input).filter(([k]) => !CONDITION_EXTRAS.includes(k)));
  const out: PlainMap = { ...expression(filter, 'condition') };
  if (Object.keys(out['expressionValues'] as PlainMap).length === 0) delete out['expressionValues'];
  for (const k of CONDITION_EXTRAS) if (input[k] !== undefined) out[k] = input[k];
  return out;
}

function filterExpression(input: unknown): PlainMap | undefined {
  if (input === undefined || input === null) return undefined;
  const out: PlainMap = { ...expression(input, 'filter') };
  if (Object.keys(out['expressionValues'] as PlainMap).length === 0) delete out['expressionValues'];
  return out;
}

function projection(fields: unknown): PlainMap | undefined {
  if (!Array.isArray(fields)) return undefined;
  const names: Record<string, string> = {};
  const parts = fields.map((f) => {
    const path = String(f)
      .split('.')
      .map((segment) => {
        names[`#${segment}`] = segment;
        return `#${segment}`;
      });
    return path.join('.');
  });
  return { expression: parts.join(','), expressionNames: names };
}

function defined(obj: PlainMap): PlainMap {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}

function key(input: unknown): Record<string, AttributeValue> {
  return toMapValues(input);
}

export function get(input: Options) {
  return defined({ operation: 'GetItem', key: key(input['key']), consistentRead: input['consistentRead'], projection: projection(input['projection']) });
}

export function put(input: Options) {
  return defined({
    operation: 'PutItem',
    key: key(input['key']),
    attributeValues: toMapValues(input['item'] ?? {}),
    condition: condition(input['condition']),
    customPartitionKey: input['customPartitionKey'],
    populateIndexFields: input['populateIndexFields'],
    _version: input['_version'],
  });
}

function updateExpression(update: unknown): DynamoDBExpression {
  if (!isPlainMap(update)) throw new TypeError(JS_DYNAMODB_FAULTS.notAnObject('update'));
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  let i = 0;
  for (const [field, raw] of Object.entries(update)) {
    i += 1;
    const n = `#expName_${i}`;
    const v = `:expValue_${i}`;
    names[n] = field;
    const op = isPlainMap(raw) && typeof raw['type'] === 'string' && raw['type'].startsWith('OPERATION_') ? raw : { type: 'OPERATION_REPLACE', value: raw };
    switch (op['type']) {
      case 'OPERATION_ADD':
      case 'OPERATION_REPLACE':
        values[v] = toDynamoDB(op['value']);
        set.push(`${n} = ${v}`);
        break;
      case 'OPERATION_INCREMENT':
        values[v] = toDynamoDB(op['by']);
        set.push(`${n} = ${n} + ${v}`);
        break;
      case 'OPERATION_DECREMENT':
        values[v] = toDynamoDB(op['by']);
        set.push(`${n} = ${n} - ${v}`);
        break;
      case 'OPERATION_APPEND':
        values[v] = toDynamoDB(op['items']);
        set.push(`${n} = list_append(${n}, ${v})`);
        break;
      case 'OPERATION_PREPEND':
        values[v] = toDynamoDB(op['items']);
        set.push(`${n} = list_append(${v}, ${n})`);
        break;
      case 'OPERATION_UPDATE_LIST_ITEM':
        values[v] = toDynamoDB(op['items']);
        set.push(`${n}[${Number(op['index'])}] = ${v}`);
        break;
      case 'OPERATION_REMOVE':
        remove.push(n);
        break;
      default:
        throw new TypeError(JS_DYNAMODB_FAULTS.unknownUpdateOperation(String(op['type'])));
    }
  }
  const clauses = [set.length ? `SET ${set.join(', ')}` : '', remove.length ? `REMOVE ${remove.join(', ')}` : ''].filter(Boolean);
  return { expression: clauses.join(' '), expressionNames: names, expressionValues: values };
}

export function update(input: Options) {
  const expr: PlainMap = { ...updateExpression(input['update']) };
  if (Object.keys(expr['expressionValues'] as PlainMap).length === 0) delete expr['expressionValues'];
  return defined({
    operation: 'UpdateItem',
    key: key(input['key']),
    update: expr,
    condition: condition(input['condition']),
    customPartitionKey: input['customPartitionKey'],
    populateIndexFields: input['populateIndexFields'],
    _version: input['_version'],
  });
}

export function remove(input: Options) {
  return defined({
    operation: 'DeleteItem',
    key: key(input['key']),
    condition: condition(input['condition']),
    customPartitionKey: input['customPartitionKey'],
    populateIndexFields: input['populateIndexFields'],
    _version: input['_version'],
  });
}

const KEY_OPERATORS: Record<string, string> = { eq: '=', lt: '<', le: '<=', gt: '>', ge: '>=' };

function keyCondition(query: unknown): DynamoDBExpression {
  if (!isPlainMap(query)) throw new TypeError(JS_DYNAMODB_FAULTS.notAnObject('query'));
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  for (const [field, ops] of Object.entries(query)) {
    if (!isPlainMap(ops)) throw new TypeError(JS_DYNAMODB_FAULTS.notAnOperatorObject(field));
    names[`#${field}`] = field;
    for (const [op, value] of Object.entries(ops)) {
      const v = `:${field}_${op}`;
      if (op in KEY_OPERATORS) {
        values[v] = toDynamoDB(value);
        parts.push(`#${field} ${KEY_OPERATORS[op]} ${v}`);
      } else if (op === 'beginsWith') {
        values[v] = toDynamoDB(value);
        parts.push(`begins_with(#${field}, ${v})`);
      } else if (op === 'between' && Array.isArray(value) && value.length >= 2) {
        values[`${v}_0`] = toDynamoDB(value[0]);
        values[`${v}_1`] = toDynamoDB(value[1]);
        parts.push(`#${field} BETWEEN ${v}_0 AND ${v}_1`);
      } else throw new TypeError(JS_DYNAMODB_FAULTS.unsupportedKeyOperator(op));
    }
  }
  return { expression: parts.join(' AND '), expressionNames: names, expressionValues: values };
}

export function query(input: Options) {
  return defined({
    operation: 'Query',
    query: keyCondition(input['query']),
    index: input['index'],
    nextToken: input['nextToken'],
    limit: input['limit'],
    scanIndexForward: input['scanIndexForward'],
    consistentRead: input['consistentRead'],
    select: input['select'],
    filter: filterExpression(input['filter']),
    projection: projection(input['projection']),
  });
}

export function scan(input: Options = {}) {
  const { filter, projection: fields, ...rest } = input;
  return defined({ operation: 'Scan', ...rest, filter: filterExpression(filter), projection: projection(fields) });
}

export function sync(input: Options = {}) {
  const { filter, ...rest } = input;
  return defined({ operation: 'Sync', ...rest, filter: filterExpression(filter) });
}

function tables(input: Options): PlainMap {
  const t = input['tables'];
  if (!isPlainMap(t)) throw new TypeError(JS_DYNAMODB_FAULTS.notAnObject('tables'));
  return t;
}

export function batchGet(input: Options) {
  const out: PlainMap = {};
  for (const [table, spec] of Object.entries(tables(input))) {
    const s = Array.isArray(spec) ? { keys: spec } : isPlainMap(spec) ? spec : {};
    out[table] = defined({ keys: ((s['keys'] as unknown[]) ?? []).map(key), consistentRead: s['consistentRead'], projection: projection(s['projection']) });
  }
  return { operation: 'BatchGetItem', tables: out };
}

export function batchPut(input: Options) {
  const out: PlainMap = {};
  for (const [table, items] of Object.entries(tables(input))) out[table] = (Array.isArray(items) ? items : []).map((i) => toMapValues(i));
  return { operation: 'BatchPutItem', tables: out };
}

export function batchDelete(input: Options) {
  const out: PlainMap = {};
  for (const [table, keys] of Object.entries(tables(input))) out[table] = (Array.isArray(keys) ? keys : []).map(key);
  return { operation: 'BatchDeleteItem', tables: out };
}

export function transactGet(input: Options) {
  const items = Array.isArray(input['items']) ? input['items'] : [];
  return {
    operation: 'TransactGetItems',
    transactItems: items.map((i: unknown) => {
      const item = isPlainMap(i) ? i : {};
      return defined({ table: item['table'], key: key(item['key']), projection: projection(item['projection']) });
    }),
  };
}

export function transactWrite(input: Options) {
  const items = Array.isArray(input['items']) ? input['items'] : [];
  return {
    operation: 'TransactWriteItems',
    transactItems: items.map((i: unknown) => {
      const item = isPlainMap(i) ? i : {};
      const [kind, spec] = Object.entries(item)[0] ?? [];
      const s = isPlainMap(spec) ? spec : {};
      const base = { table: s['table'], key: key(s['key']) };
      switch (kind) {
        case 'putItem':
          return defined({ ...base, operation: 'PutItem', attributeValues: toMapValues(s['item'] ?? {}), condition: condition(s['condition']) });
        case 'updateItem': {
          const expr: PlainMap = { ...updateExpression(s['update']) };
          if (Object.keys(expr['expressionValues'] as PlainMap).length === 0) delete expr['expressionValues'];
          return defined({ ...base, operation: 'UpdateItem', update: expr, condition: condition(s['condition']) });
        }
        case 'deleteItem':
          return defined({ ...base, operation: 'DeleteItem', condition: condition(s['condition']) });
        case 'conditionCheck':
          return defined({ ...base, operation: 'ConditionCheck', condition: condition(s['condition']) });
        default:
          throw new TypeError(JS_DYNAMODB_FAULTS.transactWriteItemKind);
      }
    }),
  };
}

/** The `@aws-appsync/utils/dynamodb` module (host side; the sandbox calls it through JSON). */
export const dynamodbModule = { get, put, update, remove, query, scan, sync, batchGet, batchPut, batchDelete, transactGet, transactWrite, operations };
