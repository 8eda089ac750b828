import { isListedOwner, type CallerIdentity } from '../../shared/owner';
import { ChatError } from '../../shared/errors';
import { requiredId, type MessageStore } from './logic';

/**
 * Read points: one item per (conversation, user) in the ReadReceipt table, written only here (markRead), read by the
 * conversation's participants now (listConversationReadPoints) and by their owner (listMyReadPoints), announced as a
 * READ conversation event. An item carries no participants (nothing reads them: every read checks membership now). A
 * read point only moves forward: a stale call (another device, a late retry) never moves it back. docs/data-model.md.
 */

/** A read point as stored (the ReadReceipt model's fields). */
export interface ReadPointRecord {
  conversationId: string;
  userId: string;
  /** The newest message read; messages created at or before `readAt` are read. */
  messageId: string;
  /** That message's createdAt. */
  readAt: string;
  updatedAt: string;
}

/** The ReadReceipt table operations markRead needs. */
export interface ReadPointStore {
  /**
   * Stores the read point if there is none yet or the stored one is older (a conditional write); returns the read
   * point as stored afterwards (a strongly consistent read when the write was refused) and whether it moved.
   */
  advance(point: ReadPointRecord): Promise<{ stored: ReadPointRecord; moved: boolean }>;
}

export interface MarkReadInput {
  conversationId?: unknown;
  messageId?: unknown;
}

/** What markRead returns. */
export interface ReadPoint {
  conversationId: string;
  userId: string;
  messageId: string;
  readAt: string;
  /** Whether this call moved the read point (false: it was there already, or further on). */
  moved: boolean;
}


/**
 * Moves the caller's read point in a conversation they are in to a message of it they may read, unless it is there
 * already or further on, and publishes READ to the conversation's participants. A missing conversation and one the
 * caller is not in get sendMessage's answer; a message that is missing or of another conversation gets one NotFound answer. The event is published when the point moved, and again when a call names the
 * stored message (a retry after a failed publish); a stale call publishes nothing.
 */
export async function markRead(
  store: MessageStore,
  readPoints: ReadPointStore,
  caller: CallerIdentity,
  input: MarkReadInput,
  clock: () => Date = () => new Date(),
): Promise<ReadPoint> {
  const conversationId = requiredId(input.conversationId, 'conversationId');
  const messageId = requiredId(input.messageId, 'messageId');
  const conversation = await store.getConversation(conversationId);
  if (!conversation || !isListedOwner(conversation.participants, caller)) {
    throw new ChatError('Unauthorized', `not a participant of conversation ${conversationId}`);
  }
  const message = await store.getMessage(messageId);
  if (!message || message.conversationId !== conversation.id) {
    throw new ChatError('NotFound', `message ${messageId} is not in conversation ${conversationId}`);
  }
  const participants = (conversation.participants ?? []).filter((p): p is string => typeof p === 'string');
  const at = clock().toISOString();
  const { stored, moved } = await readPoints.advance({
    conversationId: conversation.id,
    userId: caller.sub,
    messageId: message.id,
    readAt: message.createdAt,
    updatedAt: at,
  });
  if (stored.messageId === message.id) {
    await store.publish({
      conversationId: conversation.id,
      type: 'READ',
      userId: caller.sub,
      at,
      participants,
      messageId: stored.messageId,
      readAt: stored.readAt,
    });
  }
  return { conversationId: conversation.id, userId: caller.sub, messageId: stored.messageId, readAt: stored.readAt, moved };
}
