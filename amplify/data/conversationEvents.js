/**
 * Delivery and invalidation filters of the event subscriptions of one conversation: `onConversationEvent(conversationId)`
 * (every event), `onMessageSent(conversationId)` (MESSAGE_SENT only) and `onTyping(conversationId)` (TYPING only).
 * APPSYNC_JS on the NONE data source, copied verbatim by Amplify: plain JavaScript, no imports but @aws-appsync/utils.
 *
 * The last step of each pipeline: callerParticipantForms.js refuses a caller without a user-pool identity and stashes
 * how the caller may be written in a participants list (`ctx.stash.caller`); conversationMember.js refuses anyone who
 * is not a participant of the conversation now. The events come from `publishConversationEvent`, which only the
 * backend calls with every field selected, so the filter always sees `conversationId`, `type` and `participants`.
 */
import { util, extensions } from '@aws-appsync/utils';

/** The event type each subscription field delivers (none: every type). */
const TYPE_OF_FIELD = { onMessageSent: 'MESSAGE_SENT', onTyping: 'TYPING' };

export function request() {
  return { payload: null };
}

export function response(ctx) {
  const caller = ctx.stash.caller;
  if (!caller || !ctx.stash.conversation) {
    util.unauthorized();
  }
  const filter = deliveryFilter(caller.forms, ctx.args.conversationId, TYPE_OF_FIELD[ctx.info.fieldName]);
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(filter));
  // invalidateMemberSubscriptions({conversationId, userId}) ends this subscription when its subscriber leaves or is
  // removed from the conversation (the message processor calls it after the change).
  extensions.setSubscriptionInvalidationFilter(
    util.transform.toSubscriptionFilter({ conversationId: { eq: ctx.args.conversationId }, userId: { eq: caller.sub } }),
  );
  return null;
}

/**
 * Events of this conversation (of `type`, if given) whose participants (as published, "<sub>::<username>") include
 * the caller: besides the invalidation above, this stops delivery to someone removed (events after a change no longer
 * list them). One filter group per form the caller's entry may have been stored in.
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
