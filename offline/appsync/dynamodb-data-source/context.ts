/** What every DynamoDB operation handler receives. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ItemLocks } from './item-locks.js';
import type { PaginationTokens } from './pagination.js';

export interface DynamoDbCallContext {
  client: DynamoDBClient;
  /** The data source's table (single-table operations). */
  tableName: string;
  tokens: PaginationTokens;
  locks: ItemLocks;
}
