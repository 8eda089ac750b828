import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { sortByRecentActivity } from '../chat/conversations';
import { client } from '../data-client';
import { mergeConversations, removeConversation, upsertConversation } from '../state/conversation-list';
import { errorText, throwIfErrors } from '../state/errors';
import { listAll, subscribeWithRetry, type ConversationRecord } from './amplify-helpers';
import { useConnectionEvents } from './useConnectionState';

export type LoadStatus = 'loading' | 'ready' | 'error';

export interface Conversations {
  /** The user's conversations, most recent activity first. */
  readonly conversations: readonly ConversationRecord[];
  readonly status: LoadStatus;
  readonly error: string | null;
  reload(): void;
  /** Creates a conversation with these user ids (the caller included) and an optional name. */
  create(participantIds: readonly string[], name: string | null): Promise<ConversationRecord>;
}

/**
 * The signed-in user's conversations: listed (the API returns only the caller's), kept current by
 * onCreate/onUpdate/onDeleteConversation (delivered to participants only), and listed again whenever
 * real-time events start flowing again after a gap.
 */
export function useConversations(): Conversations {
  const [records, setRecords] = useState<ConversationRecord[]>([]);
  const [status, setStatus] = useState<LoadStatus>('loading');
  const [error, setError] = useState<string | null>(null);
  const loadSeq = useRef(0);

  const load = useCallback(async (visible: boolean) => {
    const seq = ++loadSeq.current;
    if (visible) {
      setStatus((current) => (current === 'error' ? 'loading' : current));
      setError(null);
    }
    try {
      const fetched = await listAll<ConversationRecord>((nextToken) =>
        client.models.Conversation.list({ limit: 100, nextToken }),
      );
      setRecords((current) => mergeConversations(current, fetched));
      setStatus('ready');
    } catch (reason) {
      // A newer load is under way; a background refresh that fails keeps what is shown.
      if (seq !== loadSeq.current) return;
      setStatus((current) => (current === 'ready' && !visible ? current : 'error'));
      setError(errorText(reason));
    }
  }, []);

  useEffect(() => {
    void load(true);
    const upsert = (record: ConversationRecord) => setRecords((current) => upsertConversation(current, record));
    const stops = [
      subscribeWithRetry<ConversationRecord>(() => client.models.Conversation.onCreate(), upsert),
      subscribeWithRetry<ConversationRecord>(() => client.models.Conversation.onUpdate(), upsert),
      subscribeWithRetry<ConversationRecord>(
        () => client.models.Conversation.onDelete(),
        (record) => setRecords((current) => removeConversation(current, record.id)),
      ),
    ];
    return () => stops.forEach((stop) => stop());
  }, [load]);

  useConnectionEvents((event) => {
    if (event === 'live') void load(false);
  });

  const reload = useCallback(() => void load(true), [load]);

  const create = useCallback(async (participantIds: readonly string[], name: string | null) => {
    const result = await client.models.Conversation.create({
      participants: [...new Set(participantIds)],
      name: name?.trim() ? name.trim() : null,
    });
    throwIfErrors(result);
    const record = result.data;
    if (!record) throw new Error('The conversation was not created.');
    setRecords((current) => upsertConversation(current, record));
    return record;
  }, []);

  const conversations = useMemo(() => sortByRecentActivity(records), [records]);
  return { conversations, status, error, reload, create };
}
