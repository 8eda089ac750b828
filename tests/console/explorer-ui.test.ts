/**
 * The explorer page's own logic, without a browser: which operations go over the subscription socket, how a tab's
 * caller is kept (by tab id, through GraphiQL's tab reports, including a "use as" tab reported a moment after it
 * opens), and what `as` each caller sends.
 */
import { describe, expect, it } from 'vitest';
import { asOf, choiceFromValue, choiceLabel, choiceValue, defaultChoice, type CallerChoice } from '../../offline/console/ui/explorer/callers';
import { operationType } from '../../offline/console/ui/explorer/operation-type';
import { activeCaller, tabCallers, type TabCallers } from '../../offline/console/ui/explorer/tab-callers';

const API = { userPool: true, apiKey: false, iam: true, defaultAuthMode: 'AMAZON_COGNITO_USER_POOLS' };
const tabs = (ids: string[], active: number) => ({ tabs: ids.map((id) => ({ id })), activeTabIndex: active });
const bob: CallerChoice = { kind: 'user', username: 'bob' };

describe('operationType', () => {
  const doc = (...operations: [string, string?][]) => ({
    definitions: operations.map(([operation, name]) => ({ kind: 'OperationDefinition', operation, ...(name ? { name: { value: name } } : {}) })),
  });

  it('reads the chosen operation of the parsed document', () => {
    expect(operationType('', undefined, doc(['subscription']))).toBe('subscription');
    expect(operationType('', 'Feed', doc(['query', 'List'], ['subscription', 'Feed']))).toBe('subscription');
    expect(operationType('', 'List', doc(['query', 'List'], ['subscription', 'Feed']))).toBe('query');
    expect(operationType('', undefined, { definitions: [{ kind: 'FragmentDefinition' }, ...doc(['mutation']).definitions] })).toBe('mutation');
  });

  it('falls back to the text when GraphiQL has no document, comments aside', () => {
    expect(operationType('# a query\nsubscription Feed { onX { id } }', 'Feed', undefined)).toBe('subscription');
    expect(operationType('# subscription\n{ listX { id } }', undefined, undefined)).toBe('query');
    expect(operationType('query A { a } mutation B { b }', 'B', undefined)).toBe('mutation');
    expect(operationType('subscription S { s', 'S(', undefined)).toBe('subscription');
  });
});

describe('callers', () => {
  it('each caller has its `as` and survives a round trip through the select', () => {
    const all: CallerChoice[] = [{ kind: 'none' }, { kind: 'apiKey' }, { kind: 'iam' }, bob, { kind: 'user', username: 'a:b' }];
    expect(all.map(asOf)).toEqual([undefined, { apiKey: true }, { iam: true }, { user: 'bob' }, { user: 'a:b' }]);
    for (const choice of all) expect(choiceFromValue(choiceValue(choice))).toEqual(choice);
    expect(choiceLabel(bob, [{ username: 'bob', email: 'bob@example.com' } as never])).toBe('User bob@example.com');
    expect(choiceLabel(bob)).toBe('User bob');
  });

  it('a new tab calls as IAM where the API takes IAM, else with no credentials', () => {
    expect(defaultChoice(API)).toEqual({ kind: 'iam' });
    expect(defaultChoice({ ...API, iam: false })).toEqual({ kind: 'none' });
  });
});

describe('tabCallers', () => {
  const empty: TabCallers = { tabs: tabs(['t1'], 0), choices: new Map(), unassigned: undefined };

  it('keeps a caller per tab id and shows the active tab\'s', () => {
    let state = tabCallers(empty, { type: 'choose', caller: bob });
    state = tabCallers(state, { type: 'tabs', tabs: tabs(['t1', 't2'], 1) });
    expect(activeCaller(state, API)).toEqual({ kind: 'iam' });
    state = tabCallers(state, { type: 'choose', caller: { kind: 'none' } });
    state = tabCallers(state, { type: 'tabs', tabs: tabs(['t1', 't2'], 0) });
    expect(activeCaller(state, API)).toEqual(bob);
    expect([...state.choices]).toEqual([
      ['t1', bob],
      ['t2', { kind: 'none' }],
    ]);
  });

  it('forgets the callers of closed tabs', () => {
    let state = tabCallers(empty, { type: 'choose', caller: bob });
    state = tabCallers(state, { type: 'tabs', tabs: tabs(['t2'], 0) });
    expect([...state.choices]).toEqual([]);
  });

  it('"use as": the user waits for the tab GraphiQL opens, then is that tab\'s caller', () => {
    let state = tabCallers({ ...empty, choices: new Map([['t1', { kind: 'iam' }]]) }, { type: 'open', username: 'bob' });
    expect(activeCaller(state, API)).toEqual(bob);
    state = tabCallers(state, { type: 'tabs', tabs: tabs(['t1', 'new'], 1) });
    expect(state.unassigned).toBeUndefined();
    expect(state.choices.get('new')).toEqual(bob);
    expect(state.choices.get('t1')).toEqual({ kind: 'iam' });
  });

  it('a caller chosen before GraphiQL has reported its tabs goes to the first tab reported active', () => {
    let state = tabCallers({ tabs: undefined, choices: new Map(), unassigned: undefined }, { type: 'choose', caller: { kind: 'none' } });
    expect(activeCaller(state, API)).toEqual({ kind: 'none' });
    state = tabCallers(state, { type: 'tabs', tabs: tabs(['t9'], 0) });
    expect(state.choices.get('t9')).toEqual({ kind: 'none' });
  });
});
