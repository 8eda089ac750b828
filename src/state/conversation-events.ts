import type { ConversationEventType } from '../../amplify/shared/events';
import type { MessageType } from '../../amplify/shared/limits';
import { previewOf } from '../../amplify/shared/message-preview';
import { compareTimestamps, laterTimestamp, toMillis } from '../chat/timestamps';
import { kindOf, type ConversationKind } from '../../amplify/shared/members';
import { sameUser } from '../chat/participants';
import { ownerIds, readBackParticipants, removeConversation, upsertConversation, type ListedConversation } from './conversation-list';

/**
 * The conversation list kept current by conversation events (onMyConversations), the only signal of a conversation's
 * changes now that the Conversation model has no subscriptions:
 * - CONVERSATION_CREATED carries the whole new conversation (name, participants, `at` = its creation time): upserted;
 * - MESSAGE_SENT moves the conversation's lastMessageAt to the message's createdAt and its preview to
 *   previewOf(content, messageType, file name) — what the backend stores in the same transaction — forward only: delivery is at
 *   least once and not ordered, so a repeated or late event changes nothing;
 * - MEMBERS_CHANGED carries the conversation's members and owners after an add, a removal, a leave or a role change:
 *   the conversation is upserted with them when the user is among the members (someone just added gets it whole), and
 *   dropped when the user is not (they left or were removed);
 * - any event for a conversation the list does not hold means the list is behind: the caller lists again.
 */

/** The fields of a ConversationEvent this module reads. */
export interface ConversationEventInput {
  readonly type: ConversationEventType | null;
  readonly conversationId: string;
  readonly at: string;
  readonly name?: string | null;
  readonly participants?: readonly (string | null)[] | null;
  readonly content?: string | null;
  readonly messageType?: MessageType | null;
  readonly createdAt?: string | null;
  readonly members?: readonly (string | null)[] | null;
  readonly owners?: readonly (string | null)[] | null;
  readonly kind?: ConversationKind | null;
  /** A thread reply's events: its root (the list does not move for a reply). */
  readonly threadRootId?: string | null;
  /** IMAGE and FILE messages: the file (its name is in a FILE's preview). */
  readonly attachment?: { readonly name?: string | null } | null;
}

export interface ConversationEventOutcome {
  /** The list after the event: the same array when the event changed nothing. */
  readonly list: readonly ListedConversation[];
  /** The event is about a conversation the list does not hold (and cannot build from the event): list again. */
  readonly relist: boolean;
}

/** The conversation a CONVERSATION_CREATED event announces, as the list holds it; null for any other event. */
export function conversationOfCreatedEvent(event: ConversationEventInput): ListedConversation | null {
  if (event.type !== 'CONVERSATION_CREATED' || !event.conversationId) return null;
  const name = event.name?.trim() ? event.name : null;
  const participants = readBackParticipants(event.participants);
  return {
    id: event.conversationId,
    name,
    participants,
    kind: kindOf({ kind: event.kind ?? null, name, participants }),
    owners: ownerIds(event.owners, participants),
    createdAt: event.at,
    updatedAt: event.at,
    lastMessageAt: null,
    lastMessagePreview: null,
  };
}

/** Whether a MEMBERS_CHANGED event leaves `me` out of the conversation (they left or were removed). */
export function removesMe(event: ConversationEventInput, me: string): boolean {
  return event.type === 'MEMBERS_CHANGED' && !readBackParticipants(event.members).some((member) => sameUser(member, me));
}

/** Applies one conversation event to the list (see the module comment); `me`: the signed-in user's id. */
export function applyConversationEvent(
  list: readonly ListedConversation[],
  event: ConversationEventInput,
  me: string,
): ConversationEventOutcome {
  const created = conversationOfCreatedEvent(event);
  if (created) return { list: upsertConversation(list, created), relist: false };

  if (event.type === 'MEMBERS_CHANGED') {
    if (removesMe(event, me)) return { list: removeConversation(list, event.conversationId), relist: false };
    const held = list.find((c) => c.id === event.conversationId);
    const participants = readBackParticipants(event.members);
    const name = held ? held.name : event.name?.trim() ? event.name : null;
    const changed: ListedConversation = {
      id: event.conversationId,
      name,
      participants,
      kind: kindOf({ kind: event.kind ?? held?.kind ?? null, name, participants }),
      owners: ownerIds(event.owners, participants),
      createdAt: held?.createdAt ?? null,
      updatedAt: laterTimestamp(held?.updatedAt ?? null, event.at),
      lastMessageAt: held?.lastMessageAt ?? null,
      lastMessagePreview: held?.lastMessagePreview ?? null,
    };
    return { list: upsertConversation(list, changed), relist: false };
  }

  const index = list.findIndex((c) => c.id === event.conversationId);
  const held = list[index];
  if (!held) return { list, relist: true };
  // A thread reply leaves the conversation's last message as it is (the backend does not move it either).
  if (event.type !== 'MESSAGE_SENT' || event.threadRootId || Number.isNaN(toMillis(event.createdAt))) return { list, relist: false };
  if (compareTimestamps(event.createdAt, held.lastMessageAt) <= 0) return { list, relist: false };

  const next = [...list];
  next[index] = {
    ...held,
    lastMessageAt: event.createdAt ?? null,
    lastMessagePreview: previewOf(event.content ?? '', event.messageType ?? 'TEXT', event.attachment?.name),
    // The send transaction sets updatedAt with lastMessageAt: a list answer read before it is older than this.
    updatedAt: laterTimestamp(held.updatedAt, event.createdAt ?? null),
  };
  return { list: next, relist: false };
}
