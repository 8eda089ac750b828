/**
 * First step of the event subscriptions' pipelines (onConversationEvent, onMessageSent, onTyping, onMyConversations;
 * amplify/data/resource.ts): refuses a caller without a user-pool identity, and puts in `ctx.stash.caller` the ways
 * the caller may be written in a participants list, for the next steps (conversationMember.js, conversationEvents.js,
 * myConversationEvents.js). APPSYNC_JS on the NONE data source, copied verbatim by Amplify: plain JavaScript, no
 * imports but @aws-appsync/utils. The one place this is written: APPSYNC_JS modules cannot import each other, the
 * steps of one pipeline share the stash.
 *
 * Mirrors amplify/shared/owner.ts (a user without a username, e.g. e-mail sign-in, has username = sub):
 * - `sub`: the caller's Cognito sub (what invalidateMemberSubscriptions names).
 * - `entries`: a stored participants entry designates the caller when it is one of these:
 *   "<sub>::<username>", "<sub>", "<username>".
 * - `forms`: each of those entries brought to the "<sub>::<username>" form the backend publishes events with:
 *   "<sub>::<username>", "<sub>::<sub>", "<username>::<username>" (one, "<sub>::<sub>", when username = sub).
 */
import { util } from '@aws-appsync/utils';

export function request(ctx) {
  const identity = ctx.identity;
  if (!identity || !identity.sub) {
    util.unauthorized();
  }
  const username = identity.username || identity.sub;
  const entries = [identity.sub + '::' + username];
  const forms = [identity.sub + '::' + username];
  if (username !== identity.sub) {
    entries.push(identity.sub, username);
    forms.push(identity.sub + '::' + identity.sub, username + '::' + username);
  } else {
    entries.push(identity.sub);
  }
  ctx.stash.caller = { sub: identity.sub, entries, forms };
  return { payload: null };
}

export function response() {
  return null;
}
