/**
 * What the sandbox's DynamoDB keeps on disk and in memory while data is written and read (docs/benchmarks.md "Memory…",
 * fix 8): LevelDB keeps every table file and memtable that an open iterator still sees, so a store whose reads leave
 * iterators open grows with every write even when the data does not.
 *
 *   node --import tsx bench/leveldb-retention.ts [--rounds N]
 *
 * The chat's Message table as synthesized (npm run synth), on disk in a temporary directory (removed at the end). Each
 * round writes 25 messages of 2 KB with BatchWriteItem, overwriting 3,000 ids in turn (the live data stays about
 * 6 MB); every fifth round reads one page of 20 from a conversation (Query on its index with Limit, as the app lists
 * messages). Prints the directory's size, its table files and this process's RSS every 300 rounds and after the store
 * closed; reported, never judged. Loopback only (the store's own endpoint), bounded by --rounds (default 1,200, at most
 * 20,000).
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ensureTables, loadCdkOut, startDynamoDb } from 'amplify-gen2-offline';

const CDK_OUT = join(import.meta.dirname, '..', '.amplify', 'artifacts', 'cdk.out');
const roundsArgument = process.argv.indexOf('--rounds');
const rounds = roundsArgument > 0 ? Number(process.argv[roundsArgument + 1]) : 1_200;
if (!Number.isInteger(rounds) || rounds <= 0 || rounds > 20_000) throw new Error(`--rounds takes a whole number from 1 to 20,000, got ${process.argv[roundsArgument + 1]}`);

const table = (await loadCdkOut(CDK_OUT)).tables.find((t) => t.model === 'Message');
if (!table) throw new Error(`No Message table in ${CDK_OUT}: run npm run synth first`);
const index = table.globalSecondaryIndexes.find((i) => i.keySchema[0]?.attributeName === 'conversationId');
if (!index) throw new Error(`The Message table has no index on conversationId`);

const directory = mkdtempSync(join(tmpdir(), 'leveldb-retention-'));
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
function onDisk(): string {
  let bytes = 0;
  let tableFiles = 0;
  for (const name of readdirSync(directory, { recursive: true }) as string[]) {
    const stat = statSync(join(directory, name));
    if (!stat.isFile()) continue;
    bytes += stat.size;
    if (name.endsWith('.ldb')) tableFiles += 1;
  }
  return `${mib(bytes)} MiB on disk in ${tableFiles} table files`;
}

try {
  const db = await startDynamoDb({ dataDirectory: directory });
  await ensureTables(db.client, [table]);
  const content = 'x'.repeat(2_000);
  let written = 0;
  for (let round = 1; round <= rounds; round++) {
    const items = Array.from({ length: 25 }, () => {
      const n = written++;
      const item = { id: { S: `m${n % 3_000}` }, conversationId: { S: `c${n % 10}` }, createdAt: { S: new Date(Date.UTC(2026, 0, 1) + n).toISOString() }, content: { S: content } };
      return { PutRequest: { Item: item } };
    });
    await db.client.send(new BatchWriteItemCommand({ RequestItems: { [table.name]: items } }));
    if (round % 5 === 0) {
      await db.client.send(
        new QueryCommand({ TableName: table.name, IndexName: index.indexName, KeyConditionExpression: 'conversationId = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } }, Limit: 20 }),
      );
    }
    if (round % 300 === 0 || round === rounds) console.log(`${round} rounds (${written} items written): ${onDisk()}, RSS ${mib(process.memoryUsage().rss)} MiB`);
  }
  await db.close();
  console.log(`closed: ${onDisk()}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
