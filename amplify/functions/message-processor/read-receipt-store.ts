import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ReadPointRecord, ReadPointStore } from './read-receipts';
import { isConditionalCheckFailed } from './send-rate-limiter';

/**
 * ReadPointStore on the ReadReceipt model's table (key `conversationId` + `userId`). Items have the shape Amplify's
 * model resolvers read (`__typename`, `createdAt`, `updatedAt`), and no participants: a move also removes those that
 * items written before (docs/data-model.md) still carry. A move is one UpdateItem conditioned on the stored
 * point being older (or absent), so concurrent calls from several devices end on the newest point whatever their
 * order; a refused write is followed by one strongly consistent GetItem.
 */
export function dynamoDbReadPointStore(client: DynamoDBClient, table: string): ReadPointStore {
  const attributes = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true });
  return {
    async advance(point) {
      const key = attributes({ conversationId: point.conversationId, userId: point.userId });
      try {
        const answer = await client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: key,
            UpdateExpression: 'SET #t = :t, messageId = :m, readAt = :r, updatedAt = :u, createdAt = if_not_exists(createdAt, :u) REMOVE participants',
            ConditionExpression: 'attribute_not_exists(readAt) OR readAt < :r',
            ExpressionAttributeNames: { '#t': '__typename' },
            ExpressionAttributeValues: attributes({ ':t': 'ReadReceipt', ':m': point.messageId, ':r': point.readAt, ':u': point.updatedAt }),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { stored: answer.Attributes ? recordOf(unmarshall(answer.Attributes)) : point, moved: true };
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
      }
      const current = await client.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true }));
      if (!current.Item) throw new Error(`read point ${point.conversationId}/${point.userId} refused but absent`);
      return { stored: recordOf(unmarshall(current.Item)), moved: false };
    },
  };
}

function recordOf(item: Record<string, unknown>): ReadPointRecord {
  return {
    conversationId: String(item['conversationId']),
    userId: String(item['userId']),
    messageId: String(item['messageId']),
    readAt: String(item['readAt']),
    updatedAt: String(item['updatedAt']),
  };
}
