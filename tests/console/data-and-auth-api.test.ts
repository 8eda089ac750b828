/**
 * What the Data and Auth pages rely on, against a real sandbox: each table's key types, a user's last code with its
 * kind, a refused password creating nobody, and "Save through AppSync" — the page's own introspection and mutation
 * builder run through POST /api/graphql as the console's IAM caller, the mutation's resolver writing the table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_QUERY, mutationFor, mutationPlan, type IntrospectedSchema } from '../../offline/console/ui/data/appsync-mutation';
import type { ConsoleTable, Item } from '../../offline/console/ui/data/types';
import type { ConsoleUser } from '../../offline/console/ui/auth/types';
import { newDataDirectory, startTestSandbox, type TestSandbox } from '../offline/helpers';
import { PASSWORD, clientId, signUpUser } from '../security/support';

let env: TestSandbox;

beforeAll(async () => {
  env = await startTestSandbox(newDataDirectory());
});

afterAll(async () => {
  await env?.sandbox.close();
});

async function api<T>(method: string, path: string, body?: unknown, status = 200): Promise<T> {
  const console = env.sandbox.console!;
  const response = await fetch(new URL(path, console.origin), {
    method,
    headers: { authorization: `Bearer ${console.secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

async function asIam(query: string, variables?: Record<string, unknown>): Promise<{ data?: Record<string, unknown>; errors?: { message: string }[] }> {
  const answer = await api<{ status: number; body: { data?: Record<string, unknown>; errors?: { message: string }[] } }>('POST', '/api/graphql', { query, variables, as: { iam: true } });
  return answer.body;
}

describe('Data', () => {
  it('lists each table with the types of its key attributes (a query needs them)', async () => {
    const tables = await api<ConsoleTable[]>('GET', '/api/tables');
    const message = tables.find((t) => t.model === 'Message')!;
    expect(message.attributeDefinitions).toEqual(expect.arrayContaining([{ attributeName: 'conversationId', attributeType: 'S' }, { attributeName: 'createdAt', attributeType: 'S' }]));
    expect(message.globalSecondaryIndexes.map((i) => i.keySchema.map((k) => k.attributeName))).toContainEqual(['conversationId', 'createdAt']);
  });

  it('"Save through AppSync": the page reads the mutations from the schema as IAM, finds none for Message, and updates a profile', async () => {
    const introspection = await asIam(SCHEMA_QUERY);
    expect(introspection.errors).toBeUndefined();
    const schema = introspection.data!['__schema'] as IntrospectedSchema;
    expect(mutationPlan(schema, 'Message', 'update')).toBeUndefined();
    // createConversation is the Lambda's custom mutation (it returns CreatedConversation), not the model's.
    expect(mutationPlan(schema, 'Conversation', 'create')).toBeUndefined();
    const plan = mutationPlan(schema, 'UserProfile', 'update')!;
    expect(plan).toMatchObject({ field: 'updateUserProfile', inputType: 'UpdateUserProfileInput!' });
    expect(plan.selection).toEqual(expect.arrayContaining(['id', 'displayName', 'email', 'owner', 'createdAt', 'updatedAt']));

    await signUpUser(env, 'iris.profile@example.com');
    const sub = env.sandbox.userPool.getUser('iris.profile@example.com')!.attributes['sub']!;
    const { Item: stored } = await api<{ Item: Item }>('POST', '/api/tables/UserProfile/get', { Key: { id: { S: sub } } });
    const { query, variables } = mutationFor(plan, { ...stored, displayName: { S: 'Iris Renamed' } }, { item: stored, keyNames: ['id'] });
    expect(variables).toEqual({ input: { id: sub, displayName: 'Iris Renamed' } });
    const saved = await asIam(query, variables);
    expect(saved.errors).toBeUndefined();
    expect(saved.data!['updateUserProfile']).toMatchObject({ id: sub, displayName: 'Iris Renamed' });
    const { Item: after } = await api<{ Item: Item }>('POST', '/api/tables/UserProfile/get', { Key: { id: { S: sub } } });
    expect(after['displayName']).toEqual({ S: 'Iris Renamed' });
    // The resolver ran: it stamped updatedAt, which a straight DynamoDB write would not.
    expect(after['updatedAt']).not.toEqual(stored['updatedAt']);
  });
});

describe('Auth', () => {
  it("gives a user's last code with its kind: pending sign-up, then used; a password reset", async () => {
    const pool = env.sandbox.userPool;
    const email = 'jude.codes@example.com';
    await pool.call('SignUp', { ClientId: clientId(env), Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] });
    expect(await api<ConsoleUser>('GET', `/api/users/${encodeURIComponent(email)}`)).toMatchObject({ status: 'UNCONFIRMED', lastCode: pool.lastCodeFor(email), lastCodeKind: 'signUp' });
    await pool.call('ConfirmSignUp', { ClientId: clientId(env), Username: email, ConfirmationCode: pool.lastCodeFor(email) });
    expect(await api<ConsoleUser>('GET', `/api/users/${encodeURIComponent(email)}`)).toMatchObject({ status: 'CONFIRMED', lastCodeKind: 'used' });
    await pool.call('ForgotPassword', { ClientId: clientId(env), Username: email });
    expect(await api<ConsoleUser>('GET', `/api/users/${encodeURIComponent(email)}`)).toMatchObject({ lastCode: pool.lastCodeFor(email), lastCodeKind: 'forgotPassword' });
    const created = await api<ConsoleUser>('POST', '/api/users', { email: 'kim.nocode@example.com', password: PASSWORD });
    expect(created.status).toBe('CONFIRMED');
    expect(created.lastCode).toBeUndefined();
    expect(created.lastCodeKind).toBeUndefined();
  });

  it('a password the pool refuses creates no user (the policy is checked before the user is made)', async () => {
    const refused = await api<{ error: { code: string; message: string } }>('POST', '/api/users', { email: 'lee.weak@example.com', password: 'short' }, 400);
    expect(refused.error.code).toBe('InvalidPasswordException');
    await api('GET', `/api/users/${encodeURIComponent('lee.weak@example.com')}`, undefined, 404);
    // The same e-mail with a good password is then free.
    expect(await api<ConsoleUser>('POST', '/api/users', { email: 'lee.weak@example.com', password: PASSWORD })).toMatchObject({ status: 'CONFIRMED' });
  });
});
