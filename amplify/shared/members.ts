/**
 * Conversation membership: kinds, roles and the system messages a membership change writes. Defined once for the
 * schema, the message processor and the web app. docs/data-model.md ("Members").
 */

/**
 * DIRECT: exactly two people, no name, fixed for good (nobody is added, removed or leaves). GROUP: owners add and
 * remove members and make others owners; anyone may leave.
 */
export const CONVERSATION_KINDS = ['DIRECT', 'GROUP'] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export const MEMBER_ROLES = ['OWNER', 'MEMBER'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** What a SYSTEM message records: who (`actor`) did what to whom (`targets`). */
export const SYSTEM_ACTIONS = ['ADDED', 'REMOVED', 'LEFT', 'ROLE_CHANGED'] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

/**
 * The kind of a stored conversation: its own, or for an item written before kinds existed, DIRECT when it has exactly
 * two participants and no name.
 */
export function kindOf(conversation: { kind?: string | null; name?: string | null; participants?: readonly (string | null)[] | null }): ConversationKind {
  if (conversation.kind === 'DIRECT' || conversation.kind === 'GROUP') return conversation.kind;
  const count = (conversation.participants ?? []).filter((p) => !!p).length;
  return count === 2 && !conversation.name ? 'DIRECT' : 'GROUP';
}
