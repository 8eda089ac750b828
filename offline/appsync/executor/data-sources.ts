/**
 * Data source invocation for one resolver or pipeline-function step: the request object the handler produced →
 * `ctx.result`, or a `{type, message, data}` failure for `ctx.error` (e.g. `DynamoDB:ConditionalCheckFailedException`).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LAMBDA_DATA_SOURCE } from '../../errors.js';
import type { DataSourceDescription } from '../../loader/index.js';
import { LambdaInvocationError, type LambdaRunner } from '../../lambda/index.js';
import type { LineLogger } from '../../sandbox/log.js';
import { DataSourceError, executeDynamoDbRequest, type PaginationTokens } from '../dynamodb-data-source/index.js';

export interface DataSourceDependencies {
  dynamodb: DynamoDBClient;
  lambdas: LambdaRunner;
  paginationTokens?: PaginationTokens;
  logger?: LineLogger;
}

export type DataSourceOutcome = { ok: true; result: unknown } | { ok: false; error: { type: string; message: string }; data: unknown };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Calls `source` with a handler's request; `field` (`Type.field`) is the resolver calling it. */
export async function invokeDataSource(source: DataSourceDescription, request: unknown, deps: DataSourceDependencies, field = 'unknown'): Promise<DataSourceOutcome> {
  switch (source.type) {
    case 'NONE':
      // A NONE data source echoes the request's `payload` (what AWS's pub/sub samples rely on).
      return { ok: true, result: isRecord(request) && 'payload' in request ? (request['payload'] ?? null) : null };
    case 'AMAZON_DYNAMODB':
      try {
        return { ok: true, result: await executeDynamoDbRequest(deps.dynamodb, source.tableName, (request ?? null) as object, { paginationTokens: deps.paginationTokens }) };
      } catch (error) {
        if (error instanceof DataSourceError) return { ok: false, error: { type: error.type, message: error.message }, data: error.data ?? null };
        throw error;
      }
    case 'AWS_LAMBDA':
      return invokeLambda(source.functionName, request, deps, field);
  }
}

async function invokeLambda(functionName: string, request: unknown, deps: DataSourceDependencies, field: string): Promise<DataSourceOutcome> {
  if (!isRecord(request)) return { ok: false, error: LAMBDA_DATA_SOURCE.requestNotAnObject, data: null };
  const operation = request['operation'];
  if (operation === 'BatchInvoke') {
    // BatchInvoke (AppSync groups the invocations of one field and sends an array) needs per-level grouping of sibling
    // fields; no resolver of this backend uses it.
    return { ok: false, error: LAMBDA_DATA_SOURCE.batchInvokeNotSupported, data: null };
  }
  if (operation !== 'Invoke') {
    return { ok: false, error: LAMBDA_DATA_SOURCE.unsupportedOperation(operation), data: null };
  }
  // Invoke: the function receives exactly `payload`, not the request object around it.
  const payload = request['payload'] ?? null;
  if (request['invocationType'] === 'Event') {
    deps.lambdas.invoke(functionName, payload, { kind: 'appsync', field }).catch((error: unknown) => deps.logger?.(`lambda ${functionName} (Event) failed: ${(error as Error).message}`, 'warn'));
    return { ok: true, result: null };
  }
  try {
    return { ok: true, result: (await deps.lambdas.invoke(functionName, payload, { kind: 'appsync', field })) ?? null };
  } catch (error) {
    if (error instanceof LambdaInvocationError) {
      return { ok: false, error: LAMBDA_DATA_SOURCE.unhandled(error.lambdaError.errorMessage), data: null };
    }
    return { ok: false, error: LAMBDA_DATA_SOURCE.unhandled((error as Error).message), data: null };
  }
}
