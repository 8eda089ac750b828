/**
 * Conversation events: what the backend publishes through `publishConversationEvent` and every event subscription
 * (`onConversationEvent`, `onMyConversations`, `onMessageSent`, `onTyping`) delivers. Defined once for the schema, the
 * message processor and the client.
 */

export const CONVERSATION_EVENT_TYPES = ['CONVERSATION_CREATED', 'MESSAGE_SENT', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'TYPING', 'REACTION', 'READ', 'MEMBERS_CHANGED'] as const;
export type ConversationEventType = (typeof CONVERSATION_EVENT_TYPES)[number];

/**
 * Amplify requires an authorization rule on every custom operation; `publishConversationEvent` names this Cognito
 * group, which the app never creates and puts nobody in, so no signed-in user may call it. The backend Lambdas reach
 * it through IAM (the schema's `allow.resource` rules). Adding a user to this group would let them publish events.
 */
export const EVENT_PUBLISHER_GROUP = 'ChatEventPublishers';
