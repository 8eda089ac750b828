/**
 * The APPSYNC_JS code of the conversation events (`amplify/data/publishConversationEvent.js`,
 * `callerParticipantForms.js`, `conversationEvents.js`, `myConversationEvents.js`) as `npm run synth` ships it:
 * accepted by the runtime's language limits that the offline sandbox enforces, and evaluated step by step with the
 * sandbox's APPSYNC_JS engine (the same engine the integration tests run), sharing one stash per call as AppSync's
 * pipeline resolvers do.
 *
 * Every event subscription is a pipeline: callerParticipantForms.js (refuses a caller without a user-pool identity,
 * stashes how the caller may be written in a participants list), then for the subscriptions of one conversation
 * (onConversationEvent, onMessageSent, onTyping) conversationMember.js (the membership check on the Conversation
 * table) and conversationEvents.js (delivery and invalidation filters), or for onMyConversations
 * myConversationEvents.js. The caller's forms are written in that one file; the tests pin the structure and the
 * decisions to amplify/shared/owner.ts. invalidateMemberSubscriptions.js ends a removed member's subscriptions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLanguage, evaluateJs, UnsupportedCodeError } from '../../offline/appsync/js';
import { ResolverError, type JsonObject, type ResolverContext, type SubscriptionFilter } from '../../offline/appsync/util/context';
import { canonicalOwnerEntry, isListedOwner } from '../../amplify/shared/owner';
import { matchesFilter } from '../../offline/appsync/subscriptions/filter';
import { pipelineFunction } from '../helpers/assembly';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');
const DATA_DIR = join(import.meta.dirname, '..', '..', 'amplify', 'data');
const source = (name: string) => readFileSync(join(DATA_DIR, name), 'utf8');

const CALLER_FORMS = 'callerParticipantForms.js';
const MEMBER_CHECK = 'conversationMember.js';

/** Each field's pipeline: its functions' source files and data sources, in order. */
const FIELDS = {
  publishConversationEvent: { parentTypeName: 'Mutation', steps: [['publishConversationEvent.js', 'NONE_DS']] },
  invalidateMemberSubscriptions: { parentTypeName: 'Mutation', steps: [['invalidateMemberSubscriptions.js', 'NONE_DS']] },
  onConversationEvent: { parentTypeName: 'Subscription', steps: [[CALLER_FORMS, 'NONE_DS'], [MEMBER_CHECK, 'ConversationTable'], ['conversationEvents.js', 'NONE_DS']] },
  onMessageSent: { parentTypeName: 'Subscription', steps: [[CALLER_FORMS, 'NONE_DS'], [MEMBER_CHECK, 'ConversationTable'], ['conversationEvents.js', 'NONE_DS']] },
  onTyping: { parentTypeName: 'Subscription', steps: [[CALLER_FORMS, 'NONE_DS'], [MEMBER_CHECK, 'ConversationTable'], ['conversationEvents.js', 'NONE_DS']] },
  onMyConversations: { parentTypeName: 'Subscription', steps: [[CALLER_FORMS, 'NONE_DS'], ['myConversationEvents.js', 'NONE_DS']] },
} as const;
type Field = keyof typeof FIELDS;
type SubscriptionField = Exclude<Field, 'publishConversationEvent' | 'invalidateMemberSubscriptions'>;
const SUBSCRIPTION_FIELDS = (Object.keys(FIELDS) as Field[]).filter((f): f is SubscriptionField => FIELDS[f].parentTypeName === 'Subscription');
/** The subscriptions of one conversation, and the event type each delivers (undefined: all). */
const CONVERSATION_FIELDS = { onConversationEvent: undefined, onMessageSent: 'MESSAGE_SENT', onTyping: 'TYPING' } as const;
type ConversationField = keyof typeof CONVERSATION_FIELDS;

/** The code each pipeline function of the synthesized API runs, by field, in pipeline order. */
const code = {} as Record<Field, string[]>;

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** The synthesized pipeline of `typeName.fieldName`: each function's name and data source, in order. */
function synthesizedPipeline(typeName: string, fieldName: string): { name: string; dataSource: string }[] {
  for (const file of readdirSync(CDK_OUT).filter((f) => f.endsWith('.template.json'))) {
    const resources = (JSON.parse(readFileSync(join(CDK_OUT, file), 'utf8')) as { Resources?: Record<string, CfnResource> }).Resources ?? {};
    const resolver = Object.values(resources).find(
      (r) => r.Type === 'AWS::AppSync::Resolver' && r.Properties?.['TypeName'] === typeName && r.Properties?.['FieldName'] === fieldName,
    );
    if (!resolver) continue;
    expect(resolver.Properties?.['Kind']).toBe('PIPELINE');
    const ids = (resolver.Properties?.['PipelineConfig'] as { Functions: { 'Fn::GetAtt': [string, string] }[] }).Functions.map((f) => f['Fn::GetAtt'][0]);
    return ids.map((id) => {
      const fn = resources[id];
      expect(fn?.Type, id).toBe('AWS::AppSync::FunctionConfiguration');
      return { name: fn!.Properties!['Name'] as string, dataSource: fn!.Properties!['DataSourceName'] as string };
    });
  }
  throw new Error(`no resolver for ${typeName}.${fieldName} in ${CDK_OUT}`);
}

beforeAll(() => {
  for (const [field, { parentTypeName, steps }] of Object.entries(FIELDS) as [Field, (typeof FIELDS)[Field]][]) {
    code[field] = steps.map((_, index) => {
      const fn = pipelineFunction(CDK_OUT, `Fn_${parentTypeName}_${field}_${index + 1}`);
      expect(fn.runtime, field).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
      return fn.code!;
    });
  }
});

const alice = { sub: 'a1b2c3d4-0000-4000-8000-000000000001', username: 'alice' };
const NOW = Date.parse('2026-03-04T05:06:07.089Z');

function cognito(identity: { sub: string; username?: string }): JsonObject {
  return { ...identity, claims: { ...identity }, issuer: 'local', sourceIp: [], defaultAuthStrategy: 'ALLOW', groups: null };
}

function ctx(field: Field, args: JsonObject, extra: Partial<ResolverContext> = {}): ResolverContext {
  return {
    arguments: args,
    source: null,
    identity: cognito(alice),
    stash: {},
    prev: { result: null },
    request: { headers: {}, domainName: null },
    info: { fieldName: field, parentTypeName: FIELDS[field].parentTypeName, variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
    authType: 'User Pool Authorization',
    ...extra,
  };
}

/** One handler of one pipeline function (`step` counts from 0). */
function run(field: Field, step: number, handler: 'request' | 'response', context: ResolverContext) {
  return evaluateJs(code[field][step]!, handler, context, { clock: { now: () => NOW }, filename: FIELDS[field].steps[step]![0] });
}

/**
 * Subscribing to `field`, as AppSync runs its pipeline: every function's request then response, one stash for all;
 * the NONE data source answers null, the Conversation table answers `context.result` / `context.error`. The outcome
 * of the last response handler (its subscription filter).
 */
function subscribe(field: SubscriptionField, context: ResolverContext) {
  const { result, error, ...call } = context;
  const c: ResolverContext = { ...call, stash: {}, prev: { result: {} } };
  let outcome: ReturnType<typeof run> | undefined;
  FIELDS[field].steps.forEach(([, dataSource], step) => {
    delete c.result;
    delete c.error;
    run(field, step, 'request', c);
    if (dataSource === 'NONE_DS') c.result = null;
    else {
      c.result = result ?? null;
      if (error) c.error = error;
    }
    outcome = run(field, step, 'response', c);
    c.prev = { result: outcome.value };
  });
  return outcome!;
}

function abortOf(action: () => unknown): ResolverError {
  try {
    action();
  } catch (e) {
    if (e instanceof ResolverError) return e;
    throw e;
  }
  throw new Error('expected the handler to abort');
}

const steps = (Object.keys(FIELDS) as Field[]).flatMap((field) => FIELDS[field].steps.map(([file], step) => [field, step + 1, file, step] as const));

describe('APPSYNC_JS language limits (what the sandbox and AppSync accept)', () => {
  it.each(steps)('%s, function %i (%s): the synthesized code is the source file, verbatim, and passes the runtime checks', (field, _n, file, step) => {
    expect(code[field][step]).toBe(source(file));
    expect(() => checkLanguage(code[field][step]!)).not.toThrow();
    const imports = [...code[field][step]!.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(field === 'publishConversationEvent' ? [] : ['@aws-appsync/utils']);
  });

  it.each(['listConversationMessages.js', 'listThreadReplies.js', 'listConversationReactions.js', 'listConversationReadPoints.js', 'listMyReadPoints.js'])(
    'the history query step %s passes the runtime checks and imports nothing but @aws-appsync/utils',
    (file) => {
      expect(() => checkLanguage(source(file))).not.toThrow();
      expect([...source(file).matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1])).toEqual(['@aws-appsync/utils']);
    },
  );

  it('the checker is live: the same code with a throw statement is refused', () => {
    for (const original of [code.onMessageSent[0]!, code.onMessageSent[1]!]) {
      const broken = original.replace('util.unauthorized();', "throw new Error('no');");
      expect(broken).not.toBe(original);
      expect(() => checkLanguage(broken)).toThrow(UnsupportedCodeError);
    }
  });
});

describe('the caller\'s participant forms are written once', () => {
  it.each(Object.keys(FIELDS) as Field[])('%s: the synthesized pipeline is exactly its functions, in order', (field) => {
    const { parentTypeName, steps: expected } = FIELDS[field];
    expect(synthesizedPipeline(parentTypeName, field)).toEqual(expected.map(([, dataSource], i) => ({ name: `Fn_${parentTypeName}_${field}_${i + 1}`, dataSource })));
  });

  it('every event subscription runs callerParticipantForms.js first, on the NONE data source', () => {
    expect([...SUBSCRIPTION_FIELDS].sort()).toEqual(['onConversationEvent', 'onMessageSent', 'onMyConversations', 'onTyping']);
    for (const field of SUBSCRIPTION_FIELDS) {
      expect(synthesizedPipeline('Subscription', field)[0], field).toEqual({ name: `Fn_Subscription_${field}_1`, dataSource: 'NONE_DS' });
      expect(code[field][0], field).toBe(source(CALLER_FORMS));
    }
  });

  it('only callerParticipantForms.js reads the caller\'s identity or builds "<a>::<b>" forms; the next steps read the stash', () => {
    const files = readdirSync(DATA_DIR).filter((f) => f.endsWith('.js'));
    expect(files.sort()).toEqual([
      CALLER_FORMS,
      'conversationEvents.js',
      MEMBER_CHECK,
      'invalidateMemberSubscriptions.js',
      'listConversationMessages.js',
      'listConversationReactions.js',
      'listConversationReadPoints.js',
      'listMyReadPoints.js',
      'listThreadReplies.js',
      'myConversationEvents.js',
      'publishConversationEvent.js',
    ]);
    const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const file of files) {
      const body = withoutComments(source(file));
      const builds = /ctx\.identity|identity\.(sub|username)|'::'/.test(body);
      expect(builds, file).toBe(file === CALLER_FORMS);
    }
    for (const file of [MEMBER_CHECK, 'conversationEvents.js', 'myConversationEvents.js', 'listMyReadPoints.js']) {
      expect(withoutComments(source(file)), file).toMatch(/ctx\.stash\.caller/);
    }
  });

  it('the next steps refuse when the first step has not run (no stash): they fail closed', () => {
    for (const field of Object.keys(CONVERSATION_FIELDS) as ConversationField[]) {
      for (const step of [1, 2]) {
        const error = abortOf(() => run(field, step, 'response', ctx(field, { conversationId: 'c1' }, { result: { id: 'c1', participants: [`${alice.sub}::${alice.username}`] } })));
        expect([error.errorType, error.message]).toEqual(['Unauthorized', `Not Authorized to access ${field} on type Subscription`]);
      }
    }
    const error = abortOf(() => run('onMyConversations', 1, 'response', ctx('onMyConversations', {})));
    expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Not Authorized to access onMyConversations on type Subscription']);
  });
});

describe('invalidateMemberSubscriptions (NONE data source)', () => {
  it("ends the member's subscriptions of the conversation on the three conversation subscription fields, and reads or writes nothing", () => {
    const args = { conversationId: 'c1', userId: alice.sub };
    expect(run('invalidateMemberSubscriptions', 0, 'request', ctx('invalidateMemberSubscriptions', args)).value).toEqual({ payload: args });
    const outcome = run('invalidateMemberSubscriptions', 0, 'response', ctx('invalidateMemberSubscriptions', args, { result: args }));
    expect(outcome.value).toEqual(args);
    expect(outcome.invalidations).toEqual(Object.keys(CONVERSATION_FIELDS).map((subscriptionField) => ({ subscriptionField, payload: args })));
    expect(code.invalidateMemberSubscriptions[0]).not.toMatch(/operation:/);
  });
});

describe('publishConversationEvent (NONE data source)', () => {
  it('returns the event it was given, and reads or writes nothing', () => {
    const event = { conversationId: 'c1', type: 'TYPING', userId: alice.sub, at: '2026-03-04T05:06:07.089Z', typing: true, participants: ['x::x'] };
    const request = run('publishConversationEvent', 0, 'request', ctx('publishConversationEvent', { event }));
    expect(request.value).toEqual({ payload: event });
    expect(run('publishConversationEvent', 0, 'response', ctx('publishConversationEvent', { event }, { result: event })).value).toEqual(event);
    expect(code.publishConversationEvent[0]).not.toMatch(/operation:/);
  });
});

describe('callerParticipantForms.js (the first step)', () => {
  it('reads nothing and stashes the entries that designate the caller and their "<sub>::<username>" forms', () => {
    const c = ctx('onMyConversations', {});
    expect(run('onMyConversations', 0, 'request', c).value).toEqual({ payload: null });
    expect(c.stash).toEqual({
      caller: {
        sub: alice.sub,
        entries: [`${alice.sub}::${alice.username}`, alice.sub, alice.username],
        forms: [`${alice.sub}::${alice.username}`, `${alice.sub}::${alice.sub}`, `${alice.username}::${alice.username}`],
      },
    });
    expect(run('onMyConversations', 0, 'response', { ...c, result: null }).value).toBeNull();
    expect(code.onMyConversations[0]).not.toMatch(/operation:/);
  });

  it('a caller whose username is the sub (e-mail sign-in, or no username) has one form', () => {
    for (const identity of [cognito({ sub: alice.sub, username: alice.sub }), cognito({ sub: alice.sub })]) {
      const c = ctx('onTyping', { conversationId: 'c1' }, { identity });
      run('onTyping', 0, 'request', c);
      expect(c.stash).toEqual({ caller: { sub: alice.sub, entries: [`${alice.sub}::${alice.sub}`, alice.sub], forms: [`${alice.sub}::${alice.sub}`] } });
    }
  });

  it.each(SUBSCRIPTION_FIELDS)('%s: refuses a caller without a user-pool identity before reading anything', (field) => {
    const args = field === 'onMyConversations' ? {} : { conversationId: 'c1' };
    const error = abortOf(() => run(field, 0, 'request', ctx(field, args, { identity: null, authType: 'API Key Authorization' })));
    expect([error.errorType, error.message]).toEqual(['Unauthorized', `Not Authorized to access ${field} on type Subscription`]);
  });
});

describe.each(Object.keys(CONVERSATION_FIELDS) as ConversationField[])('%s (callerParticipantForms.js, conversationMember.js, then conversationEvents.js)', (field) => {
  const args = { conversationId: 'c1' };
  const type = CONVERSATION_FIELDS[field];

  it('the second step reads the conversation with a consistent GetItem, and nothing else', () => {
    const c = ctx(field, args);
    run(field, 0, 'request', c);
    expect(run(field, 1, 'request', c).value).toEqual({ operation: 'GetItem', key: { id: { S: 'c1' } }, consistentRead: true });
    for (const text of code[field]) expect(text).not.toMatch(/PutItem|UpdateItem|DeleteItem|BatchPut|BatchDelete|TransactWrite/);
  });

  it.each([
    ['<sub>::<username>', `${alice.sub}::${alice.username}`],
    ['<sub>', alice.sub],
    ['<username>', alice.username],
  ])(`filters a participant listed as %s to the conversation${type ? ` and ${type} events` : ''} (enhanced filter)`, (_form, entry) => {
    const outcome = subscribe(field, ctx(field, { conversationId: 'c2' }, { result: { id: 'c2', participants: [entry, 'bob'] } }));
    expect(outcome.value).toBeNull();
    // This conversation, and only while the caller is still among the event's participants (in any stored form).
    const group = (form: string) => ({
      filters: [
        { fieldName: 'conversationId', operator: 'eq', value: 'c2' },
        { fieldName: 'participants', operator: 'contains', value: form },
        ...(type ? [{ fieldName: 'type', operator: 'eq', value: type }] : []),
      ],
    });
    expect(outcome.subscriptionFilter).toEqual({
      filterGroup: [group(`${alice.sub}::${alice.username}`), group(`${alice.sub}::${alice.sub}`), group(`${alice.username}::${alice.username}`)],
    });
    // invalidateMemberSubscriptions({conversationId, userId}) ends it: this conversation, this caller's sub.
    expect(outcome.subscriptionInvalidationFilter).toEqual({
      filterGroup: [{ filters: [{ fieldName: 'conversationId', operator: 'eq', value: 'c2' }, { fieldName: 'userId', operator: 'eq', value: alice.sub }] }],
    });
    const invalidation = outcome.subscriptionInvalidationFilter as SubscriptionFilter;
    expect(matchesFilter(invalidation, { conversationId: 'c2', userId: alice.sub })).toBe(true);
    expect(matchesFilter(invalidation, { conversationId: 'c2', userId: 'b0b0b0b0-0000-4000-8000-000000000002' })).toBe(false);
    expect(matchesFilter(invalidation, { conversationId: 'c1', userId: alice.sub })).toBe(false);
  });

  it('gives a non-participant and a missing conversation the same refusal', () => {
    for (const c of [ctx(field, args, { result: { id: 'c1', participants: ['bob', 'carol'] } }), ctx(field, args, { result: null }), ctx(field, args, { result: { id: 'c1', participants: null } })]) {
      const error = abortOf(() => subscribe(field, c));
      expect([error.errorType, error.message]).toEqual(['Unauthorized', `Not Authorized to access ${field} on type Subscription`]);
    }
  });

  it('re-raises a data-source error', () => {
    const error = abortOf(() => subscribe(field, ctx(field, args, { error: { message: 'throttled', type: 'DynamoDB:ProvisionedThroughputExceededException' } })));
    expect([error.errorType, error.message]).toEqual(['DynamoDB:ProvisionedThroughputExceededException', 'throttled']);
  });
});

describe('onMyConversations (callerParticipantForms.js, then myConversationEvents.js)', () => {
  it('reads nothing and filters on the caller among the event participants, in every stored form', () => {
    const c = ctx('onMyConversations', {});
    run('onMyConversations', 0, 'request', c);
    expect(run('onMyConversations', 1, 'request', c).value).toEqual({ payload: null });
    const outcome = subscribe('onMyConversations', ctx('onMyConversations', {}));
    expect(outcome.value).toBeNull();
    const group = (form: string) => ({ filters: [{ fieldName: 'participants', operator: 'contains', value: form }] });
    expect(outcome.subscriptionFilter).toEqual({
      filterGroup: [group(`${alice.sub}::${alice.username}`), group(`${alice.sub}::${alice.sub}`), group(`${alice.username}::${alice.username}`)],
    });
  });

  it('refuses a caller without a user-pool identity', () => {
    const error = abortOf(() => subscribe('onMyConversations', ctx('onMyConversations', {}, { identity: null, authType: 'API Key Authorization' })));
    expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Not Authorized to access onMyConversations on type Subscription']);
  });
});

describe('one membership rule', () => {
  const bob = { sub: 'b0b0b0b0-0000-4000-8000-000000000002', username: 'bob' };
  const emailUser = { sub: 'e0e0e0e0-0000-4000-8000-000000000003', username: 'e0e0e0e0-0000-4000-8000-000000000003' };
  const identities: [string, { sub: string; username: string }][] = [
    ['alice', alice],
    ['an e-mail user (username = sub)', emailUser],
  ];
  const lists: [string, (string | null)[] | null, { sub: string; username: string }][] = [];
  for (const [, who] of identities) {
    lists.push(
      ['canonical', [`${who.sub}::${who.username}`], who],
      ['bare sub', [who.sub], who],
      ['bare username', [who.username], who],
      ['with null entries', [null, bob.sub, who.username], who],
      ['sub with another username', [`${who.sub}::mallory`], who],
      ['another user only', [`${bob.sub}::${bob.username}`, bob.username], who],
      ['prefix of the sub', [who.sub.slice(0, 8)], who],
      ['upper-cased username', [who.username.toUpperCase()], who],
      ['sub and username swapped', [`${who.username}::${who.sub}`], who],
      ['empty', [], who],
      ['no participants attribute', null, who],
    );
  }
  const conversationFields = Object.keys(CONVERSATION_FIELDS) as ConversationField[];

  it.each(lists)('subscribing agrees with amplify/shared/owner.ts isListedOwner: %s', (_case, participants, who) => {
    const expected = isListedOwner(participants, who);
    const decisions = conversationFields.map((field) => {
      const context = ctx(field, { conversationId: 'c1' }, { identity: cognito(who), result: { id: 'c1', participants } });
      try {
        subscribe(field, context);
        return true;
      } catch (e) {
        if (e instanceof ResolverError && e.errorType === 'Unauthorized') return false;
        throw e;
      }
    });
    expect(decisions).toEqual(conversationFields.map(() => expected));
  });

  it.each(lists)('an event is delivered to exactly the callers the subscribe-time rule admits: %s', (_case, participants, who) => {
    const expected = isListedOwner(participants, who);
    // Subscribed while listed in canonical form; the event carries `participants` canonicalized (message processor),
    // so every filter decides as the subscribe-time check would on the list at event time.
    const subscribed = { id: 'c1', participants: [`${who.sub}::${who.username}`] };
    const audience = (participants ?? []).filter((p): p is string => !!p).map(canonicalOwnerEntry);
    for (const field of conversationFields) {
      const filter = subscribe(field, ctx(field, { conversationId: 'c1' }, { identity: cognito(who), result: subscribed })).subscriptionFilter as SubscriptionFilter;
      const event = { conversationId: 'c1', type: CONVERSATION_FIELDS[field] ?? 'MESSAGE_EDITED', participants: audience };
      expect(matchesFilter(filter, event), field).toBe(expected);
      expect(matchesFilter(filter, { ...event, conversationId: 'c2' }), field).toBe(false);
    }
    const mine = subscribe('onMyConversations', ctx('onMyConversations', {}, { identity: cognito(who) })).subscriptionFilter as SubscriptionFilter;
    expect(matchesFilter(mine, { conversationId: 'c9', type: 'TYPING', participants: audience })).toBe(expected);
  });

  it('each typed subscription delivers only its type; onConversationEvent delivers every type', () => {
    const subscribed = { id: 'c1', participants: [`${alice.sub}::${alice.username}`] };
    for (const type of ['MESSAGE_SENT', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'TYPING']) {
      const event = { conversationId: 'c1', type, participants: [`${alice.sub}::${alice.username}`] };
      for (const field of conversationFields) {
        const filter = subscribe(field, ctx(field, { conversationId: 'c1' }, { result: subscribed })).subscriptionFilter as SubscriptionFilter;
        const wanted = CONVERSATION_FIELDS[field];
        expect(matchesFilter(filter, event), `${field} ${type}`).toBe(wanted === undefined || wanted === type);
      }
    }
  });

  it('and refuse callers without a user-pool identity the same way (API key, IAM, no username)', () => {
    const iam: JsonObject = { accountId: '123456789012', userArn: 'arn:aws:sts::123456789012:assumed-role/fn/x', username: 'AROAEXAMPLE:fn', sourceIp: [] };
    const cases: [JsonObject | null, ResolverContext['authType'], (string | null)[], boolean][] = [
      [null, 'API Key Authorization', [alice.sub, alice.username], false],
      [iam, 'IAM Authorization', ['AROAEXAMPLE:fn', '123456789012'], false],
      // A user-pool identity without a username falls back to the sub for the other two forms.
      [cognito({ sub: alice.sub }), 'User Pool Authorization', [`${alice.sub}::${alice.sub}`], true],
      [cognito({ sub: alice.sub }), 'User Pool Authorization', [alice.username], false],
    ];
    for (const [identity, authType, participants, allowed] of cases) {
      const decisions = conversationFields.map((field) => {
        try {
          subscribe(field, ctx(field, { conversationId: 'c1' }, { identity, authType, result: { id: 'c1', participants } }));
          return true;
        } catch (e) {
          if (e instanceof ResolverError && e.errorType === 'Unauthorized') return false;
          throw e;
        }
      });
      expect(decisions, JSON.stringify({ identity, participants })).toEqual(conversationFields.map(() => allowed));
      const mine = (() => {
        try {
          subscribe('onMyConversations', ctx('onMyConversations', {}, { identity, authType }));
          return true;
        } catch (e) {
          if (e instanceof ResolverError && e.errorType === 'Unauthorized') return false;
          throw e;
        }
      })();
      expect(mine, JSON.stringify({ identity })).toBe(identity !== null && authType === 'User Pool Authorization');
    }
  });
});

describe('the history queries (the step after the membership check)', () => {
  const step = (file: string, args: JsonObject, stash: JsonObject = {}) =>
    evaluateJs(source(file), 'request', { ...ctx('onMyConversations', args), stash }, { clock: { now: () => NOW }, filename: file }).value as Record<string, unknown>;

  it('listConversationMessages queries the conversation index without thread replies: whole range, from (>=) or after (>), oldest first unless DESC, at most 100', () => {
    expect(step('listConversationMessages.js', { conversationId: 'c1' })).toEqual({
      operation: 'Query',
      index: 'messagesByConversationIdAndCreatedAt',
      query: { expression: '#c = :c', expressionNames: { '#c': 'conversationId' }, expressionValues: { ':c': { S: 'c1' } } },
      filter: { expression: 'attribute_not_exists(#r)', expressionNames: { '#r': 'threadRootId' } },
      scanIndexForward: true,
      limit: 100,
      nextToken: null,
    });
    expect(step('listConversationMessages.js', { conversationId: 'c1', from: 'T1', sortDirection: 'DESC', limit: 30, nextToken: 'n' })).toMatchObject({
      query: { expression: '#c = :c AND #t >= :t', expressionValues: { ':c': { S: 'c1' }, ':t': { S: 'T1' } } },
      scanIndexForward: false,
      limit: 30,
      nextToken: 'n',
    });
    expect(step('listConversationMessages.js', { conversationId: 'c1', after: 'T2', limit: 5000 })).toMatchObject({ query: { expression: '#c = :c AND #t > :t' }, limit: 100 });
  });

  it("listThreadReplies queries the thread index, filtered on the checked conversation (another conversation's root yields nothing)", () => {
    expect(step('listThreadReplies.js', { conversationId: 'c1', threadRootId: 'r1' })).toEqual({
      operation: 'Query',
      index: 'messagesByThreadRootIdAndCreatedAt',
      query: { expression: '#r = :r', expressionNames: { '#r': 'threadRootId' }, expressionValues: { ':r': { S: 'r1' } } },
      filter: { expression: '#c = :c', expressionNames: { '#c': 'conversationId' }, expressionValues: { ':c': { S: 'c1' } } },
      scanIndexForward: true,
      limit: 100,
      nextToken: null,
    });
    expect(step('listThreadReplies.js', { conversationId: 'c1', threadRootId: 'r1', sortDirection: 'DESC', limit: 20, nextToken: 'n' })).toMatchObject({ scanIndexForward: false, limit: 20, nextToken: 'n' });
    expect(step('listThreadReplies.js', { conversationId: 'c1', threadRootId: 'r1', limit: 5000 })).toMatchObject({ limit: 100 });
  });

  it('listConversationReactions reads a time range of the Reaction index; listConversationReadPoints the table key', () => {
    expect(step('listConversationReactions.js', { conversationId: 'c1', from: 'T1', to: 'T2' })).toMatchObject({
      index: 'reactionsByConversationIdAndMessageCreatedAt',
      query: { expression: '#c = :c AND #t BETWEEN :from AND :to', expressionNames: { '#c': 'conversationId', '#t': 'messageCreatedAt' } },
    });
    expect(step('listConversationReactions.js', { conversationId: 'c1', to: 'T2' })).toMatchObject({ query: { expression: '#c = :c AND #t <= :to' } });
    expect(step('listConversationReadPoints.js', { conversationId: 'c1' })).toMatchObject({ operation: 'Query', consistentRead: true, query: { expression: '#c = :c' } });
    expect(step('listConversationReadPoints.js', { conversationId: 'c1' })).not.toHaveProperty('index');
  });

  it("listMyReadPoints queries the caller's own sub (from the stash), and refuses without it", () => {
    expect(step('listMyReadPoints.js', {}, { caller: { sub: alice.sub, entries: [], forms: [] } })).toMatchObject({
      index: 'readReceiptsByUserId',
      query: { expression: '#u = :u', expressionValues: { ':u': { S: alice.sub } } },
    });
    const error = abortOf(() => step('listMyReadPoints.js', {}));
    expect(error.errorType).toBe('Unauthorized');
  });
});
