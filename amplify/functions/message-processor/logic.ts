import { createHash, randomUUID } from 'node:crypto';
import {
  CLIENT_MESSAGE_TYPES,
  MAX_CLIENT_MESSAGE_ID_LENGTH,
  MAX_MESSAGE_LENGTH,
  MESSAGE_PREVIEW_LENGTH,
  type MessageType,
} from '../../shared/limits';
import { canonicalOwnerEntry, isListedOwner, type CallerIdentity } from '../../shared/owner';
import { ChatError } from '../../shared/errors';
import { unlimited, type SendRateLimiter } from './send-rate-limiter';

/**
 * The message-processing rules, independent of AppSync and DynamoDB: the handler wires them to a
 * MessageStore that talks to the data API; tests wire them to an in-memory store.
 */

export interface ConversationRecord {
  id: string;
  participants: (string | null)[] | null;
  lastMessageAt?: string | null;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  content: string;
  messageType: MessageType;
  /** The sender's user id (Cognito sub). */
  sender: string;
  /** Participants of the conversation when the message was sent, in `<sub>::<username>` form. */
  participants: string[];
  clientMessageId: string | null;
  createdAt: string;
  editedAt: string | null;
}

export type NewMessage = Omit<MessageRecord, 'editedAt'>;

/** The data operations message processing needs. Writes must go through AppSync so subscriptions fire. */
export interface MessageStore {
  getConversation(id: string): Promise<ConversationRecord | null>;
  getMessage(id: string): Promise<MessageRecord | null>;
  /** Creates the message unless one with the same id exists; returns false in that case. */
  createMessageIfAbsent(message: NewMessage): Promise<boolean>;
  updateMessageContent(id: string, content: string, editedAt: string): Promise<MessageRecord>;
  deleteMessage(id: string): Promise<MessageRecord>;
  /** Sets lastMessageAt/lastMessagePreview unless the conversation already has a later message. */
  touchConversation(id: string, lastMessageAt: string, preview: string): Promise<void>;
}

export interface SendMessageInput {
  conversationId: string;
  content: string;
  messageType?: string | null;
  clientMessageId?: string | null;
}

/** What sendMessage returns (and onMessageSent delivers): the brief's names next to the model's. */
export interface SentMessage {
  messageId: string;
  id: string;
  conversationId: string;
  userId: string;
  sender: string;
  content: string;
  messageType: MessageType;
  clientMessageId: string | null;
  createdAt: string;
  /** Participants at send time, `<sub>::<username>`: onMessageSent delivers only to them. */
  participants: string[];
}

export type Clock = () => Date;
const systemClock: Clock = () => new Date();

/** Trims and checks a message body: not blank, at most MAX_MESSAGE_LENGTH characters. */
export function validateContent(content: unknown): string {
  if (typeof content !== 'string') throw new ChatError('ValidationError', 'content must be a string');
  const trimmed = content.trim();
  if (trimmed.length === 0) throw new ChatError('ValidationError', 'content must not be empty');
  // Count code points, not UTF-16 units, so an emoji counts as one character as the user sees it.
  const length = [...trimmed].length;
  if (length > MAX_MESSAGE_LENGTH) {
    throw new ChatError(
      'ValidationError',
      `content is ${length} characters long; the limit is ${MAX_MESSAGE_LENGTH}`,
    );
  }
  return trimmed;
}

export function validateMessageType(messageType: unknown): MessageType {
  if (messageType === undefined || messageType === null) return 'TEXT';
  if (typeof messageType === 'string' && (CLIENT_MESSAGE_TYPES as readonly string[]).includes(messageType)) {
    return messageType as MessageType;
  }
  throw new ChatError(
    'ValidationError',
    `messageType must be one of ${CLIENT_MESSAGE_TYPES.join(', ')} (SYSTEM messages are written by the backend)`,
  );
}

function validateClientMessageId(clientMessageId: unknown): string | null {
  if (clientMessageId === undefined || clientMessageId === null) return null;
  if (typeof clientMessageId !== 'string' || clientMessageId.trim() === '') {
    throw new ChatError('ValidationError', 'clientMessageId must be a non-empty string when given');
  }
  if (clientMessageId.length > MAX_CLIENT_MESSAGE_ID_LENGTH) {
    throw new ChatError('ValidationError', `clientMessageId is longer than ${MAX_CLIENT_MESSAGE_ID_LENGTH} characters`);
  }
  return clientMessageId;
}

/**
 * The message id for an idempotent send: derived from the sender and the client's id, so that a
 * retried send addresses the same item and the table's "id must not exist" condition rejects the
 * duplicate atomically, whatever the timing of the retries.
 */
export function messageIdFor(senderSub: string, clientMessageId: string): string {
  const hex = createHash('sha256').update(`message\u0000${senderSub}\u0000${clientMessageId}`).digest('hex');
  // Format as a UUID (version nibble 8: "custom", variant 10xx) so ids look like the model's own.
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The conversation-list preview of a message. */
export function previewOf(content: string, messageType: MessageType): string {
  if (messageType === 'IMAGE') return '📷 Image';
  if (messageType === 'FILE') return '📎 File';
  const singleLine = content.replace(/\s+/g, ' ');
  const chars = [...singleLine];
  return chars.length <= MESSAGE_PREVIEW_LENGTH ? singleLine : `${chars.slice(0, MESSAGE_PREVIEW_LENGTH - 1).join('')}…`;
}

export function toSentMessage(message: MessageRecord): SentMessage {
  return {
    messageId: message.id,
    id: message.id,
    conversationId: message.conversationId,
    userId: message.sender,
    sender: message.sender,
    content: message.content,
    messageType: message.messageType,
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt,
    // Canonical form whatever the source (a message read back through AppSync has bare usernames).
    participants: [...new Set(message.participants.map(canonicalOwnerEntry))],
  };
}

async function conversationOfParticipant(store: MessageStore, conversationId: unknown, caller: CallerIdentity) {
  if (typeof conversationId !== 'string' || conversationId === '') {
    throw new ChatError('ValidationError', 'conversationId is required');
  }
  const conversation = await store.getConversation(conversationId);
  // A missing conversation and one the caller is not in get the same answer: no existence oracle.
  if (!conversation || !isListedOwner(conversation.participants, caller)) {
    throw new ChatError('Unauthorized', `not a participant of conversation ${conversationId}`);
  }
  return conversation;
}

export async function sendMessage(
  store: MessageStore,
  caller: CallerIdentity,
  input: SendMessageInput,
  clock: Clock = systemClock,
  rateLimiter: SendRateLimiter = unlimited,
): Promise<SentMessage> {
  const content = validateContent(input.content);
  const messageType = validateMessageType(input.messageType);
  const clientMessageId = validateClientMessageId(input.clientMessageId);
  // Before any read: every well-formed attempt counts, including ones the membership check refuses,
  // so a flood costs one small write per attempt and nothing else.
  await rateLimiter.consume(caller.sub, clock());
  const conversation = await conversationOfParticipant(store, input.conversationId, caller);

  const participants = [
    ...new Set((conversation.participants ?? []).filter((p): p is string => !!p).map(canonicalOwnerEntry)),
  ];
  const message: NewMessage = {
    id: clientMessageId ? messageIdFor(caller.sub, clientMessageId) : randomUUID(),
    conversationId: conversation.id,
    content,
    messageType,
    sender: caller.sub,
    participants,
    clientMessageId,
    createdAt: clock().toISOString(),
  };

  let stored: MessageRecord;
  if (await store.createMessageIfAbsent(message)) {
    stored = { ...message, editedAt: null };
  } else {
    const existing = await store.getMessage(message.id);
    if (!existing) {
      // Created by the first attempt and deleted since: the retry must not resurrect it.
      throw new ChatError('Conflict', `message with clientMessageId ${clientMessageId} was sent and then removed`);
    }
    if (existing.sender !== caller.sub || existing.conversationId !== conversation.id || existing.content !== content) {
      throw new ChatError('Conflict', `clientMessageId ${clientMessageId} was already used for a different message`);
    }
    stored = existing;
  }
  // Also on a retry: the first attempt may have failed between writing the message and this step.
  await store.touchConversation(conversation.id, stored.createdAt, previewOf(stored.content, stored.messageType));
  return toSentMessage(stored);
}

async function ownMessage(store: MessageStore, caller: CallerIdentity, messageId: unknown): Promise<MessageRecord> {
  if (typeof messageId !== 'string' || messageId === '') {
    throw new ChatError('ValidationError', 'messageId is required');
  }
  const message = await store.getMessage(messageId);
  if (!message || message.sender !== caller.sub) {
    throw new ChatError('Unauthorized', `message ${messageId} does not exist or was not sent by you`);
  }
  return message;
}

export async function editMessage(
  store: MessageStore,
  caller: CallerIdentity,
  input: { messageId: string; content: string },
  clock: Clock = systemClock,
): Promise<MessageRecord> {
  const content = validateContent(input.content);
  const message = await ownMessage(store, caller, input.messageId);
  if (message.messageType === 'SYSTEM') throw new ChatError('ValidationError', 'system messages cannot be edited');
  if (message.content === content) return message;
  return store.updateMessageContent(message.id, content, clock().toISOString());
}

export async function removeMessage(
  store: MessageStore,
  caller: CallerIdentity,
  input: { messageId: string },
): Promise<MessageRecord> {
  const message = await ownMessage(store, caller, input.messageId);
  return store.deleteMessage(message.id);
}
