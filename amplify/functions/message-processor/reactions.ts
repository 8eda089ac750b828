import { REACTION_EMOJI, type ReactionEmoji } from '../../shared/limits';
import { isListedOwner, type CallerIdentity } from '../../shared/owner';
import { ChatError } from '../../shared/errors';
import { messageAudience, requiredId, type Clock, type MessageStore } from './logic';

/**
 * Reactions: one item per (message, user, emoji) in the Reaction table, written only here (toggleReaction), read by
 * the conversation's participants now through listConversationReactions, announced as a REACTION conversation event.
 * An item carries no participants (nothing reads them: every read checks membership now). docs/data-model.md.
 */

/** A reaction as stored (the Reaction model's fields). */
export interface ReactionRecord {
  messageId: string;
  /** The sort key: `<emoji>#<userId>`, so the reactions of a message with one emoji are one key range. */
  reactionKey: string;
  conversationId: string;
  /** The message's createdAt: the Reaction index is keyed by conversation and this, like the Message index. */
  messageCreatedAt: string;
  emoji: ReactionEmoji;
  userId: string;
  createdAt: string;
}

export interface ReactionKey {
  messageId: string;
  emoji: ReactionEmoji;
  userId: string;
}

/** The Reaction table operations toggleReaction needs. */
export interface ReactionStore {
  /** Stores the reaction unless it is there; whether it was written. */
  add(reaction: ReactionRecord): Promise<boolean>;
  /** Deletes the reaction if it is there; whether it was deleted. */
  remove(key: ReactionKey): Promise<boolean>;
  /** The users who reacted to the message with the emoji, as stored now (a strongly consistent read). */
  usersOf(messageId: string, emoji: ReactionEmoji): Promise<string[]>;
}

export const reactionKeyOf = (emoji: string, userId: string): string => `${emoji}#${userId}`;

export interface ToggleReactionInput {
  conversationId?: unknown;
  messageId?: unknown;
  emoji?: unknown;
  /** The state wanted (retries are then harmless); absent: the opposite of the stored state. */
  reacted?: unknown;
}

/** What toggleReaction returns, and what the REACTION event carries besides its audience. */
export interface ReactionChange {
  conversationId: string;
  messageId: string;
  emoji: ReactionEmoji;
  userId: string;
  /** Whether the caller has this reaction now. */
  reacted: boolean;
  /** Everyone who has this emoji on the message now (user ids), and how many they are. */
  users: string[];
  count: number;
  at: string;
}

export function validateEmoji(emoji: unknown): ReactionEmoji {
  if (typeof emoji === 'string' && (REACTION_EMOJI as readonly string[]).includes(emoji)) return emoji as ReactionEmoji;
  throw new ChatError('ValidationError', `emoji must be one of ${REACTION_EMOJI.join(' ')}`);
}


/**
 * Adds or removes the caller's reaction to a message of a conversation they are in, and publishes REACTION (the new
 * users and count of that emoji) to the conversation's participants. A missing conversation and one the caller is not
 * in get sendMessage's answer; a message that is missing or of another conversation gets one NotFound answer.
 */
export async function toggleReaction(
  store: MessageStore,
  reactions: ReactionStore,
  caller: CallerIdentity,
  input: ToggleReactionInput,
  clock: Clock = () => new Date(),
): Promise<ReactionChange> {
  const emoji = validateEmoji(input.emoji);
  if (input.reacted !== undefined && input.reacted !== null && typeof input.reacted !== 'boolean') {
    throw new ChatError('ValidationError', 'reacted must be true, false or absent');
  }
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
  const audience = messageAudience(conversation);
  const at = clock().toISOString();
  const key: ReactionKey = { messageId: message.id, emoji, userId: caller.sub };
  const add = () =>
    reactions.add({
      ...key,
      reactionKey: reactionKeyOf(emoji, caller.sub),
      conversationId: conversation.id,
      messageCreatedAt: message.createdAt,
      createdAt: at,
    });

  let reacted: boolean;
  if (input.reacted === true) {
    await add();
    reacted = true;
  } else if (input.reacted === false) {
    await reactions.remove(key);
    reacted = false;
  } else if (await add()) {
    // A toggle: stored unless it is there, else removed.
    reacted = true;
  } else {
    await reactions.remove(key);
    reacted = false;
  }

  const users = await reactions.usersOf(message.id, emoji);
  const change: ReactionChange = { conversationId: conversation.id, messageId: message.id, emoji, userId: caller.sub, reacted, users, count: users.length, at };
  await store.publish({
    conversationId: conversation.id,
    type: 'REACTION',
    userId: caller.sub,
    at,
    participants: audience,
    messageId: message.id,
    id: message.id,
    emoji,
    reacted,
    reactionUsers: users,
    reactionCount: users.length,
  });
  return change;
}
