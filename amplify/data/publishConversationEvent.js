/**
 * `publishConversationEvent(event)`: how the backend delivers a conversation event (APPSYNC_JS on the NONE data
 * source, copied verbatim by Amplify). Nothing is stored: the mutation returns the event it was given, and AppSync
 * hands that response to the subscriptions listening to this mutation. Only the backend calls it (IAM), always
 * selecting every field, so what subscribers receive never depends on what a client selected.
 */
export function request(ctx) {
  return { payload: ctx.args.event };
}

export function response(ctx) {
  return ctx.result;
}
