/**
 * Field validation. Display names: the generated resolvers' validators (`.validate()` in amplify/data/resource.ts) —
 * every signed-in user downloads every profile, so a display name is bounded on each write, not only at sign-up.
 * Conversation names: bounded by createConversation (the message processor), the only way a conversation is written
 * (the model has no mutations, so a name cannot be changed afterwards).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmSignUp, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../amplify/data/resource';
import { MAX_CONVERSATION_NAME_LENGTH, MAX_DISPLAY_NAME_LENGTH } from '../../amplify/shared/limits';
import { configureAmplify } from '../../src/amplify-config';
import { installWebSocket, startTestSandbox, type TestSandbox } from './helpers';

installWebSocket();
const EMAIL = 'val@example.com';
const PASSWORD = 'Correct-Horse-9';
let env: TestSandbox;
let me = '';
let client: ReturnType<typeof generateClient<Schema>>;

beforeAll(async () => {
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  await signUp({ username: EMAIL, password: PASSWORD, options: { userAttributes: { email: EMAIL, preferred_username: 'Val' } } });
  await confirmSignUp({ username: EMAIL, confirmationCode: env.sandbox.userPool.lastCodeFor(EMAIL)! });
  await signIn({ username: EMAIL, password: PASSWORD });
  me = (await getCurrentUser()).userId;
  client = generateClient<Schema>();
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('field validation', () => {
  it('keeps a display name between 1 and MAX_DISPLAY_NAME_LENGTH characters on every update', async () => {
    const tooLong = await client.models.UserProfile.update({ id: me, displayName: 'x'.repeat(MAX_DISPLAY_NAME_LENGTH + 1) });
    expect(tooLong.errors?.[0]?.message).toBe(`Validation: displayName must be at most ${MAX_DISPLAY_NAME_LENGTH} characters`);
    const empty = await client.models.UserProfile.update({ id: me, displayName: '' });
    expect(empty.errors?.[0]?.message).toBe('Validation: displayName must not be empty');
    // Nothing of either was stored.
    expect((await client.models.UserProfile.get({ id: me })).data?.displayName).toBe('Val');

    const longest = 'y'.repeat(MAX_DISPLAY_NAME_LENGTH);
    const ok = await client.models.UserProfile.update({ id: me, displayName: longest });
    expect(ok.errors).toBeUndefined();
    expect((await client.models.UserProfile.get({ id: me })).data?.displayName).toBe(longest);
  });

  it('bounds conversation names when they are created, and offers no way to rename one', async () => {
    const tooLong = await client.mutations.createConversation({ input: { name: 'n'.repeat(MAX_CONVERSATION_NAME_LENGTH + 1), participants: [me] } });
    expect(tooLong.data).toBeNull();
    expect(tooLong.errors?.[0]?.message).toBe(
      `ValidationError: name is ${MAX_CONVERSATION_NAME_LENGTH + 1} characters long; the limit is ${MAX_CONVERSATION_NAME_LENGTH}`,
    );
    expect((await client.models.Conversation.list()).data).toEqual([]);

    const created = await client.mutations.createConversation({ input: { name: 'n'.repeat(MAX_CONVERSATION_NAME_LENGTH), participants: [me] } });
    expect(created.errors).toBeUndefined();
    const id = created.data!.conversationId;
    let renamed: { errors?: { message: string }[] };
    try {
      renamed = (await client.graphql({
        query: 'mutation U($input: UpdateConversationInput!) { updateConversation(input: $input) { id } }',
        variables: { input: { id, name: 'm'.repeat(MAX_CONVERSATION_NAME_LENGTH + 1) } },
      })) as { errors?: { message: string }[] };
    } catch (failure) {
      renamed = failure as { errors?: { message: string }[] };
    }
    expect(renamed.errors?.map((e) => e.message).join('\n')).toMatch(/Cannot query field "updateConversation" on type "Mutation"/);
    expect((await client.models.Conversation.get({ id })).data?.name).toBe('n'.repeat(MAX_CONVERSATION_NAME_LENGTH));
  });
});
