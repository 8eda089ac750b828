/**
 * Request-member readers with the AWS JSON protocol's validation errors: a missing required member is
 * `InvalidParameterException` "1 validation error detected: Value null at 'clientId' failed to satisfy
 * constraint: Member must not be null" (member names in camelCase); a member of the wrong JSON type is a
 * `SerializationException`.
 */
import { CognitoError, validationError } from '../errors.js';

export type Input = Record<string, unknown>;

const camel = (member: string): string => member.charAt(0).toLowerCase() + member.slice(1);

export function asInput(body: unknown): Input {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new CognitoError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return body as Input;
}

export function optionalString(input: Input, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new CognitoError('SerializationException', `Expected string for ${camel(member)}`);
  return value;
}

export function requireString(input: Input, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined) throw validationError(camel(member), 'Member must not be null');
  if (value.length === 0) throw validationError(camel(member), 'Member must have length greater than or equal to 1', value);
  return value;
}

export function optionalBoolean(input: Input, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new CognitoError('SerializationException', `Expected boolean for ${camel(member)}`);
  return value;
}

export function optionalNumber(input: Input, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CognitoError('SerializationException', `Expected number for ${camel(member)}`);
  return value;
}

/** A `map<string,string>` member such as AuthParameters, ChallengeResponses or ClientMetadata. */
export function optionalStringMap(input: Input, member: string): Record<string, string> | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new CognitoError('SerializationException', `Expected map for ${camel(member)}`);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') throw new CognitoError('SerializationException', `Expected string values in ${camel(member)}`);
    out[key] = item;
  }
  return out;
}

export function optionalStringList(input: Input, member: string): string[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new CognitoError('SerializationException', `Expected list of strings for ${camel(member)}`);
  }
  return value as string[];
}
