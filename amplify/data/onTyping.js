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
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(deliveryFilter(ctx.args.conversationId, ctx.identity)));
  return null;
}

/**
 * Events of this conversation whose participants (as sent, "<sub>::<username>") still include the caller: the
 * check above runs once, at subscribe time, so this is what stops delivery to someone removed from the
 * conversation later. One filter group per form the caller's entry may have been stored in.
 */
function deliveryFilter(conversationId, identity) {
  const username = identity.username || identity.sub;
  const forms = [identity.sub + '::' + username];
  if (username !== identity.sub) forms.push(identity.sub + '::' + identity.sub, username + '::' + username);
  return { or: forms.map((form) => ({ conversationId: { eq: conversationId }, participants: { contains: form } })) };
}
