/**
 * The search backfill (search-backfill.ts) on dynalite with the processor's tables: messages stored without index
 * entries (sent before search existed, through the processor's send without the index) become findable by
 * searchMessages; a second run and a dry run write nothing; SYSTEM messages get no entries; a message edited between
 * runs or while the run writes it is indexed by its current content; items DynamoDB leaves unprocessed are sent again.
 * Only the moment of an edit and DynamoDB's unprocessed answer are staged, around the real client.
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, PutItemCommand, ScanCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { termsOf } from '../../shared/search-terms';
import { canonical, newUser, seedConversation, startDynamoDbWithTables, type TestUser } from '../../../tests/helpers/message-processor-tables';
import type { LocalDynamoDb } from '../../../offline/dynamodb/index';
import { dynamoDbMessageStore } from './dynamodb-store';
import { editMessage, sendMessage, type MessageStore } from './logic';
import { backfillSearchIndex, type BackfillProgress, type BackfillTables } from './search-backfill';
import { untilProcessed } from './batch-write';
import { dynamoDbSearchIndexStore } from './search-store';
import { editMessageIndexed, searchMessages, sendMessageIndexed, type SearchIndexStore } from './search';

let dynamo: LocalDynamoDb;
let store: MessageStore;
let index: SearchIndexStore;
const opened: LocalDynamoDb[] = [];

afterAll(async () => {
  for (const one of opened) await one.close();
});

const TABLES = { conversation: 'Conversation-backfilltest-NONE', message: 'Message-backfilltest-NONE', searchIndex: 'MessageSearchIndex-backfilltest' };

/** A dynalite of its own for one test, with the processor's tables (the backfill scans the whole Message table). */
async function freshTables(): Promise<BackfillTables> {
  dynamo = await startDynamoDbWithTables(TABLES);
  opened.push(dynamo);
  store = dynamoDbMessageStore({ client: dynamo.client, tables: TABLES, rateLimit: null, publish: async () => {} });
  index = dynamoDbSearchIndexStore(dynamo.client, TABLES.searchIndex);
  return { message: TABLES.message, searchIndex: TABLES.searchIndex };
}

const at = (minute: number) => () => new Date(Date.UTC(2025, 5, 1, 9, minute));

async function entryCount(table: string): Promise<number> {
  const answer = await dynamo.client.send(new ScanCommand({ TableName: table, Select: 'COUNT' }));
  return answer.Count ?? 0;
}

async function found(caller: TestUser, conversationId: string, query: string): Promise<string[]> {
  const page = await searchMessages(store, index, caller, { query, conversationIds: [conversationId] });
  return page.items.map((hit) => hit.messageId);
}

async function world() {
  const ann = newUser();
  const bob = newUser();
  const conversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(ann), canonical(bob)]);
  return { ann, bob, conversationId };
}

/** A message sent before search existed: the processor's send, no index entries. */
async function sentUnindexed(caller: TestUser, conversationId: string, content: string, minute: number): Promise<string> {
  return (await sendMessage(store, caller, { conversationId, content }, at(minute))).messageId;
}

describe('search backfill', () => {
  it('indexes the messages sent before search page by page; a dry run and a second run write nothing', async () => {
    const tables = await freshTables();
    const { ann, bob, conversationId } = await world();
    const texts = ['Budget spreadsheet attached', 'Harbour lunch at noon', 'Café on Friday?', 'Ticket numbers 4711 and 0815', 'Train leaves early', 'Ferry schedule changed', 'Umbrella forgotten'];
    const ids: string[] = [];
    for (const [i, text] of texts.entries()) ids.push(await sentUnindexed(i % 2 === 0 ? ann : bob, conversationId, text, i));
    // Already indexed: sent through the processor with search.
    const indexed = await sendMessageIndexed(store, index, ann, { conversationId, content: 'Indexed already, lighthouse' }, at(20));
    // A SYSTEM message (the processor writes these on membership changes): never indexed.
    const systemId = randomUUID();
    await dynamo.client.send(
      new PutItemCommand({
        TableName: tables.message,
        Item: marshall({ __typename: 'Message', id: systemId, conversationId, content: 'Ann added Bob systemword', messageType: 'SYSTEM', sender: ann.sub, createdAt: at(21)().toISOString(), updatedAt: at(21)().toISOString() }),
      }),
    );
    const before = await entryCount(tables.searchIndex);
    expect(before).toBe(termsOf('Indexed already, lighthouse').length);
    expect(await found(bob, conversationId, 'spreadsheet')).toEqual([]);

    const wordsToWrite = texts.reduce((sum, text) => sum + termsOf(text).length, 0);
    const dry = await backfillSearchIndex({ client: dynamo.client, tables, pageSize: 3, dryRun: true });
    expect(dry).toMatchObject({ pages: 4, scanned: 9, system: 1, complete: 1, indexed: 7, entries: wordsToWrite, corrected: 0, cursor: null });
    expect(await entryCount(tables.searchIndex)).toBe(before);
    expect(await found(bob, conversationId, 'spreadsheet')).toEqual([]);

    const pages: BackfillProgress[] = [];
    const run = await backfillSearchIndex({ client: dynamo.client, tables, pageSize: 3, onPage: (progress) => pages.push(progress) });
    expect(run).toMatchObject({ pages: 4, scanned: 9, system: 1, complete: 1, indexed: 7, entries: wordsToWrite, corrected: 0, cursor: null });
    // A full last page still has a LastEvaluatedKey (as DynamoDB answers): a fourth, empty page ends the scan.
    expect(pages.map((p) => p.scanned)).toEqual([3, 6, 9, 9]);
    expect(pages.slice(0, 3).every((p) => typeof p.cursor === 'string')).toBe(true);
    expect(await entryCount(tables.searchIndex)).toBe(before + wordsToWrite);

    // Found by searchMessages, as if the processor had indexed them on send; newest first.
    expect(await found(bob, conversationId, 'Spreadsheet')).toEqual([ids[0]]);
    expect(await found(ann, conversationId, 'cafe friday')).toEqual([ids[2]]);
    expect(await found(ann, conversationId, '4711')).toEqual([ids[3]]);
    expect(await found(bob, conversationId, 'lighthouse')).toEqual([indexed.messageId]);
    expect(await found(bob, conversationId, 'systemword')).toEqual([]);
    expect(await found(bob, conversationId, 'at')).toEqual([ids[1]]);

    const again = await backfillSearchIndex({ client: dynamo.client, tables, pageSize: 3 });
    expect(again).toMatchObject({ scanned: 9, system: 1, complete: 8, indexed: 0, entries: 0, corrected: 0, cursor: null });
    expect(await entryCount(tables.searchIndex)).toBe(before + wordsToWrite);
  });

  it('resumes after a cursor: the messages before it are not read again', async () => {
    const tables = await freshTables();
    const { ann, conversationId } = await world();
    for (const [i, text] of ['alpha one', 'bravo two', 'charlie three', 'delta four'].entries()) await sentUnindexed(ann, conversationId, text, i);
    const first: BackfillProgress[] = [];
    await backfillSearchIndex({ client: dynamo.client, tables, pageSize: 2, dryRun: true, onPage: (p) => first.push(p) });
    const cursor = first[0]!.cursor!;
    const rest = await backfillSearchIndex({ client: dynamo.client, tables, pageSize: 2, startAfter: cursor });
    expect(rest).toMatchObject({ scanned: 2, indexed: 2 });
    const whole = await backfillSearchIndex({ client: dynamo.client, tables, pageSize: 2 });
    expect(whole).toMatchObject({ scanned: 4, indexed: 2, complete: 2 });
  });

  it('indexes an edited message by its current content: edited between runs, or while the run writes it', async () => {
    const tables = await freshTables();
    const { ann, bob, conversationId } = await world();
    const early = await sentUnindexed(ann, conversationId, 'Meet at the harbour gate', 0);
    const partial = await sentUnindexed(ann, conversationId, 'Bring the blue folder', 1);
    // Edited by the processor with search before the backfill reached it: only the words it gained were written.
    await editMessageIndexed(store, index, ann, { messageId: partial, content: 'Bring the red folder' }, at(2));
    expect(await found(bob, conversationId, 'folder')).toEqual([]);

    await backfillSearchIndex({ client: dynamo.client, tables });
    expect(await found(bob, conversationId, 'harbour')).toEqual([early]);
    expect(await found(bob, conversationId, 'red folder')).toEqual([partial]);
    expect(await found(bob, conversationId, 'blue')).toEqual([]);

    // Between runs: edited through the processor (old words out, new in), then the next run has nothing to do.
    await editMessageIndexed(store, index, ann, { messageId: early, content: 'Meet at the station gate' }, at(3));
    // And one edited without the index (a processor older than search, still serving during the deployment).
    await editMessage(store, ann, { messageId: partial, content: 'Bring the red binder' }, at(4));
    const second = await backfillSearchIndex({ client: dynamo.client, tables });
    expect(second).toMatchObject({ indexed: 1, entries: 1, complete: 1 });
    expect(await found(bob, conversationId, 'station')).toEqual([early]);
    expect(await found(bob, conversationId, 'harbour')).toEqual([]);
    expect(await found(bob, conversationId, 'red binder')).toEqual([partial]);

    // While the run writes it: edited (through the processor) after the page was read, before its entries are written.
    const racing = await sentUnindexed(bob, conversationId, 'Parcel for the neighbour', 5);
    let edited = false;
    const client = {
      send: async (command: Parameters<DynamoDBClient['send']>[0]) => {
        if (command instanceof BatchWriteItemCommand && !edited) {
          edited = true;
          await editMessageIndexed(store, index, bob, { messageId: racing, content: 'Letter for the neighbour' }, at(6));
        }
        return dynamo.client.send(command as never);
      },
    } as unknown as DynamoDBClient;
    const third = await backfillSearchIndex({ client, tables });
    expect(edited).toBe(true);
    expect(third).toMatchObject({ indexed: 1, corrected: 1 });
    expect(await found(ann, conversationId, 'parcel')).toEqual([]);
    expect(await found(ann, conversationId, 'letter neighbour')).toEqual([racing]);
    expect(await backfillSearchIndex({ client: dynamo.client, tables })).toMatchObject({ indexed: 0, entries: 0 });
  });

  it('sends again what DynamoDB leaves unprocessed, until all is written', async () => {
    const tables = await freshTables();
    const { ann, bob, conversationId } = await world();
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const id = await sentUnindexed(ann, conversationId, words, 0);
    let leftOver = 0;
    // DynamoDB under load answers a BatchWriteItem with part of the items unprocessed: here, every other first attempt.
    const client = {
      send: async (command: Parameters<DynamoDBClient['send']>[0]) => {
        if (command instanceof BatchWriteItemCommand && leftOver < 2) {
          const [table, requests] = Object.entries(command.input.RequestItems ?? {})[0]!;
          const half = Math.ceil(requests.length / 2);
          leftOver += 1;
          await dynamo.client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests.slice(0, half) } }));
          return { UnprocessedItems: { [table]: requests.slice(half) as WriteRequest[] } };
        }
        return dynamo.client.send(command as never);
      },
    } as unknown as DynamoDBClient;
    const delays: number[] = [];
    const run = await backfillSearchIndex({ client, tables, retry: { attempts: 4, baseDelayMs: 10, maxDelayMs: 100, sleep: async (ms) => void delays.push(ms) } });
    expect(leftOver).toBe(2);
    expect(run).toMatchObject({ indexed: 1, entries: 40 });
    expect(await entryCount(tables.searchIndex)).toBe(40);
    expect(await found(bob, conversationId, 'word0 word39')).toEqual([id]);
    expect(delays).toHaveLength(2);
    expect(delays.every((ms) => ms >= 0 && ms <= 100)).toBe(true);
  });

  it('gives up after the attempts, saying how to resume', async () => {
    let calls = 0;
    const never = async (left: string[]) => {
      calls += 1;
      return left;
    };
    await expect(untilProcessed(['x'], never, { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => {} })).rejects.toThrow(/after 3 attempts; run again with the reported cursor/);
    expect(calls).toBe(3);
    await expect(untilProcessed(['x'], async () => null)).resolves.toBe(1);
  });
});
