import { randomUUID } from 'node:crypto';
import { ChatError } from '../../shared/errors';
import { kindOf, type ConversationKind, type MemberRole, type SystemAction } from '../../shared/members';
import { canonicalOwnerEntry, isListedOwner, ownerEntryUserId, type CallerIdentity } from '../../shared/owner';
import {
  checkParticipantBounds,
  conversationOfParticipant,
  messageEvent,
  participantEntry,
  requiredId,
  type Clock,
  type ConversationRecord,
  type MessageRecord,
  type MessageStore,
  type NewMessage,
} from './logic';

/**
 * Conversation members: owners add and remove members and change roles, anyone leaves a group, a direct conversation
 * stays as it was created. Each change is one DynamoDB transaction: the conversation's participants and owners,
 * conditional on the membership version read (so two owners acting at once never lose a change: the second reads
 * again and applies its change to the first's result), with the SYSTEM messages that record it. Then MEMBERS_CHANGED
 * goes to everyone before and after the change, each SYSTEM message as MESSAGE_SENT to the participants after it, and
 * the event subscriptions of whoever left or was removed are invalidated. docs/data-model.md ("Members").
 */

/** A membership change as written: the conversation's new state and the SYSTEM messages recording it. */
export interface MembershipWrite {
  conversationId: string;
  /** The version read (null: an item never changed since roles existed); the write is conditional on it. */
  expectedVersion: number | null;
  kind: ConversationKind;
  participants: string[];
  owners: string[];
  at: string;
  messages: NewMessage[];
}

/** The storage and publishing a membership change needs beyond the message store. */
export interface MembershipStore {
  /** Writes the change in one transaction; false (nothing written) when the version moved since it was read. */
  changeMembership(change: MembershipWrite): Promise<boolean>;
  /** Ends `userId`'s event subscriptions of the conversation (invalidateMemberSubscriptions). */
  invalidate(conversationId: string, userId: string): Promise<void>;
}

/** What every membership operation returns: the conversation's members after it. */
export interface ConversationMembers {
  conversationId: string;
  kind: ConversationKind;
  /** Canonical entries "<sub>::<username>", in the order people joined. */
  participants: string[];
  owners: string[];
  /** The SYSTEM messages written (none when nothing changed). */
  systemMessageIds: string[];
  at: string;
}

/** Reads and write attempts of one change when other changes keep coming first; then Conflict. */
const ATTEMPTS = 5;

const entries = (list: readonly (string | null)[] | null | undefined): string[] =>
  [...new Set((list ?? []).filter((e): e is string => !!e).map(canonicalOwnerEntry))];

/** The owners of a stored conversation: its own, or for an item written before roles existed, its first participant (the creator). */
export function ownersOf(conversation: ConversationRecord): string[] {
  const participants = entries(conversation.participants);
  if (conversation.owners) {
    const ids = new Set(entries(conversation.owners).map(ownerEntryUserId));
    return participants.filter((entry) => ids.has(ownerEntryUserId(entry)));
  }
  return participants.slice(0, 1);
}

const byUser = (list: readonly string[], userId: string): string | undefined => list.find((entry) => ownerEntryUserId(entry) === userId);

function requireGroup(conversation: ConversationRecord, kind: ConversationKind): void {
  if (kind === 'DIRECT') throw new ChatError('ValidationError', `conversation ${conversation.id} is a direct conversation: it keeps its two people`);
}

function requireOwner(conversation: ConversationRecord, owners: readonly string[], caller: CallerIdentity, what: string): void {
  if (!isListedOwner(owners, caller)) throw new ChatError('Unauthorized', `only an owner of conversation ${conversation.id} may ${what}`);
}

/** A computed change: the new lists, and the SYSTEM messages' actions and targets (none: nothing changes). */
interface Plan {
  participants: string[];
  owners: string[];
  records: { action: SystemAction; targets: string[]; role?: MemberRole }[];
  /** Whose subscriptions end (left or removed). */
  gone: string[];
}

/**
 * Runs one membership change: reads the conversation (the caller must be a participant now), plans it, writes it
 * conditionally (again from a fresh read when another change came first), then publishes and invalidates.
 */
async function change(
  store: MessageStore,
  members: MembershipStore,
  caller: CallerIdentity,
  conversationId: unknown,
  plan: (conversation: ConversationRecord, kind: ConversationKind, participants: string[], owners: string[]) => Plan,
  clock: Clock,
): Promise<ConversationMembers> {
  for (let attempt = 1; ; attempt++) {
    const conversation = await conversationOfParticipant(store, conversationId, caller);
    const kind = kindOf(conversation);
    const participants = entries(conversation.participants);
    const owners = ownersOf(conversation);
    const next = plan(conversation, kind, participants, owners);
    const at = clock().toISOString();
    if (next.records.length === 0) return { conversationId: conversation.id, kind, participants, owners, systemMessageIds: [], at };
    // A second record (the owner hand-over after a leave) sorts one millisecond after the first.
    const messages: NewMessage[] = next.records.map((record, index) => ({
      id: randomUUID(),
      conversationId: conversation.id,
      content: systemText(record.action, record.targets.length),
      messageType: 'SYSTEM',
      sender: caller.sub,
      clientMessageId: null,
      createdAt: new Date(Date.parse(at) + index).toISOString(),
      systemAction: record.action,
      actor: caller.sub,
      targets: record.targets,
      ...(record.role ? { role: record.role } : {}),
    }));
    const written = await members.changeMembership({
      conversationId: conversation.id,
      expectedVersion: conversation.membershipVersion ?? null,
      kind,
      participants: next.participants,
      owners: next.owners,
      at,
      messages,
    });
    if (!written) {
      if (attempt >= ATTEMPTS) throw new ChatError('Conflict', `conversation ${conversation.id} kept changing; try again`);
      continue;
    }
    await store.publish({
      conversationId: conversation.id,
      type: 'MEMBERS_CHANGED',
      userId: caller.sub,
      at,
      participants: [...new Set([...participants, ...next.participants])],
      name: conversation.name ?? null,
      kind,
      members: next.participants,
      owners: next.owners,
      systemAction: next.records[0]!.action,
      actor: caller.sub,
      targets: next.records[0]!.targets,
      ...(next.records[0]!.role ? { role: next.records[0]!.role } : {}),
    });
    for (const message of messages) {
      const stored: MessageRecord = { ...message, editedAt: null, updatedAt: message.createdAt };
      if (next.participants.length > 0) await store.publish(messageEvent('MESSAGE_SENT', stored, next.participants, caller.sub, message.createdAt));
    }
    for (const userId of next.gone) await members.invalidate(conversation.id, userId);
    return { conversationId: conversation.id, kind, participants: next.participants, owners: next.owners, systemMessageIds: messages.map((m) => m.id), at };
  }
}

/** A plain-text line for clients that do not render SYSTEM messages from their fields (names come from the directory). */
function systemText(action: SystemAction, count: number): string {
  switch (action) {
    case 'ADDED':
      return count === 1 ? 'added a member' : `added ${count} members`;
    case 'REMOVED':
      return 'removed a member';
    case 'LEFT':
      return 'left the conversation';
    case 'ROLE_CHANGED':
      return 'changed a role';
  }
}

function userIdArgument(value: unknown, name: string): string {
  return ownerEntryUserId(participantEntry(requiredId(value, name), name));
}

/** Owners add people to a group (already members are skipped; nobody new: nothing changes). */
export async function addMembers(
  store: MessageStore,
  members: MembershipStore,
  caller: CallerIdentity,
  input: { conversationId?: unknown; userIds?: unknown },
  clock: Clock = () => new Date(),
): Promise<ConversationMembers> {
  if (!Array.isArray(input.userIds) || input.userIds.length === 0) throw new ChatError('ValidationError', 'userIds must name at least one user');
  const wanted = input.userIds.map((entry) => participantEntry(entry, 'userIds'));
  checkParticipantBounds([...new Set(wanted)]);
  return change(store, members, caller, input.conversationId, (conversation, kind, participants, owners) => {
    requireGroup(conversation, kind);
    requireOwner(conversation, owners, caller, 'add members');
    const added: string[] = [];
    for (const entry of wanted) {
      const userId = ownerEntryUserId(entry);
      if (byUser(participants, userId) !== undefined || byUser(added, userId) !== undefined) continue;
      added.push(entry);
    }
    const next = [...participants, ...added];
    checkParticipantBounds(next);
    return { participants: next, owners, records: added.length > 0 ? [{ action: 'ADDED', targets: added.map(ownerEntryUserId) }] : [], gone: [] };
  }, clock);
}

/** Owners remove a member of a group (not themselves: they leave). */
export async function removeMember(
  store: MessageStore,
  members: MembershipStore,
  caller: CallerIdentity,
  input: { conversationId?: unknown; userId?: unknown },
  clock: Clock = () => new Date(),
): Promise<ConversationMembers> {
  const userId = userIdArgument(input.userId, 'userId');
  if (userId === caller.sub) throw new ChatError('ValidationError', 'to leave a conversation, use leaveConversation');
  return change(store, members, caller, input.conversationId, (conversation, kind, participants, owners) => {
    requireGroup(conversation, kind);
    requireOwner(conversation, owners, caller, 'remove members');
    if (byUser(participants, userId) === undefined) throw new ChatError('ValidationError', `user ${userId} is not a member of conversation ${conversation.id}`);
    const keep = (entry: string) => ownerEntryUserId(entry) !== userId;
    return { participants: participants.filter(keep), owners: owners.filter(keep), records: [{ action: 'REMOVED', targets: [userId] }], gone: [userId] };
  }, clock);
}

/** Owners make a member an owner, or an owner a member again (a group keeps at least one owner). */
export async function setMemberRole(
  store: MessageStore,
  members: MembershipStore,
  caller: CallerIdentity,
  input: { conversationId?: unknown; userId?: unknown; role?: unknown },
  clock: Clock = () => new Date(),
): Promise<ConversationMembers> {
  const userId = userIdArgument(input.userId, 'userId');
  if (input.role !== 'OWNER' && input.role !== 'MEMBER') throw new ChatError('ValidationError', 'role must be OWNER or MEMBER');
  const role: MemberRole = input.role;
  return change(store, members, caller, input.conversationId, (conversation, kind, participants, owners) => {
    requireGroup(conversation, kind);
    requireOwner(conversation, owners, caller, 'change roles');
    const entry = byUser(participants, userId);
    if (entry === undefined) throw new ChatError('ValidationError', `user ${userId} is not a member of conversation ${conversation.id}`);
    const isOwner = byUser(owners, userId) !== undefined;
    if ((role === 'OWNER') === isOwner) return { participants, owners, records: [], gone: [] };
    if (role === 'MEMBER' && owners.length === 1) throw new ChatError('ValidationError', 'a group keeps at least one owner: make someone else an owner first');
    const next = role === 'OWNER' ? participants.filter((p) => p === entry || owners.includes(p)) : owners.filter((o) => o !== entry);
    return { participants, owners: next, records: [{ action: 'ROLE_CHANGED', targets: [userId], role }], gone: [] };
  }, clock);
}

/**
 * The caller leaves a group. When the last owner leaves, the longest-standing remaining member (the first in join
 * order) becomes owner, recorded by a second SYSTEM message (ROLE_CHANGED).
 */
export async function leaveConversation(
  store: MessageStore,
  members: MembershipStore,
  caller: CallerIdentity,
  input: { conversationId?: unknown },
  clock: Clock = () => new Date(),
): Promise<ConversationMembers> {
  return change(store, members, caller, input.conversationId, (conversation, kind, participants, owners) => {
    requireGroup(conversation, kind);
    const keep = (entry: string) => ownerEntryUserId(entry) !== caller.sub;
    const remaining = participants.filter(keep);
    let nextOwners = owners.filter(keep);
    const records: Plan['records'] = [{ action: 'LEFT', targets: [caller.sub] }];
    if (nextOwners.length === 0 && remaining.length > 0) {
      nextOwners = [remaining[0]!];
      records.push({ action: 'ROLE_CHANGED', targets: [ownerEntryUserId(remaining[0]!)], role: 'OWNER' });
    }
    return { participants: remaining, owners: nextOwners, records, gone: [caller.sub] };
  }, clock);
}
