import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { sortByRecentActivity } from '../chat/conversations';
import { client } from '../data-client';
import type { ConversationKind, MemberRole } from '../../amplify/shared/members';
import { listedConversation, type ListedConversation } from '../state/conversation-list';
import { createConversationListStore, type LoadStatus } from '../state/conversation-list-store';
import { errorText, throwIfErrors } from '../state/errors';
import { startQueue } from '../state/start-queue';
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
  /** Owners: adds people to a group. */
  addMembers(conversationId: string, userIds: readonly string[]): Promise<void>;
  /** Owners: removes a member of a group. */
  removeMember(conversationId: string, userId: string): Promise<void>;
  /** Owners: makes a member an owner, or an owner a member. */
  setMemberRole(conversationId: string, userId: string, role: MemberRole): Promise<void>;
  /** Leaves a group: it leaves the list. */
  leave(conversationId: string): Promise<void>;
}

/** What the membership mutations answer: the conversation's members after the change. */
interface MembersAnswer {
  readonly data?: { readonly conversationId: string; readonly kind: ConversationKind; readonly participants: readonly string[]; readonly owners: readonly string[]; readonly at: string } | null;
  readonly errors?: readonly { message: string }[] | null;
}

/**
 * The signed-in user's conversations: listed (the API returns only the caller's), kept current by the conversation
 * events of the session's feed (CONVERSATION_CREATED adds one, MESSAGE_SENT moves its last message forward; see
 * src/state/conversation-events.ts), and listed again when an event names a conversation the list lacks and whenever
 * real-time events start flowing again after a gap (src/state/conversation-list-store.ts). Conversations are created
 * by the createConversation mutation.
 */
export function useConversations(feed: ConversationFeed, me: string): Conversations {
  const [store] = useState(() =>
    createConversationListStore({
      me,
      list: async () =>
        (await listAll<ConversationRecord>((nextToken) => client.models.Conversation.list({ limit: 100, nextToken }))).map(
          listedConversation,
        ),
      errorText,
    }),
  );
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);

  // After the feed's subscription (src/state/start-queue.ts), in a task of its own.
  useEffect(() => startQueue.start(() => store.load(true)), [store]);

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

  // A membership change's answer: the held conversation with its new members (the MEMBERS_CHANGED event says the same).
  const applyMembers = useCallback(
    (answer: MembersAnswer) => {
      throwIfErrors(answer);
      const members = answer.data;
      if (!members) throw new Error('The change was not made.');
      const held = store.getSnapshot().conversations.find((c) => c.id === members.conversationId);
      if (!held) return;
      store.upsert(listedConversation({ ...held, participants: members.participants, owners: members.owners, kind: members.kind, updatedAt: members.at }));
    },
    [store],
  );
  const addMembers = useCallback(
    async (conversationId: string, userIds: readonly string[]) => applyMembers(await client.mutations.addMembers({ conversationId, userIds: [...userIds] })),
    [applyMembers],
  );
  const removeMember = useCallback(
    async (conversationId: string, userId: string) => applyMembers(await client.mutations.removeMember({ conversationId, userId })),
    [applyMembers],
  );
  const setMemberRole = useCallback(
    async (conversationId: string, userId: string, role: MemberRole) => applyMembers(await client.mutations.setMemberRole({ conversationId, userId, role })),
    [applyMembers],
  );
  const leave = useCallback(
    async (conversationId: string) => {
      const answer = await client.mutations.leaveConversation({ conversationId });
      throwIfErrors(answer);
      store.drop(conversationId);
    },
    [store],
  );

  const conversations = useMemo(() => sortByRecentActivity(snapshot.conversations), [snapshot.conversations]);
  return { conversations, status: snapshot.status, error: snapshot.error, reload, create, addMembers, removeMember, setMemberRole, leave };
}
