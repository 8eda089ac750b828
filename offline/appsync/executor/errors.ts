/**
 * AppSync's error objects: execution errors carry `path`, `data`, `errorType`, `errorInfo`,
 * `locations[{line, column, sourceName: null}]` and `message` at the top level (not under `extensions`);
 * validation errors carry `path: null`, `locations` and `message` only.
 */
import type { GraphQLError, SourceLocation } from 'graphql16';
import type { ResolverErrorInfo } from '../util/index.js';

export interface AppSyncLocation {
  line: number;
  column: number;
  sourceName: null;
}

export interface AppSyncErrorEntry {
  path: (string | number)[] | null;
  data?: unknown;
  errorType?: string | null;
  errorInfo?: unknown;
  locations: AppSyncLocation[] | null;
  message: string;
}

/** Thrown by field resolvers; graphql-js nulls the field and keeps it as `originalError`. */
export class FieldFailure extends Error {
  constructor(readonly info: ResolverErrorInfo) {
    super(info.message);
    this.name = 'FieldFailure';
  }
}

export function locationsOf(locations: readonly SourceLocation[] | undefined): AppSyncLocation[] | null {
  return locations ? locations.map((l) => ({ line: l.line, column: l.column, sourceName: null })) : null;
}

export function validationError(error: GraphQLError): AppSyncErrorEntry {
  return { path: null, locations: locationsOf(error.locations) ?? [], message: error.message };
}

export function executionError(error: GraphQLError): AppSyncErrorEntry {
  const failure = error.originalError instanceof FieldFailure ? error.originalError.info : undefined;
  return {
    path: error.path ? [...error.path] : null,
    data: failure ? failure.data : null,
    errorType: failure ? failure.errorType : null,
    errorInfo: failure ? failure.errorInfo : null,
    locations: locationsOf(error.locations),
    message: failure ? failure.message : error.message,
  };
}
