import { defineFunction } from '@aws-amplify/backend';
import { functionEnvironment, functionLogging, settings } from '../../settings';

/**
 * Handles createConversation, sendMessage, editMessage, removeMessage, sendTyping, toggleReaction, markRead, the
 * membership mutations, searchMessages and getAttachmentUrls: the only ways clients write conversations and messages
 * (directly in DynamoDB, backend.ts grants the item actions) or publish events, and the only writer and signer of
 * conversation files (amplify/storage/resource.ts grants its paths of the attachments bucket).
 */
export const messageProcessor = defineFunction({
  name: 'message-processor',
  entry: './handler.ts',
  // A data handler that is also a data client must live in the data stack (no circular dependency).
  resourceGroupName: 'data',
  runtime: 24,
  timeoutSeconds: 10,
  memoryMB: 512,
  // The per-user send limit (CHAT_APP_SEND_RATE_LIMIT / _WINDOW_SECONDS); backend.ts adds the table name.
  environment: {
    ...functionEnvironment,
    SEND_RATE_LIMIT_MESSAGES: String(settings.sendRateLimit.messages),
    SEND_RATE_LIMIT_WINDOW_SECONDS: String(settings.sendRateLimit.windowSeconds),
  },
  logging: functionLogging,
});
