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
  CreateTableCommand,
  DeleteTableCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient } from './client.js';
import { startDynaliteWithTransactions } from './transaction-endpoint.js';

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

async function messagesTable(client: DynamoDBClient, items: number): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: 'Message',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'conversationId', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
        { AttributeName: 'senderId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'conversationId', KeyType: 'HASH' },
        { AttributeName: 'createdAt', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'bySender',
          KeySchema: [
            { AttributeName: 'senderId', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  for (let i = 0; i < items; i++) {
    await client.send(
      new PutItemCommand({
        TableName: 'Message',
        Item: { conversationId: { S: 'c1' }, createdAt: { S: String(i).padStart(4, '0') }, senderId: { S: `u${i % 2}` } },
      }),
    );
  }
}

describe.each(['disk', 'memory'] as const)('dynalite on %s', (storage) => {
  it('closes the iterator of every Query, Scan, ListTables and DeleteTable, read to the end or stopped at Limit', async () => {
    const { client, open, unclosed, closing } = await start(storage);
    await messagesTable(client, 40);
    const inConversation = { KeyConditionExpression: 'conversationId = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } } };
    const bySender = { IndexName: 'bySender', KeyConditionExpression: 'senderId = :u', ExpressionAttributeValues: { ':u': { S: 'u1' } } };
    const requests: [string, () => Promise<{ Count?: number; TableNames?: string[] }>][] = [
      ['Query, Limit', () => client.send(new QueryCommand({ TableName: 'Message', ...inConversation, Limit: 5 }))],
      ['Query', () => client.send(new QueryCommand({ TableName: 'Message', ...inConversation }))],
      ['Query on an index, Limit', () => client.send(new QueryCommand({ TableName: 'Message', ...bySender, Limit: 3 }))],
      ['Query on an index', () => client.send(new QueryCommand({ TableName: 'Message', ...bySender }))],
      ['Scan, Limit', () => client.send(new ScanCommand({ TableName: 'Message', Limit: 7 }))],
      ['Scan', () => client.send(new ScanCommand({ TableName: 'Message' }))],
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
      'Query, Limit': 5,
      Query: 40,
      'Query on an index, Limit': 3,
      'Query on an index': 20,
      'Scan, Limit': 7,
      Scan: 40,
      'ListTables, Limit': 1,
      ListTables: 1,
    });
    await client.send(new DeleteTableCommand({ TableName: 'Message' }));
    expect(unclosed()).toEqual([]);
    await Promise.all(closing);
    expect(open.size).toBe(0);
    // Iterators were made: the record above is not empty by accident.
    expect(closing.length).toBeGreaterThanOrEqual(2 * requests.length);
  });
});
