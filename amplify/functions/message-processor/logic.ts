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
import type { ConversationEventType } from '../../shared/events';
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

/** A conversation event as published (`ConversationEvent` in the schema); absent fields are null to subscribers. */
export interface ConversationEvent {
  conversationId: string;
  type: ConversationEventType;
  userId: string;
  at: string;
  participants: string[];
  messageId?: string;
  id?: string;
  sender?: string;
  content?: string | null;
  messageType?: MessageType;
  clientMessageId?: string | null;
  createdAt?: string;
  editedAt?: string | null;
  typing?: boolean;
}

/** The data operations message processing needs, and the publishing of events. */
export interface MessageStore {
  getConversation(id: string): Promise<ConversationRecord | null>;
  getMessage(id: string): Promise<MessageRecord | null>;
  /** Creates the message unless one with the same id exists; returns false in that case. */
  createMessageIfAbsent(message: NewMessage): Promise<boolean>;
  updateMessageContent(id: string, content: string, editedAt: string): Promise<MessageRecord>;
  deleteMessage(id: string): Promise<MessageRecord>;
  /** Sets lastMessageAt/lastMessagePreview unless the conversation already has a later message. */
  touchConversation(id: string, lastMessageAt: string, preview: string): Promise<void>;
  /** Delivers an event to the subscribed participants (publishConversationEvent); stores nothing. */
  publish(event: ConversationEvent): Promise<void>;
}

export interface SendMessageInput {
  conversationId: string;
  content: string;
  messageType?: string | null;
  clientMessageId?: string | null;
}

/** What sendMessage returns: the brief's names next to the model's. */
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
  /** Participants at send time, `<sub>::<username>`. */
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

/** Participants as events carry them: canonical `<sub>::<username>`, each once. */
function canonicalParticipants(entries: readonly (string | null)[] | null): string[] {
  return [...new Set((entries ?? []).filter((p): p is string => !!p).map(canonicalOwnerEntry))];
}

/**
 * Who receives an event about a message: those who may read it (the participants it was sent to) and are still in
 * the conversation now. So a member removed by an operator hears nothing more of older messages (edits, removals), and
 * someone added later never receives an older message's text through a retried send.
 */
export function messageAudience(message: Pick<MessageRecord, 'participants'>, conversation: ConversationRecord | null): string[] {
  const current = new Set(canonicalParticipants(conversation?.participants ?? null));
  return canonicalParticipants(message.participants).filter((entry) => current.has(entry));
}

/**
 * The event for a message, for `audience`. A removal carries no content (the message is gone; nobody should receive
 * its text again), the other events the whole message.
 */
export function messageEvent(
  type: Exclude<ConversationEventType, 'TYPING'>,
  message: MessageRecord,
  audience: string[],
  userId: string,
  at: string,
): ConversationEvent {
  return {
    conversationId: message.conversationId,
    type,
    userId,
    at,
    participants: audience,
    messageId: message.id,
    id: message.id,
    sender: message.sender,
    content: type === 'MESSAGE_DELETED' ? null : message.content,
    messageType: message.messageType,
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt,
    editedAt: message.editedAt,
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

  const participants = canonicalParticipants(conversation.participants);
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
  // Also on a retry: the first attempt may have failed between writing the message and these steps. Subscribers may
  // therefore see MESSAGE_SENT more than once for one message (at least once; they keep one per messageId).
  await store.touchConversation(conversation.id, stored.createdAt, previewOf(stored.content, stored.messageType));
  await store.publish(messageEvent('MESSAGE_SENT', stored, messageAudience(stored, conversation), caller.sub, stored.createdAt));
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
  const at = clock().toISOString();
  const updated = await store.updateMessageContent(message.id, content, at);
  await publishAbout(store, 'MESSAGE_EDITED', updated, caller, at);
  return updated;
}

/** Publishes an event about an existing message to its readers still in the conversation (none: nothing to send). */
async function publishAbout(store: MessageStore, type: 'MESSAGE_EDITED' | 'MESSAGE_DELETED', message: MessageRecord, caller: CallerIdentity, at: string) {
  const audience = messageAudience(message, await store.getConversation(message.conversationId));
  if (audience.length > 0) await store.publish(messageEvent(type, message, audience, caller.sub, at));
}

export async function removeMessage(
  store: MessageStore,
  caller: CallerIdentity,
  input: { messageId: string },
  clock: Clock = systemClock,
): Promise<MessageRecord> {
  const message = await ownMessage(store, caller, input.messageId);
  const deleted = await store.deleteMessage(message.id);
  await publishAbout(store, 'MESSAGE_DELETED', deleted, caller, clock().toISOString());
  return deleted;
}

/** What sendTyping returns (the TYPING event without its audience). */
export interface TypingEvent {
  conversationId: string;
  userId: string;
  typing: boolean;
  at: string;
}

/** A typing indicator: checked like a send (participants only), published, never stored. */
export async function sendTyping(
  store: MessageStore,
  caller: CallerIdentity,
  input: { conversationId: unknown; typing: unknown },
  clock: Clock = systemClock,
): Promise<TypingEvent> {
  if (typeof input.typing !== 'boolean') throw new ChatError('ValidationError', 'typing must be true or false');
  const conversation = await conversationOfParticipant(store, input.conversationId, caller);
  const event: TypingEvent = { conversationId: conversation.id, userId: caller.sub, typing: input.typing, at: clock().toISOString() };
  await store.publish({ ...event, type: 'TYPING', participants: canonicalParticipants(conversation.participants) });
  return event;
}
