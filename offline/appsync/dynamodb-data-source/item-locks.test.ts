import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDb, type LocalDynamoDb } from '../../dynamodb/server.js';
import { ensureTables } from '../../dynamodb/tables.js';
import { tableFor } from '../../../tests/helpers/chat-tables.js';
import { executeDynamoDbRequest } from './index.js';
import { ItemLocks, itemLocksFor } from './item-locks.js';
import { keyIdentity } from './request.js';

describe('ItemLocks', () => {
  it('makes an overlapping acquisition wait for the release, whatever the id order', async () => {
    const locks = new ItemLocks();
    const releaseA = await locks.acquire(['a']);
    let acquired = false;
    const second = locks.acquire(['b', 'a']).then((release) => {
      acquired = true;
      return release;
    });
    const unrelated = await locks.acquire(['c']); // not blocked by 'a'
    await nextMacrotask(); // every pending promise reaction has run
    expect(acquired).toBe(false);
    releaseA();
    (await second)();
    expect(acquired).toBe(true);
    unrelated();
  });
});

describe('data-source writes take the item lock', () => {
  let db: LocalDynamoDb;
  const table = tableFor('UserProfile');
  beforeAll(async () => {
    db = await startDynamoDb({});
    await ensureTables(db.client, [table]);
  });
  afterAll(() => db.close());

  it('a PutItem waits while a transaction holds its item', async () => {
    const key = { id: { S: 'u1' } };
    const release = await itemLocksFor(db.client).acquire([keyIdentity(table.name, key)]);
    const put = executeDynamoDbRequest(db.client, table.name, { operation: 'PutItem', key, attributeValues: { name: { S: 'A' } } });
    // A full request round trip later, the put has still not been sent.
    expect(await executeDynamoDbRequest(db.client, table.name, { operation: 'GetItem', key, consistentRead: true })).toBeNull();
    release();
    await put;
    expect(await executeDynamoDbRequest(db.client, table.name, { operation: 'GetItem', key, consistentRead: true })).toEqual({ id: 'u1', name: 'A' });
  });
});
