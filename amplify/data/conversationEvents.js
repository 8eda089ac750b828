/**
 * Subscribe-time authorization and delivery filter for the event subscriptions of one conversation:
 * `onConversationEvent(conversationId)` (every event), `onMessageSent(conversationId)` (MESSAGE_SENT only) and
 * `onTyping(conversationId)` (TYPING only). APPSYNC_JS, copied verbatim by Amplify: plain JavaScript, no imports but
 * @aws-appsync/utils.
 *
 * Custom subscriptions cannot use owner rules, so this resolver reads the conversation and refuses the subscription
 * unless the caller is one of its participants (a missing conversation gets the same refusal: no existence oracle),
 * then narrows delivery with an enhanced filter. The events come from `publishConversationEvent`, which only the
 * backend calls with every field selected, so the filter always sees `conversationId`, `type` and `participants`.
 */
import { util, extensions } from '@aws-appsync/utils';

/** The event type each subscription field delivers (none: every type). */
const TYPE_OF_FIELD = { onMessageSent: 'MESSAGE_SENT', onTyping: 'TYPING' };

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
  const filter = deliveryFilter(ctx.identity, ctx.args.conversationId, TYPE_OF_FIELD[ctx.info.fieldName]);
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
  return null;
}

/**
 * Events of this conversation (of `type`, if given) whose participants (as published, "<sub>::<username>") still
 * include the caller: the check above runs once, at subscribe time, so this is what stops delivery to someone removed
 * from the conversation later. One filter group per form the caller's entry may have been stored in.
 */
function deliveryFilter(identity, conversationId, type) {
  const username = identity.username || identity.sub;
  const forms = [identity.sub + '::' + username];
  if (username !== identity.sub) forms.push(identity.sub + '::' + identity.sub, username + '::' + username);
  return {
    or: forms.map((form) => {
      const group = { conversationId: { eq: conversationId }, participants: { contains: form } };
      if (type) group.type = { eq: type };
      return group;
    }),
  };
}
