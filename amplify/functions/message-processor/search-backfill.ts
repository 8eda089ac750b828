import {
  BatchGetItemCommand,
  GetItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type KeysAndAttributes,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { MessageRecord } from './logic';
import { entriesOf, type SearchEntry, type SearchEntryKey } from './search';
import { dynamoDbSearchIndexStore } from './search-store';
import { DEFAULT_RETRY, untilProcessed, WRITE_BATCH, writeInBatches, type RetryPolicy } from './batch-write';


/**
 * The search backfill (`npm run search:backfill`): indexes the messages the MessageSearchIndex table does not hold,
 * e.g. those sent before search existed. It scans the Message table one page at a time and gives each message the
 * entries the message processor writes on send (`entriesOf`, search.ts): SYSTEM messages have none; entries already
 * there are not written again (looked up by key first: a read costs a fifth of a write), so a second run writes
 * nothing. Writes go in BatchWriteItem requests of 25, lookups in BatchGetItem requests of 100, one at a time; items
 * DynamoDB leaves unprocessed are sent again with exponential backoff. A message written to is read again afterwards
 * (strongly consistent): if it was edited or removed meanwhile, the entries of its old words are taken back and those
 * of its new ones written, as the processor's edit does. After each page the cursor (the page's last message id) is
 * reported: `startAfter` resumes there. docs/data-model.md ("Message search"), docs/deploy.md.
 */

/** BatchGetItem's limit. */
export const READ_BATCH = 100;
/** Messages per Scan page, by default. */
export const DEFAULT_PAGE_SIZE = 100;

export interface BackfillTables {
  message: string;
  searchIndex: string;
}

export interface BackfillOptions {
  client: DynamoDBClient;
  tables: BackfillTables;
  /** Messages per Scan page (1–1000). */
  pageSize?: number;
  /** Resume after this message id (a cursor reported by an earlier run). */
  startAfter?: string | null;
  /** Count what would be written; write nothing. */
  dryRun?: boolean;
  /** Attempts of one batch whose items DynamoDB left unprocessed, and the backoff between them. */
  retry?: RetryPolicy;
  /** Called after each page with the totals so far. */
  onPage?(progress: BackfillProgress): void;
}

export interface BackfillProgress {
  pages: number;
  /** Messages read. */
  scanned: number;
  /** SYSTEM messages (never indexed). */
  system: number;
  /** Messages whose entries were all there already. */
  complete: number;
  /** Messages given entries (or that would be, in a dry run). */
  indexed: number;
  /** Entries written (or that would be). */
  entries: number;
  /** Messages edited or removed while the run wrote them, whose entries were then corrected. */
  corrected: number;
  /** The last message id of the last page done: pass it as `startAfter` to resume; null when the scan is over. */
  cursor: string | null;
}

type Indexable = Pick<MessageRecord, 'id' | 'conversationId' | 'createdAt' | 'content' | 'messageType'>;

const MESSAGE_ATTRIBUTES = ['id', 'conversationId', 'createdAt', 'content', 'messageType'] as const;
const PROJECTION = {
  ProjectionExpression: MESSAGE_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(MESSAGE_ATTRIBUTES.map((name, i) => [`#a${i}`, name])),
};

/** The fields the index is made of; null for an item that is not a whole message. */
function indexableOf(item: Record<string, unknown>): Indexable | null {
  const [id, conversationId, createdAt, content, messageType] = MESSAGE_ATTRIBUTES.map((name) => item[name]);
  if (typeof id !== 'string' || typeof conversationId !== 'string' || typeof createdAt !== 'string' || typeof content !== 'string') return null;
  return { id, conversationId, createdAt, content, messageType: (typeof messageType === 'string' ? messageType : 'TEXT') as MessageRecord['messageType'] };
}


const keyOf = ({ term, position }: SearchEntryKey): string => `${term}\u0000${position}`;

/** Which of `keys` the index holds (BatchGetItem, 100 keys a request, unprocessed keys retried). */
async function existing(client: DynamoDBClient, table: string, keys: SearchEntryKey[], policy: RetryPolicy): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += READ_BATCH) {
    const batch: Record<string, KeysAndAttributes> = {
      [table]: {
        Keys: keys.slice(i, i + READ_BATCH).map(({ term, position }) => marshall({ term, position })),
        ProjectionExpression: '#t, #p',
        ExpressionAttributeNames: { '#t': 'term', '#p': 'position' },
        ConsistentRead: true,
      },
    };
    await untilProcessed(
      batch,
      async (request) => {
        const answer = await client.send(new BatchGetItemCommand({ RequestItems: request }));
        for (const item of answer.Responses?.[table] ?? []) found.add(keyOf(unmarshall(item) as SearchEntryKey));
        const left = answer.UnprocessedKeys?.[table]?.Keys ?? [];
        return left.length > 0 ? { [table]: { ...request[table]!, Keys: left } } : null;
      },
      policy,
    );
  }
  return found;
}

/** Writes `entries` (BatchWriteItem, 25 a request, one request at a time, unprocessed items retried). */
async function write(client: DynamoDBClient, table: string, entries: SearchEntry[], policy: RetryPolicy): Promise<void> {
  for (let i = 0; i < entries.length; i += WRITE_BATCH) {
    const requests: WriteRequest[] = entries.slice(i, i + WRITE_BATCH).map((entry) => ({ PutRequest: { Item: marshall(entry) } }));
    await writeInBatches(client, table, requests, policy);
  }
}

/** The message as it is now (strongly consistent), or null when it was removed. */
async function current(client: DynamoDBClient, table: string, id: string): Promise<Indexable | null> {
  const answer = await client.send(new GetItemCommand({ TableName: table, Key: marshall({ id }), ConsistentRead: true, ...PROJECTION }));
  return answer.Item ? indexableOf(unmarshall(answer.Item)) : null;
}

/** Backfills the index; resolves with the totals (cursor null: the whole table was read). */
export async function backfillSearchIndex(options: BackfillOptions): Promise<BackfillProgress> {
  const { client, tables } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new Error('pageSize must be 1 to 1000');
  const policy = options.retry ?? DEFAULT_RETRY;
  const index = dynamoDbSearchIndexStore(client, tables.searchIndex);
  const progress: BackfillProgress = { pages: 0, scanned: 0, system: 0, complete: 0, indexed: 0, entries: 0, corrected: 0, cursor: options.startAfter ?? null };
  let startKey: Record<string, AttributeValue> | undefined = options.startAfter ? marshall({ id: options.startAfter }) : undefined;

  do {
    const page = await client.send(new ScanCommand({ TableName: tables.message, Limit: pageSize, ExclusiveStartKey: startKey, ...PROJECTION }));
    const messages = (page.Items ?? []).map((item) => indexableOf(unmarshall(item))).filter((m): m is Indexable => m !== null);
    progress.scanned += messages.length;

    const wanted = messages.map((message) => ({ message, entries: entriesOf(message) }));
    progress.system += wanted.filter(({ message }) => message.messageType === 'SYSTEM').length;
    const held = await existing(client, tables.searchIndex, wanted.flatMap(({ entries }) => entries), policy);
    const missing = wanted
      .filter(({ message }) => message.messageType !== 'SYSTEM')
      .map(({ message, entries }) => ({ message, entries: entries.filter((entry) => !held.has(keyOf(entry))) }));
    const toWrite = missing.filter(({ entries }) => entries.length > 0);
    progress.complete += missing.length - toWrite.length;
    progress.indexed += toWrite.length;
    progress.entries += toWrite.reduce((sum, { entries }) => sum + entries.length, 0);

    if (!options.dryRun && toWrite.length > 0) {
      await write(client, tables.searchIndex, toWrite.flatMap(({ entries }) => entries), policy);
      // Edited or removed since the page was read: what the processor did then may predate these writes.
      for (const { message } of toWrite) {
        const now = await current(client, tables.message, message.id);
        if (now && now.content === message.content) continue;
        const next = now ? entriesOf(now) : [];
        const kept = new Set(next.map((entry) => keyOf(entry)));
        await index.remove(entriesOf(message).filter((entry) => !kept.has(keyOf(entry))));
        await write(client, tables.searchIndex, next, policy);
        progress.corrected += 1;
      }
    }

    startKey = page.LastEvaluatedKey;
    progress.pages += 1;
    progress.cursor = startKey ? String(unmarshall(startKey)['id']) : null;
    options.onPage?.({ ...progress });
  } while (startKey);
  return progress;
}
