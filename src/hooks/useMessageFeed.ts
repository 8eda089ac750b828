import { useEffect, useRef } from 'react';
import type { IncomingMessage } from '../chat/messages';
import { client } from '../data-client';
import { connectionMonitor } from './connection-monitor';
import { MESSAGE_FEED_SUBSCRIPTION, messageOfEvent, subscribeWithRetry, type ConversationEventRecord } from './amplify-helpers';

/**
 * The live message events of every conversation the user is in, on one subscription: onMyConversations (the
 * backend publishes each message sent, edited or removed to the conversation's participants; AppSync delivers only
 * events whose participants include the subscriber). One subscription for the whole session, so switching
 * conversations never opens a gap; it is also the connection monitor's sentinel: its acknowledgement means events
 * flow. Delivery is at least once (a retried send is published again): the timeline keeps one message per id.
 */
export function useMessageFeed(handler: (messages: IncomingMessage[]) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });

  useEffect(
    () =>
      subscribeWithRetry<ConversationEventRecord>(
        () => client.subscriptions[MESSAGE_FEED_SUBSCRIPTION](),
        (event) => {
          const message = messageOfEvent(event);
          if (message) ref.current([message]);
        },
        () => connectionMonitor.reportSubscriptionFailure(),
      ),
    [],
  );
}
