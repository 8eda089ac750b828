import { DeleteItemCommand, PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { reactionKeyOf, type ReactionStore } from './reactions';
import { isConditionalCheckFailed } from './send-rate-limiter';

/**
 * ReactionStore on the Reaction model's table (key `messageId` + `reactionKey` = `<emoji>#<userId>`). Items have the
 * shape Amplify's model resolvers read (`__typename`, `createdAt`, `updatedAt`). A toggle is one conditional PutItem
 * (or a PutItem and a DeleteItem when it removes), then one strongly consistent Query of the emoji's key range.
 */
export function dynamoDbReactionStore(client: DynamoDBClient, table: string): ReactionStore {
  const attributes = (value: Record<string, unknown>) => marshall(value, { removeUndefinedValues: true });
  return {
    async add(reaction) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: table,
            Item: attributes({ __typename: 'Reaction', ...reaction, updatedAt: reaction.createdAt }),
            ConditionExpression: 'attribute_not_exists(messageId)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },

    async remove({ messageId, emoji, userId }) {
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: table,
            Key: attributes({ messageId, reactionKey: reactionKeyOf(emoji, userId) }),
            ConditionExpression: 'attribute_exists(messageId)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw error;
      }
    },

    async usersOf(messageId, emoji) {
      const users: string[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const answer = await client.send(
          new QueryCommand({
            TableName: table,
            ConsistentRead: true,
            KeyConditionExpression: 'messageId = :m AND begins_with(reactionKey, :prefix)',
            ExpressionAttributeValues: attributes({ ':m': messageId, ':prefix': `${emoji}#` }),
            ProjectionExpression: 'userId',
            ExclusiveStartKey: start,
          }),
        );
        for (const item of answer.Items ?? []) users.push(String(unmarshall(item)['userId']));
        start = answer.LastEvaluatedKey;
      } while (start);
      return users;
    },
  };
}
