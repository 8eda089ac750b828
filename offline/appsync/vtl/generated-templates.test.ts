/**
 * Contract tests: the REAL mapping templates Amplify generated for this app (synthesized assembly in
 * `.amplify/artifacts/cdk.out`), rendered with Cognito identities where sub == username (e-mail
 * sign-in) and where they differ, and with IAM. Expected behaviour: reference
 * `amplify-gen2-offline.md` §4 (owner-field enforcement) and §11 (simulator gaps 2, 3, 5, 11).
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

describe('createConversation pipeline (ownersDefinedIn participants)', () => {
  const init = template('MutationcreateConversationinit0Function', 'request');
  const auth = template('MutationcreateConversationauth0Function', 'request');
  const postAuth = template('MutationcreateConversationpostAuth0Function', 'request');
  const data = template('MutationCreateConversationDataResolverFn', 'request');

  it.each([
    ['sub == username (e-mail sign-in)', emailUser],
    ['sub != username', namedUser],
  ])('injects omitted participants as <sub>::<username> — %s', (_label, user) => {
    const ctx = context('Mutation', 'createConversation', { input: { name: 'general' } }, cognito(user));
    renderVtlJson(init, ctx);
    expect(renderVtlJson(auth, ctx).json).toEqual({ version: '2018-05-29', payload: {} });
    expect(ctx.arguments['input']).toEqual({ name: 'general', participants: [canonical(user)] });
    expect(renderVtlJson(postAuth, ctx).json).toEqual({});
  });

  it.each([
    ['<sub>::<username>', canonical(namedUser)],
    ['<sub>', namedUser.sub],
    ['<username>', namedUser.username],
  ])('authorizes a caller listed as %s', (_form, entry) => {
    const ctx = context('Mutation', 'createConversation', { input: { name: 'x', participants: [entry, 'someone-else'] } }, cognito(namedUser, 'cognito:username'));
    expect(() => renderVtl(auth, ctx)).not.toThrow();
  });

  it('refuses a conversation that does not list the caller', () => {
    const ctx = context('Mutation', 'createConversation', { input: { participants: ['carol', 'dave'] } }, cognito(namedUser));
    const error = abortOf(() => renderVtl(auth, ctx));
    expect(error.errorType).toBe('Unauthorized');
    expect(error.message).toBe('Not Authorized to access createConversation on type Mutation');
  });

  it('renders the PutItem with exactly the condition values it uses (gap 5)', () => {
    const ctx = context('Mutation', 'createConversation', { input: { name: 'general' } }, cognito(emailUser));
    for (const t of [init, auth, postAuth]) renderVtlJson(t, ctx);
    const put = renderVtlJson(data, ctx).json as JsonObject;
    const id = (ctx.stash['defaultValues'] as JsonObject)['id'];
    expect(put['operation']).toBe('PutItem');
    expect(put['key']).toEqual({ id: { S: id } });
    expect(put['condition']).toEqual({ expression: '(attribute_not_exists(#id))', expressionNames: { '#id': 'id' } });
    expect((put['attributeValues'] as JsonObject)['participants']).toEqual({ L: [{ S: canonical(emailUser) }] });
    expect((put['attributeValues'] as JsonObject)['createdAt']).toEqual({ S: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
  });

  it('lets an IAM caller without a Cognito identity through, refuses one with an identity pool', () => {
    const ctx = context('Mutation', 'createConversation', { input: { name: 'x', participants: ['anyone'] } }, iamLambda, 'IAM Authorization');
    expect(() => renderVtl(auth, ctx)).not.toThrow();
    expect(ctx.arguments['input']).toEqual({ name: 'x', participants: ['anyone'] });
    const pooled = context('Mutation', 'createConversation', { input: {} }, { ...iamLambda, cognitoIdentityPoolId: 'us-east-1:pool', cognitoIdentityId: 'us-east-1:id' }, 'IAM Authorization');
    expect(abortOf(() => renderVtl(auth, pooled)).errorType).toBe('Unauthorized');
  });

  it('postAuth returns early (#return) for IAM when no auth step ran, refuses otherwise', () => {
    const iam = context('Mutation', 'createConversation', { input: {} }, iamLambda, 'IAM Authorization');
    expect(renderVtl(postAuth, iam).earlyReturn).toEqual({ value: '{}' });
    const user = context('Mutation', 'createConversation', { input: {} }, cognito(emailUser));
    expect(abortOf(() => renderVtl(postAuth, user)).errorType).toBe('Unauthorized');
  });
});

describe('updateConversation auth (response template after GetItem)', () => {
  const response = template('MutationupdateConversationauth0Function', 'response');
  const stored = { id: 'c1', name: 'old', participants: [canonical(namedUser), 'carol'], __typename: 'Conversation' };

  const run = (input: JsonObject, user: { sub: string; username: string }): ReturnType<typeof renderVtlJson> => {
    const ctx = { ...context('Mutation', 'updateConversation', { input }, cognito(user)), result: structuredClone(stored) };
    return renderVtlJson(response, ctx);
  };

  it('authorizes a participant renaming the conversation', () => {
    expect(run({ id: 'c1', name: 'new' }, namedUser).json).toEqual({});
  });

  it('refuses a non-participant', () => {
    const error = abortOf(() => run({ id: 'c1', name: 'new' }, emailUser));
    expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Not Authorized to access updateConversation on type Mutation']);
  });

  it('refuses a participant rewriting participants (field-level rule)', () => {
    const error = abortOf(() => run({ id: 'c1', participants: ['carol'] }, namedUser));
    expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Unauthorized on [participants]']);
  });

  it('passes a data-source error through $util.error', () => {
    const ctx = { ...context('Mutation', 'updateConversation', { input: { id: 'c1' } }, cognito(namedUser)), error: { message: 'boom', type: 'DynamoDB:ProvisionedThroughputExceededException' } };
    const error = abortOf(() => renderVtl(response, ctx));
    expect([error.errorType, error.message]).toEqual(['DynamoDB:ProvisionedThroughputExceededException', 'boom']);
  });
});

describe('list auth filter', () => {
  const auth = template('QuerylistMessagesByConversationauth0Function', 'request');
  const data = template('QueryListMessagesByConversationDataResolverFn', 'request');

  it('stashes an or of the three owner forms and ANDs it into the query filter', () => {
    const ctx = context('Query', 'listMessagesByConversation', { conversationId: 'c1', sortDirection: 'DESC', limit: 20 }, cognito(namedUser));
    renderVtl(auth, ctx);
    expect(ctx.stash['authFilter']).toEqual({
      or: [{ participants: { contains: canonical(namedUser) } }, { participants: { contains: namedUser.sub } }, { participants: { contains: 'bob' } }],
    });
    const query = renderVtlJson(data, ctx).json as JsonObject;
    expect(query).toMatchObject({ operation: 'Query', index: 'messagesByConversationIdAndCreatedAt', limit: 20, scanIndexForward: false });
    expect(query['query']).toEqual({ expression: '#conversationId = :conversationId', expressionNames: { '#conversationId': 'conversationId' }, expressionValues: { ':conversationId': { S: 'c1' } } });
    expect((query['filter'] as JsonObject)['expression']).toBe(
      '((contains(#participants,:or_0_participants_contains)) OR (contains(#participants,:or_1_participants_contains)) OR (contains(#participants,:or_2_participants_contains)))',
    );
  });

  it('sets no auth filter for an IAM caller without a Cognito identity', () => {
    const ctx = context('Query', 'listMessagesByConversation', { conversationId: 'c1' }, iamLambda, 'IAM Authorization');
    renderVtl(auth, ctx);
    expect(ctx.stash['authFilter']).toBeUndefined();
    expect((renderVtlJson(data, ctx).json as JsonObject)['filter']).toBeUndefined();
  });

  it('refuses API-key callers (no identity, no rule)', () => {
    const ctx = context('Query', 'listMessagesByConversation', { conversationId: 'c1' }, null, 'API Key Authorization');
    expect(abortOf(() => renderVtl(auth, ctx)).message).toBe('Not Authorized to access listMessagesByConversation on type Query');
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

describe('onCreateMessage subscription auth (enhanced filter, gap 3)', () => {
  const auth = template('SubscriptiononCreateMessageauth0Function', 'request');
  const response = template('SubscriptionOnCreateMessageDataResolverFn', 'response');

  it.each([
    ['sub == username', emailUser],
    ['sub != username', namedUser],
  ])('filters deliveries on participants contains <username> — %s', (_label, user) => {
    const ctx = context('Subscription', 'onCreateMessage', {}, cognito(user));
    renderVtl(auth, ctx);
    expect(ctx.arguments['filter']).toEqual({ or: [{ participants: { contains: user.username } }] });
    const outcome = renderVtlJson(response, ctx);
    expect(outcome.json).toBeNull();
    expect(outcome.subscriptionFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'participants', operator: 'contains', value: user.username }] }] });
  });

  it('ANDs a client filter with the auth filter', () => {
    const ctx = context('Subscription', 'onCreateMessage', { filter: { conversationId: { eq: 'c1' } } }, cognito(namedUser));
    renderVtl(auth, ctx);
    expect(renderVtl(response, ctx).subscriptionFilter).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'participants', operator: 'contains', value: 'bob' },
            { fieldName: 'conversationId', operator: 'eq', value: 'c1' },
          ],
        },
      ],
    });
  });

  it('sets no filter for an IAM caller without a Cognito identity', () => {
    const ctx = context('Subscription', 'onCreateMessage', {}, iamLambda, 'IAM Authorization');
    renderVtl(auth, ctx);
    expect(renderVtl(response, ctx).subscriptionFilter).toBeUndefined();
  });
});

describe('owner-field resolver Conversation.participants (gap 2: put on a List)', () => {
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
