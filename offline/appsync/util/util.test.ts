import { describe, expect, it } from 'vitest';
import { dynamodbJsonUtils, dynamodbUtils } from './util-dynamodb.js';
import { toDynamoDBConditionExpression, toDynamoDBFilterExpression } from './filter-expression.js';
import * as general from './general.js';
import { javaSplit } from './java-regex.js';
import { listUtils, mapUtils, strUtils } from './collections.js';
import { toSubscriptionFilter, validateSubscriptionFilter } from './subscription-filter.js';
import { formatEpochMillis, parseFormattedToEpochMillis, timeUtils } from './time.js';

const parsed = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

describe('util.dynamodb (outputs captured from AWS)', () => {
  it('converts scalars with numbers kept as JSON numbers', () => {
    expect(JSON.stringify(dynamodbUtils.toDynamoDB('test'))).toBe('{"S":"test"}');
    expect(JSON.stringify(dynamodbUtils.toNumber(12345))).toBe('{"N":12345}');
    expect(JSON.stringify(dynamodbUtils.toNumber(1))).toBe('{"N":1}');
    expect(JSON.stringify(dynamodbUtils.toNumberSet([1, 23, 4.56]))).toBe('{"NS":[1,23,4.56]}');
    expect(JSON.stringify(dynamodbUtils.toNull())).toBe('{"NULL":null}');
    expect(dynamodbUtils.toDynamoDB(true)).toEqual({ BOOL: true });
  });

  it('toMapValues types nested lists as L', () => {
    expect(JSON.stringify(dynamodbUtils.toMapValues({ foo: 'bar', baz: 1234, beep: ['boop'] }))).toBe(
      '{"foo":{"S":"bar"},"baz":{"N":1234},"beep":{"L":[{"S":"boop"}]}}',
    );
    expect(dynamodbUtils.toList(['foo', 123, { bar: 'baz' }])).toEqual({ L: [{ S: 'foo' }, { N: 123 }, { M: { bar: { S: 'baz' } } }] });
  });

  it('toS3Object embeds the s3 JSON as a string', () => {
    expect(JSON.stringify(dynamodbUtils.toS3Object('foo', 'bar', 'baz'))).toBe('{"S":"{\\"s3\\":{\\"key\\":\\"foo\\",\\"bucket\\":\\"bar\\",\\"region\\":\\"baz\\"}}"}');
    expect(dynamodbUtils.toS3Object('foo', 'bar', 'baz', 'beep')).toEqual({ S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}' });
  });

  it('the VTL …Json variants return JSON text', () => {
    expect(dynamodbJsonUtils.toDynamoDBJson('x')).toBe('{"S":"x"}');
    expect(dynamodbJsonUtils.toMapValuesJson({ a: 1 })).toBe('{"a":{"N":1}}');
  });
});

describe('util.transform DynamoDB expressions (AWS captures)', () => {
  it('condition expression returns only the values it uses', () => {
    expect(toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } })).toBe(
      '{"expression":"(attribute_exists(#id)) AND (#version = :version_eq)","expressionNames":{"#id":"id","#version":"version"},"expressionValues":{":version_eq":{"N":10}}}',
    );
  });

  it('filter expression for contains has no space after the comma', () => {
    expect(toDynamoDBFilterExpression({ title: { contains: 'Hello World' } })).toBe(
      '{"expression":"(contains(#title,:title_contains))","expressionNames":{"#title":"title"},"expressionValues":{":title_contains":{"S":"Hello World"}}}',
    );
  });

  it('the Amplify create guard renders attribute_not_exists with no values', () => {
    expect(toDynamoDBConditionExpression({ and: [{ id: { attributeExists: false } }] })).toBe(
      '{"expression":"(attribute_not_exists(#id))","expressionNames":{"#id":"id"},"expressionValues":{}}',
    );
  });

  it('nests and/or/not with value names carrying every level', () => {
    expect(parsed(toDynamoDBFilterExpression({ or: [{ and: [{ a: { eq: 1 } }, { b: { eq: 2 } }] }, { c: { eq: 3 } }] }))).toEqual({
      expression: '(((#a = :or_0_and_0_a_eq) AND (#b = :or_0_and_1_b_eq)) OR (#c = :or_1_c_eq))',
      expressionNames: { '#a': 'a', '#b': 'b', '#c': 'c' },
      expressionValues: { ':or_0_and_0_a_eq': { N: 1 }, ':or_0_and_1_b_eq': { N: 2 }, ':or_1_c_eq': { N: 3 } },
    });
    expect((parsed(toDynamoDBFilterExpression({ and: [{ not: { a: { eq: 1 } } }, { b: { eq: 2 } }] })) as { expression: string }).expression).toBe(
      '((NOT (#a = :and_0_not_a_eq)) AND (#b = :and_1_b_eq))',
    );
    expect((parsed(toDynamoDBFilterExpression({ not: { id: { between: ['1', '9'] } } })) as { expression: string }).expression).toBe(
      '(NOT (#id BETWEEN :not_id_between_start AND :not_id_between_end))',
    );
  });

  it('renders every operator', () => {
    const expr = (f: unknown): string => (parsed(toDynamoDBFilterExpression(f)) as { expression: string }).expression;
    expect(expr({ v: { ne: 'x' } })).toBe('(#v <> :v_ne)');
    expect(expr({ v: { ge: 1, le: 5 } })).toBe('((#v >= :v_ge) AND (#v <= :v_le))');
    expect(expr({ v: { notContains: 'x' } })).toBe('(NOT contains(#v,:v_notContains))');
    expect(expr({ v: { beginsWith: 'x' } })).toBe('(begins_with(#v,:v_beginsWith))');
    expect(expr({ v: { in: ['a', 'b'] } })).toBe('(#v IN (:v_in_0, :v_in_1))');
    expect(expr({ v: { attributeType: 'string' } })).toBe('(attribute_type(#v,:v_attributeType))');
    expect(expr({ v: { size: { gt: 2 } } })).toBe('(size(#v) > :v_size_gt)');
    expect(expr({ v: { size: { gt: 2, lt: 5 } } })).toBe('((size(#v) > :v_size_gt) AND (size(#v) < :v_size_lt))');
  });

  it('answers null for input AWS cannot render', () => {
    for (const bad of [null, [], 'string', { v: { foo: 1 } }, { v: 'x' }, { and: { a: { eq: 1 } } }, { v: { between: [1] } }, { v: { attributeExists: 'yes' } }]) {
      expect(toDynamoDBFilterExpression(bad)).toBeNull();
    }
  });
});

describe('util.transform.toSubscriptionFilter (AWS captures)', () => {
  const f = (fieldName: string, operator: string, value: unknown) => ({ fieldName, operator, value });

  it('ANDs fields into one group', () => {
    expect(toSubscriptionFilter({ a: { eq: 1 }, b: { eq: 2 } })).toEqual({ filterGroup: [{ filters: [f('a', 'eq', 1), f('b', 'eq', 2)] }] });
  });

  it('splits a top-level or into groups', () => {
    expect(toSubscriptionFilter({ or: [{ a: { eq: 1 } }, { b: { eq: 2 } }] })).toEqual({
      filterGroup: [{ filters: [f('a', 'eq', 1)] }, { filters: [f('b', 'eq', 2)] }],
    });
  });

  it('expands nested and/or to disjunctive normal form', () => {
    expect(toSubscriptionFilter({ and: [{ a: { eq: 1 } }, { or: [{ b: { eq: 2 } }, { c: { eq: 3 } }] }] })).toEqual({
      filterGroup: [{ filters: [f('a', 'eq', 1), f('b', 'eq', 2)] }, { filters: [f('a', 'eq', 1), f('c', 'eq', 3)] }],
    });
    const big = toSubscriptionFilter({
      percentageUp: { lte: 50, gte: 20 },
      and: [{ title: { ne: 'Book1' } }, { downvotes: { gt: 2000 } }],
      or: [{ author: { eq: 'Admin' } }, { isPublished: { eq: false } }],
    });
    expect(big?.filterGroup.map((g) => g.filters.map((x) => `${x.fieldName}:${x.operator}`).join(','))).toEqual([
      'percentageUp:lte,title:ne,downvotes:gt,author:eq',
      'percentageUp:lte,title:ne,downvotes:gt,isPublished:eq',
      'percentageUp:gte,title:ne,downvotes:gt,author:eq',
      'percentageUp:gte,title:ne,downvotes:gt,isPublished:eq',
    ]);
  });

  it('shapes the Amplify owner-auth filter (auth or, ANDed with a client filter)', () => {
    const filter = { and: [{ or: [{ participants: { contains: 'alice' } }] }, { conversationId: { eq: 'c1' } }] };
    expect(toSubscriptionFilter(filter)).toEqual({ filterGroup: [{ filters: [f('participants', 'contains', 'alice'), f('conversationId', 'eq', 'c1')] }] });
  });

  it('drops ignored fields at every level and adds rules as alternatives', () => {
    expect(toSubscriptionFilter({ a: { eq: 1 }, and: [{ b: { eq: 2 } }] }, ['b'])).toEqual({ filterGroup: [{ filters: [f('a', 'eq', 1)] }] });
    expect(toSubscriptionFilter({ a: { eq: 1 } }, [], { r1: { gte: 250 }, r2: { eq: 'p' } })).toEqual({
      filterGroup: [{ filters: [f('a', 'eq', 1), f('r1', 'gte', 250)] }, { filters: [f('a', 'eq', 1), f('r2', 'eq', 'p')] }],
    });
  });

  it('gives null for unreadable input and no group for an empty filter', () => {
    expect(toSubscriptionFilter(null)).toBeNull();
    expect(toSubscriptionFilter('{"a":{"eq":1}}')).toBeNull();
    expect(toSubscriptionFilter({})).toEqual({ filterGroup: [] });
  });

  it('validation enforces operators and limits', () => {
    expect(validateSubscriptionFilter(toSubscriptionFilter({ a: { eq: 1 } }))).toEqual([]);
    expect(validateSubscriptionFilter(toSubscriptionFilter({ a: { lte: 1 } }))).toEqual(['filterGroup[0].filters[0]: unsupported operator lte']);
    const six = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, { eq: 1 }]));
    expect(validateSubscriptionFilter(toSubscriptionFilter(six))).toEqual(['filterGroup[0] has 6 filters (max 5)']);
    const rule = (fieldName: string, operator: string, value: unknown) => ({ filterGroup: [{ filters: [{ fieldName, operator, value }] }] });
    expect(validateSubscriptionFilter(rule('a', 'in', [1, 2, 3, 4, 5, 6]))).toEqual(['filterGroup[0].filters[0]: in has 6 values (max 5)']);
    expect(validateSubscriptionFilter(rule('a', 'containsAny', Array.from({ length: 21 }, (_, i) => i)))).toEqual(['filterGroup[0].filters[0]: containsAny has 21 values (max 20)']);
    expect(validateSubscriptionFilter(rule('a', 'between', [1]))).toEqual(['filterGroup[0].filters[0]: between needs [low, high]']);
    expect(validateSubscriptionFilter(rule('a.b.c.d.e.f', 'eq', 1))).toEqual(['filterGroup[0].filters[0]: field path a.b.c.d.e.f too long or too deep']);
    const eleven = { filterGroup: Array.from({ length: 11 }, () => rule('a', 'eq', 1).filterGroup[0]) };
    expect(validateSubscriptionFilter(eleven)).toEqual(['filterGroup has 11 groups (max 10)']);
  });

  it('validation refuses an empty filter: no group, a group without filters, a filter without a field name', () => {
    expect(validateSubscriptionFilter(toSubscriptionFilter({}))).toEqual(['filterGroup is empty']);
    expect(validateSubscriptionFilter({ filterGroup: [{ filters: [] }] })).toEqual(['filterGroup[0] has no filters']);
    expect(validateSubscriptionFilter({ filterGroup: [{ filters: [{ fieldName: '', operator: 'eq', value: 1 }] }] })).toEqual(['filterGroup[0].filters[0]: fieldName is empty']);
    expect(validateSubscriptionFilter({ filters: [] })).toEqual(['filter must be an object with a filterGroup list']);
  });
});

describe('general $util functions', () => {
  it('null / empty / blank checks accept strings, lists and maps', () => {
    expect(general.isNullOrEmpty({})).toBe(true);
    expect(general.isNullOrEmpty({ a: 1 })).toBe(false);
    expect(general.isNullOrEmpty([])).toBe(true);
    expect(general.isNullOrBlank('  ')).toBe(true);
    expect(general.isNullOrBlank(' x ')).toBe(false);
    expect(general.defaultIfNullOrBlank(' ', 'd')).toBe('d');
    expect(general.defaultIfNull(0, 'd')).toBe(0);
    expect(general.typeOf([1])).toBe('List');
    expect(general.typeOf({})).toBe('Map');
    expect(general.typeOf(null)).toBe('Null');
  });

  it('ids have the documented shapes', () => {
    expect(general.autoId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(general.autoUlid(0)).toMatch(/^0{10}[0-9A-HJKMNP-TV-Z]{16}$/);
    expect(general.autoKsuid(1_400_000_000_000)).toMatch(/^[0-9A-Za-z]{27}$/);
  });

  it('encodes like the Java libraries', () => {
    expect(general.urlEncode('a b&c/é*~')).toBe('a+b%26c%2F%C3%A9*%7E');
    expect(general.urlDecode('a+b%26c')).toBe('a b&c');
    expect(general.escapeJavaScript('a"b\'c/\n\u00e9')).toBe('a\\"b\\\'c\\/\\n\\u00E9');
    expect(general.base64Decode(general.base64Encode('héllo'))).toBe('héllo');
    expect(general.toJson({ a: [1, null] })).toBe('{"a":[1,null]}');
    expect(() => general.parseJson('nope')).toThrow();
  });

  it('matches uses Java regex semantics (full match, inline flags, POSIX classes)', () => {
    expect(general.matches('a.c', 'abc')).toBe(true);
    expect(general.matches('a', 'abc')).toBe(false);
    expect(general.matches('(?i)ABC', 'abc')).toBe(true);
    expect(general.matches('\\p{Alpha}+\\d++', 'abc12')).toBe(true);
    expect(javaSplit('a::b::', '::')).toEqual(['a', 'b']);
    expect(javaSplit('::a', '::')).toEqual(['', 'a']);
    expect(javaSplit('::', '::')).toEqual([]);
    expect(javaSplit('abc', '::')).toEqual(['abc']);
  });

  it('list / map / str helpers', () => {
    expect(listUtils.copyAndRemoveAll(['a', 'b', 'c'], ['b'])).toEqual(['a', 'c']);
    expect(listUtils.copyAndRetainAll(['a', 'b', 'c'], ['b', 'x'])).toEqual(['b']);
    expect(listUtils.sortList([{ n: 2 }, { n: 1 }], false, 'n')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(mapUtils.copyAndRetainAllKeys({ a: 1, b: 2 }, ['a'])).toEqual({ a: 1 });
    expect(mapUtils.copyAndRemoveAllKeys({ a: 1, b: 2 }, ['a'])).toEqual({ b: 2 });
    expect(strUtils.toReplace('a.b.c', '.', '-')).toBe('a-b-c');
    expect(strUtils.normalize('e\u0301', 'nfc')).toBe('\u00e9');
  });
});

describe('util.time', () => {
  const fixed = Date.UTC(2026, 0, 1, 0, 0, 0, 0);
  it('nowISO8601 has millisecond precision', () => {
    expect(timeUtils({ now: () => fixed }).nowISO8601()).toBe('2026-01-01T00:00:00.000Z');
    expect(timeUtils({ now: () => fixed + 1500 }).nowEpochSeconds()).toBe(Math.floor(fixed / 1000) + 1);
  });
  it('formats and parses DateTimeFormatter patterns', () => {
    const ms = Date.UTC(2018, 1, 1, 17, 21, 5, 180);
    expect(formatEpochMillis(ms, "yyyy-MM-dd'T'HH:mm:ss.SSSZ")).toBe('2018-02-01T17:21:05.180+0000');
    expect(formatEpochMillis(ms, 'dd MMM yyyy hh:mm a EEE', 'Australia/Perth')).toBe('02 Feb 2018 01:21 AM Fri');
    expect(formatEpochMillis(ms, 'HH:mm XXX', '+05:30')).toBe('22:51 +05:30');
    expect(parseFormattedToEpochMillis('2018-02-01 17:21:05', 'yyyy-MM-dd HH:mm:ss')).toBe(Date.UTC(2018, 1, 1, 17, 21, 5));
    expect(parseFormattedToEpochMillis('2018-02-02 01:21', 'yyyy-MM-dd HH:mm', 'Australia/Perth')).toBe(Date.UTC(2018, 1, 1, 17, 21));
  });
});
