/** AppSync's mode and `cognito_groups` rules on a small hand-written schema (rules in auth-directives.ts). */
import { describe, expect, it } from 'vitest';
import { AuthDirectives } from './auth-directives';
import { buildAppSyncSchema } from './build-schema';

const SCHEMA = `
type Query {
  open: String
  readers: [String] @aws_auth(cognito_groups: ["Bloggers", "Readers"])
  single: String @aws_cognito_user_pools(cognito_groups: "Bloggers")
  nobody: String @aws_cognito_user_pools(cognito_groups: [])
  explicitNull: String @aws_cognito_user_pools(cognito_groups: null) @aws_iam
  both: String @aws_auth(cognito_groups: ["Readers"]) @aws_cognito_user_pools(cognito_groups: ["Editors"])
  widened: String @aws_auth(cognito_groups: ["Readers"]) @aws_cognito_user_pools
}
type Mutation {
  publishConversationEvent(conversationId: ID!): ConversationEvent @aws_cognito_user_pools(cognito_groups: ["ChatBackend"]) @aws_iam
}
type ConversationEvent @aws_cognito_user_pools(cognito_groups: ["ChatBackend"]) @aws_iam {
  conversationId: ID!
  kind: String
  summary: String @aws_cognito_user_pools
  audit: String @aws_iam
  moderation: String @aws_cognito_user_pools(cognito_groups: ["Moderators"])
}
type Profile @aws_cognito_user_pools @aws_iam {
  name: String
  salary: Int @aws_cognito_user_pools(cognito_groups: ["Payroll"]) @aws_iam
}
`;

const auth = new AuthDirectives(buildAppSyncSchema(SCHEMA), 'AMAZON_COGNITO_USER_POOLS');
const USER_POOLS = 'AMAZON_COGNITO_USER_POOLS';

describe('cognito_groups', () => {
  it('a listed group lets a user-pool caller through; no group, another group or no groups claim does not', () => {
    expect(auth.allows('Mutation', 'publishConversationEvent', USER_POOLS, ['ChatBackend'])).toBe(true);
    expect(auth.allows('Mutation', 'publishConversationEvent', USER_POOLS, ['Readers', 'ChatBackend'])).toBe(true);
    expect(auth.allows('Mutation', 'publishConversationEvent', USER_POOLS, ['Readers'])).toBe(false);
    expect(auth.allows('Mutation', 'publishConversationEvent', USER_POOLS, [])).toBe(false);
    expect(auth.allows('Mutation', 'publishConversationEvent', USER_POOLS, null)).toBe(false);
    expect(auth.allows('Mutation', 'publishConversationEvent', USER_POOLS)).toBe(false);
    // Names match exactly.
    expect(auth.allows('Mutation', 'publishConversationEvent', USER_POOLS, ['chatbackend'])).toBe(false);
  });

  it('both spellings: @aws_auth and @aws_cognito_user_pools allow members of any listed group', () => {
    expect(auth.allows('Query', 'readers', USER_POOLS, ['Readers'])).toBe(true);
    expect(auth.allows('Query', 'readers', USER_POOLS, ['Bloggers'])).toBe(true);
    expect(auth.allows('Query', 'readers', USER_POOLS, ['Admins'])).toBe(false);
    expect(auth.modesFor('Query', 'readers')).toEqual([USER_POOLS]);
    // A single string is a one-element list (GraphQL list input coercion).
    expect(auth.allows('Query', 'single', USER_POOLS, ['Bloggers'])).toBe(true);
    expect(auth.allows('Query', 'single', USER_POOLS, ['Readers'])).toBe(false);
  });

  it('a user-pool directive without cognito_groups (or with null) allows every user-pool caller', () => {
    expect(auth.allows('Profile', 'name', USER_POOLS)).toBe(true);
    expect(auth.allows('Query', 'explicitNull', USER_POOLS, [])).toBe(true);
    // A field without directives on a type without directives: the default mode, every user-pool caller.
    expect(auth.allows('Query', 'open', USER_POOLS)).toBe(true);
  });

  it('an empty list allows no user-pool caller', () => {
    expect(auth.allows('Query', 'nobody', USER_POOLS, ['Bloggers'])).toBe(false);
  });

  it('several user-pool directives on one field allow the union; one without groups opens the field', () => {
    expect(auth.allows('Query', 'both', USER_POOLS, ['Readers'])).toBe(true);
    expect(auth.allows('Query', 'both', USER_POOLS, ['Editors'])).toBe(true);
    expect(auth.allows('Query', 'both', USER_POOLS, ['Bloggers'])).toBe(false);
    expect(auth.allows('Query', 'widened', USER_POOLS, [])).toBe(true);
  });

  it("a field's directives override its type's, groups included", () => {
    // Type-level groups apply to fields without directives.
    expect(auth.allows('ConversationEvent', 'kind', USER_POOLS, ['ChatBackend'])).toBe(true);
    expect(auth.allows('ConversationEvent', 'kind', USER_POOLS, ['Readers'])).toBe(false);
    // A bare @aws_cognito_user_pools on the field opens it to every user-pool caller.
    expect(auth.allows('ConversationEvent', 'summary', USER_POOLS, [])).toBe(true);
    expect(auth.modesFor('ConversationEvent', 'summary')).toEqual([USER_POOLS]);
    // An IAM-only field is closed to user pools whatever the groups.
    expect(auth.allows('ConversationEvent', 'audit', USER_POOLS, ['ChatBackend'])).toBe(false);
    // The field's own list replaces the type's.
    expect(auth.allows('ConversationEvent', 'moderation', USER_POOLS, ['Moderators'])).toBe(true);
    expect(auth.allows('ConversationEvent', 'moderation', USER_POOLS, ['ChatBackend'])).toBe(false);
    // Groups on a field of an unrestricted type restrict it.
    expect(auth.allows('Profile', 'salary', USER_POOLS, ['Payroll'])).toBe(true);
    expect(auth.allows('Profile', 'salary', USER_POOLS, [])).toBe(false);
  });

  it('IAM and API-key callers are judged on their mode alone', () => {
    expect(auth.allows('Mutation', 'publishConversationEvent', 'AWS_IAM')).toBe(true);
    expect(auth.allows('ConversationEvent', 'kind', 'AWS_IAM')).toBe(true);
    expect(auth.allows('ConversationEvent', 'audit', 'AWS_IAM')).toBe(true);
    expect(auth.allows('Profile', 'salary', 'AWS_IAM', [])).toBe(true);
    // Groups never grant a mode the field does not name.
    expect(auth.allows('ConversationEvent', 'moderation', 'AWS_IAM')).toBe(false);
    expect(auth.allows('Query', 'readers', 'AWS_IAM', ['Readers'])).toBe(false);
    expect(auth.allows('Mutation', 'publishConversationEvent', 'API_KEY', ['ChatBackend'])).toBe(false);
    const withKey = new AuthDirectives(buildAppSyncSchema('type Query @aws_api_key @aws_cognito_user_pools(cognito_groups: ["A"]) { a: Int }'), 'API_KEY');
    expect(withKey.allows('Query', 'a', 'API_KEY')).toBe(true);
    expect(withKey.allows('Query', 'a', USER_POOLS, ['B'])).toBe(false);
  });

  it('parses each field once: the same rule object is returned on every check', () => {
    expect(auth.ruleFor('ConversationEvent', 'kind')).toBe(auth.ruleFor('ConversationEvent', 'kind'));
    expect(auth.ruleFor('ConversationEvent', 'kind')).toBe(auth.ruleFor('ConversationEvent', 'conversationId')); // both from the type
    expect(auth.ruleFor('Query', 'open')).toEqual({ modes: [USER_POOLS], userPoolGroups: null });
    expect([...(auth.ruleFor('Query', 'readers').userPoolGroups ?? [])]).toEqual(['Bloggers', 'Readers']);
  });
});
