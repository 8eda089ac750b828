import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { env } from '$amplify/env/message-processor';
import { appSyncGraphql } from '../shared/appsync';
import { INVALIDATE_MEMBER_SUBSCRIPTIONS, PUBLISH_CONVERSATION_EVENT } from '../shared/documents';
import type { AmplifyResolverEvent } from '../shared/event';
import { userPoolCaller } from '../shared/identity';
import { ChatError } from '../../shared/errors';
import { dynamoDbMessageStore } from './dynamodb-store';
import { dynamoDbReactionStore } from './reaction-store';
import { toggleReaction } from './reactions';
import { dynamoDbReadPointStore } from './read-receipt-store';
import { markRead } from './read-receipts';
import { addMembers, leaveConversation, removeMember, setMemberRole } from './members';
import { dynamoDbMembershipStore } from './membership-store';
import { createConversation, sendTyping, type CreateConversationInput, type SendMessageInput } from './logic';
import { editMessageIndexed, removeMessageIndexed, searchMessages, sendMessageIndexed } from './search';
import { dynamoDbSearchIndexStore } from './search-store';
import { sendRateLimitFromEnvironment } from './send-rate-limiter';
import { s3AttachmentStore, type AttachmentObjectStore } from './attachment-store';
import { attachmentMover, getAttachmentUrls, removeAttachmentOf } from './attachments';

type Arguments = {
  input?: SendMessageInput & CreateConversationInput;
  messageId?: string;
  messageIds?: string[];
  content?: string;
  conversationId?: string;
  typing?: boolean;
  emoji?: string;
  reacted?: boolean | null;
  query?: string;
  conversationIds?: string[] | null;
  limit?: number | null;
  nextToken?: string | null;
  userId?: string;
  userIds?: string[];
  role?: string;
};

/** A name the function's environment must carry: a table (amplify/backend.ts) or the bucket (defineStorage). */
function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (amplify/backend.ts and amplify/storage/resource.ts set it)`);
  return value;
}

/** One DynamoDB client and store per Lambda container; the tables and the limit come from backend.ts. */
const client = new DynamoDBClient({});
const reactions = dynamoDbReactionStore(client, setting('REACTION_TABLE_NAME'));
const readPoints = dynamoDbReadPointStore(client, setting('READ_RECEIPT_TABLE_NAME'));
const searchIndex = dynamoDbSearchIndexStore(client, setting('SEARCH_INDEX_TABLE_NAME'));
const tables = { conversation: setting('CONVERSATION_TABLE_NAME'), message: setting('MESSAGE_TABLE_NAME') };
const store = dynamoDbMessageStore({
  client,
  tables,
  rateLimit: sendRateLimitFromEnvironment(process.env),
  // The only AppSync request of the function: the event, every field selected, through IAM.
  publish: async (event) => {
    const graphql = await appSyncGraphql(env);
    await graphql(PUBLISH_CONVERSATION_EVENT, { event });
  },
});

const members = dynamoDbMembershipStore({
  client,
  tables,
  invalidate: async (conversationId, userId) => {
    const graphql = await appSyncGraphql(env);
    await graphql(INVALIDATE_MEMBER_SUBSCRIPTIONS, { conversationId, userId });
  },
});

/**
 * The attachments bucket (defineStorage's CHAT_ATTACHMENTS_BUCKET_NAME, which Amplify resolves from SSM when the
 * function starts), read on first use.
 */
let bucketObjects: AttachmentObjectStore | undefined;
const objects = (): AttachmentObjectStore => (bucketObjects ??= s3AttachmentStore(new S3Client({}), setting('CHAT_ATTACHMENTS_BUCKET_NAME')));
const files = attachmentMover({
  head: (key) => objects().head(key),
  read: (key, bytes) => objects().read(key, bytes),
  copy: (from, to, contentType) => objects().copy(from, to, contentType),
  remove: (key) => objects().remove(key),
  sign: (key, response, expires, at) => objects().sign(key, response, expires, at),
});

/**
 * AppSync Lambda resolver for Mutation.createConversation, sendMessage, editMessage, removeMessage, sendTyping,
 * toggleReaction, markRead, addMembers, removeMember, setMemberRole and leaveConversation, and Query.searchMessages and
 * getAttachmentUrls.
 */
export const handler = async (event: AmplifyResolverEvent<Arguments>) => {
  const caller = userPoolCaller(event.identity);
  const args = event.arguments ?? {};
  switch (event.fieldName) {
    case 'createConversation':
      if (!args.input) throw new ChatError('ValidationError', 'input is required');
      return createConversation(store, caller, args.input);
    case 'sendMessage':
      if (!args.input) throw new ChatError('ValidationError', 'input is required');
      return sendMessageIndexed(store, searchIndex, caller, args.input, undefined, files);
    case 'editMessage':
      return editMessageIndexed(store, searchIndex, caller, { messageId: args.messageId ?? '', content: args.content ?? '' });
    case 'removeMessage': {
      const removed = await removeMessageIndexed(store, searchIndex, caller, { messageId: args.messageId ?? '' });
      await removeAttachmentOf(files, removed);
      return removed;
    }
    case 'getAttachmentUrls':
      return getAttachmentUrls(store, objects(), caller, { conversationId: args.conversationId, messageIds: args.messageIds });
    case 'sendTyping':
      return sendTyping(store, caller, { conversationId: args.conversationId, typing: args.typing });
    case 'toggleReaction':
      return toggleReaction(store, reactions, caller, { conversationId: args.conversationId, messageId: args.messageId, emoji: args.emoji, reacted: args.reacted });
    case 'markRead':
      return markRead(store, readPoints, caller, { conversationId: args.conversationId, messageId: args.messageId });
    case 'searchMessages':
      return searchMessages(store, searchIndex, caller, { query: args.query, conversationIds: args.conversationIds, limit: args.limit, nextToken: args.nextToken });
    case 'addMembers':
      return addMembers(store, members, caller, { conversationId: args.conversationId, userIds: args.userIds });
    case 'removeMember':
      return removeMember(store, members, caller, { conversationId: args.conversationId, userId: args.userId });
    case 'setMemberRole':
      return setMemberRole(store, members, caller, { conversationId: args.conversationId, userId: args.userId, role: args.role });
    case 'leaveConversation':
      return leaveConversation(store, members, caller, { conversationId: args.conversationId });
    default:
      throw new ChatError('ValidationError', 'message-processor does not handle this field');
  }
};
