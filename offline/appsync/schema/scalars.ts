/**
 * AppSync's custom scalars for graphql-js 16, with AppSync's validation rules
 * (https://docs.aws.amazon.com/appsync/latest/devguide/scalars.html). Invalid values are rejected
 * the way AppSync rejects them: as GraphQL validation/coercion errors, before any resolver runs.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql16';
import { SCALAR } from '../../errors.js';

function stringScalar(name: string, description: string, valid: (value: string) => boolean): GraphQLScalarType {
  const check = (value: unknown): string => {
    if (typeof value !== 'string' || !valid(value)) {
      throw new GraphQLError(SCALAR.invalidValue(name, value));
    }
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: check,
    parseValue: check,
    parseLiteral(ast: ValueNode) {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(SCALAR.notAStringLiteral(name), { nodes: ast });
      return check(ast.value);
    },
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}(:\d{2})?)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{3,}$/;

function validCalendar(value: string): boolean {
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function validIp(value: string): boolean {
  const [address, prefix] = value.split('/');
  if (!address) return false;
  const v4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(address);
  const v6 = !v4 && /^[0-9a-fA-F:]+$/.test(address) && address.includes(':');
  if (!v4 && !v6) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return Number.isInteger(bits) && bits >= 0 && bits <= (v4 ? 32 : 128);
}

export const AWSDate = stringScalar('AWSDate', 'ISO 8601 date', (v) => DATE.test(v) && validCalendar(v));
export const AWSTime = stringScalar('AWSTime', 'ISO 8601 time', (v) => TIME.test(v));
export const AWSDateTime = stringScalar('AWSDateTime', 'ISO 8601 date-time with offset', (v) => DATE_TIME.test(v) && validCalendar(v));
export const AWSEmail = stringScalar('AWSEmail', 'RFC 822 e-mail address', (v) => EMAIL.test(v));
export const AWSPhone = stringScalar('AWSPhone', 'phone number', (v) => PHONE.test(v));
export const AWSIPAddress = stringScalar('AWSIPAddress', 'IPv4 or IPv6 address, optional CIDR prefix', validIp);
export const AWSURL = stringScalar('AWSURL', 'URL with a scheme', (v) => {
  try {
    return new URL(v).protocol.length > 1;
  } catch {
    return false;
  }
});

/** Seconds since the epoch, an integer. */
export const AWSTimestamp = new GraphQLScalarType({
  name: 'AWSTimestamp',
  serialize(value) {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    throw new GraphQLError(SCALAR.invalidValue('AWSTimestamp', value));
  },
  parseValue(value) {
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    throw new GraphQLError(SCALAR.invalidValue('AWSTimestamp', value));
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new GraphQLError(SCALAR.notAnIntLiteral('AWSTimestamp'), { nodes: ast });
    return Number(ast.value);
  },
});

/**
 * JSON carried as a string: inputs are JSON strings parsed into values for resolvers (AppSync hands
 * templates the parsed value); outputs are serialized to a JSON string.
 */
export const AWSJSON = new GraphQLScalarType({
  name: 'AWSJSON',
  serialize(value) {
    return typeof value === 'string' ? value : JSON.stringify(value);
  },
  parseValue(value) {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new GraphQLError(SCALAR.invalidValue('AWSJSON', value));
    }
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(SCALAR.notAStringLiteral('AWSJSON'), { nodes: ast });
    try {
      return JSON.parse(ast.value) as unknown;
    } catch {
      throw new GraphQLError(SCALAR.invalidValue('AWSJSON', ast.value), { nodes: ast });
    }
  },
});

export const APPSYNC_SCALARS = [AWSDate, AWSTime, AWSDateTime, AWSTimestamp, AWSEmail, AWSJSON, AWSURL, AWSPhone, AWSIPAddress];
