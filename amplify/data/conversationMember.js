/**
 * The membership check: the caller must be a participant of the conversation `ctx.args.conversationId` NOW. A pipeline
 * step (APPSYNC_JS on the Conversation table, copied verbatim by Amplify: plain JavaScript, no imports but
 * @aws-appsync/utils) after callerParticipantForms.js, which stashes how the caller may be written in a participants
 * list (`ctx.stash.caller`). Used by every read of one conversation's data: the event subscriptions
 * (onConversationEvent, onMessageSent, onTyping) before their filters are set, and the history queries
 * (listConversationMessages, listThreadReplies, listConversationReactions, listConversationReadPoints) before they query.
 *
 * The conversation is read strongly consistently; a missing conversation and one the caller is not in get the same
 * refusal (no existence oracle). The conversation is stashed (`ctx.stash.conversation`) for the next step.
 */
import { util } from '@aws-appsync/utils';

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
  const conversation = ctx.result;
  if (!conversation || !isParticipant(conversation.participants, ctx.stash.caller)) {
    util.unauthorized();
  }
  ctx.stash.conversation = conversation;
  return null;
}
