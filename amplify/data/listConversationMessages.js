/**
 * `listConversationMessages(conversationId, from, after, sortDirection, limit, nextToken)`: a page of one
 * conversation's history, on the Message table's index (conversationId, createdAt). APPSYNC_JS on the Message table,
 * copied verbatim by Amplify: plain JavaScript, no imports but @aws-appsync/utils.
 *
 * The last step of its pipeline: callerParticipantForms.js, then conversationMember.js, which refuses anyone who is not
 * a participant of the conversation NOW — so a member removed reads nothing more of it, and one added later reads all
 * of it. `from`: createdAt at or after; `after`: strictly after (one of them). Newest first with sortDirection DESC.
 *
 * The timeline only: thread replies (items with `threadRootId`) are filtered out (listThreadReplies reads them). As in
 * DynamoDB, `limit` caps the items read before the filter, so a page may hold fewer items than asked, or none, with a
 * nextToken: clients keep paging while a nextToken comes back (docs/data-model.md, Threads).
 */
import { util } from '@aws-appsync/utils';

const MAX_LIMIT = 100;

export function request(ctx) {
  const args = ctx.args;
  const names = { '#c': 'conversationId' };
  const values = { ':c': args.conversationId };
  let expression = '#c = :c';
  if (args.after) {
    expression = '#c = :c AND #t > :t';
    names['#t'] = 'createdAt';
    values[':t'] = args.after;
  } else if (args.from) {
    expression = '#c = :c AND #t >= :t';
    names['#t'] = 'createdAt';
    values[':t'] = args.from;
  }
  return {
    operation: 'Query',
    index: 'messagesByConversationIdAndCreatedAt',
    query: { expression, expressionNames: names, expressionValues: util.dynamodb.toMapValues(values) },
    filter: { expression: 'attribute_not_exists(#r)', expressionNames: { '#r': 'threadRootId' } },
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
