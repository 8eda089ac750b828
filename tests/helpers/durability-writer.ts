/**
 * Child process of offline/dynamodb/durability.test.ts: opens the local DynamoDB on the directory given as argv[2],
 * then writes items one after another and prints `ACK <id>` after each write whose PutItem
 * returned success. It never stops by itself; the parent kills it with SIGKILL.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDb } from '../../offline/dynamodb/server.js';
import { ensureTables } from '../../offline/dynamodb/tables.js';
import { tableFor } from './chat-tables.js';

const directory = process.argv[2];
if (!directory) throw new Error('usage: durability-writer <data directory>');
const db = await startDynamoDb({ dataDirectory: directory });
const table = tableFor('Message');
await ensureTables(db.client, [table]);
process.stdout.write('READY\n');
for (let i = 0; ; i += 1) {
  const id = `m-${String(i).padStart(6, '0')}`;
  await db.client.send(
    new PutItemCommand({
      TableName: table.name,
      Item: { id: { S: id }, conversationId: { S: 'c1' }, createdAt: { S: new Date(1_700_000_000_000 + i).toISOString() }, body: { S: `message ${i}` } },
    }),
  );
  process.stdout.write(`ACK ${id}\n`);
}
