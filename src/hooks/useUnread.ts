import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { IncomingMessage } from '../chat/messages';
import { client } from '../data-client';
import {
  emptyUnreadTracker,
  forgetKnown,
  forgetMessage,
  needsUnreadFetch,
  pruneRead,
  recordLiveMessage,
  recordMessages,
  unreadCount,
  type UnreadMessage,
  type UnreadTracker,
} from '../state/unread-tracker';
import type { ListedConversation } from '../state/conversation-list';
import { startQueue } from '../state/start-queue';
import { listAll, pageOf, type MessageRecord } from './amplify-helpers';
import { connectionMonitor } from './connection-monitor';
import { useConnectionEvents } from './useConnectionState';

/** Unread messages counted per conversation at most (the badge shows 99+ beyond). */
const MAX_COUNTED = 100;

export interface Unread {
  /** Unread messages from others in a conversation (0 for the open one while it is being read). */
  countOf(conversationId: string): number;
  readonly total: number;
  /** Live events from the message feed. */
  receive(messages: IncomingMessage[]): void;
}

type Action =
  | { type: 'record'; conversationId: string; messages: UnreadMessage[]; me: string; through?: string | null }
  | { type: 'live'; message: IncomingMessage; me: string; continuous: boolean }
  | { type: 'forget'; messageId: string }
  | { type: 'forgetKnown' }
  | { type: 'prune'; conversationId: string; lastReadAt: string | null };

function reducer(tracker: UnreadTracker, action: Action): UnreadTracker {
  switch (action.type) {
    case 'record':
      return recordMessages(tracker, action.conversationId, action.messages, action.me, action.through);
    case 'live':
      return recordLiveMessage(tracker, action.message, action.me, action.continuous);
    case 'forget':
      return forgetMessage(tracker, action.messageId);
    case 'forgetKnown':
      return forgetKnown(tracker);
    case 'prune':
      return pruneRead(tracker, action.conversationId, action.lastReadAt);
  }
}

/**
 * Unread counts from the user's read points as the server keeps them (`readAts`: conversation id → readAt, from
 * useReadPoints, so every device of the user counts from the same points; `ready` once they are read). A conversation
 * with activity after its read point that is not known yet gets its messages after the point fetched (at most 100
 * counted: the badge says 99+); live events keep the counts current; a read point moving (here or on another device)
 * drops what it covers; after a connection gap, everything is fetched again.
 */
export function useUnread(
  me: string,
  conversations: readonly ListedConversation[],
  activeConversationId: string | null,
  readAts: ReadonlyMap<string, string>,
  ready: boolean,
): Unread {
  const [tracker, dispatch] = useReducer(reducer, undefined, emptyUnreadTracker);
  const inFlight = useRef(new Set<string>());

  useConnectionEvents((event) => {
    if (event === 'disrupted') dispatch({ type: 'forgetKnown' });
  });

  useEffect(() => {
    if (!ready) return;
    for (const conversation of conversations) {
      const { id } = conversation;
      const marker = readAts.get(id) ?? null;
      if (id === activeConversationId || inFlight.current.has(id) || !needsUnreadFetch(tracker, conversation, marker)) continue;
      inFlight.current.add(id);
      const through = conversation.lastMessageAt ?? null;
      // One conversation's count per task (src/state/start-queue.ts), not every conversation's request in this one.
      startQueue.start(() => {
        listAll<MessageRecord>(
          (nextToken) =>
            client.queries
              .listConversationMessages({ conversationId: id, ...(marker ? { after: marker } : {}), sortDirection: 'DESC', limit: MAX_COUNTED, nextToken })
              .then(pageOf),
          MAX_COUNTED,
        )
          .then((messages) => dispatch({ type: 'record', conversationId: id, messages, me, through }))
          .catch(() => {
            // Counted again on the conversation's next change.
          })
          .finally(() => inFlight.current.delete(id));
      });
    }
  }, [conversations, tracker, activeConversationId, readAts, me, ready]);

  const receive = useCallback(
    (messages: IncomingMessage[]) => {
      for (const message of messages) {
        if (message.deleted) {
          dispatch({ type: 'forget', messageId: message.id });
          continue;
        }
        dispatch({ type: 'live', message, me, continuous: connectionMonitor.getStatus().live });
      }
    },
    [me],
  );

  // A read point that moved (read here, or on another device) drops the messages it covers.
  useEffect(() => {
    for (const [conversationId, lastReadAt] of readAts) dispatch({ type: 'prune', conversationId, lastReadAt });
  }, [readAts]);

  const counts = useMemo(() => {
    const result = new Map<string, number>();
    if (!ready) return result;
    for (const conversation of conversations) {
      if (conversation.id === activeConversationId) continue;
      const count = unreadCount(tracker, conversation.id, me, readAts.get(conversation.id) ?? null);
      if (count > 0) result.set(conversation.id, count);
    }
    return result;
  }, [conversations, tracker, me, readAts, activeConversationId, ready]);

  const total = useMemo(() => [...counts.values()].reduce((sum, n) => sum + n, 0), [counts]);
  const countOf = useCallback((conversationId: string) => counts.get(conversationId) ?? 0, [counts]);
  return { countOf, total, receive };
}
