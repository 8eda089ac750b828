/**
 * Errors a DynamoDB data source hands to the resolver: AppSync sets `$ctx.error` to
 * `{ type: 'DynamoDB:<ExceptionName>', message }`, the message carrying the Java SDK's suffix
 * "(Service: DynamoDb, Status Code: 400, Request ID: …)". Malformed request objects fail before
 * any call with AppSync's `MappingTemplate` error type.
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';

export class DataSourceError extends Error {
  /**
   * @param type e.g. `DynamoDB:ConditionalCheckFailedException`, `MappingTemplate`.
   * @param data What AppSync still exposes with the error: the current item for a rejected
   *   condition check, `{ keys: null, cancellationReasons }` for a cancelled transaction.
   */
  constructor(
    readonly type: string,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'DataSourceError';
  }
}

export function mappingTemplateError(message: string): DataSourceError {
  return new DataSourceError('MappingTemplate', message);
}

/** AppSync's rendering of a DynamoDB service error message. */
export function appSyncMessage(message: string, statusCode = 400): string {
  return `${message} (Service: DynamoDb, Status Code: ${statusCode}, Request ID: null)`;
}

export function toDataSourceError(error: unknown, data?: unknown): DataSourceError {
  if (error instanceof DataSourceError) return error;
  if (error instanceof DynamoDBServiceException) {
    return new DataSourceError(
      `DynamoDB:${error.name}`,
      appSyncMessage(error.message, error.$metadata.httpStatusCode ?? 400),
      data,
    );
  }
  // Transport failures (the local endpoint closed, connection refused) have no DynamoDB name.
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new DataSourceError(`DynamoDB:${name === 'Error' ? 'DynamoDbException' : name}`, message, data);
}

/** AppSync's answer to a nextToken it did not issue or that was altered (observed, amplify-cli#3411). */
export function invalidPaginationTokenError(): DataSourceError {
  return new DataSourceError(
    'DynamoDB:UserIllegalArgumentException',
    'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
  );
}
