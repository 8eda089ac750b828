/**
 * Request-member readers with the AWS JSON protocol's validation errors: a missing required member is
 * `InvalidParameterException` "1 validation error detected: Value null at 'clientId' failed to satisfy
 * constraint: Member must not be null" (member names in camelCase); a member of the wrong JSON type is a
 * `SerializationException`.
 */
import { minLength, MUST_NOT_BE_NULL, nonStringMapValue, notAStructure, validationError, wrongJsonType } from '../errors.js';

export type Input = Record<string, unknown>;

const camel = (member: string): string => member.charAt(0).toLowerCase() + member.slice(1);

export function asInput(body: unknown): Input {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw notAStructure();
  }
  return body as Input;
}

export function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongJsonType('string', camel(member));
  return value;
}

export function requireString(input: Input, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined) throw validationError(camel(member), MUST_NOT_BE_NULL);
  if (value.length === 0) throw validationError(camel(member), minLength(1), value);
  return value;
}

export function optionalBoolean(input: Input, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongJsonType('boolean', camel(member));
  return value;
}

export function optionalNumber(input: Input, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw wrongJsonType('number', camel(member));
  return value;
}

/** A `map<string,string>` member such as AuthParameters, ChallengeResponses or ClientMetadata. */
export function optionalStringMap(input: Input, member: string): Record<string, string> | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongJsonType('map', camel(member));
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') throw nonStringMapValue(camel(member));
    out[key] = item;
  }
  return out;
}

export function optionalStringList(input: Input, member: string): string[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw wrongJsonType('list of strings', camel(member));
  }
  return value as string[];
}
