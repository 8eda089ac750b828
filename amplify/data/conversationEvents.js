/**
 * Subscribe-time authorization and delivery filter for the event subscriptions of one conversation:
 * `onConversationEvent(conversationId)` (every event), `onMessageSent(conversationId)` (MESSAGE_SENT only) and
 * `onTyping(conversationId)` (TYPING only). APPSYNC_JS, copied verbatim by Amplify: plain JavaScript, no imports but
 * @aws-appsync/utils.
 *
 * The second step of each pipeline: callerParticipantForms.js runs first, refuses a caller without a user-pool
 * identity and stashes how the caller may be written in a participants list (`ctx.stash.caller`).
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

/** True when an entry of the stored participants designates the caller (`caller.entries`, amplify/shared/owner.ts). */
function isParticipant(participants, caller) {
  if (!caller || !participants) return false;
  return participants.some((entry) => caller.entries.some((designator) => entry === designator));
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  const caller = ctx.stash.caller;
  const conversation = ctx.result;
  if (!conversation || !isParticipant(conversation.participants, caller)) {
    util.unauthorized();
  }
  const filter = deliveryFilter(caller.forms, ctx.args.conversationId, TYPE_OF_FIELD[ctx.info.fieldName]);
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
  return null;
}

/**
 * Events of this conversation (of `type`, if given) whose participants (as published, "<sub>::<username>") still
 * include the caller: the check above runs once, at subscribe time, so this is what stops delivery to someone removed
 * from the conversation later. One filter group per form the caller's entry may have been stored in.
 */
function deliveryFilter(forms, conversationId, type) {
  return {
    or: forms.map((form) => {
      const group = { conversationId: { eq: conversationId }, participants: { contains: form } };
      if (type) group.type = { eq: type };
      return group;
    }),
  };
}
