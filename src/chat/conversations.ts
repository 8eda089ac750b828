import { participantIds, userIdOf } from './participants';
import { compareText, compareTimestamps } from './timestamps';

export { participantIds };

/**
 * Conversation-list helpers: titles, ordering, and finding an existing 1:1 conversation.
 * Participants may be stored as `"<sub>::<username>"` or read back as bare ids; every comparison goes
 * through participantIds() / userIdOf() (see participants.ts).
 */

export interface ConversationSummary {
  readonly id: string;
  readonly name?: string | null;
  readonly participants?: readonly (string | null)[] | null;
  readonly createdAt?: string | null;
  readonly lastMessageAt?: string | null;
}

export interface ProfileSummary {
  readonly displayName?: string | null;
  readonly email?: string | null;
}

/** Profiles keyed by user id (UserProfile.id = the user's sub). */
export type ProfilesById = ReadonlyMap<string, ProfileSummary>;

export const UNKNOWN_USER = 'Unknown user';

/** A user's name: display name, else e-mail, else "Unknown user". */
export function userDisplayName(userId: string, profiles: ProfilesById): string {
  const profile = profiles.get(userIdOf(userId));
  return nonBlank(profile?.displayName) ?? nonBlank(profile?.email) ?? UNKNOWN_USER;
}

/** A short name for group titles: the first word of the display name, else the e-mail's local part. */
export function userFirstName(userId: string, profiles: ProfilesById): string {
  const profile = profiles.get(userIdOf(userId));
  const displayName = nonBlank(profile?.displayName);
  if (displayName) return displayName.split(/\s+/u)[0] ?? displayName;
  const email = nonBlank(profile?.email);
  if (email) return email.split('@')[0] || email;
  return UNKNOWN_USER;
}

/** Participants other than the signed-in user. */
export function otherParticipantIds(conversation: ConversationSummary, me: string): string[] {
  const myId = userIdOf(me);
  return participantIds(conversation.participants).filter((id) => id !== myId);
}

/**
 * The title shown for a conversation: its name when set; for a 1:1 the other person's name; for an
 * unnamed group the first names ("Ann and Bob", "Ann, Bob and Cy", "Ann, Bob and 2 others");
 * `selfTitle` when the user is alone in it.
 */
export function conversationTitle(
  conversation: ConversationSummary,
  me: string,
  profiles: ProfilesById,
  selfTitle = 'Only you',
): string {
  const name = nonBlank(conversation.name);
  if (name) return name;
  const others = otherParticipantIds(conversation, me);
  const [first, second, third] = others;
  if (first === undefined) return selfTitle;
  if (second === undefined) return userDisplayName(first, profiles);
  const names = others.map((id) => userFirstName(id, profiles));
  if (third === undefined) return `${names[0]} and ${names[1]}`;
  if (others.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`;
  return `${names[0]}, ${names[1]} and ${others.length - 2} others`;
}

/** When the conversation last saw activity: lastMessageAt, else createdAt. */
export function lastActivityAt(conversation: ConversationSummary): string | null {
  return conversation.lastMessageAt ?? conversation.createdAt ?? null;
}

/** A new array, most recent activity first; conversations without any timestamp last; ties by id. */
export function sortByRecentActivity<T extends ConversationSummary>(conversations: readonly T[]): T[] {
  return [...conversations].sort(
    (a, b) => compareTimestamps(lastActivityAt(b), lastActivityAt(a)) || compareText(a.id, b.id),
  );
}

/**
 * The existing 1:1 conversation between `me` and `them`: participants, as a set of user ids, equal
 * to {me, them} ({me} for a note-to-self), whatever the entry forms and duplicates. When several
 * match, the most recently active one.
 */
export function findDirectConversation<T extends ConversationSummary>(
  conversations: readonly T[],
  me: string,
  them: string,
): T | undefined {
  const wanted = new Set([userIdOf(me), userIdOf(them)]);
  const matches = conversations.filter((c) => {
    const ids = participantIds(c.participants);
    return ids.length === wanted.size && ids.every((id) => wanted.has(id));
  });
  return sortByRecentActivity(matches)[0];
}

function nonBlank(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
