import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { IncomingMessage } from '../chat/messages';
import { createLocalStorageReadStore, createMemoryReadStore, markRead, type ReadMarkerStore } from '../chat/unread';
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
import { listAll, type MessageRecord } from './amplify-helpers';
import { connectionMonitor } from './connection-monitor';
import { useConnectionEvents } from './useConnectionState';

/** Unread messages counted per conversation at most (the badge shows 99+ beyond). */
const MAX_COUNTED = 100;

export interface Unread {
  /** Unread messages from others in a conversation (0 for the open one while it is being read). */
  countOf(conversationId: string): number;
  readonly total: number;
  /** Records that the conversation was read up to `readAt` (markers only move forward). */
  markRead(conversationId: string, readAt: string): void;
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

function openReadStore(me: string): ReadMarkerStore {
  try {
    return createLocalStorageReadStore(window.localStorage, `realtime-chat.read.${me}`);
  } catch {
    // localStorage itself can be unreachable (e.g. blocked storage): markers last for the session.
    return createMemoryReadStore();
  }
}

/**
 * Unread counts with read markers kept in localStorage (per user). A conversation with activity after
 * its marker that is not known yet gets its messages after the marker fetched (at most 100 counted);
 * live events keep the counts current; after a connection gap, everything is fetched again.
 */
export function useUnread(me: string, conversations: readonly ListedConversation[], activeConversationId: string | null): Unread {
  const readStore = useMemo(() => openReadStore(me), [me]);
  const [markersVersion, setMarkersVersion] = useState(0);
  const [tracker, dispatch] = useReducer(reducer, undefined, emptyUnreadTracker);
  const inFlight = useRef(new Set<string>());

  useConnectionEvents((event) => {
    if (event === 'disrupted') dispatch({ type: 'forgetKnown' });
  });

  useEffect(() => {
    for (const conversation of conversations) {
      const { id } = conversation;
      const marker = readStore.get(id);
      if (id === activeConversationId || inFlight.current.has(id) || !needsUnreadFetch(tracker, conversation, marker)) continue;
      inFlight.current.add(id);
      const through = conversation.lastMessageAt ?? null;
      listAll<MessageRecord>(
        (nextToken) =>
          client.models.Message.listMessagesByConversation(
            marker ? { conversationId: id, createdAt: { gt: marker } } : { conversationId: id },
            { sortDirection: 'DESC', limit: MAX_COUNTED, nextToken },
          ),
        MAX_COUNTED,
      )
        .then((messages) => dispatch({ type: 'record', conversationId: id, messages, me, through }))
        .catch(() => {
          // Counted again on the conversation's next change.
        })
        .finally(() => inFlight.current.delete(id));
    }
  }, [conversations, tracker, activeConversationId, readStore, me, markersVersion]);

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

  const markConversationRead = useCallback(
    (conversationId: string, readAt: string) => {
      const before = readStore.get(conversationId);
      markRead(readStore, conversationId, readAt);
      const after = readStore.get(conversationId);
      if (after === before) return;
      setMarkersVersion((v) => v + 1);
      dispatch({ type: 'prune', conversationId, lastReadAt: after });
    },
    [readStore],
  );

  const counts = useMemo(() => {
    void markersVersion;
    const result = new Map<string, number>();
    for (const conversation of conversations) {
      if (conversation.id === activeConversationId) continue;
      const count = unreadCount(tracker, conversation.id, me, readStore.get(conversation.id));
      if (count > 0) result.set(conversation.id, count);
    }
    return result;
  }, [conversations, tracker, me, readStore, activeConversationId, markersVersion]);

  const total = useMemo(() => [...counts.values()].reduce((sum, n) => sum + n, 0), [counts]);
  const countOf = useCallback((conversationId: string) => counts.get(conversationId) ?? 0, [counts]);
  return { countOf, total, markRead: markConversationRead, receive };
}
