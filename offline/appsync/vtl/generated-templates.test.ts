/**
 * Contract tests: the REAL mapping templates Amplify generated for this app (synthesized assembly in
 * `.amplify/artifacts/cdk.out`), rendered with Cognito identities where sub == username (e-mail
 * sign-in) and where they differ, and with IAM. Expected behaviour: Amplify's owner-field
 * enforcement (owner rules, `ownersDefinedIn` lists) as AppSync runs it, including where the stock
 * amplify-appsync-simulator gets it wrong: `put` on a List, `$extensions.setSubscriptionFilter`, the condition values of
 * `toDynamoDBConditionExpression`, and the `Not Authorized to access …` error message.
 *
 * The owner-list models (Conversation, Message) are read-only here (their mutations and subscriptions are off), so
 * their list rules are covered on the read side (list auth filter, get response, owner-field resolver); writes and
 * subscriptions under owner rules are covered on UserPresence (IAM-written) and UserProfile (owner updates).
 */
import { describe, expect, it } from 'vitest';
import { pipelineFunction } from '../../../tests/helpers/assembly.js';
import { ResolverError, type AuthTypeName, type JsonObject, type ResolverContext } from '../util/context.js';
import { renderVtl, renderVtlJson } from './render.js';

const ASSEMBLY = new URL('../../../.amplify/artifacts/cdk.out', import.meta.url).pathname;

function template(name: string, kind: 'request' | 'response'): string {
  const code = pipelineFunction(ASSEMBLY, name)[kind];
  if (!code) throw new Error(`${name} has no ${kind} template`);
  return code;
}

/** E-mail sign-in: the Cognito username is the sub (access token carries `username`). */
const emailUser = { sub: 'a1b2c3d4-0000-4000-8000-000000000001', username: 'a1b2c3d4-0000-4000-8000-000000000001' };
/** Username sign-in, ID token: `cognito:username` differs from sub. */
const namedUser = { sub: 'b2c3d4e5-0000-4000-8000-000000000002', username: 'bob' };

function cognito(user: { sub: string; username: string }, claim: 'username' | 'cognito:username' = 'username'): JsonObject {
  return {
    sub: user.sub,
    username: user.username,
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local',
    claims: { sub: user.sub, [claim]: user.username, token_use: claim === 'username' ? 'access' : 'id' },
    sourceIp: ['127.0.0.1'],
    defaultAuthStrategy: 'ALLOW',
    groups: null,
  };
}

const iamLambda: JsonObject = {
  accountId: '123456789012',
  cognitoIdentityPoolId: null,
  cognitoIdentityId: null,
  sourceIp: ['127.0.0.1'],
  username: 'AROAEXAMPLE:message-processor',
  userArn: 'arn:aws:sts::123456789012:assumed-role/message-processor/fn',
  cognitoIdentityAuthType: null,
  cognitoIdentityAuthProvider: null,
};

function context(parentTypeName: string, fieldName: string, args: JsonObject, identity: JsonObject | null, authType: AuthTypeName = 'User Pool Authorization'): ResolverContext {
  return {
    arguments: args,
    source: null,
    identity,
    // What the pipeline's before-template puts in the stash.
    stash: { typeName: parentTypeName, fieldName, conditions: [], metadata: { dataSourceType: 'AMAZON_DYNAMODB' } },
    prev: { result: {} },
    request: { headers: {}, domainName: null },
    info: { fieldName, parentTypeName, variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
    authType,
  };
}

function abortOf(run: () => unknown): ResolverError {
  try {
    run();
  } catch (e) {
    if (e instanceof ResolverError) return e;
    throw e;
  }
  throw new Error('expected the template to abort');
}

const canonical = (u: { sub: string; username: string }): string => `${u.sub}::${u.username}`;

describe('createUserPresence pipeline (IAM only: no create rule for users)', () => {
  const init = template('MutationcreateUserPresenceinit0Function', 'request');
  const auth = template('MutationcreateUserPresenceauth0Function', 'request');
  const postAuth = template('MutationcreateUserPresencepostAuth0Function', 'request');
  const data = template('MutationCreateUserPresenceDataResolverFn', 'request');
  const input = (user: { sub: string; username: string }): JsonObject => ({ id: user.sub, owner: canonical(user), status: 'ONLINE', lastSeen: '2026-01-01T00:00:00.000Z' });

  it.each([
    ['sub == username (e-mail sign-in)', emailUser],
    ['sub != username', namedUser],
  ])('refuses a user pool caller, even for its own presence — %s', (_label, user) => {
    const ctx = context('Mutation', 'createUserPresence', { input: input(user) }, cognito(user));
    renderVtlJson(init, ctx);
    const error = abortOf(() => renderVtl(auth, ctx));
    expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Not Authorized to access createUserPresence on type Mutation']);
  });

  it('lets an IAM caller without a Cognito identity through, refuses one with an identity pool', () => {
    const ctx = context('Mutation', 'createUserPresence', { input: input(namedUser) }, iamLambda, 'IAM Authorization');
    expect(renderVtlJson(auth, ctx).json).toEqual({ version: '2018-05-29', payload: {} });
    expect(ctx.arguments['input']).toEqual(input(namedUser));
    const pooled = context('Mutation', 'createUserPresence', { input: input(namedUser) }, { ...iamLambda, cognitoIdentityPoolId: 'us-east-1:pool', cognitoIdentityId: 'us-east-1:id' }, 'IAM Authorization');
    expect(abortOf(() => renderVtl(auth, pooled)).errorType).toBe('Unauthorized');
  });

  it('postAuth returns early (#return) for IAM when no auth step ran, refuses otherwise', () => {
    const iam = context('Mutation', 'createUserPresence', { input: {} }, iamLambda, 'IAM Authorization');
    expect(renderVtl(postAuth, iam).earlyReturn).toEqual({ value: '{}' });
    const user = context('Mutation', 'createUserPresence', { input: {} }, cognito(emailUser));
    expect(abortOf(() => renderVtl(postAuth, user)).errorType).toBe('Unauthorized');
  });

  it('renders the PutItem with the defaults and exactly the condition values it uses (no unused expression values)', () => {
    const ctx = context('Mutation', 'createUserPresence', { input: input(emailUser) }, iamLambda, 'IAM Authorization');
    for (const t of [init, auth, postAuth]) renderVtlJson(t, ctx);
    const defaults = ctx.stash['defaultValues'] as JsonObject;
    expect(defaults['createdAt']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(defaults['updatedAt']).toBe(defaults['createdAt']);
    const put = renderVtlJson(data, ctx).json as JsonObject;
    expect(put['operation']).toBe('PutItem');
    // The input's id wins over the generated default.
    expect(put['key']).toEqual({ id: { S: emailUser.sub } });
    expect(put['condition']).toEqual({ expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } });
    expect(put['attributeValues']).toMatchObject({
      owner: { S: canonical(emailUser) },
      status: { S: 'ONLINE' },
      __typename: { S: 'UserPresence' },
      createdAt: { S: defaults['createdAt'] },
    });
  });
});

describe('createConversation: a custom mutation on a Lambda data source', () => {
  const auth = template('MutationCreateConversationAuthFN', 'request');
  const invoke = template('InvokeFnCreateConversationLambdaDataSource', 'request');
  const response = template('InvokeFnCreateConversationLambdaDataSource', 'response');
  const args = { input: { name: 'general', participants: [namedUser.sub] } };

  it('authorizes every user pool caller and IAM without a Cognito identity; refuses IAM with an identity pool', () => {
    for (const user of [emailUser, namedUser]) {
      expect(renderVtlJson(auth, context('Mutation', 'createConversation', args, cognito(user))).json).toEqual({ version: '2018-05-29', payload: {} });
    }
    expect(() => renderVtl(auth, context('Mutation', 'createConversation', args, iamLambda, 'IAM Authorization'))).not.toThrow();
    const pooled = context('Mutation', 'createConversation', args, { ...iamLambda, cognitoIdentityPoolId: 'us-east-1:pool', cognitoIdentityId: 'us-east-1:id' }, 'IAM Authorization');
    expect(abortOf(() => renderVtl(auth, pooled)).errorType).toBe('Unauthorized');
  });

  it("invokes the function with the stashed field, the arguments and the caller's identity", () => {
    const identity = cognito(emailUser);
    const ctx = context('Mutation', 'createConversation', args, identity);
    expect(renderVtlJson(invoke, ctx).json).toEqual({
      version: '2018-05-29',
      operation: 'Invoke',
      payload: { typeName: 'Mutation', fieldName: 'createConversation', arguments: args, identity, source: null, request: { headers: {}, domainName: null }, prev: { result: {} } },
      invocationType: 'RequestResponse',
    });
  });

  it("returns the function's result, and raises its error with the error's type", () => {
    const result = { conversationId: 'c1', id: 'c1', name: 'general', participants: ['bob'] };
    expect(renderVtlJson(response, { ...context('Mutation', 'createConversation', args, cognito(namedUser)), result }).json).toEqual(result);
    const failed = { ...context('Mutation', 'createConversation', args, cognito(namedUser)), error: { message: 'ValidationError: participants must be user ids', type: 'Lambda:Unhandled' } };
    const error = abortOf(() => renderVtl(response, failed));
    expect([error.errorType, error.message]).toEqual(['Lambda:Unhandled', 'ValidationError: participants must be user ids']);
  });
});

describe('updateUserProfile auth (response template after GetItem, owner rule with field restrictions)', () => {
  const response = template('MutationupdateUserProfileauth0Function', 'response');
  const stored = (owner: string) => ({ id: namedUser.sub, displayName: 'Bob', email: 'bob@example.com', owner, __typename: 'UserProfile' });

  const run = (input: JsonObject, user: { sub: string; username: string }, owner = canonical(namedUser)): ReturnType<typeof renderVtlJson> => {
    const ctx = { ...context('Mutation', 'updateUserProfile', { input }, cognito(user)), result: structuredClone(stored(owner)) };
    return renderVtlJson(response, ctx);
  };

  it.each([
    ['<sub>::<username>', canonical(namedUser)],
    ['<sub>', namedUser.sub],
    ['<username>', namedUser.username],
  ])('authorizes the owner (stored as %s) renaming the profile', (_form, owner) => {
    expect(run({ id: namedUser.sub, displayName: 'Robert' }, namedUser, owner).json).toEqual({});
  });

  it('refuses a caller who is not the owner', () => {
    const error = abortOf(() => run({ id: namedUser.sub, displayName: 'Mallory' }, emailUser));
    expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Not Authorized to access updateUserProfile on type Mutation']);
  });

  it('refuses the owner writing a field outside its rule, or nulling one (field-level restrictions)', () => {
    const reassigned = abortOf(() => run({ id: namedUser.sub, owner: canonical(emailUser) }, namedUser));
    expect([reassigned.errorType, reassigned.message]).toEqual(['Unauthorized', 'Unauthorized on [owner]']);
    const email = abortOf(() => run({ id: namedUser.sub, email: 'other@example.com' }, namedUser));
    expect([email.errorType, email.message]).toEqual(['Unauthorized', 'Unauthorized on [email]']);
    const nulled = abortOf(() => run({ id: namedUser.sub, displayName: null }, namedUser));
    expect([nulled.errorType, nulled.message]).toEqual(['Unauthorized', 'Unauthorized on [displayName]']);
  });

  it('passes a data-source error through $util.error', () => {
    const ctx = { ...context('Mutation', 'updateUserProfile', { input: { id: 'u1' } }, cognito(namedUser)), error: { message: 'boom', type: 'DynamoDB:ProvisionedThroughputExceededException' } };
    const error = abortOf(() => renderVtl(response, ctx));
    expect([error.errorType, error.message]).toEqual(['DynamoDB:ProvisionedThroughputExceededException', 'boom']);
  });
});

describe('list auth filter', () => {
  const auth = template('QuerylistConversationsauth0Function', 'request');
  const data = template('QueryListConversationsDataResolverFn', 'request');

  it('stashes an or of the three owner forms and ANDs it into the scan filter', () => {
    const ctx = context('Query', 'listConversations', { limit: 20 }, cognito(namedUser));
    renderVtl(auth, ctx);
    expect(ctx.stash['authFilter']).toEqual({
      or: [{ participants: { contains: canonical(namedUser) } }, { participants: { contains: namedUser.sub } }, { participants: { contains: 'bob' } }],
    });
    const query = renderVtlJson(data, ctx).json as JsonObject;
    expect(query).toMatchObject({ operation: 'Scan', limit: 20 });
    expect((query['filter'] as JsonObject)['expression']).toBe(
      '((contains(#participants,:or_0_participants_contains)) OR (contains(#participants,:or_1_participants_contains)) OR (contains(#participants,:or_2_participants_contains)))',
    );
  });

  it('sets no auth filter for an IAM caller without a Cognito identity', () => {
    const ctx = context('Query', 'listConversations', {}, iamLambda, 'IAM Authorization');
    renderVtl(auth, ctx);
    expect(ctx.stash['authFilter']).toBeUndefined();
    expect((renderVtlJson(data, ctx).json as JsonObject)['filter']).toBeUndefined();
  });

  it('refuses API-key callers (no identity, no rule)', () => {
    const ctx = context('Query', 'listConversations', {}, null, 'API Key Authorization');
    expect(abortOf(() => renderVtl(auth, ctx)).message).toBe('Not Authorized to access listConversations on type Query');
  });
});

describe('getConversation response', () => {
  const response = template('QueryGetConversationDataResolverFn', 'response');
  it('an item filtered out by the auth filter is Unauthorized, a missing one is null', () => {
    const filtered = { ...context('Query', 'getConversation', { id: 'c1' }, cognito(emailUser)), result: { items: [], scannedCount: 1, nextToken: null } };
    expect(abortOf(() => renderVtl(response, filtered)).message).toBe('Not Authorized to access getConversation on type Query');
    const missing = { ...context('Query', 'getConversation', { id: 'c1' }, cognito(emailUser)), result: { items: [], scannedCount: 0, nextToken: null } };
    expect(renderVtlJson(response, missing).json).toBeNull();
  });
});

describe('onCreateUserPresence subscription auth (owner rule next to authenticated read)', () => {
  const auth = template('SubscriptiononCreateUserPresenceauth0Function', 'request');
  const response = template('SubscriptionOnCreateUserPresenceDataResolverFn', 'response');

  it.each([
    ['sub == username', emailUser],
    ['sub != username', namedUser],
  ])('authorizes any signed-in subscriber with no auth filter, whatever owner it names — %s', (_label, user) => {
    for (const args of [{}, { owner: 'someone-else' }]) {
      const ctx = context('Subscription', 'onCreateUserPresence', structuredClone(args), cognito(user));
      renderVtl(auth, ctx);
      expect(ctx.arguments['filter']).toBeUndefined();
      const outcome = renderVtlJson(response, ctx);
      expect(outcome.json).toBeNull();
      expect(outcome.subscriptionFilter).toBeUndefined();
    }
  });

  it("turns the client's filter into the subscription filter ($extensions.setSubscriptionFilter)", () => {
    const ctx = context('Subscription', 'onCreateUserPresence', { filter: { status: { eq: 'AWAY' }, or: [{ owner: { eq: 'bob' } }, { owner: { eq: 'carol' } }] } }, cognito(namedUser));
    renderVtl(auth, ctx);
    expect(renderVtl(response, ctx).subscriptionFilter).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'status', operator: 'eq', value: 'AWAY' },
            { fieldName: 'owner', operator: 'eq', value: 'bob' },
          ],
        },
        {
          filters: [
            { fieldName: 'status', operator: 'eq', value: 'AWAY' },
            { fieldName: 'owner', operator: 'eq', value: 'carol' },
          ],
        },
      ],
    });
  });

  it('sets no filter for an IAM caller without a Cognito identity', () => {
    const ctx = context('Subscription', 'onCreateUserPresence', {}, iamLambda, 'IAM Authorization');
    renderVtl(auth, ctx);
    expect(renderVtl(response, ctx).subscriptionFilter).toBeUndefined();
  });
});

describe('owner-field resolver Conversation.participants (put on a List yields null, as in Java)', () => {
  const response = template('ConversationParticipantsDataResolverFn', 'response');

  it('strips every entry to the text after the last ::', () => {
    const source = { id: 'c1', participants: [canonical(namedUser), canonical(emailUser), 'carol'] };
    const ctx = { ...context('Conversation', 'participants', {}, cognito(namedUser)), source };
    const outcome = renderVtlJson(response, ctx);
    expect(outcome.json).toEqual(['bob', emailUser.username, 'carol']);
    // `$ctx.source.participants.put(...)` is a no-op on a List, as in Java Velocity.
    expect(source.participants).toEqual([canonical(namedUser), canonical(emailUser), 'carol']);
  });

  it('handles a single-valued owner field (UserPresence.owner)', () => {
    const source: JsonObject = { id: 'p1', owner: canonical(namedUser) };
    const ctx = { ...context('UserPresence', 'owner', {}, cognito(namedUser)), source };
    expect(renderVtlJson(template('UserPresenceOwnerDataResolverFn', 'response'), ctx).json).toBe('bob');
    expect(source['owner']).toBe('bob');
  });
});
