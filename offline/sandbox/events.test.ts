import { describe, expect, it } from 'vitest';
import { boundedCopy, capString, createEventFeed, summarizeCaller, type SandboxEvent } from './events';

const schedule = (functionName: string) => ({ kind: 'schedule' as const, functionName, expression: 'rate(1 minute)', manual: false, outcome: 'ok' as const, durationMs: 1 });

describe('the event feed', () => {
  it('numbers and times each event, and keeps the latest ones, oldest first', () => {
    const events = createEventFeed({ keep: 3 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) events.emit(schedule(name));
    const recent = events.recent();
    expect(recent.map((e) => (e as Extract<SandboxEvent, { kind: 'schedule' }>).functionName)).toEqual(['c', 'd', 'e']);
    expect(recent.map((e) => e.id)).toEqual([3, 4, 5]);
    expect(Date.parse(recent[0]!.time)).not.toBeNaN();
  });

  it('calls listeners from subscription until they stop, and drops one that throws without failing the others', () => {
    const events = createEventFeed();
    const seen: number[] = [];
    let thrown = 0;
    events.subscribe(() => {
      thrown++;
      throw new Error('bad listener');
    });
    const stop = events.subscribe((event) => seen.push(event.id));
    expect(events.tracing).toBe(true);
    events.emit(schedule('a'));
    events.emit(schedule('b'));
    stop();
    events.emit(schedule('c'));
    expect(seen).toEqual([1, 2]);
    expect(thrown).toBe(1);
    expect(events.tracing).toBe(false);
  });

  it('keeps the latest traces by request id', () => {
    const events = createEventFeed({ keepTraces: 2 });
    for (const id of ['r1', 'r2', 'r3']) events.keepTrace({ requestId: id, resolvers: [], dropped: 0 });
    expect(events.trace('r1')).toBeUndefined();
    expect(events.trace('r3')).toEqual({ requestId: 'r3', resolvers: [], dropped: 0 });
  });
});

describe('bounded copies', () => {
  it('copies small JSON as it is', () => {
    const value = { a: 1, b: 'x', c: [true, null, { d: 2 }] };
    expect(boundedCopy(value)).toEqual(value);
  });

  it('cuts long strings, long arrays, many keys and deep nesting, saying so', () => {
    expect(capString('x'.repeat(30), 10)).toBe(`${'x'.repeat(10)}… (20 more characters)`);
    const copy = boundedCopy({ items: Array.from({ length: 1000 }, (_, i) => i), text: 'y'.repeat(600) }) as { items: unknown[]; text: string };
    expect(copy.items).toHaveLength(51);
    expect(copy.items[50]).toBe('… 950 more');
    expect(copy.text).toMatch(/… \(100 more characters\)$/);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(JSON.stringify(boundedCopy(deep))).not.toContain('bottom');
  });

  it('visits at most its budget of values', () => {
    const wide = Array.from({ length: 40 }, () => Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])));
    const text = JSON.stringify(boundedCopy(wide, 100));
    expect((text.match(/"k\d+"/g) ?? []).length).toBeLessThan(100);
  });
});

describe('callers', () => {
  it('names a user by username and sub, an IAM caller by its ARN, an API key by its shortened id', () => {
    expect(summarizeCaller('AMAZON_COGNITO_USER_POOLS', { username: 'ann', sub: 's-1' })).toEqual({ authType: 'AMAZON_COGNITO_USER_POOLS', who: 'ann', sub: 's-1' });
    expect(summarizeCaller('AMAZON_COGNITO_USER_POOLS', { username: 'u-1', sub: 'u-1', claims: { email: 'ann@example.com' } })).toEqual({
      authType: 'AMAZON_COGNITO_USER_POOLS',
      who: 'ann@example.com',
      username: 'u-1',
      sub: 'u-1',
    });
    expect(summarizeCaller('AWS_IAM', { userArn: 'arn:aws:iam::1:role/x' })).toEqual({ authType: 'AWS_IAM', who: 'arn:aws:iam::1:role/x' });
    expect(summarizeCaller('API_KEY', null, 'API_KEY:da2-abcdefghijklmnop')).toEqual({ authType: 'API_KEY', who: 'da2-abcd…mnop' });
  });
});
