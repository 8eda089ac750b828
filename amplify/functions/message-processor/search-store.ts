import { GetItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { SearchEntry, SearchIndexStore } from './search';
import { writeInBatches } from './batch-write';

/**
 * SearchIndexStore on the MessageSearchIndex table (partition `term` = `<conversationId>#<word>`, sort `position` =
 * `<createdAt>#<messageId>`). A message's entries (at most MAX_TERMS_PER_MESSAGE) are written and deleted in BatchWriteItem
 * calls of 25, sent together — one request for a typical message instead of one per word, the same write units — and a
 * search reads one partition page per conversation with one key Query.
 */
export function dynamoDbSearchIndexStore(client: DynamoDBClient, table: string): SearchIndexStore {
  return {
    async put(entries) {
      await writeInBatches(client, table, entries.map((entry) => ({ PutRequest: { Item: marshall(entry) } })));
    },
    async remove(keys) {
      await writeInBatches(client, table, keys.map(({ term, position }) => ({ DeleteRequest: { Key: marshall({ term, position }) } })));
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
