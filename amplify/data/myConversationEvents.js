/**
 * `onMyConversations`: every event of every conversation the caller is in, on one subscription (APPSYNC_JS on the
 * NONE data source, copied verbatim by Amplify: plain JavaScript, no imports but @aws-appsync/utils).
 *
 * The second step of the pipeline: callerParticipantForms.js runs first, refuses a caller without a user-pool
 * identity and stashes the forms the caller's participants entry may take (`ctx.stash.caller.forms`).
 *
 * There is no conversation to read: delivery is narrowed to events whose participants (as published by the backend,
 * "<sub>::<username>") include the caller, so joining or leaving a conversation takes effect at once.
 */
import { util, extensions } from '@aws-appsync/utils';

export function request() {
  return { payload: null };
}

export function response(ctx) {
  const caller = ctx.stash.caller;
  if (!caller) {
    util.unauthorized();
  }
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter(deliveryFilter(caller.forms)));
  return null;
}

/** Events whose participants include the caller, in any form the caller's entry may have been stored in. */
function deliveryFilter(forms) {
  return { or: forms.map((form) => ({ participants: { contains: form } })) };
}
