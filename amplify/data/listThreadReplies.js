/**
 * `listThreadReplies(conversationId, threadRootId, sortDirection, limit, nextToken)`: a page of one thread's replies,
 * on the Message table's index (threadRootId, createdAt). APPSYNC_JS on the Message table, copied verbatim by Amplify:
 * plain JavaScript, no imports but @aws-appsync/utils.
 *
 * The last step of its pipeline: callerParticipantForms.js, then conversationMember.js, which refuses anyone who is not
 * a participant of `conversationId` NOW. The replies are filtered on that conversation, so naming a conversation one is
 * in and a root of another yields an empty page, never the other conversation's replies (the message processor only
 * writes replies to a root of their own conversation). Oldest first unless sortDirection is DESC.
 */
import { util } from '@aws-appsync/utils';

const MAX_LIMIT = 100;

export function request(ctx) {
  const args = ctx.args;
  return {
    operation: 'Query',
    index: 'messagesByThreadRootIdAndCreatedAt',
    query: { expression: '#r = :r', expressionNames: { '#r': 'threadRootId' }, expressionValues: util.dynamodb.toMapValues({ ':r': args.threadRootId }) },
    filter: { expression: '#c = :c', expressionNames: { '#c': 'conversationId' }, expressionValues: util.dynamodb.toMapValues({ ':c': args.conversationId }) },
    scanIndexForward: args.sortDirection !== 'DESC',
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
