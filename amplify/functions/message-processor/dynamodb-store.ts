import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type CancellationReason,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import { ChatError } from '../../shared/errors';
import type { ConversationEvent, ConversationRecord, MessageAttachment, MessageRecord, MessageStore, NewConversationRecord, NewMessage, WriteOutcome } from './logic';
import { countSend, countSendUpdate, isConditionalCheckFailed, sendRefused, type SendRateLimitConfig } from './send-rate-limiter';

/**
 * MessageStore on DynamoDB directly (the function's role may touch only these items: backend.ts), with events published
 * through AppSync. Items have the shape Amplify's model resolvers read and write (`__typename`, `createdAt`,
 * `updatedAt`), so the participants' queries (getConversation, listConversationMessages, …) return them unchanged.
 *
 * Requests per operation: a send is one GetItem (the conversation) and one TransactWriteItems (rate count, message,
 * conversation's lastMessageAt/preview), plus one more request only when that transaction is cancelled (a retry of a
 * stored message is counted on its own; a later message already moved the conversation on: written without it).
 * On AWS, transactions touching the same conversation at the same moment cancel each other (TransactionConflict):
 * those are tried again a few times, the only case beyond three requests.
 */

export interface DynamoDbStoreOptions {
  client: DynamoDBClient;
  tables: { conversation: string; message: string };
  /** The per-user send limit; null: unlimited. */
  rateLimit: SendRateLimitConfig | null;
  /** Delivers an event (publishConversationEvent). */
  publish(event: ConversationEvent): Promise<void>;
  now?: () => Date;
}

const CANCELLED_BY_CONDITION = 'ConditionalCheckFailed';
/** DynamoDB cancels a transaction that touches an item another transaction is writing at that moment. */
const CANCELLED_BY_CONFLICT = 'TransactionConflict';
/** Attempts of one transaction cancelled only by conflicts (a busy conversation); then the error propagates. */
const CONFLICT_ATTEMPTS = 4;
const conflictBackoffMs = (attempt: number) => 10 * 2 ** attempt * (0.5 + Math.random());

type Item = Record<string, NativeAttributeValue>;

export function conversationOf(item: Item): ConversationRecord {
  return {
    id: String(item['id']),
    participants: Array.isArray(item['participants']) ? (item['participants'] as string[]) : null,
    lastMessageAt: typeof item['lastMessageAt'] === 'string' ? item['lastMessageAt'] : null,
    name: typeof item['name'] === 'string' ? item['name'] : null,
    kind: item['kind'] === 'DIRECT' || item['kind'] === 'GROUP' ? item['kind'] : null,
    owners: Array.isArray(item['owners']) ? (item['owners'] as string[]) : null,
    membershipVersion: typeof item['membershipVersion'] === 'number' ? item['membershipVersion'] : null,
  };
}

/** A stored attachment map (the Attachment type's fields); null when the item has none. */
function attachmentOf(value: unknown): MessageAttachment | null {
  if (!value || typeof value !== 'object') return null;
  const a = value as Item;
  if (typeof a['path'] !== 'string' || typeof a['name'] !== 'string' || typeof a['size'] !== 'number' || typeof a['contentType'] !== 'string') return null;
  return {
    path: a['path'],
    name: a['name'],
    size: a['size'],
    contentType: a['contentType'],
    ...(typeof a['width'] === 'number' && typeof a['height'] === 'number' ? { width: a['width'], height: a['height'] } : {}),
  };
}

export function messageOf(item: Item): MessageRecord {
  const attachment = attachmentOf(item['attachment']);
  return {
    id: String(item['id']),
    conversationId: String(item['conversationId']),
    content: String(item['content']),
    messageType: item['messageType'] as MessageRecord['messageType'],
    sender: String(item['sender']),
    clientMessageId: typeof item['clientMessageId'] === 'string' ? item['clientMessageId'] : null,
    createdAt: String(item['createdAt']),
    editedAt: typeof item['editedAt'] === 'string' ? item['editedAt'] : null,
    updatedAt: String(item['updatedAt'] ?? item['createdAt']),
    ...(typeof item['systemAction'] === 'string'
      ? {
          systemAction: item['systemAction'] as MessageRecord['systemAction'],
          actor: typeof item['actor'] === 'string' ? item['actor'] : null,
          targets: Array.isArray(item['targets']) ? (item['targets'] as string[]) : [],
          role: item['role'] === 'OWNER' || item['role'] === 'MEMBER' ? item['role'] : null,
        }
      : {}),
    ...(typeof item['threadRootId'] === 'string' ? { threadRootId: item['threadRootId'] } : {}),
    ...(typeof item['replyCount'] === 'number'
      ? {
          replyCount: item['replyCount'],
          lastReplyAt: typeof item['lastReplyAt'] === 'string' ? item['lastReplyAt'] : null,
          lastReplySender: typeof item['lastReplySender'] === 'string' ? item['lastReplySender'] : null,
        }
      : {}),
    ...(attachment ? { attachment } : {}),
  };
}

export const attributes = (value: Item) => marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });

/** The reasons of a cancelled transaction, one per item (DynamoDB returns them in order). */
export function reasonsOf(error: unknown): CancellationReason[] | null {
  if (error instanceof TransactionCanceledException || (error as { name?: string } | null)?.name === 'TransactionCanceledException') {
    return (error as TransactionCanceledException).CancellationReasons ?? [];
  }
  return null;
}

const failedCondition = (reason: CancellationReason | undefined) => reason?.Code === CANCELLED_BY_CONDITION;

export function dynamoDbMessageStore(options: DynamoDbStoreOptions): MessageStore {
  const { client, tables, rateLimit } = options;
  const now = options.now ?? (() => new Date());

  const getItem = async (table: string, id: string): Promise<Item | null> => {
    // Strongly consistent: membership and ownership are decided on what is stored now.
    const answer = await client.send(new GetItemCommand({ TableName: table, Key: attributes({ id }), ConsistentRead: true }));
    return answer.Item ? unmarshall(answer.Item) : null;
  };

  /** Message put, if absent; on a failed condition DynamoDB hands back the stored message. */
  const putMessage = (message: NewMessage): TransactWriteItem => ({
    Put: {
      TableName: tables.message,
      Item: attributes({ __typename: 'Message', ...message, clientMessageId: message.clientMessageId ?? undefined, updatedAt: message.createdAt }),
      ConditionExpression: 'attribute_not_exists(id)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  });

  /** lastMessageAt/preview, unless a later message got there first (never backwards when sends race). */
  const touchConversation = (message: NewMessage, preview: string): TransactWriteItem => ({
    Update: {
      TableName: tables.conversation,
      Key: attributes({ id: message.conversationId }),
      UpdateExpression: 'SET lastMessageAt = :at, lastMessagePreview = :preview, updatedAt = :at',
      ConditionExpression: 'attribute_exists(id) AND (attribute_not_exists(lastMessageAt) OR lastMessageAt < :at)',
      ExpressionAttributeValues: attributes({ ':at': message.createdAt, ':preview': preview }),
    },
  });

  /**
   * A reply's root: replyCount + 1, and lastReplyAt/lastReplySender moved to the reply unless a later reply got there
   * first (`forward`; else the count alone). Conditional on the root being a top-level message of the conversation.
   */
  const bumpRoot = (message: NewMessage, rootId: string, forward: boolean): TransactWriteItem => ({
    Update: {
      TableName: tables.message,
      Key: attributes({ id: rootId }),
      UpdateExpression: forward
        ? 'SET replyCount = if_not_exists(replyCount, :zero) + :one, lastReplyAt = :at, lastReplySender = :sender'
        : 'SET replyCount = if_not_exists(replyCount, :zero) + :one',
      ConditionExpression: `attribute_exists(id) AND conversationId = :c AND attribute_not_exists(threadRootId)${forward ? ' AND (attribute_not_exists(lastReplyAt) OR lastReplyAt < :at)' : ''}`,
      ExpressionAttributeValues: attributes({ ':zero': 0, ':one': 1, ':c': message.conversationId, ...(forward ? { ':at': message.createdAt, ':sender': message.sender } : {}) }),
    },
  });

  /**
   * Runs the send transaction. Resolves with the outcome, or with 'conversation' when only the conversation's
   * condition failed (nothing was written).
   */
  const transact = async (items: TransactWriteItem[], at: Date, attempt = 1): Promise<WriteOutcome | 'conversation'> => {
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { kind: 'created' };
    } catch (error) {
      const reasons = reasonsOf(error);
      if (!reasons) throw error;
      // Only conflicts (nothing refused): the same transaction again after a short, jittered wait. The SDK does not
      // retry a cancelled transaction itself. Extra requests happen only here, under contention.
      if (attempt < CONFLICT_ATTEMPTS && reasons.some((r) => r.Code === CANCELLED_BY_CONFLICT) && !reasons.some(failedCondition)) {
        await new Promise((resolve) => setTimeout(resolve, conflictBackoffMs(attempt)));
        return transact(items, at, attempt + 1);
      }
      const offset = rateLimit ? 1 : 0;
      if (rateLimit && failedCondition(reasons[0])) throw sendRefused(rateLimit, at);
      const messageReason = reasons[offset];
      if (failedCondition(messageReason)) {
        return { kind: 'duplicate', existing: messageReason?.Item ? messageOf(unmarshall(messageReason.Item)) : null };
      }
      if (items.length > offset + 1 && failedCondition(reasons[offset + 1])) return 'conversation';
      throw error;
    }
  };

  return {
    async getConversation(id) {
      const item = await getItem(tables.conversation, id);
      return item ? conversationOf(item) : null;
    },

    async getMessage(id) {
      const item = await getItem(tables.message, id);
      return item ? messageOf(item) : null;
    },

    async createConversation(record: NewConversationRecord) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tables.conversation,
            Item: attributes({ __typename: 'Conversation', ...record, name: record.name ?? undefined, updatedAt: record.createdAt }),
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new ChatError('Conflict', `conversation ${record.id} exists`);
        throw error;
      }
    },

    async writeMessage(message, preview) {
      const at = now();
      const counted: TransactWriteItem[] = rateLimit ? [{ Update: countSendUpdate(rateLimit, message.sender, at) }] : [];
      const rootId = message.threadRootId;
      if (rootId) {
        // A reply: the message and its root's counts together; the conversation is not touched (docs/data-model.md).
        const first = await transact([...counted, putMessage(message), bumpRoot(message, rootId, true)], at);
        if (first !== 'conversation') return first;
        // A later reply already moved lastReplyAt on (or the root is gone): the count alone.
        const second = await transact([...counted, putMessage(message), bumpRoot(message, rootId, false)], at);
        if (second === 'conversation') throw new ChatError('NotFound', `message ${rootId} is no longer a thread root of conversation ${message.conversationId}`);
        return second.kind === 'duplicate' ? { kind: 'raced', existing: second.existing } : second;
      }
      const first = await transact([...counted, putMessage(message), touchConversation(message, preview)], at);
      if (first !== 'conversation') return first;
      // A later message already moved the conversation on (or it is gone): the message alone, still counted.
      const second = await transact([...counted, putMessage(message)], at);
      if (second === 'conversation') throw new Error('unreachable: no conversation item in the second transaction');
      // The same message written by a concurrent attempt between the two: that attempt counted and published it.
      return second.kind === 'duplicate' ? { kind: 'raced', existing: second.existing } : second;
    },

    async countAttempt(userId) {
      if (rateLimit) await countSend(client, rateLimit, userId, now());
    },

    async updateMessageContent(id, sender, content, editedAt) {
      try {
        const answer = await client.send(
          new UpdateItemCommand({
            TableName: tables.message,
            Key: attributes({ id }),
            UpdateExpression: 'SET content = :content, editedAt = :editedAt, updatedAt = :editedAt',
            ConditionExpression: 'attribute_exists(id) AND sender = :sender',
            ExpressionAttributeValues: attributes({ ':content': content, ':editedAt': editedAt, ':sender': sender }),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return messageOf(unmarshall(answer.Attributes ?? {}));
      } catch (error) {
        if (isConditionalCheckFailed(error)) return null;
        throw error;
      }
    },

    async deleteMessage(id, sender, threadRootId) {
      if (threadRootId) {
        // A reply: deleted with its root's count decremented, or alone when the root is gone.
        const removeReply: TransactWriteItem = {
          Delete: {
            TableName: tables.message,
            Key: attributes({ id }),
            ConditionExpression: 'attribute_exists(id) AND sender = :sender AND threadRootId = :root',
            ExpressionAttributeValues: attributes({ ':sender': sender, ':root': threadRootId }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        };
        const decrement: TransactWriteItem = {
          Update: {
            TableName: tables.message,
            Key: attributes({ id: threadRootId }),
            UpdateExpression: 'SET replyCount = replyCount - :one',
            ConditionExpression: 'attribute_exists(id) AND replyCount > :zero',
            ExpressionAttributeValues: attributes({ ':one': 1, ':zero': 0 }),
          },
        };
        const old = await getItem(tables.message, id);
        try {
          await client.send(new TransactWriteItemsCommand({ TransactItems: [removeReply, decrement] }));
          return old ? messageOf(old) : null;
        } catch (error) {
          const reasons = reasonsOf(error);
          if (!reasons) throw error;
          // The reply is gone or not theirs: nothing written.
          if (failedCondition(reasons[0])) return null;
          // The root is gone (or its count already 0): the reply alone, below.
          if (!failedCondition(reasons[1])) throw error;
        }
      }
      try {
        const answer = await client.send(
          new DeleteItemCommand({
            TableName: tables.message,
            Key: attributes({ id }),
            ConditionExpression: 'attribute_exists(id) AND sender = :sender',
            ExpressionAttributeValues: attributes({ ':sender': sender }),
            ReturnValues: 'ALL_OLD',
          }),
        );
        return messageOf(unmarshall(answer.Attributes ?? {}));
      } catch (error) {
        if (isConditionalCheckFailed(error)) return null;
        throw error;
      }
    },

    publish: options.publish,
  };
}
