import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { env } from '$amplify/env/message-processor';
import { appSyncGraphql } from '../shared/appsync';
import type { AmplifyResolverEvent } from '../shared/event';
import { userPoolCaller } from '../shared/identity';
import { ChatError } from '../../shared/errors';
import { appSyncMessageStore } from './appsync-store';
import { editMessage, removeMessage, sendMessage, sendTyping, type SendMessageInput } from './logic';
import { sendRateLimiterFromEnvironment } from './send-rate-limiter';

type Arguments = {
  input?: SendMessageInput;
  messageId?: string;
  content?: string;
  conversationId?: string;
  typing?: boolean;
};

/** One limiter (and DynamoDB client) per Lambda container; the count itself lives in DynamoDB. */
const rateLimiter = sendRateLimiterFromEnvironment(process.env, () => new DynamoDBClient({}));

/** AppSync Lambda resolver for Mutation.sendMessage, editMessage, removeMessage and sendTyping. */
export const handler = async (event: AmplifyResolverEvent<Arguments>) => {
  const caller = userPoolCaller(event.identity);
  const store = appSyncMessageStore(await appSyncGraphql(env));
  const args = event.arguments ?? {};
  switch (event.fieldName) {
    case 'sendMessage':
      if (!args.input) throw new ChatError('ValidationError', 'input is required');
      return sendMessage(store, caller, args.input, undefined, rateLimiter);
    case 'editMessage':
      return editMessage(store, caller, { messageId: args.messageId ?? '', content: args.content ?? '' });
    case 'removeMessage':
      return removeMessage(store, caller, { messageId: args.messageId ?? '' });
    case 'sendTyping':
      return sendTyping(store, caller, { conversationId: args.conversationId, typing: args.typing });
    default:
      throw new ChatError('ValidationError', 'message-processor does not handle this field');
  }
};
