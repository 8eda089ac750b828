/**
 * Message search (search.ts) through the stores the Lambda uses (dynamodb-store.ts, search-store.ts) on dynalite: the
 * tokenizer, the index entries written on send, edit and remove, participant scoping (a removed member, a forged
 * token), multi-word intersection, paging newest first and the bounds. Only publishing is recorded in an array.
 */
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { termsOf } from '../../shared/search-terms';
import { canonical, newUser, seedConversation, setParticipants, startDynamoDbWithTables } from '../../../tests/helpers/message-processor-tables';
import type { LocalDynamoDb } from '../../../offline/dynamodb/index';
import { dynamoDbMessageStore } from './dynamodb-store';
import type { MessageStore } from './logic';
import { dynamoDbSearchIndexStore } from './search-store';
import { editMessageIndexed, MAX_SEARCH_CONVERSATIONS, removeMessageIndexed, searchMessages, sendMessageIndexed, snippetOf, SNIPPET_LENGTH, termKey, type SearchIndexStore } from './search';
import { rejectionOf as errorOf } from '../../../tests/helpers/rejection';

const TABLES = { conversation: 'Conversation-searchtest-NONE', message: 'Message-searchtest-NONE' };
const SEARCH_TABLE = 'MessageSearchIndex-searchtest';

let dynamo: LocalDynamoDb;
let store: MessageStore;
let index: SearchIndexStore;

beforeAll(async () => {
  dynamo = await startDynamoDbWithTables({ ...TABLES, searchIndex: SEARCH_TABLE });
  store = dynamoDbMessageStore({ client: dynamo.client, tables: TABLES, rateLimit: null, publish: async () => {} });
  index = dynamoDbSearchIndexStore(dynamo.client, SEARCH_TABLE);
});

afterAll(async () => {
  await dynamo?.close();
});

const at = (minute: number) => () => new Date(Date.UTC(2026, 0, 2, 10, minute));

async function termsStored(conversationId: string, term: string): Promise<number> {
  const answer = await dynamo.client.send(
    new QueryCommand({ TableName: SEARCH_TABLE, KeyConditionExpression: '#t = :t', ExpressionAttributeNames: { '#t': 'term' }, ExpressionAttributeValues: marshall({ ':t': termKey(conversationId, term) }) }),
  );
  return answer.Count ?? 0;
}

async function world() {
  const ann = newUser();
  const bob = newUser();
  const cat = newUser();
  const conversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(ann), canonical(bob)]);
  const catConversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(cat), canonical(ann)]);
  return { ann, bob, cat, conversationId, catConversationId };
}

describe('termsOf', () => {
  it('lower-cases, folds diacritics, splits on anything but letters and digits of any script, keeps each word once', () => {
    expect(termsOf('Café au LAIT, café! naïve—résumé 42 x')).toEqual(['cafe', 'au', 'lait', 'naive', 'resume', '42']);
    expect(termsOf('Привет, мир; 東京タワー')).toEqual(['привет', 'мир', '東京タワー']);
  });

  it('bounds the words per message and their length', () => {
    const many = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    expect(termsOf(many)).toHaveLength(64);
    expect(termsOf('a'.repeat(50))).toEqual(['a'.repeat(32)]);
  });
});

describe('snippetOf', () => {
  it('keeps a short text whole and cuts a long one around the first matched word, marking the cuts', () => {
    expect(snippetOf('short café text', ['cafe'])).toBe('short café text');
    const long = `${'lorem '.repeat(40)}Café at noon ${'ipsum '.repeat(40)}`;
    const snippet = snippetOf(long, ['cafe']);
    expect(snippet.startsWith('…') && snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('Café at noon');
    expect(snippet.length).toBe(SNIPPET_LENGTH + 2);
    expect(snippetOf(long, ['absent'])).toBe(`${long.slice(0, SNIPPET_LENGTH)}…`);
  });
});

describe('the index follows sends, edits and removals', () => {
  it('writes an entry per word on send, moves them on edit and deletes them on remove', async () => {
    const { bob, conversationId } = await world();
    const sent = await sendMessageIndexed(store, index, bob, { conversationId, content: 'Lunch at the harbour?' }, at(0));
    expect(await termsStored(conversationId, 'harbour')).toBe(1);
    await editMessageIndexed(store, index, bob, { messageId: sent.messageId, content: 'Lunch at the station?' }, at(1));
    expect(await termsStored(conversationId, 'harbour')).toBe(0);
    expect(await termsStored(conversationId, 'station')).toBe(1);
    expect(await termsStored(conversationId, 'lunch')).toBe(1);
    await removeMessageIndexed(store, index, bob, { messageId: sent.messageId }, at(2));
    expect(await termsStored(conversationId, 'station')).toBe(0);
    expect(await termsStored(conversationId, 'lunch')).toBe(0);
  });

  it('a refused send or edit writes nothing', async () => {
    const { ann, cat, conversationId } = await world();
    const sent = await sendMessageIndexed(store, index, ann, { conversationId, content: 'original words' });
    expect((await errorOf(sendMessageIndexed(store, index, cat, { conversationId, content: 'intruder' }))).message).toMatch(/^Unauthorized/);
    expect(await termsStored(conversationId, 'intruder')).toBe(0);
    expect((await errorOf(editMessageIndexed(store, index, cat, { messageId: sent.messageId, content: 'hijacked' }))).message).toMatch(/^Unauthorized/);
    expect(await termsStored(conversationId, 'hijacked')).toBe(0);
    expect(await termsStored(conversationId, 'original')).toBe(1);
  });
});

describe('searchMessages', () => {
  it('finds the words in the caller’s conversations, newest first, with the hit’s conversation, sender, time and snippet', async () => {
    const { ann, bob, conversationId } = await world();
    const old = await sendMessageIndexed(store, index, ann, { conversationId, content: 'The Café on Main street' }, at(0));
    await sendMessageIndexed(store, index, bob, { conversationId, content: 'unrelated' }, at(1));
    const newer = await sendMessageIndexed(store, index, bob, { conversationId, content: 'cafe again?' }, at(2));
    const page = await searchMessages(store, index, bob, { query: 'CAFÉ', conversationIds: [conversationId] });
    expect(page.items.map((h) => h.messageId)).toEqual([newer.messageId, old.messageId]);
    expect(page.items[1]).toEqual({
      conversationId,
      conversationName: null,
      messageId: old.messageId,
      createdAt: old.createdAt,
      sender: ann.sub,
      snippet: 'The Café on Main street',
      terms: ['cafe'],
    });
    expect(page.nextToken).toBeNull();
  });

  it('intersects the words of a multi-word query', async () => {
    const { ann, conversationId } = await world();
    await sendMessageIndexed(store, index, ann, { conversationId, content: 'red apples' }, at(0));
    const both = await sendMessageIndexed(store, index, ann, { conversationId, content: 'green apples and red pears' }, at(1));
    await sendMessageIndexed(store, index, ann, { conversationId, content: 'green pears' }, at(2));
    const page = await searchMessages(store, index, ann, { query: 'apples green', conversationIds: [conversationId] });
    expect(page.items.map((h) => h.messageId)).toEqual([both.messageId]);
  });

  it('finds nothing in a conversation the caller is not in, named or not; nothing after the caller is removed', async () => {
    const { ann, bob, cat, conversationId } = await world();
    await sendMessageIndexed(store, index, ann, { conversationId, content: 'secret plan' });
    expect((await searchMessages(store, index, cat, { query: 'secret', conversationIds: [conversationId] })).items).toEqual([]);
    expect((await searchMessages(store, index, bob, { query: 'secret', conversationIds: [conversationId] })).items).toHaveLength(1);
    await setParticipants(dynamo, TABLES.conversation, conversationId, [canonical(ann)]);
    expect((await searchMessages(store, index, bob, { query: 'secret', conversationIds: [conversationId] })).items).toEqual([]);
  });

  it('pages newest first across conversations; a removed or edited message is no longer found', async () => {
    const { ann, bob, conversationId, catConversationId } = await world();
    const ids: string[] = [];
    for (let minute = 0; minute < 5; minute++) {
      ids.push((await sendMessageIndexed(store, index, ann, { conversationId: minute % 2 ? catConversationId : conversationId, content: `word ${minute}` }, at(minute))).messageId);
    }
    const seen: string[] = [];
    let token: string | null = null;
    do {
      const page = await searchMessages(store, index, ann, { query: 'word', conversationIds: [conversationId, catConversationId], limit: 2, nextToken: token });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((h) => h.messageId));
      token = page.nextToken;
    } while (token);
    expect(seen).toEqual([...ids].reverse());
    await removeMessageIndexed(store, index, ann, { messageId: ids[4]! });
    await editMessageIndexed(store, index, ann, { messageId: ids[3]!, content: 'changed' });
    const after = await searchMessages(store, index, bob, { query: 'word', conversationIds: [conversationId, catConversationId] });
    expect(after.items.map((h) => h.messageId)).toEqual([ids[2], ids[0]]);
  });

  it('refuses a token for another query or malformed, and a forged token reads nothing outside the caller’s conversations', async () => {
    const { ann, bob, cat, conversationId, catConversationId } = await world();
    for (let minute = 0; minute < 3; minute++) await sendMessageIndexed(store, index, ann, { conversationId, content: `plan ${minute}` }, at(minute));
    await sendMessageIndexed(store, index, cat, { conversationId: catConversationId, content: 'plan for cat' });
    const first = await searchMessages(store, index, bob, { query: 'plan', conversationIds: [conversationId], limit: 1 });
    expect(first.nextToken).not.toBeNull();
    expect((await errorOf(searchMessages(store, index, bob, { query: 'other', nextToken: first.nextToken }))).message).toMatch(/^ValidationError/);
    expect((await errorOf(searchMessages(store, index, bob, { query: 'plan', nextToken: 'not-a-token' }))).message).toMatch(/^ValidationError/);
    const forge = (c: Record<string, string | null>) => Buffer.from(JSON.stringify({ q: ['plan'], c })).toString('base64url');
    // Bob names Cat's conversation (he is not in it): nothing from there.
    const forged = await searchMessages(store, index, bob, { query: 'plan', nextToken: forge({ [catConversationId]: null }) });
    expect(forged.items).toEqual([]);
    // A position that is not a position is refused.
    expect((await errorOf(searchMessages(store, index, bob, { query: 'plan', nextToken: forge({ [conversationId]: 'zzz' }) }))).message).toMatch(/^ValidationError/);
  });

  it('bounds the request: query words, limit, conversations', async () => {
    const { ann, conversationId } = await world();
    const refused = async (input: Parameters<typeof searchMessages>[3]) => (await errorOf(searchMessages(store, index, ann, input))).message;
    expect(await refused({ query: 'a b c d e f g', conversationIds: [conversationId] })).toMatch(/^ValidationError/);
    expect(await refused({ query: 'one two three four five six', conversationIds: [conversationId] })).toMatch(/^ValidationError: query has more than 5 words/);
    expect(await refused({ query: 'word', conversationIds: [conversationId], limit: 21 })).toMatch(/^ValidationError/);
    expect(await refused({ query: 'word', conversationIds: [] })).toMatch(/^ValidationError/);
    const tooMany = Array.from({ length: MAX_SEARCH_CONVERSATIONS + 1 }, (_, i) => `c${i}`);
    expect(await refused({ query: 'word', conversationIds: tooMany })).toMatch(/^ValidationError: at most 50/);
  });
});
