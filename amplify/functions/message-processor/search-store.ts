import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { SearchEntry, SearchIndexStore } from './search';

/**
 * SearchIndexStore on the MessageSearchIndex table (partition `term` = `<conversationId>#<word>`, sort `position` =
 * `<createdAt>#<messageId>`). Item actions and one key Query only: a message's entries are written and deleted one
 * request each (at most MAX_TERMS_PER_MESSAGE), sent together (the SDK's connection pool bounds how many are in
 * flight), and a search reads one partition page per conversation.
 */
export function dynamoDbSearchIndexStore(client: DynamoDBClient, table: string): SearchIndexStore {
  return {
    async put(entries) {
      await Promise.all(entries.map((entry) => client.send(new PutItemCommand({ TableName: table, Item: marshall(entry) }))));
    },
    async remove(keys) {
      await Promise.all(keys.map(({ term, position }) => client.send(new DeleteItemCommand({ TableName: table, Key: marshall({ term, position }) }))));
    },
    async newest(term, before, limit) {
      const answer = await client.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: before === null ? '#t = :t' : '#t = :t AND #p < :p',
          ExpressionAttributeNames: before === null ? { '#t': 'term' } : { '#t': 'term', '#p': 'position' },
          ExpressionAttributeValues: marshall(before === null ? { ':t': term } : { ':t': term, ':p': before }),
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      const entries = (answer.Items ?? []).map((item) => entryOf(unmarshall(item)));
      return { entries, more: answer.LastEvaluatedKey !== undefined && entries.length === limit };
    },
    async has(key) {
      const answer = await client.send(new GetItemCommand({ TableName: table, Key: marshall(key), ProjectionExpression: '#t', ExpressionAttributeNames: { '#t': 'term' } }));
      return answer.Item !== undefined;
    },
  };
}

function entryOf(item: Record<string, unknown>): SearchEntry {
  return {
    term: String(item['term']),
    position: String(item['position']),
    conversationId: String(item['conversationId']),
    messageId: String(item['messageId']),
    createdAt: String(item['createdAt']),
  };
}
