/**
 * `listConversationReadPoints(conversationId, limit, nextToken)`: every member's read point in one conversation, one
 * query on the ReadReceipt table's key (conversationId). APPSYNC_JS on the ReadReceipt table, copied verbatim by
 * Amplify: plain JavaScript, no imports but @aws-appsync/utils.
 *
 * The last step of its pipeline: callerParticipantForms.js, then conversationMember.js, which refuses anyone who is not
 * a participant of the conversation now.
 */
import { util } from '@aws-appsync/utils';

const MAX_LIMIT = 100;

export function request(ctx) {
  const args = ctx.args;
  return {
    operation: 'Query',
    query: { expression: '#c = :c', expressionNames: { '#c': 'conversationId' }, expressionValues: util.dynamodb.toMapValues({ ':c': args.conversationId }) },
    consistentRead: true,
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
