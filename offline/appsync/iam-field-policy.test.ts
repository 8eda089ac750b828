/**
 * IAM callers are held to their identity policy's `appsync:GraphQL` grants on the top-level fields they touch, as
 * AppSync does (https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html, "AWS_IAM authorization":
 * resources `arn:aws:appsync:<region>:<account>:apis/<apiId>/types/<Type>/fields/<field>`). The harness's operator key
 * gets a policy of its own here: reads of any Query field, every Mutation field but createUserPresence (an explicit
 * Deny next to the wildcard Allow, as amplify/backend.ts writes it for the functions that must not publish events).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCdkOut } from '../loader/load-cdk-out.js';
import type { RolePolicyDescription } from '../loader/types.js';
import { CDK_OUT, graphqlIam, startHarness, type StartedHarness } from '../../tests/helpers/appsync-harness.js';

let h: StartedHarness;
let apiArn = '';

const CREATE_PRESENCE = `mutation C($input: CreateUserPresenceInput!) { createUserPresence(input: $input) { id status } }`;
const PUBLISH = `mutation P($event: ConversationEventInput!) { publishConversationEvent(event: $event) { conversationId type participants } }`;
const EVENT = { conversationId: 'c-iam', type: 'TYPING', userId: 'u-iam', at: '2026-01-01T00:00:00.000Z', typing: true, participants: ['u-iam::u-iam'] };

beforeAll(async () => {
  const description = loadCdkOut(CDK_OUT);
  apiArn = `arn:aws:appsync:${description.region}:${description.accountId}:apis/${description.api.id}`;
  const policy: RolePolicyDescription = {
    statements: [
      { effect: 'Deny', actions: ['appsync:GraphQL'], resources: [`${apiArn}/types/Mutation/fields/createUserPresence`], source: 'test/deny' },
      { effect: 'Allow', actions: ['appsync:GraphQL'], resources: [`${apiArn}/types/Query/*`, `${apiArn}/types/Mutation/*`], source: 'test/allow' },
    ],
    managedPolicyArns: [],
    skipped: [],
  };
  h = await startHarness({ iamKeyPolicy: policy });
});

afterAll(async () => {
  await h?.close();
});

describe("an IAM caller's appsync:GraphQL policy", () => {
  it('allows the fields it grants, nested fields included (only top-level fields are evaluated)', async () => {
    const listed = await graphqlIam(h, 'query { listUserProfiles(limit: 1) { items { id displayName } nextToken } }');
    expect(listed.json.errors).toBeUndefined();
    expect(listed.json.data).toEqual({ listUserProfiles: { items: [], nextToken: null } });
    const published = await graphqlIam(h, PUBLISH, { event: EVENT });
    expect(published.json.errors).toBeUndefined();
    expect(published.json.data).toEqual({ publishConversationEvent: { conversationId: 'c-iam', type: 'TYPING', participants: ['u-iam::u-iam'] } });
  });

  it('refuses a field an explicit Deny names, whatever the wildcard Allow, and runs nothing of it', async () => {
    const refused = await graphqlIam(h, CREATE_PRESENCE, { input: { id: 'p-iam', owner: 'p-iam::p-iam', status: 'ONLINE', lastSeen: '2026-01-01T00:00:00.000Z' } });
    expect(refused.status).toBe(200);
    expect(refused.json.data).toEqual({ createUserPresence: null });
    expect(refused.json.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access createUserPresence on type Mutation', path: ['createUserPresence'] })]);
    const stored = await graphqlIam(h, 'query G($id: ID!) { getUserPresence(id: $id) { id } }', { id: 'p-iam' });
    expect(stored.json).toEqual({ data: { getUserPresence: null } });
  });

  it('each root field of one request is judged on its own', async () => {
    const mixed = await graphqlIam(h, `mutation M($input: CreateUserPresenceInput!, $event: ConversationEventInput!) {
      denied: createUserPresence(input: $input) { id }
      allowed: publishConversationEvent(event: $event) { type }
    }`, { input: { id: 'p-iam-2', owner: 'p-iam-2::p-iam-2', status: 'ONLINE', lastSeen: '2026-01-01T00:00:00.000Z' }, event: EVENT });
    expect(mixed.json.data).toEqual({ denied: null, allowed: { type: 'TYPING' } });
    expect(mixed.json.errors).toEqual([expect.objectContaining({ errorType: 'Unauthorized', message: 'Not Authorized to access createUserPresence on type Mutation', path: ['denied'] })]);
  });
});
