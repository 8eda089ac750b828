/**
 * Every LevelDB iterator dynalite opens for a request is closed by the time the request is answered (closing-iterators.ts):
 * Query and Scan that read to the end or stop at `Limit`, on the table and on an index, ListTables and DeleteTable,
 * on disk and in memory. Without the fix each of these left one iterator (and the one inside it) open until the
 * database closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteTableCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient } from './client.js';
import { ensureTables } from './tables.js';
import { startDynaliteWithTransactions } from './transaction-endpoint.js';
import { tableFor } from '../../tests/helpers/chat-tables.js';

interface Resource {
  close(): Promise<void>;
}
interface ResourceDb {
  attachResource(resource: Resource): void;
  detachResource(resource: Resource): void;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** dynalite on a port, with every iterator its database opens recorded: open until detached, and whether close() was asked. */
async function start(storage: 'disk' | 'memory') {
  const path = storage === 'disk' ? mkdtempSync(join(tmpdir(), 'closing-iterators-')) : undefined;
  if (path) cleanups.push(() => rmSync(path, { recursive: true, force: true }));
  const { server, store } = startDynaliteWithTransactions({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const db = store.db as unknown as ResourceDb;
  const open = new Set<Resource>();
  const closeAsked = new Set<Resource>();
  const closing: Promise<void>[] = [];
  const attach = db.attachResource.bind(db);
  const detach = db.detachResource.bind(db);
  db.attachResource = (resource) => {
    open.add(resource);
    const close = resource.close.bind(resource);
    resource.close = () => {
      closeAsked.add(resource);
      const closed = close();
      closing.push(closed.catch(() => undefined));
      return closed;
    };
    attach(resource);
  };
  db.detachResource = (resource) => {
    open.delete(resource);
    detach(resource);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = createLocalDynamoDbClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  cleanups.push(async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.close();
  });
  /** Iterators opened so far whose close() nobody asked for. */
  const unclosed = () => [...open].filter((resource) => !closeAsked.has(resource)).map((resource) => resource.constructor.name);
  return { client, open, unclosed, closing };
}

/** The chat's Message table (key `id`, conversation index) with `items` messages of one conversation. */
async function messagesTable(client: DynamoDBClient, items: number): Promise<string> {
  const table = tableFor('Message');
  await ensureTables(client, [table]);
  for (let i = 0; i < items; i++) {
    await client.send(
      new PutItemCommand({
        TableName: table.name,
        Item: { id: { S: `m${i}` }, conversationId: { S: 'c1' }, createdAt: { S: `2026-12-07T00:00:${String(i).padStart(2, '0')}Z` } },
      }),
    );
  }
  return table.name;
}

describe.each(['disk', 'memory'] as const)('dynalite on %s', (storage) => {
  it('closes the iterator of every Query, Scan, ListTables and DeleteTable, read to the end or stopped at Limit', async () => {
    const { client, open, unclosed, closing } = await start(storage);
    const TableName = await messagesTable(client, 40);
    const IndexName = tableFor('Message').globalSecondaryIndexes[0]!.indexName;
    const inConversation = (id: string) => ({ TableName, IndexName, KeyConditionExpression: 'conversationId = :c', ExpressionAttributeValues: { ':c': { S: id } } });
    const requests: [string, () => Promise<{ Count?: number; TableNames?: string[] }>][] = [
      ['Query', () => client.send(new QueryCommand({ TableName, KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'm3' } } }))],
      ['Query on an index, Limit', () => client.send(new QueryCommand({ ...inConversation('c1'), Limit: 5 }))],
      ['Query on an index', () => client.send(new QueryCommand(inConversation('c1')))],
      ['Query on an index, nothing found', () => client.send(new QueryCommand(inConversation('c2')))],
      ['Scan, Limit', () => client.send(new ScanCommand({ TableName, Limit: 7 }))],
      ['Scan', () => client.send(new ScanCommand({ TableName }))],
      ['ListTables, Limit', () => client.send(new ListTablesCommand({ Limit: 1 }))],
      ['ListTables', () => client.send(new ListTablesCommand({}))],
    ];
    const counts: Record<string, number | undefined> = {};
    for (const [name, request] of requests) {
      const answer = await request();
      counts[name] = answer.Count ?? answer.TableNames?.length;
      expect({ name, unclosed: unclosed() }).toEqual({ name, unclosed: [] });
    }
    // The answers are whole: closing early does not cut a page short.
    expect(counts).toEqual({
      Query: 1,
      'Query on an index, Limit': 5,
      'Query on an index': 40,
      'Query on an index, nothing found': 0,
      'Scan, Limit': 7,
      Scan: 40,
      'ListTables, Limit': 1,
      ListTables: 1,
    });
    await client.send(new DeleteTableCommand({ TableName }));
    expect(unclosed()).toEqual([]);
    await Promise.all(closing);
    expect(open.size).toBe(0);
    // Iterators were made: the record above is not empty by accident.
    expect(closing.length).toBeGreaterThanOrEqual(2 * requests.length);
  });
});
