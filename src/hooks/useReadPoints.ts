import { useCallback, useEffect, useRef, useState } from 'react';
import { applyReadPoints, covers, emptyReadPoints, type ReadPoint, type ReadPoints } from '../chat/read-points';
import { client } from '../data-client';
import { throwIfErrors } from '../state/errors';
import { createReadOutbox, type ReadOutbox } from '../state/read-outbox';
import { startQueue } from '../state/start-queue';
import { listAll, pageOf } from './amplify-helpers';
import { useConnectionEvents } from './useConnectionState';
import { useFeedEvents, type ConversationFeed } from './useConversationFeed';

/** Read points per index or key request (it pages until done). */
const PAGE_SIZE = 200;
/** How long a read waits for more before it is sent: a burst of arriving messages becomes one markRead. */
const MARK_DELAY_MS = 400;

export interface ReadPointsState {
  /** Every read point known in this session (the user's in every conversation; everyone's in conversations opened). */
  readonly points: ReadPoints;
  /** Whether the user's own read points have been read from the server (unread counts wait for them). */
  readonly ready: boolean;
  /** The conversation was read up to this message: held at once, sent to the server (debounced, one call in flight). */
  markRead(conversationId: string, messageId: string, createdAt: string): void;
}

/**
 * Read points from the server: the user's own in every conversation at sign-in (listMyReadPoints, one query),
 * every member’s of the open conversation (listConversationReadPoints, by its key), kept current by the READ events of the
 * session's conversation feed — which also carry the user's reads on other devices. After a connection gap everything
 * is read again. A read is held locally at once (an optimistic cache: points only move forward, so the server's answer
 * or event can only confirm or pass it) and sent through a ReadOutbox (state/read-outbox.ts): one markRead per pause
 * and conversation, never one per message of a burst, never when the server's point already covers it.
 */
export function useReadPoints(feed: ConversationFeed, me: string, activeConversationId: string | null): ReadPointsState {
  const [points, setPoints] = useState<ReadPoints>(emptyReadPoints);
  const [ready, setReady] = useState(false);
  const pointsRef = useRef(points);
  /** The user's read point per conversation as the server has it (reads, events, answers). */
  const [confirmed] = useState(() => new Map<string, string>());
  const apply = useCallback(
    (conversationId: string, incoming: readonly ReadPoint[], fromServer = true) => {
      if (fromServer) {
        for (const point of incoming) {
          if (point.userId === me && !covers(confirmed.get(conversationId), point.readAt)) confirmed.set(conversationId, point.readAt);
        }
      }
      const next = applyReadPoints(pointsRef.current, conversationId, incoming);
      if (next === pointsRef.current) return;
      pointsRef.current = next;
      setPoints(next);
    },
    [me, confirmed],
  );

  const [generation, setGeneration] = useState(0);
  const disrupted = useRef(false);
  useConnectionEvents((event) => {
    if (event === 'disrupted') disrupted.current = true;
    else if (disrupted.current) {
      disrupted.current = false;
      setGeneration((current) => current + 1);
    }
  });

  useFeedEvents(feed, (event) => {
    if (event.type !== 'READ' || !event.messageId || !event.readAt) return;
    apply(event.conversationId, [{ userId: event.userId, messageId: event.messageId, readAt: event.readAt }]);
  });

  // The user's own read points, every conversation: one index query.
  // Sent from the start queue (src/state/start-queue.ts): after the feed's subscription, in a task of its own.
  useEffect(
    () =>
      startQueue.start(() => {
        let current = true;
        listAll((nextToken) => client.queries.listMyReadPoints({ limit: PAGE_SIZE, nextToken }).then(pageOf))
          .then((items) => {
            if (!current) return;
            for (const item of items) apply(item.conversationId, [{ userId: item.userId, messageId: item.messageId, readAt: item.readAt }]);
            setReady(true);
          })
          .catch(() => {
            // Read again after the next connection gap; until then the counts stay at 0 rather than counting everything.
          });
        return () => {
          current = false;
        };
      }),
    [me, apply, generation],
  );

  // Every member's read point in the open conversation: one query on the table's key.
  useEffect(() => {
    if (!activeConversationId) return;
    return startQueue.start(() => {
      let current = true;
      listAll((nextToken) => client.queries.listConversationReadPoints({ conversationId: activeConversationId, limit: PAGE_SIZE, nextToken }).then(pageOf))
        .then((items) => {
          if (current) apply(activeConversationId, items.map((item) => ({ userId: item.userId, messageId: item.messageId, readAt: item.readAt })));
        })
        .catch(() => undefined);
      return () => {
        current = false;
      };
    });
  }, [activeConversationId, apply, generation]);

  const outbox = useRef<ReadOutbox | null>(null);
  useEffect(() => {
    const created = createReadOutbox({
      delayMs: MARK_DELAY_MS,
      confirmedReadAt: (conversationId) => confirmed.get(conversationId) ?? null,
      send: async (conversationId, point) => {
        const answer = await client.mutations.markRead({ conversationId, messageId: point.messageId });
        throwIfErrors(answer);
        if (answer.data) apply(conversationId, [{ userId: answer.data.userId, messageId: answer.data.messageId, readAt: answer.data.readAt }]);
      },
    });
    outbox.current = created;
    return () => {
      created.close();
      if (outbox.current === created) outbox.current = null;
    };
  }, [apply, confirmed]);

  const markRead = useCallback(
    (conversationId: string, messageId: string, createdAt: string) => {
      if (covers(confirmed.get(conversationId), createdAt)) return;
      const point: ReadPoint = { userId: me, messageId, readAt: createdAt };
      apply(conversationId, [point], false);
      outbox.current?.request(conversationId, point);
    },
    [apply, me, confirmed],
  );

  return { points, ready, markRead };
}
