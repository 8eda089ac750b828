/**
 * AppSync "typed values" (request side) and plain JSON (result side).
 *
 * Request objects carry DynamoDB-typed values as `$util.dynamodb.toDynamoDB*` / `util.dynamodb.*`
 * produce them, where numbers may be JSON numbers (`{"N": 10}`) rather than DynamoDB's strings;
 * binary values are base64 strings. Results are what AppSync's DynamoDB resolver puts in
 * `$ctx.result`: numbers as JSON numbers, sets as lists, binary as base64 strings, NULL as null.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DYNAMODB_MAPPING, mappingTemplateError } from '../../errors.js';

export type TypedMap = Record<string, AttributeValue>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberString(value: unknown, where: string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  throw mappingTemplateError(DYNAMODB_MAPPING.notANumber(where, value));
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw mappingTemplateError(DYNAMODB_MAPPING.notAStringList(where));
  }
  return value as string[];
}

export function toAttributeValue(value: unknown, where: string): AttributeValue {
  if (!isRecord(value)) throw mappingTemplateError(DYNAMODB_MAPPING.notATypedValue(where, value));
  const entries = Object.entries(value);
  if (entries.length !== 1) throw mappingTemplateError(DYNAMODB_MAPPING.notOneTypeKey(where, value));
  const [type, inner] = entries[0] as [string, unknown];
  switch (type) {
    case 'S':
      if (typeof inner !== 'string') throw mappingTemplateError(DYNAMODB_MAPPING.wrongTypedValue('a string', 'S', where));
      return { S: inner };
    case 'N':
      return { N: numberString(inner, where) };
    case 'BOOL':
      if (typeof inner !== 'boolean') throw mappingTemplateError(DYNAMODB_MAPPING.wrongTypedValue('a boolean', 'BOOL', where));
      return { BOOL: inner };
    case 'NULL':
      return { NULL: true };
    case 'B':
      if (typeof inner !== 'string') throw mappingTemplateError(DYNAMODB_MAPPING.wrongTypedValue('a base64 string', 'B', where));
      return { B: Buffer.from(inner, 'base64') };
    case 'SS':
      return { SS: stringList(inner, where) };
    case 'NS':
      if (!Array.isArray(inner)) throw mappingTemplateError(DYNAMODB_MAPPING.wrongTypedValue('a list', 'NS', where));
      return { NS: inner.map((n, i) => numberString(n, `${where}.NS[${i}]`)) };
    case 'BS':
      return { BS: stringList(inner, where).map((b) => Buffer.from(b, 'base64')) };
    case 'L':
      if (!Array.isArray(inner)) throw mappingTemplateError(DYNAMODB_MAPPING.wrongTypedValue('a list', 'L', where));
      return { L: inner.map((v, i) => toAttributeValue(v, `${where}[${i}]`)) };
    case 'M':
      return { M: toAttributeMap(inner, where) };
    default:
      throw mappingTemplateError(DYNAMODB_MAPPING.unknownType(type, where));
  }
}

export function toAttributeMap(value: unknown, where: string): TypedMap {
  if (!isRecord(value)) throw mappingTemplateError(DYNAMODB_MAPPING.notATypedMap(where));
  const out: TypedMap = {};
  for (const [name, typed] of Object.entries(value)) out[name] = toAttributeValue(typed, `${where}.${name}`);
  return out;
}

export function fromAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64');
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(Number);
  if (value.BS !== undefined) return value.BS.map((b) => Buffer.from(b).toString('base64'));
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  if (value.M !== undefined) return fromAttributeMap(value.M);
  return null;
}

export function fromAttributeMap(map: TypedMap): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(map)) out[name] = fromAttributeValue(value);
  return out;
}

/** Structural equality of DynamoDB values (set order ignored), for AppSync's condition-failure check. */
export function sameAttributeValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const sortedJson = (v: unknown): string => JSON.stringify(v);
  const normalise = (v: AttributeValue): unknown => {
    if (v.N !== undefined) return { N: Number(v.N) };
    if (v.NS !== undefined) return { NS: v.NS.map(Number).sort((x, y) => x - y) };
    if (v.SS !== undefined) return { SS: [...v.SS].sort() };
    if (v.B !== undefined) return { B: Buffer.from(v.B).toString('base64') };
    if (v.BS !== undefined) return { BS: v.BS.map((x) => Buffer.from(x).toString('base64')).sort() };
    if (v.L !== undefined) return { L: v.L.map(normalise) };
    if (v.M !== undefined) {
      return { M: Object.fromEntries(Object.keys(v.M).sort().map((k) => [k, normalise(v.M![k] as AttributeValue)])) };
    }
    return v;
  };
  return sortedJson(normalise(a)) === sortedJson(normalise(b));
}
