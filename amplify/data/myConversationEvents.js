/**
 * `onMyConversations`: every event of every conversation the caller is in, on one subscription (APPSYNC_JS on the
 * NONE data source, copied verbatim by Amplify: plain JavaScript, no imports but @aws-appsync/utils).
 *
 * There is no conversation to read: delivery is narrowed to events whose participants (as published by the backend,
 * "<sub>::<username>") include the caller, so joining or leaving a conversation takes effect at once. The filter is
 * the participants part of conversationEvents.js (APPSYNC_JS modules cannot import each other; a test pins the copies).
 */
import { util, extensions } from '@aws-appsync/utils';

export function request() {
  return { payload: null };
}

export function response(ctx) {
  if (!ctx.identity || !ctx.identity.sub) {
    util.unauthorized();
  }
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(deliveryFilter(ctx.identity)));
  return null;
}

/** Events whose participants include the caller, in any form the caller's entry may have been stored in. */
function deliveryFilter(identity) {
  const username = identity.username || identity.sub;
  const forms = [identity.sub + '::' + username];
  if (username !== identity.sub) forms.push(identity.sub + '::' + identity.sub, username + '::' + username);
  return { or: forms.map((form) => ({ participants: { contains: form } })) };
}
