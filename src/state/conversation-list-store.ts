import { applyConversationEvent, type ConversationEventInput } from './conversation-events';
import { mergeConversations, removeConversation, upsertConversation, type ListedConversation } from './conversation-list';

/**
 * The conversation list of a session, outside React (useConversations reads it with useSyncExternalStore): listed,
 * kept current by conversation events and answers, listed again when it is behind.
 *
 * - One listing at a time: requests made during one (an event naming an unknown conversation, the connection coming
 *   back, the user's "Try again") run once after it, so the last request is always followed by a complete listing
 *   that started after it, and never more than one waits.
 * - An event about a conversation the list lacks asks for one listing per conversation, not one per event: the ids
 *   already listed for are remembered until a listing fails, the connection comes back or the user reloads.
 * - A visible listing (the first, and "Try again") shows loading and its error; a background one that fails keeps a
 *   list that is shown, and a failed listing with another queued behind it leaves the outcome to that one.
 */

export type LoadStatus = 'loading' | 'ready' | 'error';

export interface ConversationListSnapshot {
  /** In no particular order (the view sorts). */
  readonly conversations: readonly ListedConversation[];
  readonly status: LoadStatus;
  readonly error: string | null;
}

export interface ConversationListStore {
  getSnapshot(): ConversationListSnapshot;
  /** Calls `listener` after every change of the snapshot; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  /** Lists the conversations (visible: shows loading and errors). */
  load(visible: boolean): void;
  /** One conversation event as the feed delivers it. */
  receive(event: ConversationEventInput): void;
  /** Real-time events flow again after a gap: what was missed is listed. */
  reconnected(): void;
  /** The user asks to list again (visible). */
  reload(): void;
  /** A conversation from an answer (createConversation, a membership change). */
  upsert(conversation: ListedConversation): void;
  /** A conversation the user left. */
  drop(conversationId: string): void;
}

export interface ConversationListSource {
  /** The signed-in user's id (a MEMBERS_CHANGED without them drops the conversation). */
  me: string;
  /** Every conversation of the user (all pages). */
  list(): Promise<readonly ListedConversation[]>;
  /** The text shown for a failed listing. */
  errorText(error: unknown): string;
}

export function createConversationListStore(source: ConversationListSource): ConversationListStore {
  let snapshot: ConversationListSnapshot = { conversations: [], status: 'loading', error: null };
  const listeners = new Set<() => void>();
  const relistedFor = new Set<string>();
  let listing = false;
  let waiting: { visible: boolean } | null = null;

  function set(change: Partial<ConversationListSnapshot>): void {
    const next = { ...snapshot, ...change };
    if (next.conversations === snapshot.conversations && next.status === snapshot.status && next.error === snapshot.error) return;
    snapshot = next;
    for (const listener of [...listeners]) listener();
  }

  async function list(visible: boolean): Promise<void> {
    if (visible) set({ status: snapshot.status === 'error' ? 'loading' : snapshot.status, error: null });
    try {
      const fetched = await source.list();
      set({ conversations: mergeConversations(snapshot.conversations, fetched), status: 'ready', error: null });
    } catch (reason) {
      relistedFor.clear();
      if (waiting) return;
      if (snapshot.status === 'ready' && !visible) return;
      set({ status: 'error', error: source.errorText(reason) });
    }
  }

  function load(visible: boolean): void {
    if (listing) {
      waiting = { visible: visible || (waiting?.visible ?? false) };
      return;
    }
    listing = true;
    void list(visible).finally(() => {
      listing = false;
      const next = waiting;
      waiting = null;
      if (next) load(next.visible);
    });
  }

  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    load,
    receive(event) {
      const outcome = applyConversationEvent(snapshot.conversations, event, source.me);
      set({ conversations: outcome.list });
      if (outcome.relist && !relistedFor.has(event.conversationId)) {
        relistedFor.add(event.conversationId);
        load(false);
      }
    },
    reconnected() {
      relistedFor.clear();
      load(false);
    },
    reload() {
      relistedFor.clear();
      load(true);
    },
    upsert(conversation) {
      set({ conversations: upsertConversation(snapshot.conversations, conversation) });
    },
    drop(conversationId) {
      set({ conversations: removeConversation(snapshot.conversations, conversationId) });
    },
  };
}
