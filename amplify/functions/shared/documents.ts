/**
 * GraphQL documents the Lambdas send. Every mutation selects all fields of its type, including the owner and
 * participant fields (`participants`, `owner`): AppSync evaluates subscription filters on the mutation's selection
 * set, so a write or publish that omitted them would reach no subscriber.
 */

export const PRESENCE_FIELDS = `id owner status lastSeen createdAt updatedAt`;

/** Every field of a ConversationEvent: subscribers of publishConversationEvent receive exactly this selection. */
export const CONVERSATION_EVENT_FIELDS = `
  conversationId type userId at messageId id sender content messageType clientMessageId createdAt editedAt typing name emoji reacted reactionUsers reactionCount readAt systemAction actor targets role members owners kind threadRootId replyCount lastReplyAt lastReplySender attachment { path name size contentType width height } participants
`;

export const PUBLISH_CONVERSATION_EVENT = /* GraphQL */ `
  mutation PublishConversationEvent($event: ConversationEventInput!) {
    publishConversationEvent(event: $event) { ${CONVERSATION_EVENT_FIELDS} }
  }
`;

/** Ends a removed or leaving member's event subscriptions of one conversation (IAM only; NONE data source). */
export const INVALIDATE_MEMBER_SUBSCRIPTIONS = /* GraphQL */ `
  mutation InvalidateMemberSubscriptions($conversationId: ID!, $userId: String!) {
    invalidateMemberSubscriptions(conversationId: $conversationId, userId: $userId) { conversationId userId }
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
