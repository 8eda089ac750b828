/**
 * GraphQL documents the Lambdas send. Every mutation selects all fields of its type, including the owner and
 * participant fields (`participants`, `owner`): AppSync evaluates subscription filters on the mutation's selection
 * set, so a write or publish that omitted them would reach no subscriber.
 */

export const MESSAGE_FIELDS = `
  id conversationId content messageType sender participants clientMessageId createdAt editedAt updatedAt
`;

export const PRESENCE_FIELDS = `id owner status lastSeen createdAt updatedAt`;

/** Every field of a ConversationEvent: subscribers of publishConversationEvent receive exactly this selection. */
export const CONVERSATION_EVENT_FIELDS = `
  conversationId type userId at messageId id sender content messageType clientMessageId createdAt editedAt typing participants
`;

export const PUBLISH_CONVERSATION_EVENT = /* GraphQL */ `
  mutation PublishConversationEvent($event: ConversationEventInput!) {
    publishConversationEvent(event: $event) { ${CONVERSATION_EVENT_FIELDS} }
  }
`;

export const GET_CONVERSATION = /* GraphQL */ `
  query GetConversation($id: ID!) {
    getConversation(id: $id) { id participants lastMessageAt }
  }
`;

export const GET_MESSAGE = /* GraphQL */ `
  query GetMessage($id: ID!) {
    getMessage(id: $id) { ${MESSAGE_FIELDS} }
  }
`;

export const CREATE_MESSAGE = /* GraphQL */ `
  mutation CreateMessage($input: CreateMessageInput!) {
    createMessage(input: $input) { ${MESSAGE_FIELDS} }
  }
`;

export const UPDATE_MESSAGE = /* GraphQL */ `
  mutation UpdateMessage($input: UpdateMessageInput!) {
    updateMessage(input: $input) { ${MESSAGE_FIELDS} }
  }
`;

export const DELETE_MESSAGE = /* GraphQL */ `
  mutation DeleteMessage($input: DeleteMessageInput!) {
    deleteMessage(input: $input) { ${MESSAGE_FIELDS} }
  }
`;

export const TOUCH_CONVERSATION = /* GraphQL */ `
  mutation TouchConversation($input: UpdateConversationInput!, $condition: ModelConversationConditionInput) {
    updateConversation(input: $input, condition: $condition) {
      id name participants createdAt lastMessageAt lastMessagePreview updatedAt
    }
  }
`;

export const CREATE_PRESENCE = /* GraphQL */ `
  mutation CreatePresence($input: CreateUserPresenceInput!) {
    createUserPresence(input: $input) { ${PRESENCE_FIELDS} }
  }
`;

export const UPDATE_PRESENCE = /* GraphQL */ `
  mutation UpdatePresence($input: UpdateUserPresenceInput!, $condition: ModelUserPresenceConditionInput) {
    updateUserPresence(input: $input, condition: $condition) { ${PRESENCE_FIELDS} }
  }
`;

export const LIST_PRESENCE_BY_STATUS = /* GraphQL */ `
  query ListPresenceByStatus($status: PresenceStatus!, $before: String!, $limit: Int, $nextToken: String) {
    listPresenceByStatus(status: $status, lastSeen: { lt: $before }, limit: $limit, nextToken: $nextToken) {
      items { ${PRESENCE_FIELDS} }
      nextToken
    }
  }
`;

export const CREATE_USER_PROFILE = /* GraphQL */ `
  mutation CreateUserProfile($input: CreateUserProfileInput!) {
    createUserProfile(input: $input) { id displayName email owner createdAt updatedAt }
  }
`;
