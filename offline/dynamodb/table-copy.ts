/** Copies every item of one table into another (consistent Scan pages, BatchWriteItem of 25). */
import { BatchWriteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** DynamoDB's BatchWriteItem limit. */
const BATCH_WRITE_LIMIT = 25;

async function writeAll(client: DynamoDBClient, table: string, items: Record<string, AttributeValue>[]): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    let requests = items.slice(start, start + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []).flatMap((r) => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []));
    }
  }
}

export async function copyAllItems(client: DynamoDBClient, from: string, to: string): Promise<number> {
  let copied = 0;
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: from, ConsistentRead: true, ExclusiveStartKey }));
    const items = page.Items ?? [];
    try {
      await writeAll(client, to, items);
    } catch (error) {
      throw new Error(`Copying items from ${from} to ${to} failed (the source keeps its data): ${(error as Error).message}`, {
        cause: error,
      });
    }
    copied += items.length;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return copied;
}
