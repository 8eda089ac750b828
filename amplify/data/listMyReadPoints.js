/**
 * `listMyReadPoints(limit, nextToken)`: the caller's own read points in every conversation (unread counts at sign-in),
 * one query on the ReadReceipt table's index (userId) for the caller's sub, which callerParticipantForms.js stashed:
 * nobody reads anyone else's. APPSYNC_JS on the ReadReceipt table, copied verbatim by Amplify: plain JavaScript, no
 * imports but @aws-appsync/utils.
 */
import { util } from '@aws-appsync/utils';

const MAX_LIMIT = 100;

export function request(ctx) {
  const caller = ctx.stash.caller;
  if (!caller || !caller.sub) {
    util.unauthorized();
  }
  const args = ctx.args;
  return {
    operation: 'Query',
    index: 'readReceiptsByUserId',
    query: { expression: '#u = :u', expressionNames: { '#u': 'userId' }, expressionValues: util.dynamodb.toMapValues({ ':u': caller.sub }) },
    limit: args.limit && args.limit > 0 && args.limit < MAX_LIMIT ? args.limit : MAX_LIMIT,
    nextToken: args.nextToken || null,
  };
}

export function response(ctx) {
  if (ctx.error) {
    util.error(ctx.error.message, ctx.error.type);
  }
  return { items: ctx.result.items, nextToken: ctx.result.nextToken || null };
}
