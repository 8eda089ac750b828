/**
 * `listConversationReactions(conversationId, from, to, limit, nextToken)`: the reactions of one conversation's
 * messages created between `from` and `to` (inclusive; either may be absent), on the Reaction table's index
 * (conversationId, messageCreatedAt). APPSYNC_JS on the Reaction table, copied verbatim by Amplify: plain JavaScript,
 * no imports but @aws-appsync/utils.
 *
 * The last step of its pipeline: callerParticipantForms.js, then conversationMember.js, which refuses anyone who is not
 * a participant of the conversation now.
 */
import { util } from '@aws-appsync/utils';

const MAX_LIMIT = 100;

export function request(ctx) {
  const args = ctx.args;
  const names = { '#c': 'conversationId' };
  const values = { ':c': args.conversationId };
  let expression = '#c = :c';
  if (args.from && args.to) {
    expression = '#c = :c AND #t BETWEEN :from AND :to';
    names['#t'] = 'messageCreatedAt';
    values[':from'] = args.from;
    values[':to'] = args.to;
  } else if (args.from) {
    expression = '#c = :c AND #t >= :from';
    names['#t'] = 'messageCreatedAt';
    values[':from'] = args.from;
  } else if (args.to) {
    expression = '#c = :c AND #t <= :to';
    names['#t'] = 'messageCreatedAt';
    values[':to'] = args.to;
  }
  return {
    operation: 'Query',
    index: 'reactionsByConversationIdAndMessageCreatedAt',
    query: { expression, expressionNames: names, expressionValues: util.dynamodb.toMapValues(values) },
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
