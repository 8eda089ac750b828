import { createHash, randomUUID } from 'node:crypto';
import {
  CLIENT_MESSAGE_TYPES,
  MAX_CLIENT_MESSAGE_ID_LENGTH,
  MAX_CONVERSATION_NAME_LENGTH,
  MAX_CONVERSATION_PARTICIPANTS,
  MAX_MESSAGE_LENGTH,
  MAX_PARTICIPANT_ENTRY_LENGTH,
  MAX_PARTICIPANTS_BYTES,
  type MessageType,
} from '../../shared/limits';
import { canonicalOwnerEntry, isListedOwner, ownerValue, type CallerIdentity } from '../../shared/owner';
import { ChatError } from '../../shared/errors';
import type { ConversationEventType } from '../../shared/events';
import { kindOf, type ConversationKind, type MemberRole, type SystemAction } from '../../shared/members';
import { previewOf } from '../../shared/message-preview';

export { previewOf };

/**
 * The message-processing rules, independent of where data lives: the handler wires them to the DynamoDB store
 * (dynamodb-store.ts), which writes the tables directly and publishes events through AppSync.
 */

export interface ConversationRecord {
  id: string;
  participants: (string | null)[] | null;
  lastMessageAt?: string | null;
  /** The conversation's name (null for a direct conversation); search hits carry it. */
  name?: string | null;
  /** DIRECT or GROUP; absent on items written before kinds existed (then `kindOf` decides). */
  kind?: ConversationKind | null;
  /** The owners' participant entries; absent on items written before roles existed (then the first participant). */
  owners?: (string | null)[] | null;
  /** Bumped by every membership change: the condition that keeps two concurrent changes from losing one. */
  membershipVersion?: number | null;
}

/** A message's file (IMAGE and FILE messages), as the message processor measured it when it moved the upload. */
export interface MessageAttachment {
  /** Its key in the attachments bucket: `conversations/<conversationId>/<messageId>/<name>`. */
  path: string;
  name: string;
  size: number;
  contentType: string;
  /** Images only. */
  width?: number | null;
  height?: number | null;
}

/**
 * Moves a staged upload into a conversation (attachments.ts, on the attachments bucket): what sendMessage needs for an
 * IMAGE or FILE message.
 */
export interface AttachmentMover {
  /**
   * Checks the caller's staged upload (path, uploader, size, type by content, image dimensions) and copies it to the
   * message's key; the attachment as measured. ValidationError or NotFound, and nothing copied, when it does not pass.
   */
  attach(request: {
    caller: CallerIdentity;
    uploadPath: unknown;
    fileName: unknown;
    messageType: 'IMAGE' | 'FILE';
    conversationId: string;
    messageId: string;
  }): Promise<MessageAttachment>;
  /** Deletes the staged upload once its message is stored (a failure is logged: the bucket's lifecycle rule expires it). */
  discardUpload(uploadPath: string): Promise<void>;
  /** Deletes a conversation file. */
  removeFile(path: string): Promise<void>;
}

export interface MessageRecord {
  id: string;
  conversationId: string;
  content: string;
  messageType: MessageType;
  /** The sender's user id (Cognito sub). */
  sender: string;
  clientMessageId: string | null;
  createdAt: string;
  editedAt: string | null;
  /** When the item was last written (Amplify's model timestamp; the Message type declares it non-null). */
  updatedAt?: string;
  /** SYSTEM messages: what changed, who did it and to whom (user ids). */
  systemAction?: SystemAction | null;
  actor?: string | null;
  targets?: string[] | null;
  /** ROLE_CHANGED: the target's role now. */
  role?: MemberRole | null;
  /** A thread reply: the id of its root, a top-level message of the same conversation (docs/data-model.md, Threads). */
  threadRootId?: string | null;
  /** A thread root: how many replies it has, when the newest came and from whom (written with each reply). */
  replyCount?: number | null;
  lastReplyAt?: string | null;
  lastReplySender?: string | null;
  /** IMAGE and FILE messages: the file. */
  attachment?: MessageAttachment | null;
}

export type NewMessage = Omit<MessageRecord, 'editedAt' | 'updatedAt'>;

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
  name?: string | null;
  /** REACTION: the emoji, whether `userId` has it now, and everyone who has it on the message now (user ids). */
  emoji?: string;
  reacted?: boolean;
  reactionUsers?: string[];
  reactionCount?: number;
  /** READ: the createdAt of `messageId`, `userId`'s new read point. */
  readAt?: string;
  /** SYSTEM messages (MESSAGE_SENT) and MEMBERS_CHANGED: what changed, who did it, to whom (user ids). */
  systemAction?: SystemAction | null;
  actor?: string | null;
  targets?: string[] | null;
  role?: MemberRole | null;
  /** MEMBERS_CHANGED: the conversation's participants and owners after the change (`participants` is the audience). */
  members?: string[];
  owners?: string[];
  kind?: ConversationKind;
  /** A thread reply's events: its root, and the root's reply count, last reply time and sender after the change. */
  threadRootId?: string | null;
  replyCount?: number | null;
  lastReplyAt?: string | null;
  lastReplySender?: string | null;
  /** MESSAGE_SENT and MESSAGE_EDITED of an IMAGE or FILE message: the file. */
  attachment?: MessageAttachment | null;
}

/** A conversation as createConversation stores it. */
export interface NewConversationRecord {
  id: string;
  name: string | null;
  /** Canonical "<sub>::<username>", each once, the creator included. */
  participants: string[];
  kind: ConversationKind;
  /** The creator: the first owner. */
  owners: string[];
  createdAt: string;
}

/** What writing a new message came to. */
export type WriteOutcome =
  /** Stored, counted against the sender's limit, and the conversation's lastMessageAt/preview moved on: all or nothing. */
  | { kind: 'created' }
  /** A message with this id is stored already (a retried send): nothing written, nothing counted. */
  | { kind: 'duplicate'; existing: MessageRecord | null }
  /** Another attempt with the same id stored it at the same moment; that attempt counted and published it. */
  | { kind: 'raced'; existing: MessageRecord | null };

/** The data operations message processing needs, and the publishing of events. */
export interface MessageStore {
  getConversation(id: string): Promise<ConversationRecord | null>;
  getMessage(id: string): Promise<MessageRecord | null>;
  /** Stores a new conversation; ChatError('Conflict') if the id exists. */
  createConversation(record: NewConversationRecord): Promise<void>;
  /**
   * Writes a new message unless one with its id exists: counts it against the sender's send limit (ChatError
   * 'RateLimited' when the window is full, and then nothing is written) and sets the conversation's
   * lastMessageAt/lastMessagePreview unless a later message already did, atomically. A thread reply (`threadRootId`)
   * instead bumps its root's replyCount and moves lastReplyAt/lastReplySender forward in the same transaction, on the
   * condition that the root is still a top-level message of the conversation (ChatError 'NotFound' else; nothing
   * written); the conversation is not touched.
   */
  writeMessage(message: NewMessage, preview: string): Promise<WriteOutcome>;
  /** Counts a send attempt that wrote no message against the sender's limit; ChatError('RateLimited') when full. */
  countAttempt(userId: string): Promise<void>;
  /** Sets the content of the sender's message; null when it no longer exists or is not theirs. */
  updateMessageContent(id: string, sender: string, content: string, editedAt: string): Promise<MessageRecord | null>;
  /**
   * Deletes the sender's message and returns it; null when it no longer exists or is not theirs. A thread reply
   * (`threadRootId`, as read) also decrements its root's replyCount in the same transaction (the root may be gone).
   */
  deleteMessage(id: string, sender: string, threadRootId?: string | null): Promise<MessageRecord | null>;
  /** Delivers an event to the subscribed participants (publishConversationEvent); stores nothing. */
  publish(event: ConversationEvent): Promise<void>;
}

export interface SendMessageInput {
  conversationId: string;
  content: string;
  messageType?: string | null;
  clientMessageId?: string | null;
  /** A thread reply: the root's id (a top-level, non-SYSTEM message of the same conversation). */
  threadRootId?: string | null;
  /** IMAGE and FILE messages (required for them, refused on TEXT): the caller's staged upload and the name to show. */
  uploadPath?: string | null;
  fileName?: string | null;
}

/** What sendMessage returns: `messageId` and `userId` (the names the SendMessage operation selects) next to the model's `id` and `sender`. */
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
  /** A thread reply: its root's id; null for a top-level message. */
  threadRootId: string | null;
  /** IMAGE and FILE messages: the file; null otherwise. */
  attachment: MessageAttachment | null;
}

export type Clock = () => Date;
const systemClock: Clock = () => new Date();

/**
 * Trims and checks a message body: at most MAX_MESSAGE_LENGTH characters, and not blank unless it is the caption of a
 * file (`caption`: IMAGE and FILE messages, whose file is the message).
 */
export function validateContent(content: unknown, { caption = false } = {}): string {
  if (typeof content !== 'string') throw new ChatError('ValidationError', 'content must be a string');
  const trimmed = content.trim();
  if (trimmed.length === 0 && !caption) throw new ChatError('ValidationError', 'content must not be empty');
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

/** What sendMessage answers for `message` (not the audience: the event carries it, and it grows with the room). */
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
    threadRootId: message.threadRootId ?? null,
    attachment: message.attachment ?? null,
  };
}

/** Participants as events carry them: canonical `<sub>::<username>`, each once. */
function canonicalParticipants(entries: readonly (string | null)[] | null): string[] {
  return [...new Set((entries ?? []).filter((p): p is string => !!p).map(canonicalOwnerEntry))];
}

/**
 * Who receives an event about a message: the conversation's participants now, who may all read its history (a member
 * added later reads older messages too, so hears of their edits and reactions). Someone removed hears nothing more.
 */
export function messageAudience(conversation: ConversationRecord | null): string[] {
  return canonicalParticipants(conversation?.participants ?? null);
}

/**
 * The event for a message, for `audience`. A removal carries no content (the message is gone; nobody should receive
 * its text again), the other events the whole message.
 */
export function messageEvent(
  type: 'MESSAGE_SENT' | 'MESSAGE_EDITED' | 'MESSAGE_DELETED',
  message: MessageRecord,
  audience: string[],
  userId: string,
  at: string,
  /** A reply's events: its root as stored after the change (its counts travel on the event). */
  root?: MessageRecord | null,
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
    ...(message.systemAction ? { systemAction: message.systemAction, actor: message.actor ?? null, targets: message.targets ?? [], role: message.role ?? null } : {}),
    ...(message.threadRootId ? { threadRootId: message.threadRootId } : {}),
    ...(root ? rootCounts(root) : {}),
    // The file goes with the message; a removal's event carries nothing of it (like its content).
    ...(message.attachment && type !== 'MESSAGE_DELETED' ? { attachment: message.attachment } : {}),
  };
}

/** A thread root's counts as events carry them (every window updates the root's "N replies · last reply"). */
function rootCounts(root: MessageRecord): Pick<ConversationEvent, 'replyCount' | 'lastReplyAt' | 'lastReplySender'> {
  return { replyCount: root.replyCount ?? 0, lastReplyAt: root.lastReplyAt ?? null, lastReplySender: root.lastReplySender ?? null };
}

/**
 * The root a reply may be sent to: an existing top-level, non-SYSTEM message of `conversationId`. Unknown and another
 * conversation's messages get the same NotFound (no oracle for other conversations' ids); a reply or a SYSTEM message
 * is a ValidationError (threads are one level deep).
 */
export async function threadRootOf(store: Pick<MessageStore, 'getMessage'>, threadRootId: unknown, conversationId: string): Promise<MessageRecord> {
  const id = requiredId(threadRootId, 'threadRootId');
  const root = await store.getMessage(id);
  if (!root || root.conversationId !== conversationId) throw new ChatError('NotFound', `message ${id} is not in conversation ${conversationId}`);
  if (root.threadRootId) throw new ChatError('ValidationError', 'a thread reply cannot start a thread (reply to its root)');
  if (root.messageType === 'SYSTEM') throw new ChatError('ValidationError', 'system messages have no threads');
  return root;
}

/** The conversation, if the caller is one of its participants now; else Unauthorized (the same for a missing one). */
export async function conversationOfParticipant(store: Pick<MessageStore, 'getConversation'>, conversationId: unknown, caller: CallerIdentity): Promise<ConversationRecord> {
  const id = requiredId(conversationId, 'conversationId');
  const conversation = await store.getConversation(id);
  // A missing conversation and one the caller is not in get the same answer: no existence oracle.
  if (!conversation || !isListedOwner(conversation.participants, caller)) throw notParticipant(id);
  return conversation;
}

/** Whether a send carries a file, checked against its type: IMAGE and FILE need one, TEXT must have none. */
function uploadOf(input: SendMessageInput, messageType: MessageType): string | null {
  const given = (value: unknown) => value !== undefined && value !== null;
  if (messageType === 'TEXT') {
    if (given(input.uploadPath) || given(input.fileName)) throw new ChatError('ValidationError', 'a TEXT message carries no file: uploadPath and fileName are for IMAGE and FILE messages');
    return null;
  }
  if (!given(input.uploadPath) || !given(input.fileName)) throw new ChatError('ValidationError', `an ${messageType} message needs uploadPath and fileName (its uploaded file)`);
  return String(input.uploadPath);
}

/**
 * Sends a message. An IMAGE or FILE message (`uploadPath`, `fileName`) has its staged upload checked and copied to the
 * message's key by `files` before the message is written, and deleted from `uploads/` after; a message that is not
 * written after all (rate limit, a thread root gone) has its copy deleted again.
 */
export async function sendMessage(
  store: MessageStore,
  caller: CallerIdentity,
  input: SendMessageInput,
  clock: Clock = systemClock,
  files: AttachmentMover | null = null,
): Promise<SentMessage> {
  const messageType = validateMessageType(input.messageType);
  const upload = uploadOf(input, messageType);
  const content = validateContent(input.content, { caption: upload !== null });
  const clientMessageId = validateClientMessageId(input.clientMessageId);
  const conversation = await store.getConversation(requiredId(input.conversationId, 'conversationId'));
  if (!conversation || !isListedOwner(conversation.participants, caller)) {
    // Every well-formed attempt counts, refused ones included, so a flood costs one small write per attempt. (The one
    // attempt not counted is one that lost a race to an identical concurrent attempt, which was counted itself.)
    await store.countAttempt(caller.sub);
    throw notParticipant(input.conversationId as string);
  }
  const hasRoot = input.threadRootId !== undefined && input.threadRootId !== null;
  const root = hasRoot ? await threadRootOf(store, input.threadRootId, conversation.id) : null;
  const id = clientMessageId ? messageIdFor(caller.sub, clientMessageId) : randomUUID();
  // Who hears of it: the participants as just read. The message does not store them (reads check membership now).
  const audience = messageAudience(conversation);

  let attachment: MessageAttachment | null = null;
  let copied = false;
  if (upload !== null) {
    if (!files) throw new ChatError('ValidationError', 'this backend takes no attachments');
    // A retry of a stored message: its file was moved already (the staged upload may be gone); the write below reports
    // the duplicate and the comparison checks it is the same message.
    const stored = clientMessageId ? await store.getMessage(id) : null;
    if (stored) {
      attachment = stored.attachment ?? null;
      if (attachment?.name !== String(input.fileName).normalize('NFC').trim()) {
        throw new ChatError('Conflict', `clientMessageId ${clientMessageId} was already used for a different message`);
      }
    } else {
      attachment = await files.attach({ caller, uploadPath: upload, fileName: input.fileName, messageType: messageType as 'IMAGE' | 'FILE', conversationId: conversation.id, messageId: id });
      copied = true;
    }
  }

  const message: NewMessage = {
    id,
    conversationId: conversation.id,
    content,
    messageType,
    sender: caller.sub,
    clientMessageId,
    createdAt: clock().toISOString(),
    ...(root ? { threadRootId: root.id } : {}),
    ...(attachment ? { attachment } : {}),
  };

  let outcome: WriteOutcome;
  try {
    outcome = await store.writeMessage(message, previewOf(content, messageType, attachment?.name));
  } catch (error) {
    // Not written (rate limit, root gone, a failure): the copy would belong to no message.
    if (copied && attachment) await files!.removeFile(attachment.path).catch(() => undefined);
    throw error;
  }
  // A reply's events carry its root's counts as stored now (read after the write: concurrent replies included).
  const rootNow = async () => (root ? store.getMessage(root.id) : null);
  if (outcome.kind === 'created') {
    const stored: MessageRecord = { ...message, editedAt: null, updatedAt: message.createdAt };
    if (upload !== null) await files!.discardUpload(upload);
    await store.publish(messageEvent('MESSAGE_SENT', stored, audience, caller.sub, stored.createdAt, await rootNow()));
    return toSentMessage(stored);
  }
  // A retry: the first attempt stored the message (and moved the conversation on in the same transaction).
  if (outcome.kind === 'duplicate') await store.countAttempt(caller.sub);
  const existing = outcome.existing;
  if (
    !existing ||
    existing.sender !== caller.sub ||
    existing.conversationId !== conversation.id ||
    existing.content !== content ||
    (existing.threadRootId ?? null) !== (root?.id ?? null) ||
    (existing.attachment?.path ?? null) !== (attachment?.path ?? null)
  ) {
    // A copy made for this attempt under another key than the stored message's belongs to nothing.
    if (copied && attachment && attachment.path !== existing?.attachment?.path) await files!.removeFile(attachment.path).catch(() => undefined);
    throw new ChatError('Conflict', `clientMessageId ${clientMessageId} was already used for a different message`);
  }
  if (upload !== null) await files!.discardUpload(upload);
  // The first attempt may have failed before publishing, so a retry publishes again: subscribers may see MESSAGE_SENT
  // more than once for one message (at least once; they keep one per messageId).
  if (outcome.kind === 'duplicate') {
    await store.publish(messageEvent('MESSAGE_SENT', existing, audience, caller.sub, existing.createdAt, await rootNow()));
  }
  return toSentMessage(existing);
}

export const notParticipant = (conversationId: string) => new ChatError('Unauthorized', `not a participant of conversation ${conversationId}`);

/** A required id argument (conversationId, messageId…): a non-empty string. */
export function requiredId(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new ChatError('ValidationError', `${name} is required`);
  return value;
}

const notYours = (messageId: string) => new ChatError('Unauthorized', `message ${messageId} does not exist or was not sent by you`);

async function ownMessage(store: MessageStore, caller: CallerIdentity, messageId: unknown): Promise<MessageRecord> {
  const id = requiredId(messageId, 'messageId');
  const message = await store.getMessage(id);
  if (!message || message.sender !== caller.sub) throw notYours(id);
  return message;
}

export async function editMessage(
  store: MessageStore,
  caller: CallerIdentity,
  input: { messageId: string; content: string },
  clock: Clock = systemClock,
): Promise<MessageRecord> {
  // Checked before anything is read (a bad edit costs no read); a file's caption may be emptied, checked below.
  validateContent(input.content, { caption: true });
  const message = await ownMessage(store, caller, input.messageId);
  if (message.messageType === 'SYSTEM') throw new ChatError('ValidationError', 'system messages cannot be edited');
  // An IMAGE or FILE message's content is its caption: only the caption changes, never the file.
  const content = validateContent(input.content, { caption: !!message.attachment });
  // Only a participant now: someone removed from the conversation edits nothing of it any more.
  const conversation = await conversationOfParticipant(store, message.conversationId, caller);
  if (message.content === content) return message;
  const at = clock().toISOString();
  // Conditional on the sender again: the message may have been removed since it was read.
  const updated = await store.updateMessageContent(message.id, caller.sub, content, at);
  if (!updated) throw notYours(message.id);
  await publishAbout(store, 'MESSAGE_EDITED', updated, conversation, caller, at);
  return updated;
}

/** Publishes an event about an existing message to the conversation's participants (as read for the membership check). */
async function publishAbout(store: MessageStore, type: 'MESSAGE_EDITED' | 'MESSAGE_DELETED', message: MessageRecord, conversation: ConversationRecord, caller: CallerIdentity, at: string, root: MessageRecord | null = null) {
  const audience = messageAudience(conversation);
  if (audience.length > 0) await store.publish(messageEvent(type, message, audience, caller.sub, at, root));
}

export async function removeMessage(
  store: MessageStore,
  caller: CallerIdentity,
  input: { messageId: string },
  clock: Clock = systemClock,
): Promise<MessageRecord> {
  const message = await ownMessage(store, caller, input.messageId);
  if (message.messageType === 'SYSTEM') throw new ChatError('ValidationError', 'system messages cannot be removed');
  const conversation = await conversationOfParticipant(store, message.conversationId, caller);
  const deleted = await store.deleteMessage(message.id, caller.sub, message.threadRootId);
  if (!deleted) throw notYours(message.id);
  // A reply's removal carries its root's new count (null when the root is gone too).
  const root = deleted.threadRootId ? await store.getMessage(deleted.threadRootId) : null;
  await publishAbout(store, 'MESSAGE_DELETED', deleted, conversation, caller, clock().toISOString(), root);
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

export interface CreateConversationInput {
  name?: unknown;
  participants?: unknown;
  /** DIRECT or GROUP; absent: DIRECT for two people and no name, else GROUP. */
  kind?: unknown;
}

/** What createConversation returns: `conversationId` (the name the CreateConversation operation selects) next to the model's fields. */
export interface CreatedConversation {
  conversationId: string;
  id: string;
  name: string | null;
  /** As a participant's query returns an owner list: the part of each entry after "::" (the username). */
  participants: string[];
  kind: ConversationKind;
  /** The owners' entries, canonical ("<sub>::<username>"): the creator. */
  owners: string[];
  createdAt: string;
  updatedAt: string;
  lastMessageAt: null;
  lastMessagePreview: null;
}

function validateConversationName(name: unknown): string | null {
  if (name === undefined || name === null) return null;
  if (typeof name !== 'string') throw new ChatError('ValidationError', 'name must be a string');
  const trimmed = name.trim();
  if (trimmed === '') return null;
  const length = [...trimmed].length;
  if (length > MAX_CONVERSATION_NAME_LENGTH) {
    throw new ChatError('ValidationError', `name is ${length} characters long; the limit is ${MAX_CONVERSATION_NAME_LENGTH}`);
  }
  return trimmed;
}

const PARTICIPANT_ENTRY = /^[^\s:]+(::[^\s:]+)?$/;

/** A user named by id (Cognito sub) or "<sub>::<username>", brought to the canonical entry; ValidationError else. */
export function participantEntry(entry: unknown, what = 'participants'): string {
  if (typeof entry !== 'string' || entry.length > MAX_PARTICIPANT_ENTRY_LENGTH || !PARTICIPANT_ENTRY.test(entry)) {
    throw new ChatError('ValidationError', `${what} must be user ids (a Cognito sub, or "<sub>::<username>") of at most ${MAX_PARTICIPANT_ENTRY_LENGTH} characters`);
  }
  return canonicalOwnerEntry(entry);
}

/** ValidationError unless `entries` fit a conversation: at most MAX_CONVERSATION_PARTICIPANTS, MAX_PARTICIPANTS_BYTES. */
export function checkParticipantBounds(entries: readonly string[]): void {
  if (entries.length > MAX_CONVERSATION_PARTICIPANTS) {
    throw new ChatError('ValidationError', `a conversation has at most ${MAX_CONVERSATION_PARTICIPANTS} participants; ${entries.length} were given`);
  }
  const bytes = entries.reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
  if (bytes > MAX_PARTICIPANTS_BYTES) {
    throw new ChatError('ValidationError', `the participant list takes ${bytes} bytes; the limit is ${MAX_PARTICIPANTS_BYTES}`);
  }
}

/**
 * The participants of a new conversation: each a user id (Cognito sub) or "<sub>::<username>", stored canonically and
 * once per user; the caller is always one of them (added when absent).
 */
function validateParticipants(participants: unknown, caller: CallerIdentity): string[] {
  if (!Array.isArray(participants)) throw new ChatError('ValidationError', 'participants must be a list of user ids');
  const entries = new Map<string, string>();
  entries.set(caller.sub, ownerValue(caller));
  for (const entry of participants) {
    const canonical = participantEntry(entry);
    // The caller is in already, in their token's form; a bare id of theirs designates the same entry.
    if (entry === caller.sub || entry === caller.username) continue;
    const userId = canonical.slice(0, canonical.indexOf('::'));
    const known = entries.get(userId);
    // One user named twice with different usernames: which one is right cannot be told here, so neither is kept.
    if (known !== undefined && known !== canonical) {
      throw new ChatError('ValidationError', `participants name user ${userId} twice with different usernames`);
    }
    entries.set(userId, canonical);
  }
  const stored = [...entries.values()];
  checkParticipantBounds(stored);
  return stored;
}

/**
 * The kind of a new conversation: as asked, or DIRECT for two people and no name, else GROUP. A DIRECT conversation
 * has exactly two people and no name.
 */
function validateKind(kind: unknown, name: string | null, participants: readonly string[]): ConversationKind {
  if (kind === undefined || kind === null) return kindOf({ name, participants });
  if (kind !== 'DIRECT' && kind !== 'GROUP') throw new ChatError('ValidationError', 'kind must be DIRECT or GROUP');
  if (kind === 'DIRECT' && (participants.length !== 2 || name !== null)) {
    throw new ChatError('ValidationError', 'a direct conversation has exactly two people and no name');
  }
  return kind;
}

/** Creates a conversation of the caller and the given users, and tells each of them (CONVERSATION_CREATED). */
export async function createConversation(
  store: MessageStore,
  caller: CallerIdentity,
  input: CreateConversationInput,
  clock: Clock = systemClock,
): Promise<CreatedConversation> {
  const name = validateConversationName(input.name);
  const participants = validateParticipants(input.participants, caller);
  const kind = validateKind(input.kind, name, participants);
  const owners = [participants[0]!];
  const record: NewConversationRecord = { id: randomUUID(), name, participants, kind, owners, createdAt: clock().toISOString() };
  await store.createConversation(record);
  await store.publish({ conversationId: record.id, type: 'CONVERSATION_CREATED', userId: caller.sub, at: record.createdAt, participants, name, kind, owners, members: participants });
  return {
    conversationId: record.id,
    id: record.id,
    name,
    kind,
    owners,
    participants: participants.map((entry) => entry.slice(entry.lastIndexOf('::') + 2)),
    createdAt: record.createdAt,
    updatedAt: record.createdAt,
    lastMessageAt: null,
    lastMessagePreview: null,
  };
}
