import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphql } from 'graphql16';
import { graphqlSchema } from '../../../tests/helpers/assembly';
import { AuthDirectives } from './auth-directives';
import { buildAppSyncSchema } from './build-schema';

const CDK_OUT = join(import.meta.dirname, '..', '..', '..', '.amplify', 'artifacts', 'cdk.out');
const schema = buildAppSyncSchema(graphqlSchema(CDK_OUT));

describe('buildAppSyncSchema on the synthesized chat schema', () => {
  it('builds the deployed SDL with AppSync scalars and directives', () => {
    expect(schema.getMutationType()?.getFields()['sendMessage']).toBeDefined();
    expect(schema.getSubscriptionType()?.getFields()['onMessageSent']?.astNode?.directives?.map((d) => d.name.value)).toContain('aws_subscribe');
  });

  it('rejects invalid AWSDateTime, AWSEmail and enum values before any resolver runs', async () => {
    const result = await graphql({ schema, source: 'mutation { heartbeat(status: DANCING) { id } }' });
    expect(result.errors?.[0]?.message).toMatch(/DANCING/);
    const email = await graphql({
      schema,
      source: 'mutation M($i: CreateUserProfileInput!) { createUserProfile(input: $i) { id } }',
      variableValues: { i: { displayName: 'x', email: 'not-an-email' } },
    });
    expect(email.errors?.[0]?.message).toMatch(/Invalid AWSEmail value/);
    const date = await graphql({
      schema,
      source: 'mutation M($i: CreateUserPresenceInput!) { createUserPresence(input: $i) { id } }',
      variableValues: { i: { status: 'ONLINE', lastSeen: '2026-02-30T00:00:00Z' } },
    });
    expect(date.errors?.[0]?.message).toMatch(/Invalid AWSDateTime value/);
  });
});

describe('AuthDirectives', () => {
  const auth = new AuthDirectives(schema, 'AMAZON_COGNITO_USER_POOLS');

  it('allows user pools and IAM on the model operations and types', () => {
    expect(auth.modesFor('Query', 'getConversation')).toEqual(['AWS_IAM', 'AMAZON_COGNITO_USER_POOLS']);
    expect(auth.modesFor('Message', 'content')).toEqual(['AWS_IAM', 'AMAZON_COGNITO_USER_POOLS']);
  });

  it('allows only what a type names: SendMessageInput is IAM-only', () => {
    expect(auth.allows('SendMessageInput', 'content', 'AWS_IAM')).toBe(true);
    expect(auth.allows('SendMessageInput', 'content', 'AMAZON_COGNITO_USER_POOLS')).toBe(false);
  });

  it('falls back to the default mode where nothing is declared, and never allows API keys here', () => {
    expect(auth.modesFor('ModelConversationConnection', 'items')).toEqual(['AWS_IAM', 'AMAZON_COGNITO_USER_POOLS']);
    expect(auth.allows('Query', 'listConversations', 'API_KEY')).toBe(false);
    const plain = new AuthDirectives(buildAppSyncSchema('type Query { a: Int }'), 'API_KEY');
    expect(plain.modesFor('Query', 'a')).toEqual(['API_KEY']);
  });
});
