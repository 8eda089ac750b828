import { useEffect, useRef } from 'react';
import type { IncomingMessage } from '../chat/messages';
import { client } from '../data-client';
import { connectionMonitor } from './connection-monitor';
import { subscribeWithRetry, toIncomingMessage, type MessageRecord } from './amplify-helpers';

/**
 * The live message events of every conversation the user is in: onCreateMessage, onUpdateMessage
 * and onDeleteMessage (AppSync delivers only messages whose participants include the subscriber).
 * One set of subscriptions for the whole session, so switching conversations never opens a gap.
 * onCreateMessage is the connection monitor's sentinel: its acknowledgement means events flow.
 */
export function useMessageFeed(handler: (messages: IncomingMessage[]) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });

  useEffect(() => {
    const deliver = (message: IncomingMessage) => ref.current([message]);
    const stops = [
      subscribeWithRetry<MessageRecord>(
        () => client.models.Message.onCreate(),
        (record) => deliver(toIncomingMessage(record)),
        () => connectionMonitor.reportSubscriptionFailure(),
      ),
      subscribeWithRetry<MessageRecord>(
        () => client.models.Message.onUpdate(),
        (record) => deliver(toIncomingMessage(record)),
      ),
      subscribeWithRetry<MessageRecord>(
        () => client.models.Message.onDelete(),
        (record) => deliver(toIncomingMessage(record, true)),
      ),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);
}
