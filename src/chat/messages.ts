import type { MessageType } from '../../amplify/shared/limits';
import type { MemberRole, SystemAction } from '../../amplify/shared/members';
import { sameUser, userIdOf } from './participants';
import { compareText, compareTimestamps, laterTimestamp } from './timestamps';
import type { ThreadSummary } from './threads';
import type { AttachmentMessageType, MessageAttachment } from './attachments';

/**
 * The message timeline of one conversation: optimistic sends, the sendMessage answer, live events,
 * the catch-up after a reconnect and older history pages merged into one list without duplicates.
 *
 * Identity rules:
 * - a confirmed message is identified by its `id`; the same id arriving again (subscription *and*
 *   list, a retried send, an overlapping page) updates it in place, never adds a second copy;
 * - an optimistic message has a local id (`pendingIdFor(clientMessageId)`); the first confirmed
 *   message with the same `clientMessageId` from the same sender replaces it, whichever path
 *   delivers it first;
 * - a removed id is remembered, so an event for it arriving late (or a page fetched before the
 *   removal) does not bring it back.
 *
 * Every function returns a new Timeline (or the same object when nothing changed), for React reducers.
 */

export type DeliveryStatus = 'pending' | 'failed' | 'confirmed';

export interface TimelineMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly content: string;
  readonly messageType: MessageType;
  /** The sender's user id (owner-field entries normalized, see participants.ts). */
  readonly sender: string;
  readonly clientMessageId: string | null;
  readonly createdAt: string;
  readonly editedAt: string | null;
  readonly status: DeliveryStatus;
  /** Why the last send attempt failed (status 'failed' only). */
  readonly error?: string;
  /** SYSTEM messages: the membership change they record (who did what to whom, user ids). */
  readonly system?: SystemRecord;
  /** A thread root: its replies' count and last reply (absent: none known). */
  readonly thread?: ThreadSummary;
  /** IMAGE and FILE messages: the file, as the backend measured it. */
  readonly attachment?: MessageAttachment;
  /** An IMAGE or FILE message not confirmed yet: the file being uploaded (or uploaded) from this device. */
  readonly upload?: PendingUpload;
}

/**
 * The file of an unconfirmed IMAGE or FILE message: what is shown while it uploads (name, size, the local preview of
 * an image with its dimensions, the percentage) and, once the upload finished, where it was staged — a retry then
 * sends again without uploading again.
 */
export interface PendingUpload {
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly messageType: AttachmentMessageType;
  /** An object URL of the local file (images only). */
  readonly previewUrl: string | null;
  readonly width: number | null;
  readonly height: number | null;
  /** 0–100. */
  readonly percent: number;
  /** The staging key once the upload finished; null before. */
  readonly uploadedPath: string | null;
}

/** What a SYSTEM message records: `actor` added, removed or changed the role of `targets`, or left. */
export interface SystemRecord {
  readonly action: SystemAction;
  readonly actor: string;
  readonly targets: readonly string[];
  /** ROLE_CHANGED: the role the target has now. */
  readonly role?: MemberRole | null;
}

/** A message as the API delivers it: a Message item (a query's answer), a SentMessage, or a message event. */
export interface IncomingMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly content: string;
  readonly messageType?: MessageType | null;
  readonly sender: string;
  readonly clientMessageId?: string | null;
  readonly createdAt: string;
  readonly editedAt?: string | null;
  /** Set for removal events (MESSAGE_DELETED): the message is removed. */
  readonly deleted?: boolean | null;
  /** SYSTEM messages: the change recorded. */
  readonly systemAction?: SystemAction | null;
  readonly actor?: string | null;
  readonly targets?: readonly (string | null)[] | null;
  readonly role?: MemberRole | null;
  /** A thread root's counts, when the source carries them (a history page; a reply's event carries its root's). */
  readonly thread?: ThreadSummary | null;
  /** IMAGE and FILE messages: the file. */
  readonly attachment?: MessageAttachment | null;
}

/**
 * Where a batch comes from.
 * - 'send': the sendMessage answer to this client's own request;
 * - 'subscription': a live event;
 * - 'list': the first (newest) page loaded when the conversation opens;
 * - 'catch-up': messages fetched after a reconnect (`createdAt >= newestConfirmedCreatedAt`);
 * - 'history': an older page.
 */
export type MessageSource = 'send' | 'subscription' | 'list' | 'catch-up' | 'history';

export interface Timeline {
  readonly conversationId: string;
  /** Sorted by createdAt, then id (oldest first, newest at the bottom). */
  readonly messages: readonly TimelineMessage[];
  /** Ids removed while this timeline was open; later events for them are ignored. */
  readonly removedIds: ReadonlySet<string>;
  /** The newest createdAt delivered by a source that sees everyone's messages (see newestConfirmedCreatedAt). */
  readonly syncedThrough: string | null;
}

export interface PendingDraft {
  readonly clientMessageId: string;
  readonly content: string;
  /** The signed-in user's id. */
  readonly sender: string;
  /** The local send time (ISO-8601); the confirmed message brings the server's. */
  readonly createdAt: string;
  readonly messageType?: MessageType;
  /** IMAGE and FILE messages: the file being uploaded. */
  readonly upload?: PendingUpload;
}

export function createTimeline(conversationId: string): Timeline {
  return { conversationId, messages: [], removedIds: new Set(), syncedThrough: null };
}

/** The local id of the optimistic message for a clientMessageId. */
export function pendingIdFor(clientMessageId: string): string {
  return `pending:${clientMessageId}`;
}

/** The message (pending, failed or confirmed) sent with this clientMessageId, if any. */
export function findByClientMessageId(timeline: Timeline, clientMessageId: string): TimelineMessage | undefined {
  return timeline.messages.find((m) => m.clientMessageId === clientMessageId);
}

/**
 * Adds an optimistic message. A no-op when a message with this clientMessageId is already in the
 * timeline (pending, failed or already confirmed): one clientMessageId never shows twice.
 */
export function addPending(timeline: Timeline, draft: PendingDraft): Timeline {
  if (findByClientMessageId(timeline, draft.clientMessageId)) return timeline;
  const message: TimelineMessage = {
    id: pendingIdFor(draft.clientMessageId),
    conversationId: timeline.conversationId,
    content: draft.content,
    messageType: draft.messageType ?? 'TEXT',
    sender: userIdOf(draft.sender),
    clientMessageId: draft.clientMessageId,
    createdAt: draft.createdAt,
    editedAt: null,
    status: 'pending',
    ...(draft.upload ? { upload: draft.upload } : {}),
  };
  return { ...timeline, messages: sortMessages([...timeline.messages, message]) };
}

/** Marks a pending send as failed. No-op when it was confirmed meanwhile (e.g. by the subscription). */
export function markFailed(timeline: Timeline, clientMessageId: string, error?: string): Timeline {
  return updateUnconfirmed(timeline, clientMessageId, (m) => ({
    ...m,
    status: 'failed',
    ...(error === undefined ? {} : { error }),
  }));
}

/**
 * Puts a failed message back to pending before the caller sends it again **with the same
 * clientMessageId** (the server then stores it at most once). No-op unless it is 'failed'.
 */
export function markRetrying(timeline: Timeline, clientMessageId: string): Timeline {
  const current = findByClientMessageId(timeline, clientMessageId);
  if (current?.status !== 'failed') return timeline;
  // An upload that never finished starts again from 0 %.
  return updateUnconfirmed(timeline, clientMessageId, ({ error: _error, ...rest }) => ({
    ...rest,
    status: 'pending',
    ...(rest.upload && !rest.upload.uploadedPath ? { upload: { ...rest.upload, percent: 0 } } : {}),
  }));
}

/** An unconfirmed attachment message's upload progress (0–100; never backwards). */
export function setUploadProgress(timeline: Timeline, clientMessageId: string, percent: number): Timeline {
  const current = findByClientMessageId(timeline, clientMessageId);
  if (!current?.upload || current.status === 'confirmed' || current.upload.percent >= percent) return timeline;
  return updateUnconfirmed(timeline, clientMessageId, (m) => (m.upload ? { ...m, upload: { ...m.upload, percent } } : m));
}

/** An unconfirmed attachment message's upload finished: the staging key (a retry sends it without uploading again). */
export function setUploaded(timeline: Timeline, clientMessageId: string, path: string): Timeline {
  return updateUnconfirmed(timeline, clientMessageId, (m) => (m.upload ? { ...m, upload: { ...m.upload, percent: 100, uploadedPath: path } } : m));
}

/**
 * What sending an unconfirmed message (again) takes: `upload` for an attachment whose upload never finished (then
 * `send`), `send` otherwise.
 */
export function nextSendStep(message: TimelineMessage): 'upload' | 'send' {
  return message.upload && !message.upload.uploadedPath ? 'upload' : 'send';
}

/** Drops an unconfirmed (pending or failed) message, e.g. when the user discards a failed send. */
export function discardPending(timeline: Timeline, clientMessageId: string): Timeline {
  const messages = timeline.messages.filter((m) => m.status === 'confirmed' || m.clientMessageId !== clientMessageId);
  return messages.length === timeline.messages.length ? timeline : { ...timeline, messages };
}

/** Removes a message by id and remembers the id, so an earlier or later create event cannot revive it. */
export function applyRemoval(timeline: Timeline, messageId: string): Timeline {
  const messages = timeline.messages.filter((m) => m.id !== messageId);
  if (messages.length === timeline.messages.length && timeline.removedIds.has(messageId)) return timeline;
  return { ...timeline, messages, removedIds: new Set(timeline.removedIds).add(messageId) };
}

/**
 * Merges confirmed messages from any source. Messages of other conversations are ignored. For an id
 * already present, the copy with the newer `editedAt` wins (an older copy never undoes an edit).
 */
export function mergeMessages(
  timeline: Timeline,
  incoming: readonly IncomingMessage[],
  source: MessageSource,
): Timeline {
  const byId = new Map(timeline.messages.map((m) => [m.id, m]));
  const unconfirmed = new Map(
    timeline.messages.filter((m) => m.status !== 'confirmed' && m.clientMessageId).map((m) => [m.clientMessageId, m]),
  );
  let removedIds = timeline.removedIds;
  let syncedThrough = timeline.syncedThrough;
  let changed = false;

  for (const item of incoming) {
    if (item.conversationId !== timeline.conversationId) continue;
    if (seesEveryone(source)) syncedThrough = laterTimestamp(syncedThrough, item.createdAt);

    if (item.deleted) {
      if (byId.delete(item.id)) changed = true;
      if (!removedIds.has(item.id)) removedIds = new Set(removedIds).add(item.id);
      continue;
    }
    if (removedIds.has(item.id)) continue;

    const message = toConfirmed(item);
    const optimistic = message.clientMessageId ? unconfirmed.get(message.clientMessageId) : undefined;
    if (optimistic && sameUser(optimistic.sender, message.sender)) {
      byId.delete(optimistic.id);
      unconfirmed.delete(optimistic.clientMessageId);
      changed = true;
    }

    const existing = byId.get(message.id);
    if (!existing || compareTimestamps(message.editedAt, existing.editedAt) > 0) {
      // An event without the root's counts (an edit) keeps the counts held; one without the file (an edit's answer)
      // keeps the file held (a message's file never changes).
      let next = !message.thread && existing?.thread ? { ...message, thread: existing.thread } : message;
      if (!next.attachment && existing?.attachment) next = { ...next, attachment: existing.attachment };
      byId.set(message.id, next);
      changed = true;
    } else if (message.thread && existing.thread !== message.thread && !sameSummary(existing.thread, message.thread)) {
      byId.set(message.id, { ...existing, thread: message.thread });
      changed = true;
    }
  }

  if (!changed && removedIds === timeline.removedIds && syncedThrough === timeline.syncedThrough) return timeline;
  return {
    ...timeline,
    messages: changed ? sortMessages([...byId.values()]) : timeline.messages,
    removedIds,
    syncedThrough,
  };
}

const sameSummary = (a: ThreadSummary | undefined, b: ThreadSummary): boolean =>
  !!a && a.replyCount === b.replyCount && a.lastReplyAt === b.lastReplyAt && a.lastReplySender === b.lastReplySender;

/** Sets a root's thread counts (from a reply's event); the same timeline when the root is not loaded or unchanged. */
export function applyThreadSummary(timeline: Timeline, rootId: string, summary: ThreadSummary): Timeline {
  let changed = false;
  const messages = timeline.messages.map((m) => {
    if (m.id !== rootId || sameSummary(m.thread, summary)) return m;
    changed = true;
    return { ...m, thread: summary };
  });
  return changed ? { ...timeline, messages } : timeline;
}

/**
 * Where to resume after a reconnect: fetch messages with `createdAt >= ` this value (`>=`, not `>`:
 * two messages may share a millisecond; the overlap is merged away). `null` means nothing was
 * received yet: load the newest page instead.
 *
 * Only sources that see every participant's messages count ('subscription', 'list', 'catch-up'):
 * this client's own sendMessage answers arrive over HTTP even while the subscription is down, so
 * they would move the cursor past messages others sent during the outage. Read the value when the
 * connection is lost (not after it is back): events the new subscription delivers before the
 * catch-up query would otherwise move it past the gap too.
 */
export function newestConfirmedCreatedAt(timeline: Timeline): string | null {
  return timeline.syncedThrough;
}

function seesEveryone(source: MessageSource): boolean {
  return source === 'subscription' || source === 'list' || source === 'catch-up';
}

function toConfirmed(item: IncomingMessage): TimelineMessage {
  return {
    id: item.id,
    conversationId: item.conversationId,
    content: item.content,
    messageType: item.messageType ?? 'TEXT',
    sender: userIdOf(item.sender),
    clientMessageId: item.clientMessageId ?? null,
    createdAt: item.createdAt,
    editedAt: item.editedAt ?? null,
    status: 'confirmed',
    ...(item.systemAction
      ? { system: { action: item.systemAction, actor: userIdOf(item.actor ?? item.sender), targets: (item.targets ?? []).filter((t): t is string => !!t).map(userIdOf), role: item.role ?? null } }
      : {}),
    ...(item.thread ? { thread: item.thread } : {}),
    ...(item.attachment ? { attachment: item.attachment } : {}),
  };
}

function updateUnconfirmed(
  timeline: Timeline,
  clientMessageId: string,
  update: (message: TimelineMessage) => TimelineMessage,
): Timeline {
  let changed = false;
  const messages = timeline.messages.map((m) => {
    if (m.status === 'confirmed' || m.clientMessageId !== clientMessageId) return m;
    changed = true;
    return update(m);
  });
  return changed ? { ...timeline, messages } : timeline;
}

function sortMessages(messages: TimelineMessage[]): TimelineMessage[] {
  return messages.sort((a, b) => compareTimestamps(a.createdAt, b.createdAt) || compareText(a.id, b.id));
}
