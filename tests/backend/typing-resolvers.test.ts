/**
 * The APPSYNC_JS code of the typing indicators (`amplify/data/sendTyping.js`, `amplify/data/onTyping.js`) as
 * `npm run synth` ships it: accepted by the runtime's language limits that the offline sandbox enforces, and
 * evaluated handler by handler with the sandbox's APPSYNC_JS engine (the same engine the integration tests run).
 *
 * APPSYNC_JS modules cannot import each other, so each resolver carries its own copy of the membership check
 * of `onMessageSent.js`; the copies are pinned here to be identical and to agree with amplify/shared/owner.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLanguage, evaluateJs, UnsupportedCodeError } from '../../offline/appsync/js';
import { ResolverError, type JsonObject, type ResolverContext } from '../../offline/appsync/util/context';
import { canonicalOwnerEntry, isListedOwner } from '../../amplify/shared/owner';
import { matchesFilter, type SubscriptionFilter } from '../../offline/appsync/subscriptions/filter';
import { pipelineFunction } from '../helpers/assembly';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');
const source = (name: string) => readFileSync(join(import.meta.dirname, '..', '..', 'amplify', 'data', name), 'utf8');

const FIELDS = {
  sendTyping: { file: 'sendTyping.js', parentTypeName: 'Mutation' },
  onTyping: { file: 'onTyping.js', parentTypeName: 'Subscription' },
  onMessageSent: { file: 'onMessageSent.js', parentTypeName: 'Subscription' },
} as const;
type Field = keyof typeof FIELDS;

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
  it.each(['sendTyping', 'onTyping'] as const)('%s: the synthesized code is the source file, verbatim, and passes the runtime checks', (field) => {
    expect(code[field]).toBe(source(FIELDS[field].file));
    expect(() => checkLanguage(code[field], FIELDS[field].file)).not.toThrow();
    // Imports nothing but @aws-appsync/utils (the checker allows its /dynamodb subpath too; these do not use it).
    const imports = [...code[field].matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['@aws-appsync/utils']);
  });

  it('the checker is live: the same code with a throw statement is refused', () => {
    const broken = code.sendTyping.replace('util.unauthorized();', "throw new Error('no');");
    expect(broken).not.toBe(code.sendTyping);
    expect(() => checkLanguage(broken, 'broken.js')).toThrow(UnsupportedCodeError);
  });
});

describe('sendTyping (amplify/data/sendTyping.js)', () => {
  const args = { conversationId: 'c1', typing: true };

  it('request only reads the conversation (consistent GetItem): nothing is written', () => {
    expect(run('sendTyping', 'request', ctx('sendTyping', args)).value).toEqual({ operation: 'GetItem', key: { id: { S: 'c1' } }, consistentRead: true });
    expect(code.sendTyping).not.toMatch(/PutItem|UpdateItem|DeleteItem|BatchPut|BatchDelete|TransactWrite/);
  });

  it.each([
    ['<sub>::<username>', `${alice.sub}::${alice.username}`, true],
    ['<sub>', alice.sub, false],
    ['<username>', alice.username, true],
  ])('response returns the event for a participant listed as %s', (_form, entry, typing) => {
    const outcome = run('sendTyping', 'response', ctx('sendTyping', { conversationId: 'c1', typing }, { result: { id: 'c1', participants: ['bob', null, entry] } }));
    expect(outcome.value).toEqual({
      conversationId: 'c1',
      userId: alice.sub,
      typing,
      at: '2026-03-04T05:06:07.089Z',
      // Canonical entries, as the message processor stores them: what onTyping's delivery filter matches.
      participants: ['bob::bob', canonicalOwnerEntry(entry)],
    });
    expect(outcome.subscriptionFilter).toBeUndefined();
    expect(outcome.errors).toEqual([]);
  });

  it('response gives a non-participant and a missing conversation the same refusal', () => {
    const refusals = [
      ctx('sendTyping', args, { result: { id: 'c1', participants: ['bob', 'carol'] } }),
      ctx('sendTyping', args, { result: null }),
      ctx('sendTyping', args, { result: { id: 'c1', participants: null } }),
    ].map((c) => abortOf(() => run('sendTyping', 'response', c)));
    for (const error of refusals) {
      expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Not Authorized to access sendTyping on type Mutation']);
    }
  });

  it('response re-raises a data-source error', () => {
    const error = abortOf(() => run('sendTyping', 'response', ctx('sendTyping', args, { error: { message: 'throttled', type: 'DynamoDB:ProvisionedThroughputExceededException' } })));
    expect([error.errorType, error.message]).toEqual(['DynamoDB:ProvisionedThroughputExceededException', 'throttled']);
  });
});

describe('onTyping (amplify/data/onTyping.js)', () => {
  const args = { conversationId: 'c1' };

  it('request reads the conversation with a consistent GetItem', () => {
    expect(run('onTyping', 'request', ctx('onTyping', args)).value).toEqual({ operation: 'GetItem', key: { id: { S: 'c1' } }, consistentRead: true });
  });

  it.each([
    ['<sub>::<username>', `${alice.sub}::${alice.username}`],
    ['<sub>', alice.sub],
    ['<username>', alice.username],
  ])('response filters a participant listed as %s to the conversation (enhanced filter)', (_form, entry) => {
    const outcome = run('onTyping', 'response', ctx('onTyping', { conversationId: 'c2' }, { result: { id: 'c2', participants: [entry, 'bob'] } }));
    expect(outcome.value).toBeNull();
    // This conversation, and only while the caller is still among the event's participants (in any stored form).
    const group = (form: string) => ({
      filters: [
        { fieldName: 'conversationId', operator: 'eq', value: 'c2' },
        { fieldName: 'participants', operator: 'contains', value: form },
      ],
    });
    expect(outcome.subscriptionFilter).toEqual({
      filterGroup: [group(`${alice.sub}::${alice.username}`), group(`${alice.sub}::${alice.sub}`), group(`${alice.username}::${alice.username}`)],
    });
  });

  it('response gives a non-participant and a missing conversation the same refusal', () => {
    for (const c of [ctx('onTyping', args, { result: { id: 'c1', participants: ['bob', 'carol'] } }), ctx('onTyping', args, { result: null })]) {
      const error = abortOf(() => run('onTyping', 'response', c));
      expect([error.errorType, error.message]).toEqual(['Unauthorized', 'Not Authorized to access onTyping on type Subscription']);
    }
  });

  it('response re-raises a data-source error', () => {
    const error = abortOf(() => run('onTyping', 'response', ctx('onTyping', args, { error: { message: 'throttled', type: 'DynamoDB:ProvisionedThroughputExceededException' } })));
    expect([error.errorType, error.message]).toEqual(['DynamoDB:ProvisionedThroughputExceededException', 'throttled']);
  });
});

describe('one membership rule in three resolvers', () => {
  const membershipFunction = (text: string) => {
    const match = /\n(\/\*\*[^\n]*\*\/\nfunction isParticipant\(participants, identity\) \{\n[\s\S]*?\n\})\n/.exec(text);
    if (!match) throw new Error('no isParticipant function');
    return match[1];
  };

  it('sendTyping.js and onTyping.js carry the isParticipant of onMessageSent.js character for character', () => {
    const original = membershipFunction(code.onMessageSent);
    expect(original).toContain("identity.sub + '::' + username");
    expect(membershipFunction(code.sendTyping)).toBe(original);
    expect(membershipFunction(code.onTyping)).toBe(original);
  });

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

  it.each(lists)('agree with amplify/shared/owner.ts isListedOwner: %s', (_case, participants, who) => {
    const expected = isListedOwner(participants, who);
    const decisions = (['sendTyping', 'onTyping', 'onMessageSent'] as const).map((field) => {
      const context = ctx(field, { conversationId: 'c1', typing: true }, { identity: cognito(who), result: { id: 'c1', participants } });
      try {
        run(field, 'response', context);
        return true;
      } catch (e) {
        if (e instanceof ResolverError && e.errorType === 'Unauthorized') return false;
        throw e;
      }
    });
    expect(decisions).toEqual([expected, expected, expected]);
  });

  it.each(lists)('deliver an event to exactly the callers the subscribe-time rule admits: %s', (_case, participants, who) => {
    const expected = isListedOwner(participants, who);
    // Subscribed while listed in canonical form; the event carries `participants` canonicalized (message processor,
    // sendTyping.js), so the filter decides as the subscribe-time check would on the list at event time.
    const subscribed = { id: 'c1', participants: [`${who.sub}::${who.username}`] };
    const event = { conversationId: 'c1', participants: (participants ?? []).filter((p): p is string => !!p).map(canonicalOwnerEntry) };
    for (const field of ['onTyping', 'onMessageSent'] as const) {
      const filter = run(field, 'response', ctx(field, { conversationId: 'c1' }, { identity: cognito(who), result: subscribed })).subscriptionFilter;
      expect(matchesFilter(filter as SubscriptionFilter, event), field).toBe(expected);
      expect(matchesFilter(filter as SubscriptionFilter, { ...event, conversationId: 'c2' }), field).toBe(false);
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
      const decisions = (['sendTyping', 'onTyping', 'onMessageSent'] as const).map((field) => {
        try {
          run(field, 'response', ctx(field, { conversationId: 'c1', typing: false }, { identity, authType, result: { id: 'c1', participants } }));
          return true;
        } catch (e) {
          if (e instanceof ResolverError && e.errorType === 'Unauthorized') return false;
          throw e;
        }
      });
      expect(decisions, JSON.stringify({ identity, participants })).toEqual([allowed, allowed, allowed]);
    }
  });
});
