/**
 * `sendTyping(conversationId, typing)`: an ephemeral typing indicator (APPSYNC_JS, copied verbatim by
 * Amplify: plain JavaScript, no imports but @aws-appsync/utils).
 *
 * Reads the conversation and refuses the call unless the caller is one of its participants; a
 * missing conversation gets the same refusal as someone else's (no existence oracle). Nothing is
 * written: the returned event only exists to be published to `onTyping(conversationId)` subscribers.
 */
import { util } from '@aws-appsync/utils';

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
  return {
    conversationId: ctx.args.conversationId,
    userId: ctx.identity.sub,
    typing: ctx.args.typing,
    at: util.time.nowISO8601(),
    // Canonical "<sub>::<username>" entries (as the message processor stores them): onTyping filters on them.
    participants: conversation.participants.filter((entry) => !!entry).map((entry) => (entry.includes('::') ? entry : entry + '::' + entry)),
  };
}
