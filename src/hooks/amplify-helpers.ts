import type { MemberRole, SystemAction } from '../../amplify/shared/members';
import type { MessageAttachment } from '../chat/attachments';
import type { IncomingMessage } from '../chat/messages';
import { threadSummaryOf, type ThreadSummary } from '../chat/threads';
import type { Schema } from '../data-client';
import { GraphQLErrors, retryDelayMs } from '../state/errors';

/** Helpers around the Amplify data client: paging through list queries, resilient subscriptions. */

/** A message of a conversation's history (listConversationMessages), as the timeline reads it. */
export type MessageRecord = Schema['HistoryMessage']['type'];
/** A Conversation item as a query returns it (the list holds ListedConversation, src/state/conversation-list.ts). */
export type ConversationRecord = Schema['Conversation']['type'];
export type ProfileRecord = Schema['UserProfile']['type'];
export type PresenceRecord = Schema['UserPresence']['type'];
export type ConversationEventRecord = Schema['ConversationEvent']['type'];

/**
 * The app's one conversation-event subscription (useConversationFeed): it feeds every timeline, the unread counts and
 * the conversation list; its acknowledgement tells the connection monitor events flow.
 */
export const MESSAGE_FEED_SUBSCRIPTION = 'onMyConversations' satisfies keyof Schema;

export interface ListAnswer<T> {
  readonly data: readonly T[] | null;
  readonly nextToken?: string | null;
  readonly errors?: readonly { message: string }[] | null;
}

/** A custom page query's answer (`{ items, nextToken }`: listConversationMessages, …) as one page of a list. */
export function pageOf<T>(answer: { data?: { items: readonly (T | null)[]; nextToken?: string | null } | null; errors?: readonly { message: string }[] | null }): ListAnswer<T> {
  return { data: (answer.data?.items ?? []).filter((item): item is T => item !== null), nextToken: answer.data?.nextToken ?? null, errors: answer.errors ?? null };
}

/**
 * Every page of a list query. Owner-filtered queries filter after `limit`, so a page may be empty and
 * still have a next one: only a missing nextToken ends it. Errors fail the whole load unless the page
 * carried data anyway (a partial answer is better than none). `maxItems` stops early.
 */
export async function listAll<T>(
  fetchPage: (nextToken: string | null) => Promise<ListAnswer<T>>,
  maxItems = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const items: T[] = [];
  let nextToken: string | null = null;
  do {
    const answer: ListAnswer<T> = await fetchPage(nextToken);
    if (answer.errors?.length && !answer.data?.length) throw new GraphQLErrors(answer.errors);
    for (const item of answer.data ?? []) if (item) items.push(item);
    nextToken = answer.nextToken ?? null;
  } while (nextToken && items.length < maxItems);
  return items;
}

interface Observable<T> {
  subscribe(observer: { next: (value: T) => void; error: (error: unknown) => void }): { unsubscribe(): void };
}

/**
 * Subscribes, and subscribes again after an error (1 s, 2 s, 4 s … 30 s; reset by the next event).
 * Amplify re-establishes subscriptions itself after a dropped socket; this covers the ones it ends
 * with an error. Returns the unsubscribe function.
 */
export function subscribeWithRetry<T>(
  start: () => Observable<T>,
  onData: (value: T) => void,
  onError?: (error: unknown) => void,
): () => void {
  let attempt = 0;
  let stopped = false;
  let subscription: { unsubscribe(): void } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function open(): void {
    if (stopped) return;
    try {
      subscription = start().subscribe({
        next: (value) => {
          attempt = 0;
          onData(value);
        },
        error: (error) => {
          subscription = null;
          onError?.(error);
          retry();
        },
      });
    } catch (error) {
      onError?.(error);
      retry();
    }
  }

  function retry(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      open();
    }, retryDelayMs(attempt));
    attempt += 1;
  }

  open();
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    subscription?.unsubscribe();
  };
}

/** What sendMessage answers. */
export type SentMessage = NonNullable<Schema['sendMessage']['returnType']>;

/** A sent message as confirmed by sendMessage's answer, as the timeline (or a thread) takes it. */
export function fromSent(sent: SentMessage): IncomingMessage {
  return {
    id: sent.id,
    conversationId: sent.conversationId,
    content: sent.content,
    messageType: sent.messageType,
    sender: sent.sender,
    clientMessageId: sent.clientMessageId ?? null,
    createdAt: sent.createdAt,
    ...attachmentFieldsOf(sent),
  };
}

/** The schema's Attachment as the timeline holds it (nothing when absent or incomplete). */
type AttachmentSource = { attachment?: { path?: string | null; name?: string | null; size?: number | null; contentType?: string | null; width?: number | null; height?: number | null } | null };

export function attachmentOf(source: AttachmentSource): MessageAttachment | null {
  const a = source.attachment;
  if (!a?.path || !a.name || typeof a.size !== 'number' || !a.contentType) return null;
  return { path: a.path, name: a.name, size: a.size, contentType: a.contentType, width: a.width ?? null, height: a.height ?? null };
}

function attachmentFieldsOf(source: AttachmentSource): Partial<IncomingMessage> {
  const attachment = attachmentOf(source);
  return attachment ? { attachment } : {};
}

/** A Message item (a query's answer) as the timeline takes it. */
export function toIncomingMessage(record: MessageRecord, deleted = false): IncomingMessage {
  return {
    id: record.id,
    conversationId: record.conversationId,
    content: record.content,
    messageType: record.messageType,
    sender: record.sender,
    clientMessageId: record.clientMessageId ?? null,
    createdAt: record.createdAt,
    editedAt: record.editedAt ?? null,
    deleted,
    ...systemFieldsOf(record),
    ...threadFieldsOf(record),
    ...attachmentFieldsOf(record),
  };
}

/** A thread root's counts, when the record carries them. */
function threadFieldsOf(record: MessageRecord): Partial<IncomingMessage> {
  const thread = threadSummaryOf(record);
  return thread ? { thread } : {};
}

/** A SYSTEM message's record of a membership change (nothing for other messages). */
function systemFieldsOf(source: { systemAction?: SystemAction | null; actor?: string | null; targets?: readonly (string | null)[] | null; role?: MemberRole | null }): Partial<IncomingMessage> {
  if (!source.systemAction) return {};
  return { systemAction: source.systemAction, actor: source.actor ?? null, targets: source.targets ?? null, role: source.role ?? null };
}

/**
 * The message a conversation event is about, as the timeline takes it (a removal as a removal event), or null for
 * events that are not about a message (typing, a new conversation) or lack what a message needs.
 */
export function messageOfEvent(event: ConversationEventRecord): IncomingMessage | null {
  // A thread reply is not a timeline message (threadEventOf: the thread panel and the root's counts).
  if (event.threadRootId) return null;
  return messageOf(event);
}

function messageOf(event: ConversationEventRecord): IncomingMessage | null {
  if (!event.type || !MESSAGE_EVENT_TYPES.has(event.type)) return null;
  if (!event.messageId || !event.sender || !event.createdAt) return null;
  return {
    id: event.messageId,
    conversationId: event.conversationId,
    // A removal carries no text: nothing of it is shown any more.
    content: event.content ?? '',
    messageType: event.messageType ?? null,
    sender: event.sender,
    clientMessageId: event.clientMessageId ?? null,
    createdAt: event.createdAt,
    editedAt: event.editedAt ?? null,
    deleted: event.type === 'MESSAGE_DELETED',
    ...systemFieldsOf(event),
    // A removal carries no file either.
    ...(event.type === 'MESSAGE_DELETED' ? {} : attachmentFieldsOf(event)),
  };
}

/** A thread reply's event: the reply, its root, and the root's counts after it (null when the root is gone). */
export interface ThreadEvent {
  readonly rootId: string;
  readonly reply: IncomingMessage;
  readonly summary: ThreadSummary | null;
}

/** The thread reply a message event is about, or null for other events. */
export function threadEventOf(event: ConversationEventRecord): ThreadEvent | null {
  if (!event.threadRootId) return null;
  const reply = messageOf(event);
  return reply ? { rootId: event.threadRootId, reply, summary: threadSummaryOf(event) } : null;
}

const MESSAGE_EVENT_TYPES: ReadonlySet<string> = new Set(['MESSAGE_SENT', 'MESSAGE_EDITED', 'MESSAGE_DELETED']);

/** A page of messages of one conversation, through the conversation/createdAt index. */
export interface MessagePageQuery {
  readonly conversationId: string;
  /** Only messages created at or after this instant. */
  readonly since?: string | null;
  /** Only messages created after this instant. */
  readonly after?: string | null;
  readonly newestFirst: boolean;
  readonly limit: number;
  readonly nextToken: string | null;
}
