/**
 * The APPSYNC_JS code of the conversation events (`amplify/data/publishConversationEvent.js`,
 * `conversationEvents.js`, `myConversationEvents.js`) as `npm run synth` ships it: accepted by the runtime's language
 * limits that the offline sandbox enforces, and evaluated handler by handler with the sandbox's APPSYNC_JS engine (the
 * same engine the integration tests run).
 *
 * One file serves onConversationEvent, onMessageSent and onTyping (Amplify copies it into one function per field);
 * onMyConversations carries its own copy of the delivery filter's participant part (APPSYNC_JS modules cannot import
 * each other): the tests pin both to agree with amplify/shared/owner.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLanguage, evaluateJs, UnsupportedCodeError } from '../../offline/appsync/js';
import { ResolverError, type JsonObject, type ResolverContext, type SubscriptionFilter } from '../../offline/appsync/util/context';
import { canonicalOwnerEntry, isListedOwner } from '../../amplify/shared/owner';
import { matchesFilter } from '../../offline/appsync/subscriptions/filter';
import { pipelineFunction } from '../helpers/assembly';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');
const source = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'amplify', 'data', name), 'utf8');

const FIELDS = {
  publishConversationEvent: { file: 'publishConversationEvent.js', parentTypeName: 'Mutation' },
  onConversationEvent: { file: 'conversationEvents.js', parentTypeName: 'Subscription' },
  onMessageSent: { file: 'conversationEvents.js', parentTypeName: 'Subscription' },
  onTyping: { file: 'conversationEvents.js', parentTypeName: 'Subscription' },
  onMyConversations: { file: 'myConversationEvents.js', parentTypeName: 'Subscription' },
} as const;
type Field = keyof typeof FIELDS;
/** The subscriptions of one conversation, and the event type each delivers (undefined: all). */
const CONVERSATION_FIELDS = { onConversationEvent: undefined, onMessageSent: 'MESSAGE_SENT', onTyping: 'TYPING' } as const;
type ConversationField = keyof typeof CONVERSATION_FIELDS;

/** The code each pipeline function of the synthesized API runs. */
const code = {} as Record<Field, string>;

beforeAll(() => {
  for (const [field, { parentTypeName }] of Object.entries(FIELDS) as [Field, (typeof FIELDS)[Field]][]) {
    const fn = pipelineFunction(CDK_OUT, `Fn_${parentTypeName}_${field}_1`);
    expect(fn.runtime, field).toEqual({ Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' });
    code[field] = fn.code!;
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

function run(field: Field, handler: 'request' | 'response', context: ResolverContext) {
  return evaluateJs(code[field], handler, context, { clock: { now: () => NOW }, filename: FIELDS[field].file });
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

describe('APPSYNC_JS language limits (what the sandbox and AppSync accept)', () => {
  it.each(Object.keys(FIELDS) as Field[])('%s: the synthesized code is the source file, verbatim, and passes the runtime checks', (field) => {
    expect(code[field]).toBe(source(FIELDS[field].file));
    expect(() => checkLanguage(code[field], FIELDS[field].file)).not.toThrow();
    const imports = [...code[field].matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(field === 'publishConversationEvent' ? [] : ['@aws-appsync/utils']);
  });

  it('the checker is live: the same code with a throw statement is refused', () => {
    const broken = code.onMessageSent.replace('util.unauthorized();', "throw new Error('no');");
    expect(broken).not.toBe(code.onMessageSent);
    expect(() => checkLanguage(broken, 'broken.js')).toThrow(UnsupportedCodeError);
  });
});

describe('publishConversationEvent (NONE data source)', () => {
  it('returns the event it was given, and reads or writes nothing', () => {
    const event = { conversationId: 'c1', type: 'TYPING', userId: alice.sub, at: '2026-03-04T05:06:07.089Z', typing: true, participants: ['x::x'] };
    const request = run('publishConversationEvent', 'request', ctx('publishConversationEvent', { event }));
    expect(request.value).toEqual({ payload: event });
    expect(run('publishConversationEvent', 'response', ctx('publishConversationEvent', { event }, { result: event })).value).toEqual(event);
    expect(code.publishConversationEvent).not.toMatch(/operation:/);
  });
});

describe.each(Object.keys(CONVERSATION_FIELDS) as ConversationField[])('%s (amplify/data/conversationEvents.js)', (field) => {
  const args = { conversationId: 'c1' };
  const type = CONVERSATION_FIELDS[field];

  it('request reads the conversation with a consistent GetItem, and nothing else', () => {
    expect(run(field, 'request', ctx(field, args)).value).toEqual({ operation: 'GetItem', key: { id: { S: 'c1' } }, consistentRead: true });
    expect(code[field]).not.toMatch(/PutItem|UpdateItem|DeleteItem|BatchPut|BatchDelete|TransactWrite/);
  });

  it.each([
    ['<sub>::<username>', `${alice.sub}::${alice.username}`],
    ['<sub>', alice.sub],
    ['<username>', alice.username],
  ])(`response filters a participant listed as %s to the conversation${type ? ` and ${type} events` : ''} (enhanced filter)`, (_form, entry) => {
    const outcome = run(field, 'response', ctx(field, { conversationId: 'c2' }, { result: { id: 'c2', participants: [entry, 'bob'] } }));
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
  });

  it('response gives a non-participant and a missing conversation the same refusal', () => {
    for (const c of [ctx(field, args, { result: { id: 'c1', participants: ['bob', 'carol'] } }), ctx(field, args, { result: null }), ctx(field, args, { result: { id: 'c1', participants: null } })]) {
      const error = abortOf(() => run(field, 'response', c));
      expect([error.errorType, error.message]).toEqual(['Unauthorized', `Not Authorized to access ${field} on type Subscription`]);
    }
  });

  it('response re-raises a data-source error', () => {
    const error = abortOf(() => run(field, 'response', ctx(field, args, { error: { message: 'throttled', type: 'DynamoDB:ProvisionedThroughputExceededException' } })));
    expect([error.errorType, error.message]).toEqual(['DynamoDB:ProvisionedThroughputExceededException', 'throttled']);
  });
});

describe('onMyConversations (amplify/data/myConversationEvents.js)', () => {
  it('reads nothing and filters on the caller among the event participants, in every stored form', () => {
    expect(run('onMyConversations', 'request', ctx('onMyConversations', {})).value).toEqual({ payload: null });
    const outcome = run('onMyConversations', 'response', ctx('onMyConversations', {}));
    expect(outcome.value).toBeNull();
    const group = (form: string) => ({ filters: [{ fieldName: 'participants', operator: 'contains', value: form }] });
    expect(outcome.subscriptionFilter).toEqual({
      filterGroup: [group(`${alice.sub}::${alice.username}`), group(`${alice.sub}::${alice.sub}`), group(`${alice.username}::${alice.username}`)],
    });
  });

  it('refuses a caller without a user-pool identity', () => {
    const error = abortOf(() => run('onMyConversations', 'response', ctx('onMyConversations', {}, { identity: null, authType: 'API Key Authorization' })));
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
        run(field, 'response', context);
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
      const filter = run(field, 'response', ctx(field, { conversationId: 'c1' }, { identity: cognito(who), result: subscribed })).subscriptionFilter as SubscriptionFilter;
      const event = { conversationId: 'c1', type: CONVERSATION_FIELDS[field] ?? 'MESSAGE_EDITED', participants: audience };
      expect(matchesFilter(filter, event), field).toBe(expected);
      expect(matchesFilter(filter, { ...event, conversationId: 'c2' }), field).toBe(false);
    }
    const mine = run('onMyConversations', 'response', ctx('onMyConversations', {}, { identity: cognito(who) })).subscriptionFilter as SubscriptionFilter;
    expect(matchesFilter(mine, { conversationId: 'c9', type: 'TYPING', participants: audience })).toBe(expected);
  });

  it('each typed subscription delivers only its type; onConversationEvent delivers every type', () => {
    const subscribed = { id: 'c1', participants: [`${alice.sub}::${alice.username}`] };
    for (const type of ['MESSAGE_SENT', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'TYPING']) {
      const event = { conversationId: 'c1', type, participants: [`${alice.sub}::${alice.username}`] };
      for (const field of conversationFields) {
        const filter = run(field, 'response', ctx(field, { conversationId: 'c1' }, { result: subscribed })).subscriptionFilter as SubscriptionFilter;
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
          run(field, 'response', ctx(field, { conversationId: 'c1' }, { identity, authType, result: { id: 'c1', participants } }));
          return true;
        } catch (e) {
          if (e instanceof ResolverError && e.errorType === 'Unauthorized') return false;
          throw e;
        }
      });
      expect(decisions, JSON.stringify({ identity, participants })).toEqual(conversationFields.map(() => allowed));
    }
  });
});
