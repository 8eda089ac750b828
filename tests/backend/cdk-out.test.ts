/**
 * The cloud assembly written by `npm run synth` (which `npm test` runs first): the real CLI path,
 * with Lambda bundling, and no AWS credentials.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

let files: string[];
const read = (file: string) => JSON.parse(readFileSync(join(CDK_OUT, file), 'utf8')) as Template;

beforeAll(() => {
  if (!existsSync(join(CDK_OUT, 'manifest.json'))) {
    throw new Error(`${CDK_OUT} is missing: run \`npm run synth\` first (npm test does)`);
  }
  files = readdirSync(CDK_OUT);
});

describe('npm run synth', () => {
  it('writes a root stack whose auth, data, storage and monitoring stacks are nested templates in the assembly', () => {
    const roots = files.filter((f) => f.endsWith('.template.json') && !f.includes('.nested.'));
    expect(roots).toHaveLength(1);
    const nested = Object.values(read(roots[0]!).Resources).filter((r) => r.Type === 'AWS::CloudFormation::Stack');
    expect(nested).toHaveLength(4);
    const nestedFiles = files.filter((f) => f.endsWith('.nested.template.json'));
    for (const part of ['auth', 'data', 'storage', 'monitoring', 'Conversation', 'Message', 'Reaction', 'ReadReceipt', 'UserPresence', 'UserProfile', 'FunctionDirectiveStack']) {
      expect(nestedFiles.some((f) => f.includes(part)), part).toBe(true);
    }
  });

  it('bundles each function with esbuild into an ESM asset containing its handler', () => {
    const bundles = files
      .map((f) => join(CDK_OUT, f, 'index.mjs'))
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'));
    const expectations: Record<string, RegExp> = {
      'message-processor': /was already used for a different message/,
      presence: /status must be one of/,
      'presence-sweeper': /presence sweep/,
      'post-confirmation': /PostConfirmation_ConfirmSignUp/,
    };
    for (const [name, marker] of Object.entries(expectations)) {
      expect(bundles.filter((b) => marker.test(b)).length, name).toBeGreaterThanOrEqual(1);
    }
  });

  it('ships the schema, the resolver templates and the APPSYNC_JS code (the publish, the invalidation and the event subscriptions) verbatim as assets', () => {
    expect(files.filter((f) => f.endsWith('.graphql'))).toHaveLength(1);
    expect(files.filter((f) => f.endsWith('.vtl')).length).toBeGreaterThan(20);
    const js = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(CDK_OUT, f), 'utf8'));
    expect(js.some((code) => code.includes('extensions.setSubscriptionFilter'))).toBe(true);
    expect(js.some((code) => code.includes('extensions.setSubscriptionInvalidationFilter'))).toBe(true);
    const sources = [
      'publishConversationEvent.js',
      'invalidateMemberSubscriptions.js',
      'callerParticipantForms.js',
      'conversationMember.js',
      'conversationEvents.js',
      'myConversationEvents.js',
      'listConversationMessages.js',
      'listThreadReplies.js',
      'listConversationReactions.js',
      'listConversationReadPoints.js',
      'listMyReadPoints.js',
    ].map((name) =>
      readFileSync(join(import.meta.dirname, '..', '..', 'amplify', 'data', name), 'utf8'),
    );
    expect(js.sort()).toEqual(sources.sort());
  });

  it('writes the model introspection the client and amplify_outputs.json use', () => {
    const dir = files.find((f) => existsSync(join(CDK_OUT, f, 'modelIntrospectionSchema.json')));
    expect(dir).toBeDefined();
    const introspection = JSON.parse(readFileSync(join(CDK_OUT, dir!, 'modelIntrospectionSchema.json'), 'utf8'));
    expect(Object.keys(introspection.models).sort()).toEqual(['Conversation', 'Message', 'Reaction', 'ReadReceipt', 'UserPresence', 'UserProfile']);
    expect(Object.keys(introspection.mutations ?? {})).toEqual(
      expect.arrayContaining(['sendMessage', 'editMessage', 'removeMessage', 'heartbeat', 'sendTyping', 'toggleReaction', 'markRead', 'addMembers', 'removeMember', 'setMemberRole', 'leaveConversation']),
    );
    expect(Object.keys(introspection.subscriptions ?? {})).toEqual(expect.arrayContaining(['onMessageSent', 'onTyping', 'onConversationEvent', 'onMyConversations']));
    expect(Object.keys(introspection.nonModels.TypingEvent.fields)).toEqual(['conversationId', 'userId', 'typing', 'at']);
    expect(Object.keys(introspection.nonModels.ConversationEvent.fields)).toEqual(expect.arrayContaining(['conversationId', 'type', 'participants']));
  });
});
