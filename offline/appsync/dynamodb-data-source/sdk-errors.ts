/**
 * Errors a DynamoDB data source hands to the resolver: AppSync sets `$ctx.error` to
 * `{ type: 'DynamoDB:<ExceptionName>', message }`, the message carrying the Java SDK's suffix
 * "(Service: DynamoDb, Status Code: 400, Request ID: …)". The error shape (`DataSourceError`) and the texts are in
 * the error catalogue, offline/errors.ts; this module maps what the AWS SDK throws onto that shape.
 */
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { appSyncMessage, DataSourceError } from '../../errors.js';

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
