/**
 * Reading AppSync DynamoDB request objects (VTL `2017-02-28`/`2018-05-29` or APPSYNC_JS): the
 * shared pieces — keys, expressions and how their names/values merge into one DynamoDB request.
 * AppSync merges the `expressionNames`/`expressionValues` of every expression of a request into the
 * single `ExpressionAttributeNames`/`ExpressionAttributeValues` maps DynamoDB takes; DynamoDB then
 * rejects values or names that are undefined or unused ("Value provided in ExpressionAttributeValues
 * unused in expressions"), which dynalite reproduces.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_MAPPING, mappingTemplateError } from '../../errors.js';
import { sameAttributeValue, toAttributeMap, toAttributeValue, type TypedMap } from './values.js';

export type RequestObject = Record<string, unknown>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface Expression {
  expression: string;
  names: Record<string, string>;
  values: TypedMap;
}

export function readKey(request: RequestObject, where: string, field = 'key'): TypedMap {
  const key = request[field];
  if (!isRecord(key) || Object.keys(key).length === 0) {
    throw mappingTemplateError(DYNAMODB_MAPPING.needsTypedValues(where, field));
  }
  return toAttributeMap(key, `${where}.${field}`);
}

/** An optional expression object; `null`/absent means none. */
export function readExpression(value: unknown, where: string, options: { values?: boolean } = {}): Expression | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw mappingTemplateError(DYNAMODB_MAPPING.expressionNotAnObject(where));
  if (typeof value.expression !== 'string') throw mappingTemplateError(DYNAMODB_MAPPING.mustBe(`${where}.expression`, 'a string'));
  const names: Record<string, string> = {};
  if (value.expressionNames !== undefined && value.expressionNames !== null) {
    if (!isRecord(value.expressionNames)) throw mappingTemplateError(DYNAMODB_MAPPING.mustBe(`${where}.expressionNames`, 'a map of strings'));
    for (const [placeholder, name] of Object.entries(value.expressionNames)) {
      if (typeof name !== 'string') throw mappingTemplateError(DYNAMODB_MAPPING.mustBe(`${where}.expressionNames.${placeholder}`, 'a string'));
      names[placeholder] = name;
    }
  }
  let values: TypedMap = {};
  if (value.expressionValues !== undefined && value.expressionValues !== null) {
    if (options.values === false) throw mappingTemplateError(DYNAMODB_MAPPING.noExpressionValues(where));
    values = toAttributeMap(value.expressionValues, `${where}.expressionValues`);
  }
  return { expression: value.expression, names, values };
}

/** Merged names/values of several expressions, in DynamoDB's shape (absent when empty). */
export function mergeExpressionAttributes(...expressions: (Expression | undefined)[]): {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
} {
  const names: Record<string, string> = {};
  const values: TypedMap = {};
  for (const e of expressions) {
    if (!e) continue;
    for (const [k, v] of Object.entries(e.names)) {
      if (k in names && names[k] !== v) throw mappingTemplateError(DYNAMODB_MAPPING.definedTwice('name', k));
      names[k] = v;
    }
    for (const [k, v] of Object.entries(e.values)) {
      if (k in values && !sameAttributeValue(values[k], v)) {
        throw mappingTemplateError(DYNAMODB_MAPPING.definedTwice('value', k));
      }
      values[k] = v;
    }
  }
  return {
    ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
    ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
  };
}

/** Only the names/values an expression mentions (for evaluating one expression on its own). */
export function restrictToExpression(e: Expression): Expression {
  const mentioned = new Set(e.expression.match(/[#:][A-Za-z0-9_]+/g) ?? []);
  return {
    expression: e.expression,
    names: Object.fromEntries(Object.entries(e.names).filter(([k]) => mentioned.has(k))),
    values: Object.fromEntries(Object.entries(e.values).filter(([k]) => mentioned.has(k))),
  };
}

export function readOptionalBoolean(request: RequestObject, field: string, where: string): boolean | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw mappingTemplateError(DYNAMODB_MAPPING.mustBe(`${where}.${field}`, 'a boolean'));
  return value;
}

export function readOptionalInteger(request: RequestObject, field: string, where: string): number | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw mappingTemplateError(DYNAMODB_MAPPING.mustBe(`${where}.${field}`, 'an integer'));
  return value;
}

export function readOptionalString(request: RequestObject, field: string, where: string): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw mappingTemplateError(DYNAMODB_MAPPING.mustBe(`${where}.${field}`, 'a string'));
  return value;
}

/** A projection `{ expression, expressionNames }` (no values, per DynamoDB). */
export function readProjection(request: RequestObject, where: string): Expression | undefined {
  return readExpression(request.projection, `${where}.projection`, { values: false });
}

/** A canonical identity of a key (attribute order and number spelling do not matter). */
export function keyIdentity(table: string, key: TypedMap): string {
  const canonical = Object.keys(key)
    .sort()
    .map((name) => {
      const v = key[name] as AttributeValue;
      return [name, v.N !== undefined ? { N: String(Number(v.N)) } : v.B !== undefined ? { B: Buffer.from(v.B).toString('base64') } : v];
    });
  return `${table}\u0000${JSON.stringify(canonical)}`;
}

export function pickKey(item: TypedMap, attributeNames: readonly string[]): TypedMap {
  const key: TypedMap = {};
  for (const name of attributeNames) {
    const value = item[name];
    if (value !== undefined) key[name] = value;
  }
  return key;
}

export { toAttributeValue };
