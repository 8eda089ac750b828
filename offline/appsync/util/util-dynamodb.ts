/**
 * `util.dynamodb` conversions to DynamoDB typed values. Outputs match AWS captures (outputs of AppSync's
 * EvaluateCode recorded in `localstack/appsync-utils __tests__/__snapshots__/index.test.js.snap`): numbers stay JSON numbers
 * (`toNumber(1)` → `{"N":1}`), lists become `L` (never sets), `toNull()` → `{"NULL":null}`.
 * VTL additionally has the `…Json` variants returning JSON text.
 */
import { UTIL_FAULTS } from '../../errors.js';
import { isList, isPlainMap } from './values.js';

export type AttributeValue =
  | { S: string }
  | { N: number }
  | { BOOL: boolean }
  | { NULL: null }
  | { L: AttributeValue[] }
  | { M: Record<string, AttributeValue> }
  | { SS: string[] }
  | { NS: number[] }
  | { B: string }
  | { BS: string[] };

export function toDynamoDB(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: null };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (isList(value)) return { L: value.map(toDynamoDB) };
  if (isPlainMap(value)) return { M: toMapValues(value) };
  throw new Error(UTIL_FAULTS.notConvertible(String(value)));
}

export function toMapValues(map: unknown): Record<string, AttributeValue> {
  if (!isPlainMap(map)) throw new Error(UTIL_FAULTS.toMapValuesExpectsMap);
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(map)) if (v !== undefined) out[k] = toDynamoDB(v);
  return out;
}

export interface S3Object {
  key: string;
  bucket: string;
  region: string;
  version?: string;
}

function s3Json(key: string, bucket: string, region: string, version?: string): string {
  const s3: S3Object = { key, bucket, region };
  if (version !== undefined && version !== null) s3.version = version;
  return JSON.stringify({ s3 });
}

/** The typed conversions common to VTL and APPSYNC_JS. */
export const dynamodbUtils = {
  toDynamoDB,
  toString: (s: string): AttributeValue => ({ S: s }),
  toStringSet: (a: string[]): AttributeValue => ({ SS: [...a] }),
  toNumber: (n: number): AttributeValue => ({ N: n }),
  toNumberSet: (a: number[]): AttributeValue => ({ NS: [...a] }),
  toBinary: (b: string): AttributeValue => ({ B: b }),
  toBinarySet: (a: string[]): AttributeValue => ({ BS: [...a] }),
  toBoolean: (b: boolean): AttributeValue => ({ BOOL: b }),
  toNull: (): AttributeValue => ({ NULL: null }),
  toList: (a: unknown[]): AttributeValue => ({ L: a.map(toDynamoDB) }),
  toMap: (o: Record<string, unknown>): AttributeValue => ({ M: toMapValues(o) }),
  toMapValues,
  toS3Object: (key: string, bucket: string, region: string, version?: string): AttributeValue => ({ S: s3Json(key, bucket, region, version) }),
  fromS3ObjectJson: (json: string): S3Object => (JSON.parse(json) as { s3: S3Object }).s3,
};

type JsonVariants = { [K in keyof typeof dynamodbUtils as `${K & string}Json`]: (...args: Parameters<(typeof dynamodbUtils)[K]>) => string };

/** VTL-only `…Json` variants (`$util.dynamodb.toDynamoDBJson(v)` etc.): the same value as JSON text. */
export const dynamodbJsonUtils: Omit<JsonVariants, 'fromS3ObjectJsonJson'> = {
  toDynamoDBJson: (v) => JSON.stringify(toDynamoDB(v)),
  toStringJson: (s) => JSON.stringify(dynamodbUtils.toString(s)),
  toStringSetJson: (a) => JSON.stringify(dynamodbUtils.toStringSet(a)),
  toNumberJson: (n) => JSON.stringify(dynamodbUtils.toNumber(n)),
  toNumberSetJson: (a) => JSON.stringify(dynamodbUtils.toNumberSet(a)),
  toBinaryJson: (b) => JSON.stringify(dynamodbUtils.toBinary(b)),
  toBinarySetJson: (a) => JSON.stringify(dynamodbUtils.toBinarySet(a)),
  toBooleanJson: (b) => JSON.stringify(dynamodbUtils.toBoolean(b)),
  toNullJson: () => JSON.stringify(dynamodbUtils.toNull()),
  toListJson: (a) => JSON.stringify(dynamodbUtils.toList(a)),
  toMapJson: (o) => JSON.stringify(dynamodbUtils.toMap(o)),
  toMapValuesJson: (o) => JSON.stringify(toMapValues(o)),
  toS3ObjectJson: (k, b, r, v) => JSON.stringify(dynamodbUtils.toS3Object(k, b, r, v)),
};
