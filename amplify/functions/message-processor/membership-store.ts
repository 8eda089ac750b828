import { TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { attributes, reasonsOf } from './dynamodb-store';
import type { MembershipStore, MembershipWrite } from './members';

/**
 * MembershipStore on DynamoDB: one TransactWriteItems per change — the conversation's participants, owners, kind and
 * membership version (conditional on the version read), and each SYSTEM message (conditional on its id being new).
 * Subscriptions are ended through AppSync (invalidateMemberSubscriptions, IAM), given as `invalidate`.
 */
export function dynamoDbMembershipStore(options: {
  client: DynamoDBClient;
  tables: { conversation: string; message: string };
  invalidate(conversationId: string, userId: string): Promise<void>;
}): MembershipStore {
  const { client, tables } = options;
  return {
    async changeMembership(change: MembershipWrite) {
      const version = change.expectedVersion;
      const conversation: TransactWriteItem = {
        Update: {
          TableName: tables.conversation,
          Key: attributes({ id: change.conversationId }),
          UpdateExpression: 'SET participants = :participants, owners = :owners, #kind = :kind, membershipVersion = :next, updatedAt = :at',
          ConditionExpression: version === null ? 'attribute_exists(id) AND attribute_not_exists(membershipVersion)' : 'attribute_exists(id) AND membershipVersion = :read',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: attributes({
            ':participants': change.participants,
            ':owners': change.owners,
            ':kind': change.kind,
            ':next': (version ?? 0) + 1,
            ':at': change.at,
            ...(version === null ? {} : { ':read': version }),
          }),
        },
      };
      const messages: TransactWriteItem[] = change.messages.map((message) => ({
        Put: {
          TableName: tables.message,
          Item: attributes({ __typename: 'Message', ...message, clientMessageId: undefined, updatedAt: message.createdAt }),
          ConditionExpression: 'attribute_not_exists(id)',
        },
      }));
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: [conversation, ...messages] }));
        return true;
      } catch (error) {
        const reasons = reasonsOf(error);
        // Another change moved the version (or wrote at the same moment): the caller reads again and re-plans.
        if (reasons && (reasons[0]?.Code === 'ConditionalCheckFailed' || reasons.some((r) => r.Code === 'TransactionConflict'))) return false;
        throw error;
      }
    },
    invalidate: options.invalidate,
  };
}
