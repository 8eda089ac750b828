/**
 * `util.transform.toDynamoDBFilterExpression` / `toDynamoDBConditionExpression`.
 *
 * Output format follows the AWS captures recorded in `localstack/appsync-utils`
 * (`__tests__/__snapshots__/transform.test.js.snap`, recorded from AWS via EvaluateCode):
 * - each operator renders as `(#f = :f_eq)`, functions without a space after the comma
 *   (`(contains(#title,:title_contains))`), several operators on one field are wrapped together;
 * - top-level keys are joined with ` AND ` without wrapping; `and`/`or` groups of two or more members
 *   are wrapped, a single member is not; `not` renders `(NOT …)`;
 * - value placeholders carry every nesting level (`:and_0_or_1_b_eq`, `:not_id_between_start`);
 * - **only the values the expression uses** are returned (`attributeExists` adds none); the stock
 *   amplify-appsync-simulator returns none for conditions (and the generator emits unused ones), which DynamoDB refuses;
 * - input AWS cannot render (unknown operator, `between` with one bound, `and` not a list, …) gives
 *   `null` instead of an error; templates then raise their own error.
 * Both return JSON text, like AppSync.
 */
import { toDynamoDB, type AttributeValue } from './util-dynamodb.js';
import { isPlainMap } from './values.js';

class Unrenderable extends Error {}

interface Accumulator {
  names: Record<string, string>;
  values: Record<string, AttributeValue>;
}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' };
const FUNCTIONS: Record<string, string> = { contains: 'contains', notContains: 'NOT contains', beginsWith: 'begins_with' };
const ATTRIBUTE_TYPES: Record<string, string> = {
  _null: 'NULL',
  string: 'S',
  stringSet: 'SS',
  number: 'N',
  numberSet: 'NS',
  binary: 'B',
  binarySet: 'BS',
  boolean: 'BOOL',
  list: 'L',
  map: 'M',
};

function renderObject(filter: unknown, prefix: string, acc: Accumulator): string {
  if (!isPlainMap(filter)) throw new Unrenderable();
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'and' || key === 'or') parts.push(renderGroup(value, key, prefix, acc));
    else if (key === 'not') {
      if (!isPlainMap(value)) throw new Unrenderable();
      parts.push(`(NOT ${renderObject(value, `${prefix}not_`, acc)})`);
    } else parts.push(renderField(key, value, prefix, acc));
  }
  return parts.join(' AND ');
}

function renderGroup(members: unknown, op: 'and' | 'or', prefix: string, acc: Accumulator): string {
  if (!Array.isArray(members)) throw new Unrenderable();
  const rendered = members.map((m, i) => {
    if (!isPlainMap(m)) throw new Unrenderable();
    return renderObject(m, `${prefix}${op}_${i}_`, acc);
  });
  if (rendered.length <= 1) return rendered[0] ?? '';
  return `(${rendered.join(op === 'and' ? ' AND ' : ' OR ')})`;
}

function joinConditions(conditions: string[]): string {
  const wrapped = conditions.map((c) => (c === '' ? '' : `(${c})`));
  return wrapped.length <= 1 ? (wrapped[0] ?? '') : `(${wrapped.join(' AND ')})`;
}

function renderField(name: string, operators: unknown, prefix: string, acc: Accumulator): string {
  if (!isPlainMap(operators)) throw new Unrenderable();
  acc.names[`#${name}`] = name;
  const path = `#${name}`;
  const base = `:${prefix}${name}`;
  return joinConditions(Object.entries(operators).map(([op, v]) => renderOperator(path, base, op, v, acc)));
}

function renderOperator(path: string, base: string, op: string, value: unknown, acc: Accumulator): string {
  const placeholder = (suffix: string, v: unknown): string => {
    const key = `${base}_${suffix}`;
    acc.values[key] = toDynamoDB(v);
    return key;
  };
  if (op in COMPARISONS) return `${path} ${COMPARISONS[op]} ${placeholder(op, value)}`;
  if (op in FUNCTIONS) return `${FUNCTIONS[op]}(${path},${placeholder(op, value)})`;
  switch (op) {
    case 'between': {
      if (!Array.isArray(value) || value.length < 2) throw new Unrenderable();
      return `${path} BETWEEN ${placeholder('between_start', value[0])} AND ${placeholder('between_end', value[1])}`;
    }
    case 'in': {
      if (!Array.isArray(value)) throw new Unrenderable();
      if (value.length === 0) return 'null';
      return `${path} IN (${value.map((v, i) => placeholder(`in_${i}`, v)).join(', ')})`;
    }
    case 'attributeExists':
      if (typeof value !== 'boolean') throw new Unrenderable();
      return value ? `attribute_exists(${path})` : `attribute_not_exists(${path})`;
    case 'attributeType': {
      const code = typeof value === 'string' ? ATTRIBUTE_TYPES[value] : undefined;
      if (!code) throw new Unrenderable();
      return `attribute_type(${path},${placeholder('attributeType', code)})`;
    }
    case 'size': {
      if (!isPlainMap(value)) throw new Unrenderable();
      // `size` of `size` names the value again but does not nest the call (AWS capture).
      const sizePath = path.startsWith('size(') ? path : `size(${path})`;
      const conditions = Object.entries(value).map(([o, v]) => renderOperator(sizePath, `${base}_size`, o, v, acc));
      return conditions.length === 1 ? conditions[0]! : conditions.filter((c) => c !== '').map((c) => `(${c})`).join(' AND ');
    }
    default:
      throw new Unrenderable();
  }
}

export interface DynamoDBExpression {
  expression: string;
  expressionNames: Record<string, string>;
  expressionValues: Record<string, AttributeValue>;
}

/** The expression object, or null when AWS would not render the input. */
export function buildDynamoDBExpression(filter: unknown): DynamoDBExpression | null {
  const acc: Accumulator = { names: {}, values: {} };
  try {
    const expression = renderObject(filter, '', acc);
    return { expression, expressionNames: acc.names, expressionValues: acc.values };
  } catch (e) {
    if (e instanceof Unrenderable) return null;
    throw e;
  }
}

/** `util.transform.toDynamoDBFilterExpression(filter)`: JSON text, or null. */
export function toDynamoDBFilterExpression(filter: unknown): string | null {
  const expr = buildDynamoDBExpression(filter);
  return expr ? JSON.stringify(expr) : null;
}

/** `util.transform.toDynamoDBConditionExpression(condition)`: same rendering (AWS output identical for shared inputs). */
export function toDynamoDBConditionExpression(condition: unknown): string | null {
  return toDynamoDBFilterExpression(condition);
}
