import { useEffect, useRef, useState } from 'react';
import { client } from '../data-client';
import { createEventHub, type EventSource } from '../state/event-hub';
import { startQueue } from '../state/start-queue';
import { connectionMonitor } from './connection-monitor';
import { MESSAGE_FEED_SUBSCRIPTION, subscribeWithRetry, type ConversationEventRecord } from './amplify-helpers';

/** Every conversation event for the signed-in user, as delivered (at least once, in no guaranteed order). */
export type ConversationFeed = EventSource<ConversationEventRecord>;

/**
 * The one onMyConversations subscription of the session: the backend publishes every conversation event (created,
 * message sent, edited or removed, typing) to the conversation's participants and AppSync delivers only events whose
 * participants include the subscriber. Everything that follows these events (timelines, unread counts, the
 * conversation list) listens to the returned feed, so there is one subscription, opened once for the session: switching
 * conversations never opens a gap, and its acknowledgement is the connection monitor's sentinel (events flow).
 */
export function useConversationFeed(): ConversationFeed {
  const [hub] = useState(() => createEventHub<ConversationEventRecord>());
  // Through the start queue like every start-up query of the chat, and asked for first (ChatApp calls this hook before
  // the others), so it is opened before any list query is sent.
  useEffect(
    () =>
      startQueue.start(() =>
        subscribeWithRetry<ConversationEventRecord>(
          () => client.subscriptions[MESSAGE_FEED_SUBSCRIPTION](),
          (event) => hub.publish(event),
          () => connectionMonitor.reportSubscriptionFailure(),
        ),
      ),
    [hub],
  );
  return hub;
}

/** Calls `handler` (its latest version) with every event of the feed while the component is mounted. */
export function useFeedEvents(feed: ConversationFeed, handler: (event: ConversationEventRecord) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => feed.listen((event) => ref.current(event)), [feed]);
}
