/**
 * The synthesized backend of a branch deployment (what `ampx pipeline-deploy` deploys), with an
 * alarm e-mail configured: resources, settings and the generated authorization code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_PUBLISHER_GROUP } from '../../amplify/shared/events';
import { ATTACHMENT_UPLOAD_EXPIRY_DAYS } from '../../amplify/shared/limits';
import { graphqlSchema, pipelineFunction, typeFields, typeHeader } from '../helpers/assembly';
import { synthBackend } from '../helpers/synth-backend';

type Synth = Awaited<ReturnType<typeof synthBackend>>;
let synth: Synth;
let assemblyDir: string;
let root: Template;
let auth: Template;
let data: Template;
let monitoring: Template;
let sdl: string;

const MODELS = ['Conversation', 'Message', 'Reaction', 'ReadReceipt', 'UserPresence', 'UserProfile'] as const;
const FUNCTIONS = ['message-processor', 'presence', 'presence-sweeper', 'post-confirmation'] as const;

function modelTemplate(model: (typeof MODELS)[number]): Template {
  return Template.fromStack(Stack.of(synth.backend.data.resources.tables[model]!));
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** Every template of the assembly (root and nested), by file name. */
function assemblyTemplates(directory: string): Record<string, Record<string, CfnResource>> {
  const templates: Record<string, Record<string, CfnResource>> = {};
  for (const file of readdirSync(directory).filter((f) => f.endsWith('.template.json'))) {
    templates[file] = (JSON.parse(readFileSync(join(directory, file), 'utf8')) as { Resources?: Record<string, CfnResource> }).Resources ?? {};
  }
  return templates;
}

interface ResolverStep {
  /** The pipeline function's name (its code: `pipelineFunction`). */
  functionName: string;
  dataSource: { name: string; type: string; lambda?: string };
}

/**
 * Every AppSync resolver of the assembly, as `Type.field` and, per pipeline function, the data source it runs on
 * (name, type, and for a Lambda data source the function's reference).
 */
function assemblyResolvers(directory: string): Map<string, ResolverStep[]> {
  const templates = assemblyTemplates(directory);
  const sources = new Map<string, { name: string; type: string; lambda?: string }>();
  for (const resources of Object.values(templates)) {
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::AppSync::DataSource') continue;
      const p = resource.Properties ?? {};
      const lambda = (p['LambdaConfig'] as { LambdaFunctionArn?: unknown } | undefined)?.LambdaFunctionArn;
      sources.set(String(p['Name']), { name: String(p['Name']), type: String(p['Type']), ...(lambda ? { lambda: JSON.stringify(lambda) } : {}) });
    }
  }
  const sourceName = (resources: Record<string, CfnResource>, value: unknown): string => {
    if (typeof value === 'string') return value;
    const getAtt = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    if (getAtt) return String(resources[getAtt[0]]?.Properties?.['Name']);
    const ref = (value as { Ref?: string }).Ref;
    // The API's NONE data source, passed to the nested stacks as a parameter.
    if (ref && /NONEDS[0-9A-F]{8}Name$/.test(ref)) return 'NONE_DS';
    throw new Error(`unresolved data source name ${JSON.stringify(value)}`);
  };
  const resolvers = new Map<string, ResolverStep[]>();
  for (const resources of Object.values(templates)) {
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::AppSync::Resolver') continue;
      const p = resource.Properties ?? {};
      const field = `${String(p['TypeName'])}.${String(p['FieldName'])}`;
      const functionIds = ((p['PipelineConfig'] as { Functions?: { 'Fn::GetAtt': [string, string] }[] } | undefined)?.Functions ?? []).map((f) => f['Fn::GetAtt'][0]);
      const steps = functionIds.map((id) => {
        const fn = resources[id]?.Properties;
        if (!fn) throw new Error(`${field}: no function ${id} in its template`);
        const name = sourceName(resources, fn['DataSourceName']);
        const dataSource = sources.get(name);
        if (!dataSource) throw new Error(`${field}: no data source named ${name}`);
        return { functionName: String(fn['Name']), dataSource };
      });
      if (p['DataSourceName'] !== undefined) {
        const name = sourceName(resources, p['DataSourceName']);
        steps.push({ functionName: `${field} (unit)`, dataSource: sources.get(name) ?? { name, type: 'unknown' } });
      }
      resolvers.set(field, steps);
    }
  }
  return resolvers;
}

/** The names of the SDL fields of `type`. */
function fieldNames(sdlText: string, type: string): string[] {
  return typeFields(sdlText, type).map((line) => /^(\w+)/.exec(line)![1]!);
}

/** The model operations Amplify would generate for Conversation and Message; all are disabled. */
const CHAT_MODEL_MUTATIONS = ['createMessage', 'updateMessage', 'deleteMessage', 'updateConversation', 'deleteConversation'];
const CHAT_MODEL_SUBSCRIPTIONS = ['onCreateMessage', 'onUpdateMessage', 'onDeleteMessage', 'onCreateConversation', 'onUpdateConversation', 'onDeleteConversation'];
/** What the message processor resolves (and so writes conversations and messages for). */
const MESSAGE_PROCESSOR_MUTATIONS = ['createConversation', 'sendMessage', 'editMessage', 'removeMessage', 'sendTyping', 'toggleReaction', 'markRead', 'addMembers', 'removeMember', 'setMemberRole', 'leaveConversation'];

beforeAll(async () => {
  synth = await synthBackend({
    backendType: 'branch',
    backendName: 'main',
    env: { CHAT_APP_ALARM_EMAIL: 'alerts@example.com', CHAT_APP_ENVIRONMENT: 'prod', CHAT_APP_PREFIX: 'acme-chat' },
  });
  assemblyDir = synth.app.synth().directory;
  root = Template.fromStack(synth.backend.stack);
  auth = Template.fromStack(synth.backend.auth.stack);
  data = Template.fromStack(synth.backend.data.stack);
  monitoring = Template.fromStack(Stack.of(synth.monitoring.dashboard));
  sdl = graphqlSchema(assemblyDir);
});

describe('stacks', () => {
  it('nests auth, data, storage and monitoring under the root stack, and one stack per model under data', () => {
    root.resourceCountIs('AWS::CloudFormation::Stack', 4);
    const nested = synth.backend.data.resources.nestedStacks;
    for (const model of MODELS) expect(Object.keys(nested)).toContain(model);
  });
});

describe('auth (Cognito)', () => {
  it('signs in with e-mail and requires passwords of at least 8 characters with upper case, lower case and numbers', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
        },
      },
    });
  });

  it('has a mutable preferred_username attribute for display names', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([{ Name: 'preferred_username', Mutable: true, Required: false }]),
    });
  });

  it('runs the post-confirmation trigger that fills the user directory', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PostConfirmation: { 'Fn::GetAtt': [Match.stringLikeRegexp('^postconfirmationlambda'), 'Arn'] } },
    });
  });

  it('allows no guest identities', () => {
    auth.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false });
  });
});

describe('GraphQL API', () => {
  it('authorizes with the user pool by default and IAM for the Lambdas, and logs errors with verbose content excluded', () => {
    data.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
      LogConfig: { FieldLogLevel: 'ERROR', ExcludeVerboseContent: true, CloudWatchLogsRoleArn: Match.anyValue() },
    });
  });

  it('keeps AppSync logs for the prod retention (90 days)', () => {
    data.hasResourceProperties('Custom::LogRetention', {
      LogGroupName: { 'Fn::Join': ['', ['/aws/appsync/apis/', Match.anyValue()]] },
      RetentionInDays: 90,
    });
  });

  it('has the specified operations (createConversation, sendMessage, onMessageSent) with their names', () => {
    const mutations = typeFields(sdl, 'Mutation').join('\n');
    // CreateConversation as specified: the message processor's mutation, not the model's.
    expect(mutations).toMatch(/^createConversation\(input: NewConversationInput!\): CreatedConversation @aws_iam @aws_cognito_user_pools$/m);
    expect(typeFields(sdl, 'NewConversationInput')).toEqual(['name: String', 'participants: [String!]!', 'kind: ConversationKind']);
    expect(typeFields(sdl, 'CreatedConversation')).toEqual([
      'conversationId: ID!',
      'id: ID!',
      'name: String',
      'participants: [String!]!',
      'kind: ConversationKind!',
      'owners: [String!]!',
      'createdAt: AWSDateTime!',
      'updatedAt: AWSDateTime!',
      'lastMessageAt: AWSDateTime',
      'lastMessagePreview: String',
    ]);
    expect(sdl).not.toMatch(/\binput CreateConversationInput\b/);
    expect(mutations).toMatch(/^sendMessage\(input: SendMessageInputInput!\): SentMessage @aws_iam @aws_cognito_user_pools$/m);
    expect(mutations).toMatch(/^editMessage\(messageId: ID!, content: String!\): Message /m);
    expect(mutations).toMatch(/^removeMessage\(messageId: ID!\): Message /m);
    expect(mutations).toMatch(/^heartbeat\(status: PresenceStatus\): UserPresence /m);
    const subscriptions = typeFields(sdl, 'Subscription').join('\n');
    // Every event subscription listens to the backend's publish, never to a client's own mutation.
    for (const field of ['onMessageSent(conversationId: ID!)', 'onTyping(conversationId: ID!)', 'onConversationEvent(conversationId: ID!)', 'onMyConversations']) {
      const escaped = field.replace(/[()!]/g, '\\$&');
      expect(subscriptions).toMatch(new RegExp(`^${escaped}: ConversationEvent @aws_subscribe\\(mutations: \\["publishConversationEvent"\\]\\) @aws_cognito_user_pools @aws_iam$`, 'm'));
    }
    expect(subscriptions).not.toMatch(/mutations: \["(sendMessage|sendTyping)"\]/);
    expect(mutations).toMatch(/^sendTyping\(conversationId: ID!, typing: Boolean!\): TypingEvent @aws_iam @aws_cognito_user_pools$/m);
    // The publish: IAM for the Lambdas; for user-pool callers only a group nobody is in.
    expect(mutations).toMatch(
      /^publishConversationEvent\(event: ConversationEventInput!\): ConversationEvent @aws_cognito_user_pools\(cognito_groups: \["ChatEventPublishers"\]\) @aws_iam$/m,
    );
    expect(typeFields(sdl, 'TypingEvent')).toEqual(['conversationId: ID!', 'userId: String!', 'typing: Boolean!', 'at: AWSDateTime!']);
    expect(typeFields(sdl, 'ConversationEvent')).toEqual(
      expect.arrayContaining(['conversationId: ID!', 'type: ConversationEventType!', 'userId: String!', 'messageId: ID', 'content: String', 'createdAt: AWSDateTime', 'name: String', 'participants: [String!]!']),
    );
    expect(typeFields(sdl, 'ConversationEventType')).toEqual(['CONVERSATION_CREATED', 'MESSAGE_SENT', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'TYPING', 'REACTION', 'READ', 'MEMBERS_CHANGED']);
    expect(typeFields(sdl, 'ConversationEvent')).toEqual(
      expect.arrayContaining(['systemAction: SystemAction', 'actor: String', 'targets: [String]', 'members: [String]', 'owners: [String]', 'kind: ConversationKind']),
    );
    // Members: the message processor's four operations; the invalidation is IAM plus the group nobody is in.
    expect(mutations).toMatch(/^addMembers\(conversationId: ID!, userIds: \[String!\]!\): ConversationMembers @aws_iam @aws_cognito_user_pools$/m);
    expect(mutations).toMatch(/^removeMember\(conversationId: ID!, userId: String!\): ConversationMembers @aws_iam @aws_cognito_user_pools$/m);
    expect(mutations).toMatch(/^setMemberRole\(conversationId: ID!, userId: String!, role: MemberRole!\): ConversationMembers @aws_iam @aws_cognito_user_pools$/m);
    expect(mutations).toMatch(/^leaveConversation\(conversationId: ID!\): ConversationMembers @aws_iam @aws_cognito_user_pools$/m);
    expect(mutations).toMatch(
      /^invalidateMemberSubscriptions\(conversationId: ID!, userId: String!\): MemberSubscriptionsInvalidated @aws_cognito_user_pools\(cognito_groups: \["ChatEventPublishers"\]\) @aws_iam$/m,
    );
    expect(typeFields(sdl, 'SystemAction')).toEqual(['ADDED', 'REMOVED', 'LEFT', 'ROLE_CHANGED']);
    expect(typeFields(sdl, 'ConversationEvent')).toContain('readAt: AWSDateTime');
    expect(mutations).toMatch(/^markRead\(conversationId: ID!, messageId: ID!\): ReadPoint @aws_iam @aws_cognito_user_pools$/m);
    expect(typeFields(sdl, 'ConversationEvent')).toEqual(expect.arrayContaining(['emoji: String', 'reacted: Boolean', 'reactionUsers: [String!]', 'reactionCount: Int']));
    expect(mutations).toMatch(/^toggleReaction\(conversationId: ID!, messageId: ID!, emoji: String!, reacted: Boolean\): ReactionChange @aws_iam @aws_cognito_user_pools$/m);
    expect(typeFields(sdl, 'SendMessageInputInput')).toEqual([
      'conversationId: ID!',
      'content: String!',
      'messageType: MessageType',
      'clientMessageId: String',
      'threadRootId: ID',
      'uploadPath: String',
      'fileName: String',
    ]);
    expect(typeFields(sdl, 'SentMessage')).toEqual(
      expect.arrayContaining(['messageId: ID!', 'conversationId: ID!', 'userId: String!', 'content: String!', 'createdAt: AWSDateTime!']),
    );
    // The audience travels on the event, not back to the sender (in a room of 1,000 it is ~40 KB).
    expect(typeFields(sdl, 'SentMessage').some((field) => field.startsWith('participants'))).toBe(false);
    expect(typeFields(sdl, 'MessageType')).toEqual(['TEXT', 'IMAGE', 'FILE', 'SYSTEM']);
    expect(typeFields(sdl, 'PresenceStatus')).toEqual(['ONLINE', 'AWAY', 'OFFLINE']);
  });

  it('serves message history newest-first from the conversation index with pagination', () => {
    const queries = typeFields(sdl, 'Query').join('\n');
    expect(queries).toMatch(
      /^listConversationMessages\(conversationId: ID!, from: AWSDateTime, after: AWSDateTime, sortDirection: HistoryOrder, limit: Int, nextToken: String\): MessagePage @aws_cognito_user_pools @aws_iam$/m,
    );
    // Threads: a thread's replies, paged on their own; the events carry the reply's root and the root's counts.
    expect(queries).toMatch(
      /^listThreadReplies\(conversationId: ID!, threadRootId: ID!, sortDirection: HistoryOrder, limit: Int, nextToken: String\): MessagePage @aws_cognito_user_pools @aws_iam$/m,
    );
    expect(typeFields(sdl, 'ConversationEvent')).toEqual(expect.arrayContaining(['threadRootId: ID', 'replyCount: Int', 'lastReplyAt: AWSDateTime', 'lastReplySender: String']));
    expect(typeFields(sdl, 'HistoryMessage')).toEqual(expect.arrayContaining(['threadRootId: ID', 'replyCount: Int', 'lastReplyAt: AWSDateTime', 'lastReplySender: String']));
  });

  it('has no model mutation or subscription for conversations and messages; messages have no model queries either', () => {
    const mutations = fieldNames(sdl, 'Mutation');
    const subscriptions = fieldNames(sdl, 'Subscription');
    for (const field of CHAT_MODEL_MUTATIONS) expect(mutations, field).not.toContain(field);
    for (const field of CHAT_MODEL_SUBSCRIPTIONS) expect(subscriptions, field).not.toContain(field);
    // The only createConversation is the message processor's (checked above), and no subscription is a model's.
    expect(mutations.filter((field) => field === 'createConversation')).toHaveLength(1);
    expect(subscriptions.filter((field) => /^on(Create|Update|Delete)(Message|Conversation)$/.test(field))).toEqual([]);
    const resolvers = [...assemblyResolvers(assemblyDir).keys()];
    for (const field of [...CHAT_MODEL_MUTATIONS.map((f) => `Mutation.${f}`), ...CHAT_MODEL_SUBSCRIPTIONS.map((f) => `Subscription.${f}`)]) {
      expect(resolvers, field).not.toContain(field);
    }
    const queries = fieldNames(sdl, 'Query');
    for (const field of ['getConversation', 'listConversations', 'listConversationMessages']) expect(queries).toContain(field);
    for (const field of ['getMessage', 'listMessages', 'listMessagesByConversation']) expect(queries).not.toContain(field);
  });

  it('has no model operation for reactions: written by toggleReaction, read by conversation page after the membership check', () => {
    const mutations = fieldNames(sdl, 'Mutation');
    const subscriptions = fieldNames(sdl, 'Subscription');
    expect(mutations.filter((field) => /Reaction$/.test(field))).toEqual(['toggleReaction']);
    expect(subscriptions.filter((field) => /Reaction/.test(field))).toEqual([]);
    const queries = typeFields(sdl, 'Query').join('\n');
    expect(queries).not.toMatch(/^(getReaction|listReactions|listReactionsByConversation)\(/m);
    expect(queries).toMatch(/^listConversationReactions\(conversationId: ID!, from: AWSDateTime, to: AWSDateTime, limit: Int, nextToken: String\): ReactionPage /m);
    const resolvers = assemblyResolvers(assemblyDir);
    const onReactionTable = [...resolvers]
      .filter(([, steps]) => steps.some((step) => step.dataSource.name === 'ReactionTable'))
      .map(([field]) => field)
      .sort();
    expect(onReactionTable).toEqual(['Query.listConversationReactions']);
  });

  it('has no model operation for read points: written by markRead, read by conversation (the key, after the membership check) and the caller\'s own (the index)', () => {
    const mutations = fieldNames(sdl, 'Mutation');
    const subscriptions = fieldNames(sdl, 'Subscription');
    expect(mutations.filter((field) => /ReadReceipt|markRead/.test(field))).toEqual(['markRead']);
    expect(subscriptions.filter((field) => /ReadReceipt/.test(field))).toEqual([]);
    const queries = typeFields(sdl, 'Query').join('\n');
    expect(queries).not.toMatch(/^(getReadReceipt|listReadReceipts|listReadReceiptsByUser)\(/m);
    expect(queries).toMatch(/^listConversationReadPoints\(conversationId: ID!, limit: Int, nextToken: String\): ReadPointPage /m);
    expect(queries).toMatch(/^listMyReadPoints\(limit: Int, nextToken: String\): ReadPointPage /m);
    const resolvers = assemblyResolvers(assemblyDir);
    const onReadReceiptTable = [...resolvers]
      .filter(([, steps]) => steps.some((step) => step.dataSource.name === 'ReadReceiptTable'))
      .map(([field]) => field)
      .sort();
    expect(onReadReceiptTable).toEqual(['Query.listConversationReadPoints', 'Query.listMyReadPoints']);
  });

  it('marks every model readable only through user-pool or IAM auth (no API key, no guests)', () => {
    for (const model of [...MODELS, 'SentMessage', 'TypingEvent']) {
      expect(typeHeader(sdl, model)).not.toMatch(/@aws_api_key|@aws_oidc|@aws_lambda/);
    }
  });
});

describe('generated authorization (VTL)', () => {
  const USER_POOL_BLOCK_EMPTY = /#if\( \$util\.authType\(\) == "User Pool Authorization" \)\s*#end/;

  it('writes conversations and messages only through the message processor: no AppSync resolver writes their tables', () => {
    const resolvers = assemblyResolvers(assemblyDir);
    // Every resolver that touches the Conversation or Message table: the participants' queries and the event
    // subscriptions' subscribe-time membership check, nothing else (no mutation).
    const onChatTables = [...resolvers]
      .filter(([, steps]) => steps.some((step) => step.dataSource.name === 'ConversationTable' || step.dataSource.name === 'MessageTable'))
      .map(([field]) => field)
      .sort();
    expect(onChatTables).toEqual([
      'Query.getConversation',
      'Query.listConversationMessages',
      'Query.listConversationReactions',
      'Query.listConversationReadPoints',
      'Query.listConversations',
      'Query.listThreadReplies',
      'Subscription.onConversationEvent',
      'Subscription.onMessageSent',
      'Subscription.onTyping',
    ]);
    // And each of their table functions only reads.
    for (const [field, steps] of resolvers) {
      for (const step of steps.filter((s) => s.dataSource.name === 'ConversationTable' || s.dataSource.name === 'MessageTable')) {
        const fn = pipelineFunction(assemblyDir, step.functionName);
        const code = `${fn.request ?? ''}${fn.response ?? ''}${fn.code ?? ''}`;
        // `"operation": "GetItem"` (VTL), `operation: 'GetItem'` (APPSYNC_JS) or `$ListRequest.put("operation", "Query")` (list VTL).
        const operations = [...code.matchAll(/(?:["']operation["']|\boperation)\s*[:,]\s*["'](\w+)["']/g)].map((match) => match[1]);
        expect(operations.length, `${field} ${step.functionName}`).toBeGreaterThan(0);
        for (const operation of operations) expect(['GetItem', 'Query', 'Scan'], `${field} ${step.functionName}`).toContain(operation);
        expect(code, `${field} ${step.functionName}`).not.toMatch(/PutItem|UpdateItem|DeleteItem|BatchPutItem|BatchDeleteItem|TransactWriteItems/);
      }
    }
    // The mutations that reach a Lambda: the message processor's and presence's heartbeat, one step each.
    const lambdaMutations = [...resolvers]
      .filter(([field, steps]) => field.startsWith('Mutation.') && steps.some((step) => step.dataSource.type === 'AWS_LAMBDA'))
      .map(([field, steps]) => [field, steps.filter((step) => step.dataSource.type === 'AWS_LAMBDA').map((step) => /(messageprocessor|presence)lambda/.exec(step.dataSource.lambda ?? '')?.[1])] as const);
    expect(Object.fromEntries(lambdaMutations)).toEqual({
      ...Object.fromEntries(MESSAGE_PROCESSOR_MUTATIONS.map((field) => [`Mutation.${field}`, ['messageprocessor']])),
      'Mutation.heartbeat': ['presence'],
    });
  });

  it('gives signed-in users no way to write presence or create/delete profiles', () => {
    for (const op of ['createUserPresence', 'updateUserPresence', 'deleteUserPresence', 'createUserProfile', 'deleteUserProfile']) {
      const fn = pipelineFunction(assemblyDir, `Mutation${op}auth0Function`);
      expect(`${fn.request}${fn.response}`, op).toMatch(USER_POOL_BLOCK_EMPTY);
    }
  });

  it('lets no client publish a conversation event: IAM for the backend functions, a Cognito group that does not exist', () => {
    // The publish's only user-pool rule is the group; every event subscription listens to the publish alone.
    const publish = typeFields(sdl, 'Mutation').filter((line) => line.startsWith('publishConversationEvent('));
    expect(publish).toEqual([
      `publishConversationEvent(event: ConversationEventInput!): ConversationEvent @aws_cognito_user_pools(cognito_groups: ["${EVENT_PUBLISHER_GROUP}"]) @aws_iam`,
    ]);
    expect(EVENT_PUBLISHER_GROUP).toBe('ChatEventPublishers');
    for (const line of typeFields(sdl, 'Subscription').filter((l) => l.includes(': ConversationEvent '))) {
      expect(line).toMatch(/@aws_subscribe\(mutations: \["publishConversationEvent"\]\)/);
    }
    // Nobody can be in the group: the backend creates no user pool group at all.
    const templates = assemblyTemplates(assemblyDir);
    const groups = Object.values(templates).flatMap((resources) => Object.values(resources).filter((r) => r.Type === 'AWS::Cognito::UserPoolGroup'));
    expect(groups).toEqual([]);
    // IAM reaches AppSync only from the four backend functions' roles: no policy for the identity pool's roles (a
    // signed-in user's IAM credentials), no other appsync:GraphQL grant; and of those four only the message processor
    // may publish events (the three others carry an explicit Deny on the field).
    const policies = Object.values(templates).flatMap((resources) => Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy'));
    type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
    const appsyncStatements = policies.flatMap((policy) => {
      const statements = (policy.Properties?.['PolicyDocument'] as { Statement: Statement[] }).Statement.filter((st) => JSON.stringify(st.Action).includes('appsync:'));
      const roles = (policy.Properties?.['Roles'] as { Ref: string }[]).map((role) => /(messageprocessor|presencesweeper|presence|postconfirmation)lambdaServiceRole/.exec(role.Ref)?.[1] ?? role.Ref);
      return roles.flatMap((role) => statements.map((st) => ({ role, effect: st.Effect, resource: JSON.stringify(st.Resource) })));
    });
    const rolesWith = (effect: string) => [...new Set(appsyncStatements.filter((st) => st.effect === effect).map((st) => st.role))].sort();
    expect(rolesWith('Allow')).toEqual(['messageprocessor', 'postconfirmation', 'presence', 'presencesweeper']);
    expect(rolesWith('Deny')).toEqual(['postconfirmation', 'presence', 'presencesweeper']);
    for (const deny of appsyncStatements.filter((st) => st.effect === 'Deny')) {
      expect(deny.resource, deny.role).toContain('/types/Mutation/fields/publishConversationEvent');
    }
    const identityPoolRoles = Object.values(templates).flatMap((resources) =>
      Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::IAM::Role' && /^amplifyAuth(authenticated|unauthenticated)UserRole/.test(id)),
    );
    expect(identityPoolRoles).toHaveLength(2);
    for (const [id, role] of identityPoolRoles) {
      expect(role.Properties?.['Policies'], id).toBeUndefined();
      expect(role.Properties?.['ManagedPolicyArns'], id).toBeUndefined();
      expect(policies.filter((policy) => JSON.stringify(policy.Properties?.['Roles'] ?? []).includes(id)), id).toEqual([]);
    }
  });

  it('lets profile owners change only their display name', () => {
    const fn = pipelineFunction(assemblyDir, 'MutationupdateUserProfileauth0Function');
    expect(`${fn.request}${fn.response}`).toContain('#set( $ownerAllowedFields0 = ["id","displayName"] )');
  });

  it('filters conversation lists by participants', () => {
    const fn = pipelineFunction(assemblyDir, 'QuerylistConversationsauth0Function');
    expect(fn.request).toContain('$util.qr($authFilter.add({"participants": { "contains": $ownerClaim0 }}))');
  });

  it('reads history, reactions and read points only through the membership check: the models have no queries of their own', () => {
    const queries = typeFields(sdl, 'Query').map((field) => field.slice(0, field.indexOf('(') === -1 ? field.indexOf(':') : field.indexOf('(')));
    for (const model of ['Message', 'Reaction', 'ReadReceipt']) {
      expect(queries.filter((name) => new RegExp(`^(get|list)${model}s?$`).test(name)), model).toEqual([]);
    }
    expect(queries).not.toEqual(expect.arrayContaining(['listMessagesByConversation']));
    for (const [field, table] of [['listConversationMessages', 'MessageTable'], ['listConversationReactions', 'ReactionTable'], ['listConversationReadPoints', 'ReadReceiptTable']] as const) {
      expectJsPipeline('Query', field, ['NONE_DS', 'ConversationTable', table]);
      expectCallerCheck('Query', field);
      expect(pipelineFunction(assemblyDir, `Fn_Query_${field}_2`).code).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'amplify', 'data', 'conversationMember.js'), 'utf8'));
      expect(pipelineFunction(assemblyDir, `Fn_Query_${field}_3`).code).toContain("operation: 'Query'");
    }
    // The caller's own read points: by the sub the first step stashed, no membership to check.
    expectJsPipeline('Query', 'listMyReadPoints', ['NONE_DS', 'ReadReceiptTable']);
    expect(pipelineFunction(assemblyDir, 'Fn_Query_listMyReadPoints_2').code).toContain('caller.sub');
  });

  it.each([
    ['Subscription', 'onMessageSent'],
    ['Subscription', 'onTyping'],
    ['Subscription', 'onConversationEvent'],
  ])('authorizes %s.%s at subscribe time: the caller check on NONE, the membership check reading the conversation, then the filters on NONE', (typeName, fieldName) => {
    expectJsPipeline(typeName, fieldName, ['NONE_DS', 'ConversationTable', 'NONE_DS']);
    expectCallerCheck(typeName, fieldName);
    const member = pipelineFunction(assemblyDir, `Fn_${typeName}_${fieldName}_2`);
    expect(member.code).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'amplify', 'data', 'conversationMember.js'), 'utf8'));
    expect(member.code).toContain("operation: 'GetItem'");
    expect(member.code).toContain('util.unauthorized()');
    const filters = pipelineFunction(assemblyDir, `Fn_${typeName}_${fieldName}_3`);
    expect(filters.code).toContain('util.unauthorized()');
    expect(filters.code).toContain('extensions.setSubscriptionFilter');
    expect(filters.code).toContain('extensions.setSubscriptionInvalidationFilter');
  });

  it('resolves Mutation.invalidateMemberSubscriptions with one APPSYNC_JS function on the NONE data source (nothing read or stored)', () => {
    expectJsPipeline('Mutation', 'invalidateMemberSubscriptions', ['NONE_DS']);
    expect(pipelineFunction(assemblyDir, 'Fn_Mutation_invalidateMemberSubscriptions_1').code).toContain('extensions.invalidateSubscriptions');
  });

  it('resolves Subscription.onMyConversations with the caller check then a filter, both on the NONE data source (nothing read or stored)', () => {
    expectJsPipeline('Subscription', 'onMyConversations', ['NONE_DS', 'NONE_DS']);
    expectCallerCheck('Subscription', 'onMyConversations');
    const fn = pipelineFunction(assemblyDir, 'Fn_Subscription_onMyConversations_2');
    expect(fn.code).toContain('util.unauthorized()');
    expect(fn.code).toContain('extensions.setSubscriptionFilter');
  });

  it('resolves Mutation.publishConversationEvent with one APPSYNC_JS function on the NONE data source (nothing read or stored)', () => {
    expectJsPipeline('Mutation', 'publishConversationEvent', ['NONE_DS']);
  });

  /** `typeName.fieldName` is a pipeline of exactly one APPSYNC_JS function per data source given, in that order. */
  function expectJsPipeline(typeName: string, fieldName: string, dataSources: string[]): void {
    const functionIds = dataSources.map((_, i) => `Fn${typeName}${fieldName}${i + 1}`);
    data.hasResourceProperties('AWS::AppSync::Resolver', {
      TypeName: typeName,
      FieldName: fieldName,
      Kind: 'PIPELINE',
      PipelineConfig: { Functions: functionIds.map((id) => ({ 'Fn::GetAtt': [id, 'FunctionId'] })) },
    });
    const functions = data.findResources('AWS::AppSync::FunctionConfiguration');
    functionIds.forEach((id, i) => {
      expect(functions[id]?.Properties, id).toMatchObject({
        Name: `Fn_${typeName}_${fieldName}_${i + 1}`,
        DataSourceName: dataSources[i],
        Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
      });
    });
  }

  /** The first function of the pipeline is amplify/data/callerParticipantForms.js: it refuses callers without a user-pool identity. */
  function expectCallerCheck(typeName: string, fieldName: string): void {
    const fn = pipelineFunction(assemblyDir, `Fn_${typeName}_${fieldName}_1`);
    expect(fn.code).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'amplify', 'data', 'callerParticipantForms.js'), 'utf8'));
    expect(fn.code).toContain('util.unauthorized()');
    expect(fn.code).toContain('ctx.stash.caller');
  }

  it('names as ConversationTable the DynamoDB data source of the Conversation model\'s table', () => {
    const sources = Object.values(modelTemplate('Conversation').findResources('AWS::AppSync::DataSource', { Properties: { Name: 'ConversationTable' } }));
    expect(sources).toHaveLength(1);
    expect(sources[0]!.Properties.Type).toBe('AMAZON_DYNAMODB');
    expect(JSON.stringify(sources[0]!.Properties.DynamoDBConfig)).toContain('"Fn::GetAtt":["ConversationTable","TableArn"]');
  });
});

describe('tables', () => {
  it('keys every model table by id (reactions by message and reaction key, read points by conversation and user), with point-in-time recovery and the AWS-owned encryption key', () => {
    for (const model of MODELS) {
      modelTemplate(model).hasResourceProperties('Custom::AmplifyDynamoDBTable', {
        keySchema:
          model === 'Reaction'
            ? [
                { attributeName: 'messageId', keyType: 'HASH' },
                { attributeName: 'reactionKey', keyType: 'RANGE' },
              ]
            : model === 'ReadReceipt'
              ? [
                  { attributeName: 'conversationId', keyType: 'HASH' },
                  { attributeName: 'userId', keyType: 'RANGE' },
                ]
              : [{ attributeName: 'id', keyType: 'HASH' }],
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        sseSpecification: { sseEnabled: false },
      });
    }
  });

  it('indexes messages by conversation and time, thread replies by root and time, and presence by status and last seen', () => {
    modelTemplate('Message').hasResourceProperties('Custom::AmplifyDynamoDBTable', {
      globalSecondaryIndexes: [
        Match.objectLike({
          indexName: 'messagesByConversationIdAndCreatedAt',
          keySchema: [
            { attributeName: 'conversationId', keyType: 'HASH' },
            { attributeName: 'createdAt', keyType: 'RANGE' },
          ],
          projection: { projectionType: 'ALL' },
        }),
        Match.objectLike({
          indexName: 'messagesByThreadRootIdAndCreatedAt',
          keySchema: [
            { attributeName: 'threadRootId', keyType: 'HASH' },
            { attributeName: 'createdAt', keyType: 'RANGE' },
          ],
          projection: { projectionType: 'ALL' },
        }),
      ],
    });
    modelTemplate('UserPresence').hasResourceProperties('Custom::AmplifyDynamoDBTable', {
      globalSecondaryIndexes: [
        Match.objectLike({
          indexName: 'userPresencesByStatusAndLastSeen',
          keySchema: [
            { attributeName: 'status', keyType: 'HASH' },
            { attributeName: 'lastSeen', keyType: 'RANGE' },
          ],
        }),
      ],
    });
  });
});

describe('functions', () => {
  it('run on Node.js 24 with the app environment and the data API endpoint', () => {
    for (const [template, names] of [
      [data, ['message-processor', 'presence', 'presence-sweeper']],
      [auth, ['post-confirmation']],
    ] as const) {
      for (const name of names) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          Runtime: 'nodejs24.x',
          Tags: Match.arrayWith([{ Key: 'amplify:friendly-name', Value: name }]),
          Environment: {
            Variables: Match.objectLike({
              CHAT_APP_ENVIRONMENT: 'prod',
              CHAT_APP_PREFIX: 'acme-chat',
              AMPLIFY_SSM_ENV_CONFIG: Match.stringLikeRegexp('AMPLIFY_DATA_GRAPHQL_ENDPOINT'),
            }),
          },
        });
      }
    }
  });

  it('give the message processor its send rate limit and UpdateItem, nothing else, on the counters table', () => {
    const tables = data.findResources('AWS::DynamoDB::Table');
    // The data stack's own tables: the counters and the message search index (tested below).
    const [tableId, ...others] = Object.keys(tables).filter((id) => !id.startsWith('MessageSearchIndexTable'));
    expect(others).toEqual([]);
    expect(Object.keys(tables).filter((id) => id.startsWith('MessageSearchIndexTable'))).toHaveLength(1);
    // One item per user and rate window.
    expect(tables[tableId!]?.Properties.KeySchema).toEqual([
      { AttributeName: 'userId', KeyType: 'HASH' },
      { AttributeName: 'windowStart', KeyType: 'RANGE' },
    ]);
    expect(tables[tableId!]?.Properties.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'userId', AttributeType: 'S' },
        { AttributeName: 'windowStart', AttributeType: 'N' },
      ]),
    );
    expect(tables[tableId!]?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    data.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'amplify:friendly-name', Value: 'message-processor' }]),
      Environment: {
        Variables: Match.objectLike({
          SEND_RATE_LIMIT_MESSAGES: '30',
          SEND_RATE_LIMIT_WINDOW_SECONDS: '10',
          SEND_RATE_LIMIT_TABLE: { Ref: tableId },
        }),
      },
    });
    // Exactly one statement names the table: UpdateItem on it (no index, no other action).
    const statements = Object.values(data.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]),
    );
    const onTable = statements.filter((statement) => JSON.stringify(statement.Resource).includes(tableId!));
    expect(onTable).toEqual([
      expect.objectContaining({ Action: 'dynamodb:UpdateItem', Effect: 'Allow', Resource: [{ 'Fn::GetAtt': [tableId, 'Arn'] }] }),
    ]);
  });

  it('give the message processor exactly the DynamoDB item actions backend.ts grants, on the tables themselves', () => {
    const policies = data.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Effect: string; Resource: unknown }[]).map((statement) => ({
        roles: JSON.stringify(policy.Properties.Roles),
        statement,
      })),
    );
    const tableOf = (resource: unknown): string => {
      const text = JSON.stringify(resource);
      if (/SendRateLimitTable[0-9A-F]{8}/.test(text)) return 'SendRateLimit';
      if (/MessageSearchIndexTable[0-9A-F]{8}/.test(text)) return 'MessageSearchIndex';
      const output = /Outputs\.\w*amplifyData(Conversation|Message|Reaction|ReadReceipt|UserPresence|UserProfile)\1Table[0-9A-F]{8}TableArn/.exec(text);
      return output ? output[1]! : text;
    };
    const dynamoDb = statements.filter(({ statement }) => [statement.Action].flat().some((action) => action.startsWith('dynamodb:')));
    // Every DynamoDB grant of the data stack is the message processor's.
    for (const { roles } of dynamoDb) expect(roles).toMatch(/^\[\{"Ref":"messageprocessorlambdaServiceRole[0-9A-F]{8}"\}\]$/);
    const grants = Object.fromEntries(
      dynamoDb.map(({ statement }) => {
        const resources = [statement.Resource].flat();
        expect(statement.Effect).toBe('Allow');
        // The table's ARN alone: no index, no other table.
        expect(resources).toHaveLength(1);
        return [tableOf(resources[0]), [statement.Action].flat().sort()];
      }),
    );
    expect(grants).toEqual({
      Conversation: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Message: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      // The one query: the users of one emoji on one message, on the table's own key (no index).
      Reaction: ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query'],
      // A read point is moved by a conditional UpdateItem and read back when the move was refused.
      ReadReceipt: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      SendRateLimit: ['dynamodb:UpdateItem'],
      // searchMessages and the index kept on send/edit/remove: a message's entries put and deleted in BatchWriteItem
      // calls (the same power as PutItem + DeleteItem on this table, which it replaces), a word's entry by key, one
      // partition queried on the table's own key (no index).
      MessageSearchIndex: ['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:Query'],
    });
    expect(dynamoDb).toHaveLength(6);
    for (const [table, actions] of Object.entries(grants)) {
      for (const forbidden of ['dynamodb:Query', 'dynamodb:Scan', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem', 'dynamodb:*']) {
        if ((table === 'Reaction' || table === 'MessageSearchIndex') && forbidden === 'dynamodb:Query') continue;
        if (table === 'MessageSearchIndex' && forbidden === 'dynamodb:BatchWriteItem') continue;
        expect(actions).not.toContain(forbidden);
      }
    }
    data.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'amplify:friendly-name', Value: 'message-processor' }]),
      Environment: { Variables: Match.objectLike({ CONVERSATION_TABLE_NAME: Match.anyValue(), MESSAGE_TABLE_NAME: Match.anyValue() }) },
    });
  });

  it('give the message search index a key of word and position, on demand, with point-in-time recovery', () => {
    const tables = data.findResources('AWS::DynamoDB::Table');
    const [indexId] = Object.keys(tables).filter((id) => id.startsWith('MessageSearchIndexTable'));
    expect(tables[indexId!]?.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'term', KeyType: 'HASH' },
        { AttributeName: 'position', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(tables[indexId!]?.Properties.GlobalSecondaryIndexes).toBeUndefined();
    data.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'amplify:friendly-name', Value: 'message-processor' }]),
      Environment: { Variables: Match.objectLike({ SEARCH_INDEX_TABLE_NAME: { Ref: indexId } }) },
    });
  });

  it('keep every function log group for the configured retention', () => {
    const logGroups = { ...data.findResources('AWS::Logs::LogGroup'), ...auth.findResources('AWS::Logs::LogGroup') };
    const retained = Object.entries(logGroups).filter(([id]) => FUNCTIONS.some((fn) => id.startsWith(fn.replace(/-/g, ''))));
    expect(retained).toHaveLength(FUNCTIONS.length);
    for (const [, group] of retained) expect(group.Properties.RetentionInDays).toBe(90);
  });

  it('sweeps presence every minute through EventBridge Scheduler', () => {
    data.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(*/1 * * * ? *)',
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^presencesweeperlambda'), 'Arn'] } },
    });
  });

  it('resolve createConversation, sendMessage, editMessage, removeMessage and sendTyping with the message processor and heartbeat with presence', () => {
    const directive = Template.fromStack(synth.backend.data.resources.nestedStacks['FunctionDirectiveStack']!);
    for (const field of [...MESSAGE_PROCESSOR_MUTATIONS, 'heartbeat']) {
      directive.hasResourceProperties('AWS::AppSync::Resolver', { TypeName: 'Mutation', FieldName: field, Kind: 'PIPELINE' });
    }
    expect(JSON.stringify(directive.findResources('AWS::AppSync::DataSource'))).toMatch(/messageprocessorlambda/);
  });
});

describe('monitoring', () => {
  const alarms = () => Object.values(monitoring.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);

  it('alarms on AppSync 5XX errors and p99 latency for this API', () => {
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'acme-chat-prod-main-appsync-5xx-errors',
      Namespace: 'AWS/AppSync',
      MetricName: '5XXError',
      Dimensions: [{ Name: 'GraphQLAPIId', Value: Match.anyValue() }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'acme-chat-prod-main-appsync-latency-p99',
      Namespace: 'AWS/AppSync',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: 1000,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms on throttled requests and system errors of every model table, the send-rate table and the search index', () => {
    for (const model of [...MODELS, 'SendRateLimit', 'MessageSearchIndex']) {
      for (const [kind, metric] of [
        ['throttles', 'ThrottledRequests'],
        ['system-errors', 'SystemErrors'],
      ] as const) {
        const alarm = alarms().find((a) => a.AlarmName === `acme-chat-prod-main-${model.toLowerCase()}-table-${kind}`);
        expect(alarm, `${model} ${kind}`).toBeDefined();
        const metrics = alarm.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string }[] } } }[];
        const stats = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric);
        expect(stats.length).toBeGreaterThan(0);
        for (const stat of stats) {
          expect(stat.MetricName).toBe(metric);
          expect(stat.Dimensions.map((d) => d.Name).sort()).toEqual(['Operation', 'TableName']);
        }
        expect(alarm.Threshold).toBe(1);
      }
    }
  });

  it('alarms on errors and throttles of every function', () => {
    for (const fn of FUNCTIONS) {
      for (const [kind, metric] of [
        ['errors', 'Errors'],
        ['throttles', 'Throttles'],
      ] as const) {
        monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `acme-chat-prod-main-${fn}-${kind}`,
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: Match.anyValue() }],
          Threshold: 1,
        });
      }
    }
    expect(alarms()).toHaveLength(2 + (MODELS.length + 2) * 2 + FUNCTIONS.length * 2);
  });

  it('notifies the configured address through an encrypted, TLS-only SNS topic on alarm and recovery', () => {
    monitoring.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    monitoring.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alerts@example.com' });
    monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions, alarm.AlarmName).toHaveLength(1);
      expect(alarm.OKActions, alarm.AlarmName).toHaveLength(1);
    }
  });

  it('has a dashboard with the same metrics', () => {
    const dashboards = Object.values(monitoring.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const dashboard = dashboards[0]!;
    expect(dashboard.Properties.DashboardName).toBe('acme-chat-prod-main');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of ['5XXError', 'Latency', 'ThrottledRequests', 'SystemErrors', 'Errors', 'Throttles']) {
      expect(body).toContain(`\\"${metric}\\"`);
    }
  });
});

describe('attachments bucket (amplify/storage/resource.ts)', () => {
  let storage: Template;
  beforeAll(() => {
    storage = Template.fromStack(synth.backend.storage.stack);
  });

  it('is TLS-only, private, encrypted, with CORS as Amplify sets it and the lifecycle rules of staged uploads', () => {
    storage.resourceCountIs('AWS::S3::Bucket', 1);
    storage.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'], ExposedHeaders: Match.arrayWith(['ETag']) })] },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'ExpireStagedUploads', Prefix: 'uploads/', ExpirationInDays: ATTACHMENT_UPLOAD_EXPIRY_DAYS, Status: 'Enabled' },
          { Id: 'AbortIncompleteMultipartUploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' },
        ],
      },
      Tags: Match.arrayWith([{ Key: 'Environment', Value: 'prod' }, { Key: 'Project', Value: 'RealTimeChat' }]),
    });
    storage.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it("grants each identity its own uploads/ folder only, the message processor uploads/ and conversations/, and nobody else anything", () => {
    const policies = Object.values(storage.findResources('AWS::IAM::Policy')).map((policy) => {
      const properties = policy['Properties'] as { Roles: unknown[]; PolicyDocument: { Statement: { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[] } };
      const role = JSON.stringify(properties.Roles);
      const grants = properties.PolicyDocument.Statement.map((statement) => {
        const resources = (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).map((r) => {
          const join = (r as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
          return join ? String(join[1].at(-1)) : 'bucket';
        });
        return `${statement.Effect} ${[statement.Action].flat().join(',')} ${resources.join(' ')}${statement.Condition ? ` ${JSON.stringify(statement.Condition)}` : ''}`;
      });
      return { role: /authenticatedUserRole/.test(role) ? 'authenticated' : /messageprocessorlambda/.test(role) ? 'message-processor' : role, grants: grants.sort() };
    });
    expect(policies.sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      {
        role: 'authenticated',
        grants: [
          'Allow s3:DeleteObject /uploads/${cognito-identity.amazonaws.com:sub}/*',
          'Allow s3:GetObject /uploads/${cognito-identity.amazonaws.com:sub}/*',
          'Allow s3:ListBucket bucket {"StringLike":{"s3:prefix":["uploads/${cognito-identity.amazonaws.com:sub}/*","uploads/${cognito-identity.amazonaws.com:sub}/"]}}',
          'Allow s3:PutObject /uploads/${cognito-identity.amazonaws.com:sub}/*',
        ],
      },
      {
        role: 'message-processor',
        grants: ['Allow s3:DeleteObject /uploads/* /conversations/*', 'Allow s3:GetObject /uploads/* /conversations/*', 'Allow s3:PutObject /conversations/*'],
      },
    ]);
  });

  it("names the bucket to the message processor through Amplify's SSM reference (no cross-stack reference from data to storage)", () => {
    const processor = Object.values(data.findResources('AWS::Lambda::Function')).find((fn) => JSON.stringify(fn).includes('SEND_RATE_LIMIT_TABLE'));
    const variables = (processor?.['Properties'] as { Environment: { Variables: Record<string, string> } }).Environment.Variables;
    expect(variables['CHAT_ATTACHMENTS_BUCKET_NAME']).toBe('<value will be resolved during runtime>');
    expect(JSON.parse(variables['AMPLIFY_SSM_ENV_CONFIG']!)).toHaveProperty('CHAT_ATTACHMENTS_BUCKET_NAME');
  });
});

describe('tags', () => {
  it('tags resources with Project, Environment and Owner', () => {
    const expected = Match.arrayWith([
      { Key: 'Environment', Value: 'prod' },
      { Key: 'Owner', Value: 'DevOps Team' },
      { Key: 'Project', Value: 'RealTimeChat' },
    ]);
    data.hasResourceProperties('AWS::AppSync::GraphQLApi', { Tags: expected });
    data.hasResourceProperties('AWS::Lambda::Function', { Tags: expected });
    modelTemplate('Message').hasResourceProperties('AWS::IAM::Role', { Tags: expected });
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTags: Match.objectLike({ Environment: 'prod', Owner: 'DevOps Team', Project: 'RealTimeChat' }),
    });
    root.hasResource('AWS::CloudFormation::Stack', { Properties: Match.objectLike({ Tags: expected }) });
  });
});

describe('log retention on every Lambda function', () => {
  it('wires each function of every stack (ours, Amplify\'s and CDK\'s) to a log group with the configured retention', () => {
    const stacks = synth.app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    let functions = 0;
    for (const stack of stacks) {
      const template = Template.fromStack(stack);
      const groups = template.findResources('AWS::Logs::LogGroup');
      for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
        functions += 1;
        const ref = fn.Properties?.LoggingConfig?.LogGroup?.Ref as string | undefined;
        expect(ref, `${stack.node.path}/${id} has a log group`).toBeDefined();
        expect(groups[ref!]?.Properties?.RetentionInDays, `${stack.node.path}/${id} retention`).toBe(90);
      }
    }
    // ours (4) plus Amplify/CDK deployment functions
    expect(functions).toBeGreaterThan(4);
  });
});
