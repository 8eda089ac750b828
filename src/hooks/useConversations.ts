import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { sortByRecentActivity } from '../chat/conversations';
import { client } from '../data-client';
import { listedConversation, type ListedConversation } from '../state/conversation-list';
import { createConversationListStore, type LoadStatus } from '../state/conversation-list-store';
import { errorText, throwIfErrors } from '../state/errors';
import { listAll, type ConversationRecord } from './amplify-helpers';
import { useFeedEvents, type ConversationFeed } from './useConversationFeed';
import { useConnectionEvents } from './useConnectionState';

export type { LoadStatus };

export interface Conversations {
  /** The user's conversations, most recent activity first. */
  readonly conversations: readonly ListedConversation[];
  readonly status: LoadStatus;
  readonly error: string | null;
  reload(): void;
  /** Creates a conversation with these user ids (the caller is always one) and an optional name. */
  create(participantIds: readonly string[], name: string | null): Promise<ListedConversation>;
}

/**
 * The signed-in user's conversations: listed (the API returns only the caller's), kept current by the conversation
 * events of the session's feed (CONVERSATION_CREATED adds one, MESSAGE_SENT moves its last message forward; see
 * src/state/conversation-events.ts), and listed again when an event names a conversation the list lacks and whenever
 * real-time events start flowing again after a gap (src/state/conversation-list-store.ts). Conversations are created
 * by the createConversation mutation.
 */
export function useConversations(feed: ConversationFeed): Conversations {
  const [store] = useState(() =>
    createConversationListStore({
      list: async () =>
        (await listAll<ConversationRecord>((nextToken) => client.models.Conversation.list({ limit: 100, nextToken }))).map(
          listedConversation,
        ),
      errorText,
    }),
  );
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);

  useEffect(() => store.load(true), [store]);

  useFeedEvents(feed, (event) => store.receive(event));

  useConnectionEvents((event) => {
    if (event === 'live') store.reconnected();
  });

  const reload = useCallback(() => store.reload(), [store]);

  const create = useCallback(
    async (participantIds: readonly string[], name: string | null) => {
      const result = await client.mutations.createConversation({
        input: { participants: [...new Set(participantIds)], name: name?.trim() ? name.trim() : null },
      });
      throwIfErrors(result);
      if (!result.data) throw new Error('The conversation was not created.');
      const conversation = listedConversation(result.data);
      store.upsert(conversation);
      return conversation;
    },
    [store],
  );

  const conversations = useMemo(() => sortByRecentActivity(snapshot.conversations), [snapshot.conversations]);
  return { conversations, status: snapshot.status, error: snapshot.error, reload, create };
}
