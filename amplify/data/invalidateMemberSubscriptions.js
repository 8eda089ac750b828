/**
 * `invalidateMemberSubscriptions(conversationId, userId)`: ends `userId`'s event subscriptions of one conversation
 * (onConversationEvent, onMessageSent, onTyping), whose resolvers set an invalidation filter on the conversation and
 * the subscriber's sub (conversationEvents.js). AppSync then closes each with a `complete` message. Only the backend
 * calls it (IAM), after someone left or was removed. APPSYNC_JS on the NONE data source, copied verbatim by Amplify.
 * https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-invalidation.html
 */
import { extensions } from '@aws-appsync/utils';

const FIELDS = ['onConversationEvent', 'onMessageSent', 'onTyping'];

export function request(ctx) {
  return { payload: { conversationId: ctx.args.conversationId, userId: ctx.args.userId } };
}

export function response(ctx) {
  for (const subscriptionField of FIELDS) {
    extensions.invalidateSubscriptions({ subscriptionField, payload: { conversationId: ctx.args.conversationId, userId: ctx.args.userId } });
  }
  return ctx.result;
}
