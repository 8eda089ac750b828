import { isListedOwner, type CallerIdentity } from '../../shared/owner';
import { ChatError } from '../../shared/errors';
import { MAX_QUERY_TERMS, termsOf } from '../../shared/search-terms';
import {
  editMessage,
  removeMessage,
  requiredId,
  sendMessage,
  type AttachmentMover,
  type Clock,
  type MessageRecord,
  type MessageStore,
  type SendMessageInput,
  type SentMessage,
} from './logic';

/**
 * Message search: an inverted index in DynamoDB (the MessageSearchIndex table), one item per (conversation, word,
 * message), partition `<conversationId>#<word>`, sort `<createdAt>#<messageId>`. The message processor writes it when a
 * message is sent, edited or removed, and answers searchMessages by querying only the partitions of conversations the
 * caller is a participant of now: authorization is the key itself. docs/data-model.md ("Message search").
 */

/** Conversations one search covers (the ids the client names; each is checked). */
export const MAX_SEARCH_CONVERSATIONS = 50;
/** Hits per page, at most and by default. */
export const MAX_SEARCH_LIMIT = 20;
/** Characters of a hit's snippet. */
export const SNIPPET_LENGTH = 120;

export interface SearchEntryKey {
  term: string;
  position: string;
}

/** An index item. */
export interface SearchEntry extends SearchEntryKey {
  conversationId: string;
  messageId: string;
  createdAt: string;
}

/** The MessageSearchIndex operations. */
export interface SearchIndexStore {
  put(entries: SearchEntry[]): Promise<void>;
  remove(keys: SearchEntryKey[]): Promise<void>;
  /** Up to `limit` entries of one partition older than `before` (all when null), newest first; `more`: the partition has older ones. */
  newest(term: string, before: string | null, limit: number): Promise<{ entries: SearchEntry[]; more: boolean }>;
  /** Whether the entry exists. */
  has(key: SearchEntryKey): Promise<boolean>;
}

export const termKey = (conversationId: string, term: string): string => `${conversationId}#${term}`;
export const positionOf = (message: Pick<MessageRecord, 'createdAt' | 'id'>): string => `${message.createdAt}#${message.id}`;

/** The index entries of a message (none for system messages). */
export function entriesOf(message: Pick<MessageRecord, 'id' | 'conversationId' | 'createdAt' | 'content' | 'messageType'>): SearchEntry[] {
  if (message.messageType === 'SYSTEM') return [];
  return termsOf(message.content).map((term) => ({
    term: termKey(message.conversationId, term),
    position: positionOf(message),
    conversationId: message.conversationId,
    messageId: message.id,
    createdAt: message.createdAt,
  }));
}

/** Index a sent message. */
export const indexMessage = (index: SearchIndexStore, message: MessageRecord) => index.put(entriesOf(message));

/** Re-index an edited message: the words it lost are removed, the ones it gained added. */
export async function reindexMessage(index: SearchIndexStore, before: MessageRecord, after: MessageRecord): Promise<void> {
  const old = entriesOf(before);
  const next = entriesOf(after);
  const kept = new Set(next.map((e) => e.term));
  const had = new Set(old.map((e) => e.term));
  await index.remove(old.filter((e) => !kept.has(e.term)));
  await index.put(next.filter((e) => !had.has(e.term)));
}

/** Remove a deleted message's entries. */
export const unindexMessage = (index: SearchIndexStore, message: MessageRecord) => index.remove(entriesOf(message));

/** sendMessage, then its index entries (a retried send writes the same entries again: harmless). */
export async function sendMessageIndexed(
  store: MessageStore,
  index: SearchIndexStore,
  caller: CallerIdentity,
  input: SendMessageInput,
  clock?: Clock,
  files?: AttachmentMover | null,
): Promise<SentMessage> {
  // A file's message is indexed by its caption only (the content); the file is not read for words.
  const sent = await sendMessage(store, caller, input, clock, files ?? null);
  await index.put(entriesOf({ ...sent, id: sent.messageId }));
  return sent;
}

/** editMessage, then the words it lost and gained. */
export async function editMessageIndexed(
  store: MessageStore,
  index: SearchIndexStore,
  caller: CallerIdentity,
  input: { messageId: string; content: string },
  clock?: Clock,
): Promise<MessageRecord> {
  const before = await store.getMessage(requiredId(input.messageId, 'messageId'));
  const after = await editMessage(store, caller, input, clock);
  if (before && before.content !== after.content) await reindexMessage(index, before, after);
  return after;
}

/** removeMessage, then its entries. */
export async function removeMessageIndexed(store: MessageStore, index: SearchIndexStore, caller: CallerIdentity, input: { messageId: string }, clock?: Clock): Promise<MessageRecord> {
  const deleted = await removeMessage(store, caller, input, clock);
  await unindexMessage(index, deleted);
  return deleted;
}

export interface SearchInput {
  query?: unknown;
  conversationIds?: unknown;
  limit?: unknown;
  nextToken?: unknown;
}

export interface SearchHit {
  conversationId: string;
  conversationName: string | null;
  messageId: string;
  createdAt: string;
  sender: string;
  snippet: string;
  /** The normalized query words (the client highlights them). */
  terms: string[];
}

export interface SearchPage {
  items: SearchHit[];
  nextToken: string | null;
}

/** Where each conversation's search stands: its position (null: from the newest). */
interface Cursor {
  q: string[];
  c: Record<string, string | null>;
}

const POSITION = /^\d{4}-\d\d-\d\dT[\d:.]+Z#[\w:.-]{1,300}$/;

function encodeToken(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

const badToken = () => new ChatError('ValidationError', 'nextToken is not valid for this query');

function decodeToken(token: string, terms: string[]): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badToken();
  }
  const cursor = parsed as Partial<Cursor> | null;
  if (!cursor || !Array.isArray(cursor.q) || cursor.q.join('\u0000') !== terms.join('\u0000')) throw badToken();
  if (!cursor.c || typeof cursor.c !== 'object' || Array.isArray(cursor.c)) throw badToken();
  const entries = Object.entries(cursor.c);
  if (entries.length === 0 || entries.length > MAX_SEARCH_CONVERSATIONS) throw badToken();
  for (const [id, position] of entries) {
    if (id === '' || (position !== null && (typeof position !== 'string' || !POSITION.test(position)))) throw badToken();
  }
  return { q: terms, c: cursor.c as Record<string, string | null> };
}

function queryTerms(query: unknown): string[] {
  if (typeof query !== 'string') throw new ChatError('ValidationError', 'query is required');
  const terms = termsOf(query, MAX_QUERY_TERMS + 1);
  if (terms.length === 0) throw new ChatError('ValidationError', 'query needs a word of at least 2 letters or digits');
  if (terms.length > MAX_QUERY_TERMS) throw new ChatError('ValidationError', `query has more than ${MAX_QUERY_TERMS} words`);
  return terms;
}

function searchLimit(limit: unknown): number {
  if (limit === undefined || limit === null) return MAX_SEARCH_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new ChatError('ValidationError', `limit must be 1 to ${MAX_SEARCH_LIMIT}`);
  }
  return limit;
}

function startingCursor(conversationIds: unknown, terms: string[]): Cursor {
  if (!Array.isArray(conversationIds) || conversationIds.length === 0) throw new ChatError('ValidationError', 'conversationIds is required');
  const ids = [...new Set(conversationIds)];
  if (ids.length > MAX_SEARCH_CONVERSATIONS) throw new ChatError('ValidationError', `at most ${MAX_SEARCH_CONVERSATIONS} conversations per search`);
  if (ids.some((id) => typeof id !== 'string' || id === '')) throw new ChatError('ValidationError', 'conversationIds must be ids');
  return { q: terms, c: Object.fromEntries(ids.map((id) => [id as string, null])) };
}

/** A snippet of the content around the first query word. */
export function snippetOf(content: string, terms: string[]): string {
  if (content.length <= SNIPPET_LENGTH) return content;
  const folded = content.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const found = terms.map((t) => folded.indexOf(t)).filter((i) => i >= 0);
  // Folding keeps the positions only when it changes no length (composed accents); otherwise the snippet starts at the beginning.
  const at = found.length > 0 && folded.length === content.length ? Math.min(...found) : 0;
  const start = Math.max(0, Math.min(at - 30, content.length - SNIPPET_LENGTH));
  return `${start > 0 ? '…' : ''}${content.slice(start, start + SNIPPET_LENGTH)}${start + SNIPPET_LENGTH < content.length ? '…' : ''}`;
}

interface Candidate {
  entry: SearchEntry;
  matches: boolean;
}

/**
 * searchMessages: the caller's hits in the named conversations (first page) or the token's (next pages), newest first.
 * Each conversation is checked on every page (a removed member, or a forged token naming someone else's conversation,
 * finds nothing there: it is dropped). Per conversation, one Query reads up to `limit` entries of the query's longest
 * word after the conversation's position; the other words are checked by GetItem on their (word, message) entry.
 * The pages merge newest first; a conversation that has older entries bounds what may be returned (nothing older than
 * what it has read), so a page may hold fewer than `limit` hits while `nextToken` is set.
 */
export async function searchMessages(store: MessageStore, index: SearchIndexStore, caller: CallerIdentity, input: SearchInput): Promise<SearchPage> {
  const terms = queryTerms(input.query);
  const limit = searchLimit(input.limit);
  const cursor = input.nextToken === undefined || input.nextToken === null ? startingCursor(input.conversationIds, terms) : decodeToken(String(input.nextToken), terms);
  const driver = [...terms].sort((a, b) => b.length - a.length)[0]!;
  const others = terms.filter((t) => t !== driver);

  const names = new Map<string, string | null>();
  const read = new Map<string, { candidates: Candidate[]; more: boolean }>();
  for (const [conversationId, position] of Object.entries(cursor.c)) {
    const conversation = await store.getConversation(conversationId);
    if (!conversation || !isListedOwner(conversation.participants, caller)) continue;
    names.set(conversationId, conversation.name ?? null);
    const page = await index.newest(termKey(conversationId, driver), position, limit);
    const candidates: Candidate[] = [];
    for (const entry of page.entries) {
      let matches = true;
      for (const other of others) {
        if (!(await index.has({ term: termKey(conversationId, other), position: entry.position }))) {
          matches = false;
          break;
        }
      }
      candidates.push({ entry, matches });
    }
    read.set(conversationId, { candidates, more: page.more });
  }

  // Nothing older than the oldest entry read of a conversation with more may be returned on this page.
  let floor = '';
  for (const { candidates, more } of read.values()) {
    const last = candidates.at(-1);
    if (more && last && last.entry.position > floor) floor = last.entry.position;
  }
  const matched = [...read.values()]
    .flatMap((r) => r.candidates.filter((c) => c.matches && c.entry.position >= floor).map((c) => c.entry))
    .sort((a, b) => (a.position < b.position ? 1 : -1))
    .slice(0, limit);

  const items: SearchHit[] = [];
  for (const entry of matched) {
    const message = await store.getMessage(entry.messageId);
    // An entry of a message removed since (or moved): skipped.
    if (!message || message.conversationId !== entry.conversationId) continue;
    items.push({
      conversationId: entry.conversationId,
      conversationName: names.get(entry.conversationId) ?? null,
      messageId: message.id,
      createdAt: message.createdAt,
      sender: message.sender,
      snippet: snippetOf(message.content, terms),
      terms,
    });
  }

  // Each conversation's next position: past what was returned, and past every entry read before its first match not returned.
  const returned = new Set(matched.map((e) => e.position));
  const next: Record<string, string | null> = {};
  for (const [conversationId, { candidates, more }] of read) {
    let position = cursor.c[conversationId] ?? null;
    let done = !more;
    for (const candidate of candidates) {
      if (candidate.matches && !returned.has(candidate.entry.position)) {
        done = false;
        break;
      }
      position = candidate.entry.position;
    }
    if (!done) next[conversationId] = position;
  }
  return { items, nextToken: Object.keys(next).length > 0 ? encodeToken({ q: terms, c: next }) : null };
}
