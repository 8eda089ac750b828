import {
  addPending,
  applyRemoval,
  applyThreadSummary,
  createTimeline,
  discardPending,
  markFailed,
  markRetrying,
  mergeMessages,
  setUploaded,
  setUploadProgress,
  newestConfirmedCreatedAt,
  type IncomingMessage,
  type PendingDraft,
  type Timeline,
} from '../chat/messages';
import type { ThreadSummary } from '../chat/threads';
import { emptyPagedList, failLoad, receivePage, startLoad, type PagedList } from '../chat/pagination';

/**
 * The messages of every conversation opened in this session, for one React reducer: each
 * conversation's timeline (src/chat/messages.ts), its history paging (src/chat/pagination.ts) and
 * the gap to catch up after the real-time connection was lost.
 *
 * Gap rules: when the connection drops, each loaded conversation records where to resume
 * (newestConfirmedCreatedAt, read at that moment). A first page that arrives while events are not
 * flowing records the same. A catch-up clears the gap only if no newer disruption happened while it
 * was in flight (`version`).
 */

export interface Gap {
  /** Fetch messages with createdAt >= cursor; null: nothing confirmed yet, fetch from the start. */
  readonly cursor: string | null;
  readonly version: number;
}

export interface ConversationMessages {
  readonly timeline: Timeline;
  /** History paging, newest page first; items are message ids. */
  readonly pages: PagedList<string>;
  readonly gap: Gap | null;
  /** The catch-up in flight, for the gap version it started with. */
  readonly catchUp: { readonly requestId: string; readonly gapVersion: number } | null;
  readonly catchUpError: string | null;
  /** The connection dropped while the first page was loading: its answer may predate a gap. */
  readonly disruptedWhileLoading: boolean;
}

export interface MessageStore {
  readonly conversations: ReadonlyMap<string, ConversationMessages>;
  /** Source of gap versions. */
  readonly gapCounter: number;
}

export type MessageStoreAction =
  | { readonly type: 'pageStarted'; readonly conversationId: string; readonly requestId: string }
  | {
      readonly type: 'pageReceived';
      readonly conversationId: string;
      readonly requestId: string;
      readonly items: readonly IncomingMessage[];
      readonly nextToken: string | null;
      /** Whether real-time events were flowing when the answer arrived. */
      readonly live: boolean;
    }
  | { readonly type: 'pageFailed'; readonly conversationId: string; readonly requestId: string; readonly error: string }
  | { readonly type: 'received'; readonly items: readonly IncomingMessage[] }
  | { readonly type: 'disrupted' }
  | { readonly type: 'live' }
  | { readonly type: 'catchUpStarted'; readonly conversationId: string; readonly requestId: string }
  | {
      readonly type: 'catchUpReceived';
      readonly conversationId: string;
      readonly requestId: string;
      readonly items: readonly IncomingMessage[];
    }
  | { readonly type: 'catchUpFailed'; readonly conversationId: string; readonly requestId: string; readonly error: string }
  | { readonly type: 'catchUpErrorDismissed'; readonly conversationId: string }
  | { readonly type: 'sendStarted'; readonly conversationId: string; readonly draft: PendingDraft }
  | { readonly type: 'sendRetried'; readonly conversationId: string; readonly clientMessageId: string }
  /** An attachment message's upload: its percentage, then its staging key. */
  | { readonly type: 'uploadProgress'; readonly conversationId: string; readonly clientMessageId: string; readonly percent: number }
  | { readonly type: 'uploadFinished'; readonly conversationId: string; readonly clientMessageId: string; readonly path: string }
  | { readonly type: 'sendConfirmed'; readonly message: IncomingMessage }
  | { readonly type: 'sendFailed'; readonly conversationId: string; readonly clientMessageId: string; readonly error: string }
  | { readonly type: 'sendDiscarded'; readonly conversationId: string; readonly clientMessageId: string }
  /** The answer to this client's editMessage. */
  | { readonly type: 'edited'; readonly message: IncomingMessage }
  /** The answer to this client's removeMessage. */
  | { readonly type: 'removed'; readonly conversationId: string; readonly messageId: string }
  /** A thread reply's event: its root's counts now. */
  | { readonly type: 'threadSummary'; readonly conversationId: string; readonly rootId: string; readonly summary: ThreadSummary };

export function emptyMessageStore(): MessageStore {
  return { conversations: new Map(), gapCounter: 0 };
}

export function emptyConversationMessages(conversationId: string): ConversationMessages {
  return {
    timeline: createTimeline(conversationId),
    pages: emptyPagedList<string>(),
    gap: null,
    catchUp: null,
    catchUpError: null,
    disruptedWhileLoading: false,
  };
}

/** The entry of a conversation (an empty one when it was never opened). */
export function conversationMessages(store: MessageStore, conversationId: string): ConversationMessages {
  return store.conversations.get(conversationId) ?? emptyConversationMessages(conversationId);
}

/** True once the first (newest) page came back. */
export function firstPageLoaded(entry: ConversationMessages): boolean {
  return entry.pages.exhausted || entry.pages.nextToken !== null;
}

/** True when a catch-up should start now: a gap, none in flight, no unacknowledged failure, events flowing. */
export function needsCatchUp(entry: ConversationMessages, live: boolean): boolean {
  return live && entry.gap !== null && entry.catchUp === null && entry.catchUpError === null && firstPageLoaded(entry);
}

export function messageStoreReducer(store: MessageStore, action: MessageStoreAction): MessageStore {
  switch (action.type) {
    case 'pageStarted':
      return update(store, action.conversationId, (entry) => {
        const pages = startLoad(entry.pages, action.requestId);
        return pages === entry.pages ? entry : { ...entry, pages };
      });

    case 'pageReceived':
      return updateExisting(store, action.conversationId, (entry) => {
        const first = !firstPageLoaded(entry);
        const pages = receivePage(entry.pages, action.requestId, {
          items: action.items.map((m) => m.id),
          nextToken: action.nextToken,
        }, (id) => id);
        if (pages === entry.pages) return { entry };
        const timeline = mergeMessages(entry.timeline, action.items, first ? 'list' : 'history');
        const next: ConversationMessages = { ...entry, pages, timeline, disruptedWhileLoading: false };
        if (first && (!action.live || entry.disruptedWhileLoading) && next.gap === null) {
          return { entry: { ...next, gap: { cursor: newestConfirmedCreatedAt(timeline), version: store.gapCounter + 1 } }, newGap: true };
        }
        return { entry: next };
      });

    case 'pageFailed':
      return updateExisting(store, action.conversationId, (entry) => {
        const pages = failLoad(entry.pages, action.requestId, action.error);
        return { entry: pages === entry.pages ? entry : { ...entry, pages } };
      });

    case 'received': {
      let changed = false;
      const conversations = new Map(store.conversations);
      for (const [conversationId, entry] of store.conversations) {
        const items = action.items.filter((m) => m.conversationId === conversationId);
        if (items.length === 0) continue;
        const timeline = mergeMessages(entry.timeline, items, 'subscription');
        if (timeline === entry.timeline) continue;
        conversations.set(conversationId, { ...entry, timeline });
        changed = true;
      }
      return changed ? { ...store, conversations } : store;
    }

    case 'disrupted': {
      const version = store.gapCounter + 1;
      const conversations = new Map(store.conversations);
      for (const [conversationId, entry] of store.conversations) {
        if (!firstPageLoaded(entry)) {
          if (entry.pages.loading) conversations.set(conversationId, { ...entry, disruptedWhileLoading: true });
          continue;
        }
        // An existing gap keeps its (older) cursor; the new version stops an in-flight catch-up from clearing it.
        const cursor = entry.gap ? entry.gap.cursor : newestConfirmedCreatedAt(entry.timeline);
        conversations.set(conversationId, { ...entry, gap: { cursor, version } });
      }
      return { conversations, gapCounter: version };
    }

    case 'live': {
      // A fresh connection: failed catch-ups may be tried again.
      let changed = false;
      const conversations = new Map(store.conversations);
      for (const [conversationId, entry] of store.conversations) {
        if (entry.catchUpError === null) continue;
        conversations.set(conversationId, { ...entry, catchUpError: null });
        changed = true;
      }
      return changed ? { ...store, conversations } : store;
    }

    case 'catchUpStarted':
      return updateExisting(store, action.conversationId, (entry) => {
        if (!entry.gap || entry.catchUp) return { entry };
        return { entry: { ...entry, catchUp: { requestId: action.requestId, gapVersion: entry.gap.version }, catchUpError: null } };
      });

    case 'catchUpReceived':
      return updateExisting(store, action.conversationId, (entry) => {
        if (entry.catchUp?.requestId !== action.requestId) return { entry };
        const timeline = mergeMessages(entry.timeline, action.items, 'catch-up');
        const closed = entry.gap?.version === entry.catchUp.gapVersion;
        return { entry: { ...entry, timeline, catchUp: null, gap: closed ? null : entry.gap } };
      });

    case 'catchUpFailed':
      return updateExisting(store, action.conversationId, (entry) => {
        if (entry.catchUp?.requestId !== action.requestId) return { entry };
        return { entry: { ...entry, catchUp: null, catchUpError: action.error } };
      });

    case 'catchUpErrorDismissed':
      return updateExisting(store, action.conversationId, (entry) =>
        ({ entry: entry.catchUpError === null ? entry : { ...entry, catchUpError: null } }));

    case 'sendStarted':
      return updateTimeline(store, action.conversationId, (t) => addPending(t, action.draft), true);

    case 'sendRetried':
      return updateTimeline(store, action.conversationId, (t) => markRetrying(t, action.clientMessageId));

    case 'uploadProgress':
      return updateTimeline(store, action.conversationId, (t) => setUploadProgress(t, action.clientMessageId, action.percent));

    case 'uploadFinished':
      return updateTimeline(store, action.conversationId, (t) => setUploaded(t, action.clientMessageId, action.path));

    case 'sendConfirmed':
      return updateTimeline(store, action.message.conversationId, (t) => mergeMessages(t, [action.message], 'send'));

    case 'sendFailed':
      return updateTimeline(store, action.conversationId, (t) => markFailed(t, action.clientMessageId, action.error));

    case 'sendDiscarded':
      return updateTimeline(store, action.conversationId, (t) => discardPending(t, action.clientMessageId));

    case 'edited':
      return updateTimeline(store, action.message.conversationId, (t) => mergeMessages(t, [action.message], 'send'));

    case 'removed':
      return updateTimeline(store, action.conversationId, (t) => applyRemoval(t, action.messageId));

    case 'threadSummary':
      return updateTimeline(store, action.conversationId, (t) => applyThreadSummary(t, action.rootId, action.summary));
  }
}

function update(
  store: MessageStore,
  conversationId: string,
  change: (entry: ConversationMessages) => ConversationMessages,
): MessageStore {
  const entry = conversationMessages(store, conversationId);
  const next = change(entry);
  if (next === entry && store.conversations.has(conversationId)) return store;
  return { ...store, conversations: new Map(store.conversations).set(conversationId, next) };
}

function updateExisting(
  store: MessageStore,
  conversationId: string,
  change: (entry: ConversationMessages) => { entry: ConversationMessages; newGap?: boolean },
): MessageStore {
  const entry = store.conversations.get(conversationId);
  if (!entry) return store;
  const result = change(entry);
  if (result.entry === entry) return store;
  return {
    conversations: new Map(store.conversations).set(conversationId, result.entry),
    gapCounter: result.newGap ? store.gapCounter + 1 : store.gapCounter,
  };
}

function updateTimeline(
  store: MessageStore,
  conversationId: string,
  change: (timeline: Timeline) => Timeline,
  create = false,
): MessageStore {
  const entry = create ? conversationMessages(store, conversationId) : store.conversations.get(conversationId);
  if (!entry) return store;
  const timeline = change(entry.timeline);
  if (timeline === entry.timeline) return store;
  return { ...store, conversations: new Map(store.conversations).set(conversationId, { ...entry, timeline }) };
}
