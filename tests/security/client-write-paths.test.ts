/**
 * No client-callable path reaches the publish mutation or writes messages or conversations directly: the issue's
 * "tests that fail if a client-callable path can reach the publish mutation or write messages directly".
 *
 * From the synthesized backend the sandbox runs (offline/loader's description of cdk.out):
 * - which Mutation fields a user-pool caller may call, by AppSync's rules (the field's auth directives, else its
 *   type's, else the API's default mode; `cognito_groups` admits members of those groups only);
 * - what each field's resolver reaches: the data sources of its unit resolver or pipeline functions and, for a Lambda
 *   data source, whether the function's execution role may write the Message or Conversation table;
 * - what each field returns: message or conversation data (the models, or a type carrying their data fields).
 * Then: no Mutation field at all reaches those tables through a DynamoDB data source; the fields every signed-in user
 * may call that reach a function allowed to write them are exactly the message processor's (createConversation,
 * sendMessage, editMessage, removeMessage, and sendTyping, toggleReaction and markRead, which write neither table but are the same
 * function); the ones
 * returning message or conversation data are exactly createConversation, sendMessage, editMessage and removeMessage;
 * and publishConversationEvent admits no user-pool caller outside EVENT_PUBLISHER_GROUP — a group the backend does not
 * create — and stores nothing (NONE data source).
 *
 * Against the running sandbox: every signed-in user (access and ID tokens), no token and forged tokens calling
 * publishConversationEvent are refused, with AppSync's exact error, while every user is subscribed to its events, and
 * nothing reaches any socket; the removed model operations (createMessage, updateMessage, deleteMessage,
 * updateConversation, deleteConversation, the model createConversation's input, the model subscriptions) are
 * validation errors for every caller, IAM included; afterwards the tables hold exactly what the message processor
 * wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { Kind, getNamedType, isObjectType, type ConstDirectiveNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql16';
import { EVENT_PUBLISHER_GROUP } from '../../amplify/shared/events';
import type { BackendDescription, DataSourceDescription, IamStatement } from '../../offline/loader/types';
import { buildAppSyncSchema } from '../../offline/appsync/schema/build-schema';
import { scanModel, startTestSandbox, type TestSandbox } from '../offline/helpers';
import {
  RealtimeSocket,
  UNAUTHORIZED_BODY,
  adminCreateUser,
  frameErrors,
  graphql,
  graphqlAsFunction,
  newId,
  signInUser,
  userHeader,
  type GraphQLAnswer,
  type SignedInUser,
} from './support';

type User = 'a' | 'b' | 'c' | 'd';
const USERS: readonly User[] = ['a', 'b', 'c', 'd'];

let env: TestSandbox;
let description: BackendDescription;
let schema: GraphQLSchema;
const users = {} as Record<User, SignedInUser>;
/** A+B+D, created by A; C is in none of it. */
let ab: string;
/** A's one message in A+B. */
let message: string;

const entryOf = (user: User): string => `${users[user].sub}::${users[user].sub}`;
const checked = <T>(answer: GraphQLAnswer, field: string): T => {
  if (answer.status !== 200 || answer.json.errors) throw new Error(`${field} failed: ${answer.text}`);
  return answer.json.data![field] as T;
};

beforeAll(async () => {
  env = await startTestSandbox();
  description = env.sandbox.description;
  schema = buildAppSyncSchema(description.api.schema);
  // Administrator-created users: tokens are all these tests need.
  for (const user of USERS) {
    await adminCreateUser(env, `${user}.writepaths@example.com`);
    users[user] = await signInUser(env, `${user}.writepaths@example.com`);
  }
  ab = checked<{ id: string }>(
    await graphql(env, users.a.accessToken, 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { id } }', { input: { name: 'A+B', participants: [users.b.sub, users.d.sub] } }),
    'createConversation',
  ).id;
  message = checked<{ id: string }>(
    await graphql(env, users.a.accessToken, 'mutation S($input: SendMessageInputInput!) { sendMessage(input: $input) { id } }', { input: { conversationId: ab, content: 'the one message' } }),
    'sendMessage',
  ).id;
});

afterAll(async () => {
  await env?.sandbox.close();
});

// ------------------------------------------------------------------------------------------------------------------
// The synthesized backend
// ------------------------------------------------------------------------------------------------------------------

const USER_POOL_DIRECTIVES = ['aws_cognito_user_pools', 'aws_auth'];
const AUTH_DIRECTIVES = ['aws_iam', 'aws_api_key', 'aws_lambda', 'aws_oidc', ...USER_POOL_DIRECTIVES];

/** The auth directives written on a type or field (its definition and any extensions). */
function authDirectivesOf(node: { astNode?: { directives?: readonly ConstDirectiveNode[] } | null; extensionASTNodes?: readonly { directives?: readonly ConstDirectiveNode[] }[] }): ConstDirectiveNode[] {
  return [node.astNode, ...(node.extensionASTNodes ?? [])].flatMap((n) => n?.directives ?? []).filter((d) => AUTH_DIRECTIVES.includes(d.name.value));
}

/** Which user-pool callers may call `type.field`: all of them, only members of some groups, or none. */
function userPoolAccess(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): 'every user' | { groups: string[] } | 'no user' {
  const own = authDirectivesOf(field);
  const inherited = authDirectivesOf(type);
  const directives = own.length > 0 ? own : inherited;
  if (directives.length === 0) return description.api.defaultAuthMode === 'AMAZON_COGNITO_USER_POOLS' ? 'every user' : 'no user';
  const userPool = directives.filter((d) => USER_POOL_DIRECTIVES.includes(d.name.value));
  if (userPool.length === 0) return 'no user';
  const groups: string[] = [];
  for (const directive of userPool) {
    const value = directive.arguments?.find((argument) => argument.name.value === 'cognito_groups')?.value;
    if (value === undefined || value.kind === Kind.NULL) return 'every user';
    for (const item of value.kind === Kind.LIST ? value.values : [value]) if (item.kind === Kind.STRING) groups.push(item.value);
  }
  return { groups };
}

/** The data sources a Mutation field's resolver runs on (unit: its own; pipeline: its functions'). */
function dataSourcesOf(fieldName: string): DataSourceDescription[] {
  const resolver = description.resolvers.find((r) => r.typeName === 'Mutation' && r.fieldName === fieldName);
  if (!resolver) throw new Error(`Mutation.${fieldName} has no resolver`);
  const names = resolver.kind === 'UNIT' ? [resolver.dataSourceName!] : resolver.functions.map((id) => description.functions[id]!.dataSourceName);
  return names.map((name) => {
    const dataSource = description.dataSources[name];
    if (!dataSource) throw new Error(`Mutation.${fieldName}: no data source ${name}`);
    return dataSource;
  });
}

const MODELS = ['Message', 'Conversation'] as const;
const tableOf = (model: string): string => {
  const table = description.tables.find((t) => t.model === model);
  if (!table) throw new Error(`no table for the ${model} model`);
  return table.name;
};

/** DynamoDB actions that write items. */
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'];

/** IAM's wildcard match (`*`, `?`); actions compare case-insensitively. */
const globMatches = (pattern: string, value: string, ignoreCase = false): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'i' : '').test(value);

/**
 * Whether a statement allows `action` on `resource`. Conditions count as met and Deny statements are not subtracted:
 * for "may this function write the table" the answer errs towards yes.
 */
function allows(statement: IamStatement, action: string, resource: string): boolean {
  if (statement.effect !== 'Allow') return false;
  const actionMatches = statement.actions ? statement.actions.some((p) => globMatches(p, action, true)) : !statement.notActions!.some((p) => globMatches(p, action, true));
  const resourceMatches = statement.resources ? statement.resources.some((p) => globMatches(p, resource)) : !statement.notResources!.some((p) => globMatches(p, resource));
  return actionMatches && resourceMatches;
}

/** The models among Message and Conversation whose table the function's execution role may write. */
function modelsWrittenBy(functionName: string): string[] {
  const lambda = description.lambdas.find((l) => l.name === functionName);
  if (!lambda) throw new Error(`no function ${functionName}`);
  return MODELS.filter((model) => {
    const arn = `arn:aws:dynamodb:${description.region}:${description.accountId}:table/${tableOf(model)}`;
    return lambda.policy.statements.some((statement) => WRITE_ACTIONS.some((action) => allows(statement, action, arn)));
  });
}

/** What a Mutation field's resolver may write of Message and Conversation: models, through which data source. */
function writesOf(fieldName: string): string[] {
  return dataSourcesOf(fieldName).flatMap((source) => {
    if (source.type === 'AMAZON_DYNAMODB') return MODELS.filter((model) => tableOf(model) === source.tableName).map((model) => `${model} table directly`);
    if (source.type === 'AWS_LAMBDA') return modelsWrittenBy(source.functionName).map((model) => `${model} table through ${source.functionName}`);
    return [];
  });
}

/**
 * Whether a type is, or carries, message or conversation data: the models themselves, or an object type with one of
 * their data fields (anything but ids and timestamps: content, sender, participants, name, previews, …), nested types
 * included.
 */
function carriesMessageOrConversation(typeName: string, seen = new Set<string>()): boolean {
  if ((MODELS as readonly string[]).includes(typeName)) return true;
  const type = schema.getType(typeName);
  if (!isObjectType(type) || seen.has(typeName)) return false;
  seen.add(typeName);
  const generic = ['id', 'conversationId', 'createdAt', 'updatedAt', '__typename'];
  const dataFields = new Set(MODELS.flatMap((model) => Object.keys((schema.getType(model) as GraphQLObjectType).getFields())).filter((name) => !generic.includes(name)));
  return Object.values(type.getFields()).some((field) => dataFields.has(field.name) || carriesMessageOrConversation(getNamedType(field.type).name, seen));
}

/** The message processor's mutations: the only ones that write or return messages and conversations. */
const LAMBDA_BACKED = ['createConversation', 'sendMessage', 'editMessage', 'removeMessage', 'addMembers', 'removeMember', 'setMemberRole', 'leaveConversation'];

describe('the synthesized schema: what a user-pool caller may call', () => {
  it('no Mutation field reaches the Message or Conversation table through a DynamoDB data source', () => {
    const mutation = schema.getMutationType()!;
    const direct = Object.keys(mutation.getFields()).flatMap((name) => writesOf(name).filter((write) => write.endsWith('directly')).map((write) => `${name}: ${write}`));
    expect(direct).toEqual([]);
    // The check can fail: the tables are the models' and are data sources of other operations (reads).
    const tables = Object.values(description.dataSources).flatMap((source) => (source.type === 'AMAZON_DYNAMODB' ? [source.tableName] : []));
    for (const model of MODELS) expect(tables).toContain(tableOf(model));
  });

  it('the Mutation fields every signed-in user may call that write or return messages or conversations are the message processor\'s', () => {
    const mutation = schema.getMutationType()!;
    const open = Object.values(mutation.getFields()).filter((field) => userPoolAccess(mutation, field) === 'every user');
    const writing = Object.fromEntries(open.filter((field) => writesOf(field.name).length > 0).map((field) => [field.name, writesOf(field.name)]));
    const returning = open.filter((field) => carriesMessageOrConversation(getNamedType(field.type).name)).map((field) => field.name);
    // sendTyping writes nothing (it publishes a TYPING event), toggleReaction only the Reaction table and markRead only
    // the ReadReceipt table, but they run on the same function as the others.
    const processorWrites = ['Message table through message-processor', 'Conversation table through message-processor'];
    expect(writing).toEqual(Object.fromEntries([...LAMBDA_BACKED, 'sendTyping', 'toggleReaction', 'markRead'].map((name) => [name, processorWrites])));
    expect(returning.sort()).toEqual([...LAMBDA_BACKED].sort());
    // Every other function that a client can set off (through a mutation, or by signing up) writes neither table.
    const reachable = new Set([
      ...open.flatMap((field) => dataSourcesOf(field.name).flatMap((source) => (source.type === 'AWS_LAMBDA' ? [source.functionName] : []))),
      ...Object.values(description.userPool.triggers),
    ]);
    expect([...reachable].sort()).toEqual(['message-processor', 'post-confirmation', 'presence']);
    expect([...reachable].filter((name) => modelsWrittenBy(name).length > 0)).toEqual(['message-processor']);
    // And no app function but the message processor may write them at all.
    expect(description.lambdas.filter((l) => l.appFunction && modelsWrittenBy(l.name).length > 0).map((l) => l.name)).toEqual(['message-processor']);
  });

  it(`publishConversationEvent and invalidateMemberSubscriptions: no user-pool caller outside ${EVENT_PUBLISHER_GROUP}, a group the backend does not create; it stores nothing`, () => {
    const mutation = schema.getMutationType()!;
    const restricted = Object.values(mutation.getFields())
      .map((field) => [field.name, userPoolAccess(mutation, field)] as const)
      .filter(([, access]) => access !== 'every user');
    expect(restricted).toEqual([
      ['publishConversationEvent', { groups: [EVENT_PUBLISHER_GROUP] }],
      ['invalidateMemberSubscriptions', { groups: [EVENT_PUBLISHER_GROUP] }],
    ]);
    for (const field of ['publishConversationEvent', 'invalidateMemberSubscriptions']) {
      expect(dataSourcesOf(field).map((source) => source.type), field).toEqual(['NONE']);
      expect(writesOf(field), field).toEqual([]);
    }
    // It carries message data (what the subscriptions deliver), so it must stay closed to clients.
    expect(carriesMessageOrConversation(getNamedType(mutation.getFields()['publishConversationEvent']!.type).name)).toBe(true);
    // No template of the assembly creates a user-pool group: nobody is in EVENT_PUBLISHER_GROUP unless an operator
    // creates it and adds someone by hand.
    const templates = readdirSync(description.cdkOut).filter((file) => file.endsWith('.template.json'));
    expect(templates.length).toBeGreaterThan(1);
    expect(templates.filter((file) => readFileSync(join(description.cdkOut, file), 'utf8').includes('"AWS::Cognito::UserPoolGroup"'))).toEqual([]);
  });

  it('the schema has no model mutation or subscription of Message or Conversation', () => {
    const names = (type: GraphQLObjectType | null | undefined): string[] => Object.keys(type?.getFields() ?? {});
    const removed = [
      ...['createMessage', 'updateMessage', 'deleteMessage', 'updateConversation', 'deleteConversation'].filter((name) => names(schema.getMutationType()).includes(name)),
      ...['onCreateMessage', 'onUpdateMessage', 'onDeleteMessage', 'onCreateConversation', 'onUpdateConversation', 'onDeleteConversation'].filter((name) => names(schema.getSubscriptionType()).includes(name)),
    ];
    expect(removed).toEqual([]);
    // createConversation is the message processor's, with its own input type.
    expect(String(schema.getMutationType()!.getFields()['createConversation']!.args.map((arg) => `${arg.name}: ${String(arg.type)}`))).toBe('input: NewConversationInput!');
    expect(schema.getType('CreateConversationInput')).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------------------------------------------
// The running sandbox
// ------------------------------------------------------------------------------------------------------------------

const PUBLISH = 'mutation P($e: ConversationEventInput!) { publishConversationEvent(event: $e) { conversationId type userId at content name participants } }';
const RUN = newId().slice(0, 8);
const forgeries: string[] = [];
function forged(label: string): string {
  const value = `FORGED-${RUN}-${label}`;
  forgeries.push(value);
  return value;
}

/** A forged event for A+B, to every user: a message in A's name, or the conversation's creation. */
function forgedEvent(type: 'MESSAGE_SENT' | 'CONVERSATION_CREATED', label: string): Record<string, unknown> {
  const at = new Date().toISOString();
  const common = { conversationId: ab, type, userId: users.a.sub, at, participants: USERS.map(entryOf) };
  if (type === 'CONVERSATION_CREATED') return { ...common, name: forged(label) };
  const messageId = newId();
  return { ...common, messageId, id: messageId, sender: users.a.sub, content: forged(label), messageType: 'TEXT', createdAt: at };
}

/** AppSync's refusal of a field the caller's groups do not open: the field error, exactly. */
function groupRefusal(): Record<string, unknown> {
  return {
    data: { publishConversationEvent: null },
    errors: [
      {
        path: ['publishConversationEvent'],
        data: null,
        errorType: 'Unauthorized',
        errorInfo: null,
        locations: [{ line: 1, column: PUBLISH.indexOf('publishConversationEvent') + 1, sourceName: null }],
        message: 'Not Authorized to access publishConversationEvent on type Mutation',
      },
    ],
  };
}

/** Tokens that are not the pool's, each claiming EVENT_PUBLISHER_GROUP. */
async function forgedTokens(): Promise<[string, string][]> {
  const claims = { ...decodeJwt(users.c.accessToken), 'cognito:groups': [EVENT_PUBLISHER_GROUP] };
  const [header, , signature] = users.c.accessToken.split('.');
  const idClaims = { ...decodeJwt(users.c.idToken), 'cognito:groups': [EVENT_PUBLISHER_GROUP] };
  const [idHeader, , idSignature] = users.c.idToken.split('.');
  const { kid } = decodeProtectedHeader(users.c.accessToken);
  const { privateKey } = await generateKeyPair('RS256');
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return [
    ['the group written into an access token, its signature kept', `${header}.${b64(claims)}.${signature}`],
    ['the group written into an ID token, its signature kept', `${idHeader}.${b64(idClaims)}.${idSignature}`],
    ['an unsigned token (alg none) with the group', `${b64({ alg: 'none', kid })}.${b64(claims)}.`],
    ["a token with the group signed by another key under the pool's key id", await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey)],
    ['a garbage token naming the group', `${EVENT_PUBLISHER_GROUP}.${EVENT_PUBLISHER_GROUP}.${EVENT_PUBLISHER_GROUP}`],
  ];
}

describe('the running sandbox', () => {
  it('publishConversationEvent: every signed-in user is refused with AppSync\'s group refusal, every other caller with 401, the functions other than the message processor by their role; nothing reaches any subscriber', async () => {
    const sockets = {} as Record<User, RealtimeSocket>;
    const EVENT = '{ conversationId type userId content name participants }';
    for (const user of USERS) {
      sockets[user] = await RealtimeSocket.connect(env, users[user].accessToken);
      const header = userHeader(env, users[user].accessToken);
      expect((await sockets[user].start('mine', `subscription { onMyConversations ${EVENT} }`, undefined, header)).type).toBe('start_ack');
      if (user !== 'c') expect((await sockets[user].start('events', `subscription E($c: ID!) { onConversationEvent(conversationId: $c) ${EVENT} }`, { c: ab }, header)).type).toBe('start_ack');
    }

    const attempts: string[] = [];
    for (const user of USERS) {
      for (const [kind, token] of [['access', users[user].accessToken], ['ID', users[user].idToken]] as const) {
        for (const type of ['MESSAGE_SENT', 'CONVERSATION_CREATED'] as const) {
          const answer = await graphql(env, token, PUBLISH, { e: forgedEvent(type, `${user}-${kind}-${type}`) });
          expect({ user, kind, type, status: answer.status, body: answer.json }).toEqual({ user, kind, type, status: 200, body: groupRefusal() });
          attempts.push(`${user} ${kind} ${type}`);
        }
      }
    }
    const withoutValidToken: [string, string | undefined][] = [['no token', undefined], ...(await forgedTokens())];
    for (const [label, token] of withoutValidToken) {
      const answer = await graphql(env, token, PUBLISH, { e: forgedEvent('MESSAGE_SENT', label.replace(/\W+/g, '-')) });
      expect({ label, status: answer.status, body: answer.json }).toEqual({ label, status: 401, body: UNAUTHORIZED_BODY });
      attempts.push(label);
    }
    // The other functions' roles: Amplify grants each every Mutation field; amplify/backend.ts denies them this one.
    for (const name of ['presence', 'presence-sweeper', 'post-confirmation']) {
      const answer = await graphqlAsFunction(env, name, PUBLISH, { e: forgedEvent('MESSAGE_SENT', `iam-${name}`) });
      const errors = answer.json.errors?.map((e) => [e['errorType'], e['message']]);
      expect({ name, status: answer.status, data: answer.json.data, errors }).toEqual({
        name,
        status: 200,
        data: { publishConversationEvent: null },
        errors: [['Unauthorized', 'Not Authorized to access publishConversationEvent on type Mutation']],
      });
      attempts.push(`IAM ${name}`);
    }
    expect(attempts).toHaveLength(USERS.length * 4 + 6 + 3);

    // The backend's own path (a function's IAM identity) publishes: the fence, to every user's onMyConversations. Frames
    // on one socket are ordered, so anything the refused calls had delivered would have come before it.
    const fence = `fence-${RUN}`;
    const published = await graphqlAsFunction(env, 'message-processor', PUBLISH, { e: { conversationId: newId(), type: 'TYPING', userId: fence, at: new Date().toISOString(), typing: true, participants: USERS.map(entryOf) } });
    expect(published.json.errors).toBeUndefined();
    for (const user of USERS) await sockets[user].waitForData('mine', (frame) => JSON.stringify(frame).includes(fence));
    for (const user of USERS) {
      const received = sockets[user].received.join('\n');
      expect(forgeries.filter((forgery) => received.includes(forgery)), user).toEqual([]);
      expect(sockets[user].framesOf('mine'), user).toHaveLength(1);
      expect(sockets[user].framesOf('events'), user).toEqual([]);
      sockets[user].close();
    }
  });

  it('the removed model operations are validation errors for every caller (IAM included): nothing runs; signed out, 401', async () => {
    const everyone = USERS.map(entryOf);
    const removed: { names: string[]; query: string; variables?: Record<string, unknown> }[] = [
      {
        names: ['createMessage', 'CreateMessageInput'],
        query: 'mutation M($input: CreateMessageInput!) { createMessage(input: $input) { id content } }',
        variables: { input: { conversationId: ab, content: 'direct write', messageType: 'TEXT', sender: users.a.sub, participants: everyone, createdAt: new Date().toISOString() } },
      },
      { names: ['createMessage'], query: `mutation { createMessage(input: { conversationId: "${ab}", content: "direct write", messageType: TEXT, sender: "${users.a.sub}" }) { id } }` },
      { names: ['updateMessage', 'UpdateMessageInput'], query: 'mutation M($input: UpdateMessageInput!) { updateMessage(input: $input) { id content } }', variables: { input: { id: message, content: 'direct edit', participants: everyone } } },
      { names: ['updateMessage'], query: `mutation { updateMessage(input: { id: "${message}", content: "direct edit" }) { id } }` },
      { names: ['deleteMessage', 'DeleteMessageInput'], query: 'mutation M($input: DeleteMessageInput!) { deleteMessage(input: $input) { id } }', variables: { input: { id: message } } },
      { names: ['deleteMessage'], query: `mutation { deleteMessage(input: { id: "${message}" }) { id } }` },
      {
        names: ['updateConversation', 'UpdateConversationInput'],
        query: 'mutation M($input: UpdateConversationInput!) { updateConversation(input: $input) { id participants } }',
        variables: { input: { id: ab, participants: everyone, lastMessagePreview: 'direct preview' } },
      },
      { names: ['updateConversation'], query: `mutation { updateConversation(input: { id: "${ab}", participants: ${JSON.stringify(everyone)} }) { id } }` },
      { names: ['deleteConversation', 'DeleteConversationInput'], query: 'mutation M($input: DeleteConversationInput!) { deleteConversation(input: $input) { id } }', variables: { input: { id: ab } } },
      { names: ['deleteConversation'], query: `mutation { deleteConversation(input: { id: "${ab}" }) { id } }` },
      // The model mutation's input, with an id: the field is the message processor's now, which takes no id.
      { names: ['CreateConversationInput'], query: 'mutation M($input: CreateConversationInput!) { createConversation(input: $input) { id } }', variables: { input: { id: ab, participants: [users.c.sub] } } },
      { names: ['"id"', 'NewConversationInput'], query: 'mutation M($input: NewConversationInput!) { createConversation(input: $input) { id } }', variables: { input: { id: ab, participants: [users.c.sub] } } },
    ];
    const callers: [string, (query: string, variables?: Record<string, unknown>) => Promise<GraphQLAnswer>][] = [
      ...USERS.map((user): [string, (query: string, variables?: Record<string, unknown>) => Promise<GraphQLAnswer>] => [user, (query, variables) => graphql(env, users[user].accessToken, query, variables)]),
      ...['message-processor', 'presence'].map((name): [string, (query: string, variables?: Record<string, unknown>) => Promise<GraphQLAnswer>] => [`IAM ${name}`, (query, variables) => graphqlAsFunction(env, name, query, variables)]),
    ];
    for (const operation of removed) {
      for (const [caller, call] of callers) {
        const answer = await call(operation.query, operation.variables);
        const label = `${caller}: ${operation.query}`;
        expect(answer.status, label).toBe(200);
        expect(answer.json.data ?? null, label).toBeNull();
        expect(answer.json.errors?.length, label).toBeGreaterThan(0);
        for (const error of answer.json.errors ?? []) {
          expect(error.errorType, label).toBeUndefined();
          expect(error.path, label).toBeNull();
          expect(operation.names.some((name) => error.message.includes(name)), `${label}: ${error.message}`).toBe(true);
        }
      }
      const signedOut = await graphql(env, undefined, operation.query, operation.variables);
      expect({ status: signedOut.status, body: signedOut.json }).toEqual({ status: 401, body: UNAUTHORIZED_BODY });
    }

    // The model subscriptions: a validation error at start, on a valid connection that goes on serving.
    const socket = await RealtimeSocket.connect(env, users.b.accessToken);
    const header = userHeader(env, users.b.accessToken);
    for (const field of ['onCreateMessage', 'onUpdateMessage', 'onDeleteMessage', 'onCreateConversation', 'onUpdateConversation', 'onDeleteConversation']) {
      const answer = await socket.start(field, `subscription { ${field} { id } }`, undefined, header);
      expect(answer.type, field).toBe('error');
      expect(frameErrors(answer), field).toEqual([{ message: expect.stringMatching(new RegExp(`\\b${field}\\b`)) }]);
    }
    expect((await socket.start('events', 'subscription E($c: ID!) { onConversationEvent(conversationId: $c) { type content } }', { c: ab }, header)).type).toBe('start_ack');
    socket.close();
  });

  it("the message processor's mutations refuse a function's IAM identity (they act for a signed-in user only)", async () => {
    const refusal = { errorType: 'Lambda:Unhandled', message: 'Unauthorized: this operation requires a signed-in user (Cognito user pool token)' };
    const calls: [string, string, Record<string, unknown>][] = [
      ['createConversation', 'mutation C($input: NewConversationInput!) { createConversation(input: $input) { id } }', { input: { participants: [users.a.sub] } }],
      ['sendMessage', 'mutation S($input: SendMessageInputInput!) { sendMessage(input: $input) { id } }', { input: { conversationId: ab, content: 'from IAM' } }],
      ['editMessage', 'mutation E($m: ID!, $c: String!) { editMessage(messageId: $m, content: $c) { id } }', { m: message, c: 'edited by IAM' }],
      ['removeMessage', 'mutation R($m: ID!) { removeMessage(messageId: $m) { id } }', { m: message }],
      ['sendTyping', 'mutation T($c: ID!) { sendTyping(conversationId: $c, typing: true) { at } }', { c: ab }],
    ];
    for (const [field, query, variables] of calls) {
      const answer = await graphqlAsFunction(env, 'presence', query, variables);
      expect(answer.json.data, field).toEqual({ [field]: null });
      expect(answer.json.errors, field).toEqual([expect.objectContaining({ ...refusal, path: [field] })]);
    }
  });

  it('afterwards the tables hold exactly what the message processor wrote', async () => {
    const scan = (model: string) => scanModel(env, model);
    const messages = await scan('Message');
    expect(messages.map((m) => [m['id'], m['content'], m['sender']])).toEqual([[message, 'the one message', users.a.sub]]);
    const conversations = await scan('Conversation');
    expect(conversations.map((c) => [c['id'], c['name'], [...(c['participants'] as string[])].sort(), c['lastMessagePreview']])).toEqual([
      [ab, 'A+B', [entryOf('a'), entryOf('b'), entryOf('d')].sort(), 'the one message'],
    ]);
  });
});
