/**
 * `npm run search:backfill` (scripts/search-backfill.ts) as a person runs it, on local DynamoDB: against a running
 * DynamoDB endpoint with the tables named (dry run, run, run again), and on a stopped sandbox's data directory with
 * the table names the synthesized backend gives (refused, with the way out, while another process holds it).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCdkOut, startDynamoDb, type LocalDynamoDb } from '../offline/index';
import { dynamoDbMessageStore } from '../amplify/functions/message-processor/dynamodb-store';
import { sendMessage } from '../amplify/functions/message-processor/logic';
import { termsOf } from '../amplify/shared/search-terms';
import { CDK_OUT, PROJECT_ROOT } from '../scripts/lib/paths.mjs';
import { canonical, newUser, seedConversation, startDynamoDbWithTables } from './helpers/message-processor-tables';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

/** Runs the script in a child process (asynchronously: the DynamoDB it talks to may be served by this process). */
function backfill(...args: string[]): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'search-backfill.ts'), ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' }, (error, out, err) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, out, err: withoutNodeWarnings(err) });
    });
  });
}

/** stderr without Node's own warnings (the AWS SDK's notice about Node versions). */
function withoutNodeWarnings(text: string): string {
  return text.replace(/\(node:\d+\) Warning:[\s\S]*?\(Use `node --trace-warnings[^\n]*\n?/g, '');
}

async function count(client: DynamoDBClient, table: string): Promise<number> {
  return (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }))).Count ?? 0;
}

/** Two messages sent before search (the processor's send, no index entries) in a conversation of Ann and Bob. */
async function twoMessages(dynamo: LocalDynamoDb, tables: { conversation: string; message: string }): Promise<number> {
  const ann = newUser();
  const conversationId = await seedConversation(dynamo, tables.conversation, [canonical(ann), canonical(newUser())]);
  const store = dynamoDbMessageStore({ client: dynamo.client, tables, rateLimit: null, publish: async () => {} });
  const texts = ['Quarterly report draft', 'Picnic on Sunday'];
  for (const content of texts) await sendMessage(store, ann, { conversationId, content });
  return texts.reduce((sum, text) => sum + termsOf(text).length, 0);
}

describe('npm run search:backfill', () => {
  it('on a DynamoDB endpoint with named tables: counts in a dry run, writes, then has nothing left to write', async () => {
    const tables = { conversation: 'Conversation-cli-NONE', message: 'Message-cli-NONE', searchIndex: 'MessageSearchIndex-cli' };
    const dynamo = await startDynamoDbWithTables(tables);
    cleanup.push(() => dynamo.close());
    const entries = await twoMessages(dynamo, tables);
    const target = ['--endpoint', dynamo.endpoint, '--message-table', tables.message, '--search-index-table', tables.searchIndex];

    const dry = await backfill(...target, '--dry-run');
    expect(dry.err).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.out).toContain(`done: 2 messages to index, ${entries} entries to write`);
    expect(await count(dynamo.client, tables.searchIndex)).toBe(0);

    const run = await backfill(...target, '--page-size', '1');
    expect(run.status).toBe(0);
    expect(run.out).toMatch(/page 1: 1 messages read, 1 indexed .*; cursor \S+/);
    expect(run.out).toContain(`done: 2 messages indexed, ${entries} entries written`);
    expect(await count(dynamo.client, tables.searchIndex)).toBe(entries);

    const again = await backfill(...target);
    expect(again.status).toBe(0);
    expect(again.out).toContain('done: 0 messages indexed, 0 entries written, 2 already indexed');
    expect(await count(dynamo.client, tables.searchIndex)).toBe(entries);
  });

  it("on a stopped sandbox's data directory, with the synthesized backend's table names; refused while it is open elsewhere", async () => {
    const backend = loadCdkOut(CDK_OUT).tables;
    const tables = {
      conversation: backend.find((t) => t.model === 'Conversation')!.name,
      message: backend.find((t) => t.model === 'Message')!.name,
      searchIndex: backend.find((t) => t.name.includes('MessageSearchIndexTable'))!.name,
    };
    const data = mkdtempSync(join(tmpdir(), 'search-backfill-data-'));
    cleanup.push(() => rmSync(data, { recursive: true, force: true }));
    const dynamo = await startDynamoDb({ dataDirectory: join(data, 'dynamodb') });
    for (const [name, keys] of [
      [tables.conversation, [['id', 'HASH']]],
      [tables.message, [['id', 'HASH']]],
      [tables.searchIndex, [['term', 'HASH'], ['position', 'RANGE']]],
    ] as const) {
      await dynamo.client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: keys.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType })),
          AttributeDefinitions: keys.map(([AttributeName]) => ({ AttributeName, AttributeType: 'S' })),
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
    const entries = await twoMessages(dynamo, tables);

    const refused = await backfill('--data', data);
    expect(refused.status).toBe(2);
    expect(refused.err).toMatch(/is in use by process \d+.*pass --endpoint with its DynamoDB URL/);

    await dynamo.close();
    const run = await backfill('--data', data);
    expect(run.err).toBe('');
    expect(run.status).toBe(0);
    expect(run.out).toContain(`${tables.message} → ${tables.searchIndex}`);
    expect(run.out).toContain(`done: 2 messages indexed, ${entries} entries written`);

    const reopened = await startDynamoDb({ dataDirectory: join(data, 'dynamodb') });
    cleanup.push(() => reopened.close());
    expect(await count(reopened.client, tables.searchIndex)).toBe(entries);
  });

  it('refuses AWS without the table names', async () => {
    const run = await backfill('--region', 'eu-west-1', '--dry-run');
    expect(run.status).toBe(2);
    expect(run.err).toContain('name the deployed tables: --message-table and --search-index-table');
  });
});
