import { useCallback, useEffect, useRef, useState } from 'react';
import type { TimelineMessage } from '../chat/messages';
import { applyFacts, applyPending, emptyReactions, factOf, replaceFacts, rollBack, type ReactionFact, type ReactionFacts } from '../chat/reactions';
import { compareTimestamps } from '../chat/timestamps';
import { client } from '../data-client';
import { errorText, throwIfErrors } from '../state/errors';
import { listAll, pageOf } from './amplify-helpers';
import { useConnectionEvents } from './useConnectionState';
import { useFeedEvents, type ConversationFeed } from './useConversationFeed';

/** Reactions per index request (it pages until done). */
const PAGE_SIZE = 200;

export interface Reactions {
  /** Every reaction fact known in this session (all conversations opened). */
  readonly facts: ReactionFacts;
  /** The last toggle that failed (rolled back), to show next to its message. */
  readonly failure: { readonly messageId: string; readonly text: string } | null;
  /** Adds or removes the user's `emoji` on a message at once; confirmed by the server or rolled back. */
  toggle(conversationId: string, messageId: string, emoji: string): void;
}

/**
 * The reactions of the open conversation's loaded messages: read with the messages' time range from the Reaction index
 * (listConversationReactions, one paged query per range — never one request per message), extended when older pages
 * load, and kept current by the REACTION events of the session's conversation feed. After a connection gap (events may
 * have been missed) the loaded range is read again and replaces what was held. Toggles are optimistic.
 */
export function useReactions(feed: ConversationFeed, conversationId: string | null, messages: readonly TimelineMessage[], me: string): Reactions {
  const [facts, setFacts] = useState<ReactionFacts>(emptyReactions);
  const [failure, setFailure] = useState<Reactions['failure']>(null);
  const factsRef = useRef(facts);
  const update = useCallback((change: (current: ReactionFacts) => ReactionFacts) => {
    factsRef.current = change(factsRef.current);
    setFacts(factsRef.current);
  }, []);
  /** Per conversation: the oldest message time whose reactions are read (everything newer is read or live). */
  const loadedFrom = useRef(new Map<string, string>());
  /** Bumped when events flow again after a gap: every range is read again, replacing what was held. */
  const [generation, setGeneration] = useState(0);
  const disrupted = useRef(false);
  const messagesRef = useRef(messages);
  useEffect(() => {
    messagesRef.current = messages;
  });
  useConnectionEvents((event) => {
    if (event === 'disrupted') disrupted.current = true;
    else if (disrupted.current) {
      disrupted.current = false;
      loadedFrom.current.clear();
      setGeneration((current) => current + 1);
    }
  });

  useFeedEvents(feed, (event) => {
    if (event.type !== 'REACTION' || !event.messageId || !event.emoji || typeof event.reacted !== 'boolean') return;
    update((current) => applyFacts(current, [{ messageId: event.messageId!, emoji: event.emoji!, userId: event.userId, reacted: event.reacted!, at: event.at }]));
  });

  let oldest: string | null = null;
  for (const message of messages) {
    if (message.status !== 'confirmed') continue;
    if (oldest === null || compareTimestamps(message.createdAt, oldest) < 0) oldest = message.createdAt;
  }

  useEffect(() => {
    if (!conversationId || !oldest) return;
    const from = loadedFrom.current.get(conversationId);
    if (from && compareTimestamps(oldest, from) >= 0) return;
    loadedFrom.current.set(conversationId, oldest);
    const range = from ? { from: oldest, to: from } : { from: oldest };
    const since = oldest;
    // A refresh after a gap: the read is the whole truth for the loaded messages.
    const ids = generation > 0 && !from ? new Set(messagesRef.current.filter((m) => m.status === 'confirmed' && compareTimestamps(m.createdAt, since) >= 0).map((m) => m.id)) : null;
    listAll((nextToken) =>
      client.queries.listConversationReactions({ conversationId, ...range, limit: PAGE_SIZE, nextToken }).then(pageOf),
    )
      .then((items) => {
        const read = items.map((item): ReactionFact => ({ messageId: item.messageId, emoji: item.emoji, userId: item.userId, reacted: true, at: item.createdAt ?? item.messageCreatedAt }));
        update((current) => (ids ? replaceFacts(current, ids, read) : applyFacts(current, read)));
      })
      .catch(() => {
        // Read again next time the range is asked for.
        if (loadedFrom.current.get(conversationId) === oldest) {
          if (from) loadedFrom.current.set(conversationId, from);
          else loadedFrom.current.delete(conversationId);
        }
      });
  }, [conversationId, oldest, generation, update]);

  const toggle = useCallback(
    (conversation: string, messageId: string, emoji: string) => {
      const previous = factOf(factsRef.current, messageId, emoji, me);
      const pending: ReactionFact = { messageId, emoji, userId: me, reacted: !(previous?.reacted ?? false), at: new Date().toISOString(), pending: true };
      update((current) => applyPending(current, pending));
      setFailure(null);
      client.mutations
        .toggleReaction({ conversationId: conversation, messageId, emoji, reacted: pending.reacted })
        .then((answer) => {
          throwIfErrors(answer);
          if (!answer.data) throw new Error('The reaction was not saved.');
          const { reacted, at } = answer.data;
          update((current) => applyFacts(current, [{ messageId, emoji, userId: me, reacted, at }], true));
        })
        .catch((reason: unknown) => {
          update((current) => rollBack(current, pending, previous));
          setFailure({ messageId, text: errorText(reason) });
        });
    },
    [me, update],
  );

  return { facts, failure, toggle };
}
