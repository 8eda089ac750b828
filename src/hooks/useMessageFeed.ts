import type { IncomingMessage } from '../chat/messages';
import { messageOfEvent } from './amplify-helpers';
import { useFeedEvents, type ConversationFeed } from './useConversationFeed';

/**
 * The live message events (sent, edited, removed) of every conversation the user is in, from the session's one
 * conversation feed (useConversationFeed). Delivery is at least once (a retried send is published again): the
 * timeline keeps one message per id.
 */
export function useMessageFeed(feed: ConversationFeed, handler: (messages: IncomingMessage[]) => void): void {
  useFeedEvents(feed, (event) => {
    const message = messageOfEvent(event);
    if (message) handler([message]);
  });
}
