/**
 * Subscribe-time authorization for `onTyping(conversationId)` (APPSYNC_JS, copied verbatim by
 * Amplify: plain JavaScript, no imports but @aws-appsync/utils).
 *
 * Same rule as the message subscription: read the conversation, refuse the subscription unless the
 * caller is one of its participants (a missing conversation gets the same refusal), then narrow
 * delivery to that conversation's `sendTyping` events with an enhanced filter.
 */
import { util, extensions } from '@aws-appsync/utils';

export function request(ctx) {
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ id: ctx.args.conversationId }),
    consistentRead: true,
  };
}

/** Mirrors amplify/shared/owner.ts: "<sub>::<username>", "<sub>" and "<username>" designate a user. */
function isParticipant(participants, identity) {
  if (!identity || !identity.sub || !participants) return false;
  const username = identity.username || identity.sub;
  const canonical = identity.sub + '::' + username;
  return participants.some((entry) => entry === canonical || entry === identity.sub || entry === username);
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const conversation = ctx.result;
  if (!conversation || !isParticipant(conversation.participants, ctx.identity)) {
    util.unauthorized();
  }
  extensions.setSubscriptionFilter(
    util.transform.toSubscriptionFilter({ conversationId: { eq: ctx.args.conversationId } }),
  );
  return null;
}
