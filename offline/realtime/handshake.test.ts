import { describe, expect, it } from 'vitest';
import { decodeBase64JsonObject, offeredProtocols, rawQueryParameter, readHandshake, selectProtocol } from './handshake';
import { dataFrame, parseClientMessage, serializeDataPayload } from './protocol-messages';

// A header whose standard base64 contains both `+` and `/` (from the `>>>` and `???` bytes).
const header = { Authorization: 'good', host: 'localhost:4000', probe: '>>>???' };
const json = JSON.stringify(header);
const standard = Buffer.from(json).toString('base64');
const url = Buffer.from(json).toString('base64url');

describe('decodeBase64JsonObject (standard or URL-safe base64, padded or not)', () => {
  it('fixture really exercises both alphabets and padding', () => {
    expect(standard).toMatch(/\+/);
    expect(standard).toMatch(/\//);
    expect(standard).toMatch(/=$/);
    expect(url).toMatch(/[-_]/);
  });

  it.each([
    ['standard, padded', standard],
    ['standard, unpadded', standard.replace(/=+$/, '')],
    ['url-safe, padded', url + '='.repeat((4 - (url.length % 4)) % 4)],
    ['url-safe, unpadded', url],
  ])('decodes %s', (_label, encoded) => {
    expect(decodeBase64JsonObject(encoded)).toEqual(header);
  });

  it.each([
    ['not base64', 'eyJ!!'],
    ['impossible length', 'eyJhI'],
    ['not JSON', Buffer.from('hello').toString('base64')],
    ['JSON but not an object', Buffer.from('[1]').toString('base64')],
    ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b]).toString('base64')],
  ])('rejects %s', (_label, encoded) => {
    expect(decodeBase64JsonObject(encoded)).toBeUndefined();
  });
});

describe('readHandshake', () => {
  it('Form A: a raw `+` in the query stays a `+`, other parameters are ignored', () => {
    expect(rawQueryParameter(`/graphql/realtime?header=${standard}&payload=e30=`, 'header')).toBe(standard);
    const result = readHandshake(`/graphql/realtime?x-custom=1&header=${standard}&payload=e30=`, 'graphql-ws');
    expect(result).toEqual({ graphqlWsOffered: true, form: 'query', header, problem: undefined });
  });

  it('Form A: percent-encoded values are decoded', () => {
    const result = readHandshake(`/graphql/realtime?header=${encodeURIComponent(standard)}&payload=e30%3D`, 'graphql-ws');
    expect(result.header).toEqual(header);
  });

  it('Form B: header- subprotocol', () => {
    const result = readHandshake('/graphql/realtime', `graphql-ws, header-${url}`);
    expect(result).toEqual({ graphqlWsOffered: true, form: 'subprotocol', header, problem: undefined });
  });

  it('the query parameter wins over the subprotocol', () => {
    const other = Buffer.from(JSON.stringify({ Authorization: 'other' })).toString('base64url');
    expect(readHandshake(`/graphql/realtime?header=${url}`, `graphql-ws, header-${other}`).header).toEqual(header);
  });

  it('reports missing and malformed headers and a missing graphql-ws', () => {
    expect(readHandshake('/graphql/realtime', 'graphql-ws')).toMatchObject({ form: 'none', problem: 'missing', header: undefined });
    expect(readHandshake('/graphql/realtime', 'graphql-ws, header-%%%')).toMatchObject({ form: 'subprotocol', problem: 'malformed' });
    expect(readHandshake('/graphql/realtime', undefined).graphqlWsOffered).toBe(false);
  });

  it('echoes only graphql-ws, never the header- token', () => {
    expect(selectProtocol(new Set(offeredProtocols(`graphql-ws, header-${url}`)))).toBe('graphql-ws');
    expect(selectProtocol(new Set([`header-${url}`]))).toBe(false);
  });
});

describe('protocol messages', () => {
  it('data frame embeds the payload text verbatim', () => {
    const payload = serializeDataPayload({ data: { onX: { id: '1', text: 'é"\\' } } });
    const frame = dataFrame('sub-"1"', payload);
    expect(frame).toBe(`{"id":"sub-\\"1\\"","type":"data","payload":${payload}}`);
    expect(JSON.parse(frame)).toEqual({ id: 'sub-"1"', type: 'data', payload: { data: { onX: { id: '1', text: 'é"\\' } } } });
    // A payload serialized elsewhere as bytes is spliced in the same.
    expect(dataFrame('sub-"1"', Buffer.from(payload, 'utf8'))).toBe(frame);
  });

  it('parses a start with payload.data as a JSON string', () => {
    const data = JSON.stringify({ query: 'subscription { onX { id } }', variables: { a: 1 } });
    expect(
      parseClientMessage(JSON.stringify({ id: 's1', type: 'start', payload: { data, extensions: { authorization: { Authorization: 'good' } } } })),
    ).toEqual({
      type: 'start',
      id: 's1',
      query: 'subscription { onX { id } }',
      variables: { a: 1 },
      operationName: undefined,
      rawData: data,
      authorization: { Authorization: 'good' },
    });
  });

  it.each([
    ['{not json', undefined, 'BadRequestException'],
    ['[]', undefined, 'BadRequestException'],
    ['{"id":"a"}', 'a', 'BadRequestException'],
    ['{"id":"a","type":"subscribe"}', 'a', 'UnsupportedOperation'],
    ['{"id":"a","type":"start"}', 'a', 'BadRequestException'],
    ['{"id":"a","type":"start","payload":{"data":{"query":"x"}}}', 'a', 'BadRequestException'],
    ['{"id":"a","type":"start","payload":{"data":"{"}}', 'a', 'BadRequestException'],
    ['{"id":"a","type":"start","payload":{"data":"{\\"query\\":\\"x\\",\\"variables\\":[1]}"}}', 'a', 'BadRequestException'],
    ['{"type":"start","payload":{"data":"{}"}}', undefined, 'BadRequestException'],
    ['{"type":"stop"}', undefined, 'BadRequestException'],
  ])('turns %s into an error for id %s', (text, id, errorType) => {
    expect(parseClientMessage(text)).toMatchObject({ type: 'invalid', id, error: { errorType } });
  });
});
