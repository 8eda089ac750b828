import { AppSyncError, CONDITIONAL_CHECK_FAILED, type Graphql } from '../shared/appsync';
import {
  CREATE_MESSAGE,
  DELETE_MESSAGE,
  GET_CONVERSATION,
  GET_MESSAGE,
  PUBLISH_CONVERSATION_EVENT,
  TOUCH_CONVERSATION,
  UPDATE_MESSAGE,
} from '../shared/documents';
import type { ConversationRecord, MessageRecord, MessageStore, NewMessage } from './logic';

/** MessageStore over the AppSync API (IAM); events are published through publishConversationEvent. */
export function appSyncMessageStore(graphql: Graphql): MessageStore {
  return {
    async getConversation(id) {
      const data = await graphql<{ getConversation: ConversationRecord | null }>(GET_CONVERSATION, { id });
      return data.getConversation;
    },

    async getMessage(id) {
      const data = await graphql<{ getMessage: MessageRecord | null }>(GET_MESSAGE, { id });
      return data.getMessage;
    },

    async createMessageIfAbsent(message: NewMessage) {
      try {
        await graphql(CREATE_MESSAGE, { input: message });
        return true;
      } catch (error) {
        if (error instanceof AppSyncError && error.hasErrorType(CONDITIONAL_CHECK_FAILED)) return false;
        throw error;
      }
    },

    async updateMessageContent(id, content, editedAt) {
      const data = await graphql<{ updateMessage: MessageRecord }>(UPDATE_MESSAGE, {
        input: { id, content, editedAt },
      });
      return data.updateMessage;
    },

    async deleteMessage(id) {
      const data = await graphql<{ deleteMessage: MessageRecord }>(DELETE_MESSAGE, { input: { id } });
      return data.deleteMessage;
    },

    async touchConversation(id, lastMessageAt, preview) {
      try {
        await graphql(TOUCH_CONVERSATION, {
          input: { id, lastMessageAt, lastMessagePreview: preview },
          // Never move lastMessageAt backwards when sends race; equal means this message again.
          condition: {
            or: [{ lastMessageAt: { attributeExists: false } }, { lastMessageAt: { lt: lastMessageAt } }],
          },
        });
      } catch (error) {
        if (error instanceof AppSyncError && error.hasErrorType(CONDITIONAL_CHECK_FAILED)) return;
        throw error;
      }
    },

    async publish(event) {
      await graphql(PUBLISH_CONVERSATION_EVENT, { event });
    },
  };
}
