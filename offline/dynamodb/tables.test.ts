import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  GetItemCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { TableDescription } from '../loader/types.js';
import { startDynamoDb, type LocalDynamoDb } from './server.js';
import { toCreateTableInput, TTL_TAG, STREAM_TAG } from './table-schema.js';
import { describeTable, ensureTables, rebuildTable, resetTable, STAGING_SUFFIX, TableSchemaMismatchError } from './tables.js';
import { chatTables, tableFor } from '../../tests/helpers/chat-tables.js';

const opened: LocalDynamoDb[] = [];
const directories: string[] = [];

async function start(dataDirectory?: string): Promise<LocalDynamoDb> {
  const db = await startDynamoDb({ dataDirectory });
  opened.push(db);
  return db;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
  for (const d of directories.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function putMessage(db: LocalDynamoDb, table: string, id: string, extra: Record<string, { S: string }> = {}) {
  await db.client.send(
    new PutItemCommand({ TableName: table, Item: { id: { S: id }, conversationId: { S: 'c1' }, createdAt: { S: `2024-01-01T00:00:0${id.slice(-1)}Z` }, ...extra } }),
  );
}

async function count(db: LocalDynamoDb, table: string): Promise<number> {
  return (await db.client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }))).Count ?? 0;
}

function withExtraGsi(table: TableDescription): TableDescription {
  return {
    ...table,
    attributeDefinitions: [...table.attributeDefinitions, { attributeName: 'authorId', attributeType: 'S' }],
    globalSecondaryIndexes: [
      ...table.globalSecondaryIndexes,
      { indexName: 'byAuthor', keySchema: [{ attributeName: 'authorId', keyType: 'HASH' }], projectionType: 'KEYS_ONLY' },
    ],
  };
}

describe('ensureTables', () => {
  it('creates the four chat tables with their keys and GSIs', async () => {
    const db = await start();
    const report = await ensureTables(db.client, chatTables());
    expect(report.created).toEqual(chatTables().map((t) => t.name));
    expect(report.mismatched).toEqual([]);
    const message = await describeTable(db.client, tableFor('Message').name);
    expect(message?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    expect(message?.TableStatus).toBe('ACTIVE');
    expect(message?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema, i.Projection?.ProjectionType])).toEqual([
      [
        'messagesByConversationIdAndCreatedAt',
        [
          { AttributeName: 'conversationId', KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        'ALL',
      ],
    ]);
    const presence = await describeTable(db.client, tableFor('UserPresence').name);
    expect(presence?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe('userPresencesByStatusAndLastSeen');
  });

  it('is idempotent and leaves existing data alone', async () => {
    const db = await start();
    const table = tableFor('Message');
    await ensureTables(db.client, chatTables());
    await putMessage(db, table.name, 'm1');
    const again = await ensureTables(db.client, chatTables());
    expect(again.created).toEqual([]);
    expect(again.unchanged).toEqual(chatTables().map((t) => t.name));
    expect(await count(db, table.name)).toBe(1);
  });

  it('records TTL and streams, which dynalite does not emulate, and reports them', async () => {
    const db = await start();
    const report = await ensureTables(db.client, chatTables());
    expect(report.divergences.some((d) => d.includes('UserPresence') && d.includes('TTL on "expiresAt"'))).toBe(true);
    expect(report.divergences.filter((d) => d.includes('stream NEW_AND_OLD_IMAGES'))).toHaveLength(3);
    const arn = (await describeTable(db.client, tableFor('UserPresence').name))?.TableArn;
    const tags = (await db.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags;
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: TTL_TAG, Value: 'expiresAt' },
        { Key: STREAM_TAG, Value: 'NEW_AND_OLD_IMAGES' },
      ]),
    );
    // A later synthesis dropping the TTL updates the record (metadata only).
    const withoutTtl = chatTables().map((t) => ({ ...t, timeToLiveAttribute: undefined }));
    await ensureTables(db.client, withoutTtl);
    const after = (await db.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags ?? [];
    expect(after.map((t) => t.Key)).not.toContain(TTL_TAG);
  });

  it('keeps tables and data across close and reopen of the same directory', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ddb-tables-'));
    directories.push(directory);
    const table = tableFor('Message');
    const first = await start(directory);
    await ensureTables(first.client, chatTables());
    await putMessage(first, table.name, 'm1');
    await putMessage(first, table.name, 'm2');
    await first.close();

    const second = await start(directory);
    const report = await ensureTables(second.client, chatTables());
    expect(report.created).toEqual([]);
    expect(report.unchanged).toHaveLength(4);
    const { Items } = await second.client.send(
      new QueryCommand({
        TableName: table.name,
        IndexName: 'messagesByConversationIdAndCreatedAt',
        KeyConditionExpression: 'conversationId = :c',
        ExpressionAttributeValues: { ':c': { S: 'c1' } },
      }),
    );
    expect(Items?.map((i) => i.id?.S)).toEqual(['m1', 'm2']);
  });

  it('detects a changed GSI set, leaves the table untouched and says how to migrate', async () => {
    const db = await start();
    const table = tableFor('Message');
    await ensureTables(db.client, [table]);
    await putMessage(db, table.name, 'm1');
    const changed = withExtraGsi(table);
    const error = await ensureTables(db.client, [changed]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TableSchemaMismatchError);
    expect((error as TableSchemaMismatchError).mismatches).toEqual([
      { table: table.name, requiresReplacement: false, differences: ['GSI byAuthor is missing'] },
    ]);
    expect((error as Error).message).toMatch(/rebuildTable\(\) migrates it/);
    expect(await count(db, table.name)).toBe(1);
    const report = await ensureTables(db.client, [changed], { onMismatch: 'report' });
    expect(report.mismatched).toHaveLength(1);
    const removed = await ensureTables(db.client, [{ ...table, globalSecondaryIndexes: [] }], { onMismatch: 'report' });
    expect(removed.mismatched[0]?.differences).toEqual(['GSI messagesByConversationIdAndCreatedAt is no longer declared']);
  });

  it('rebuildTable applies index changes, keeps every item and backfills the new index', async () => {
    const db = await start();
    const table = tableFor('Message');
    await ensureTables(db.client, [table]);
    await putMessage(db, table.name, 'm1', { authorId: { S: 'alice' } });
    await putMessage(db, table.name, 'm2', { authorId: { S: 'bob' } });
    await putMessage(db, table.name, 'm3');
    const changed = withExtraGsi(table);
    expect(await rebuildTable(db.client, changed)).toEqual({ items: 3 });
    expect((await ensureTables(db.client, [changed])).unchanged).toEqual([table.name]);
    expect(await count(db, table.name)).toBe(3);
    expect(await describeTable(db.client, table.name + STAGING_SUFFIX)).toBeUndefined();
    const { Items } = await db.client.send(
      new QueryCommand({ TableName: table.name, IndexName: 'byAuthor', KeyConditionExpression: 'authorId = :a', ExpressionAttributeValues: { ':a': { S: 'alice' } } }),
    );
    expect(Items).toEqual([{ id: { S: 'm1' }, authorId: { S: 'alice' } }]);
  });

  it('an interrupted rebuild is reported and resumed without losing data', async () => {
    const db = await start();
    const table = tableFor('Message');
    const changed = withExtraGsi(table);
    // State after a crash between "delete the old table" and "recreate it": only the staging copy holds the data.
    await db.client.send(new CreateTableCommand(toCreateTableInput(changed, table.name + STAGING_SUFFIX)));
    await putMessage(db, table.name + STAGING_SUFFIX, 'm1');
    await putMessage(db, table.name + STAGING_SUFFIX, 'm2');
    const report = await ensureTables(db.client, [changed]);
    expect(report.interruptedRebuilds).toEqual([table.name]);
    expect(await rebuildTable(db.client, changed)).toEqual({ items: 2 });
    expect(await count(db, table.name)).toBe(2);
    expect((await ensureTables(db.client, [changed])).interruptedRebuilds).toEqual([]);
  });

  it('a changed primary key requires replacement: rebuildTable refuses, resetTable drops the data', async () => {
    const db = await start();
    const table = tableFor('UserProfile');
    await ensureTables(db.client, [table]);
    await db.client.send(new PutItemCommand({ TableName: table.name, Item: { id: { S: 'u1' } } }));
    const rekeyed: TableDescription = {
      ...table,
      keySchema: [{ attributeName: 'userId', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'userId', attributeType: 'S' }],
    };
    const report = await ensureTables(db.client, [rekeyed], { onMismatch: 'report' });
    expect(report.mismatched).toEqual([
      { table: table.name, requiresReplacement: true, differences: ['key schema is (id HASH), expected (userId HASH)'] },
    ]);
    await expect(rebuildTable(db.client, rekeyed)).rejects.toThrow(/only resetTable/);
    expect(await count(db, table.name)).toBe(1);
    await resetTable(db.client, rekeyed);
    expect(await count(db, table.name)).toBe(0);
    expect((await ensureTables(db.client, [rekeyed])).unchanged).toEqual([table.name]);
    await db.client.send(new PutItemCommand({ TableName: table.name, Item: { userId: { S: 'u1' } } }));
    const { Item } = await db.client.send(new GetItemCommand({ TableName: table.name, Key: { userId: { S: 'u1' } } }));
    expect(Item).toBeDefined();
  });

  it('recreates a table deleted out of band', async () => {
    const db = await start();
    await ensureTables(db.client, chatTables());
    await db.client.send(new DeleteTableCommand({ TableName: tableFor('UserProfile').name }));
    expect((await ensureTables(db.client, chatTables())).created).toEqual([tableFor('UserProfile').name]);
  });
});
