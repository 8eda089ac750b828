/**
 * The AppSync real-time protocol (https://docs.aws.amazon.com/appsync/latest/devguide/real-time-websocket-client.html)
 * over a real TLS socket, driven by a raw `ws` client against the stub backend. Frames are read strictly in order.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { serializeDataPayload } from './protocol-messages';
import { FrameClient, GOOD_TOKEN, base64Url, openReadyClient, startTestServer, type TestServer } from '../../tests/helpers/realtime-server';
import { badRequest, CLOSE_REASONS, MALFORMED_FRAME, UNAUTHORIZED_HEADER, unauthorizedConnection } from '../errors';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

/** The connection id the server assigned to the socket that sent the start `subscriptionId`. */
async function connectionIdOf(subscriptionId: string): Promise<string> {
  const start = await server.backend.waitFor('start', server.backend.starts, (args) => args.subscriptionId === subscriptionId);
  return start.connectionId;
}

describe('handshake (auth header in the query or the header- subprotocol)', () => {
  it('Form B: header- subprotocol; the 101 echoes exactly graphql-ws; ack then an immediate ka', async () => {
    const header = { Authorization: GOOD_TOKEN, host: `127.0.0.1:${server.port}`, 'x-amz-user-agent': 'test' };
    const client = FrameClient.open(server.realtimeUrl, ['graphql-ws', `header-${base64Url(header)}`], server.certificate);
    await client.opened;
    expect(client.responseProtocol).toBe('graphql-ws');
    expect(client.ws.protocol).toBe('graphql-ws');
    client.send({ type: 'connection_init' });
    expect((await client.next()).json).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 300000 } });
    expect((await client.next()).raw).toBe('{"type":"ka"}');
    const seen = server.backend.authentications.at(-1);
    expect(seen?.header).toEqual(header);
    expect(seen?.request.remoteAddress).toMatch(/127\.0\.0\.1/);
    client.ws.close();
  });

  it.each([
    ['standard base64, padded', (json: string) => Buffer.from(json).toString('base64')],
    ['standard base64, unpadded', (json: string) => Buffer.from(json).toString('base64').replace(/=+$/, '')],
    ['base64url, padded', (json: string) => Buffer.from(json).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')],
    ['base64url, unpadded', (json: string) => Buffer.from(json).toString('base64url')],
  ])('Form A: ?header=<%s>&payload=e30= with extra query parameters', async (_label, encode) => {
    // `probe` makes the standard encoding contain `+` and `/`; the raw value goes into the URL unescaped, as subscription-link does.
    const header = { Authorization: GOOD_TOKEN, host: `127.0.0.1:${server.port}`, probe: '>>>???' };
    const encoded = encode(JSON.stringify(header));
    const client = FrameClient.open(`${server.realtimeUrl}?header=${encoded}&payload=e30=&x-custom=1`, ['graphql-ws'], server.certificate);
    await client.opened;
    expect(client.responseProtocol).toBe('graphql-ws');
    await client.init();
    expect(server.backend.authentications.at(-1)?.header).toEqual(header);
    client.ws.close();
  });

  it('no subprotocol → connection_error SubProtocolNotSupportedError, then close', async () => {
    const client = FrameClient.open(`${server.realtimeUrl}?header=${base64Url({ Authorization: GOOD_TOKEN })}`, undefined, server.certificate);
    await client.opened;
    expect(client.responseProtocol).toBeUndefined();
    client.send({ type: 'connection_init' });
    expect((await client.next()).json).toEqual({
      type: 'connection_error',
      payload: { errors: [{ message: 'SubProtocolNotSupportedError', errorCode: 400 }] },
    });
    await client.closed;
  });

  it('bad token → connection_error UnauthorizedException 401, close, backend.connectionClosed', async () => {
    const client = FrameClient.open(server.realtimeUrl, ['graphql-ws', `header-${base64Url({ Authorization: 'bad', host: 'h' })}`], server.certificate);
    await client.opened;
    client.send({ type: 'connection_init' });
    expect((await client.next()).json).toEqual({
      type: 'connection_error',
      payload: { errors: [unauthorizedConnection()] },
    });
    await client.closed;
    const request = server.backend.authentications.find((a) => a.header.Authorization === 'bad')?.request;
    expect(request).toBeDefined();
    await server.backend.waitFor('closed', server.backend.closedConnections, (id) => id === request?.connectionId);
  });

  it('missing or undecodable header → connection_error 401 without asking the backend', async () => {
    for (const protocols of [['graphql-ws'], ['graphql-ws', 'header-not_json']]) {
      const before = server.backend.authentications.length;
      const client = FrameClient.open(server.realtimeUrl, protocols, server.certificate);
      await client.opened;
      client.send({ type: 'connection_init' });
      const frame = await client.next();
      expect(frame.json).toMatchObject({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', errorCode: 401 }] } });
      await client.closed;
      expect(server.backend.authentications.length).toBe(before);
    }
  });

  it('a path other than /graphql/realtime is refused with 404', async () => {
    const ws = new WebSocket(`wss://127.0.0.1:${server.port}/elsewhere`, ['graphql-ws'], { ca: server.certificate.ca });
    ws.on('error', () => undefined);
    const [, response] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(response.statusCode).toBe(404);
    ws.terminate();
  });
});

describe('subscriptions (frames and error shapes)', () => {
  it('start → start_ack with the start’s own authorization; deliver → data frame with the same bytes; stop → complete', async () => {
    const client = await openReadyClient(server);
    const authorization = { Authorization: GOOD_TOKEN, host: `127.0.0.1:${server.port}`, 'x-amz-user-agent': 'aws-amplify/6' };
    client.start('sub-1', 'subscription OnX($room: ID) { onX(room: $room) { id } }', authorization, { room: 'r1' });
    expect((await client.nextNonKa()).json).toEqual({ type: 'start_ack', id: 'sub-1' });

    const start = await server.backend.waitFor('start', server.backend.starts, (args) => args.subscriptionId === 'sub-1');
    expect(start).toMatchObject({
      query: 'subscription OnX($room: ID) { onX(room: $room) { id } }',
      variables: { room: 'r1' },
      authorization,
      connectionIdentity: { user: 'good-user' },
    });
    expect(JSON.parse(start.rawData)).toEqual({ query: start.query, variables: { room: 'r1' } });

    const payload = serializeDataPayload({ data: { onX: { id: 'm1', text: 'héllo' } } });
    expect(server.realtime.deliver(start.connectionId, 'sub-1', payload)).toBe(true);
    const data = await client.nextNonKa();
    expect(data.raw).toBe(`{"id":"sub-1","type":"data","payload":${payload}}`);
    expect(server.realtime.deliver(start.connectionId, 'sub-1', '{"data":{"onX":{"id":"m2"}}}')).toBe(true);
    expect((await client.nextNonKa()).json).toEqual({ id: 'sub-1', type: 'data', payload: { data: { onX: { id: 'm2' } } } });
    expect(server.realtime.deliver(start.connectionId, 'unknown', payload)).toBe(false);
    expect(server.realtime.deliver('no-such-connection', 'sub-1', payload)).toBe(false);

    client.send({ type: 'stop', id: 'sub-1' });
    expect((await client.nextNonKa()).json).toEqual({ type: 'complete', id: 'sub-1' });
    expect(server.backend.stops).toContainEqual({ connectionId: start.connectionId, subscriptionId: 'sub-1' });
    expect(server.realtime.deliver(start.connectionId, 'sub-1', payload)).toBe(false);
    client.ws.close();
  });

  it('authenticates each start on its own: a bad start token fails even on a good connection', async () => {
    const client = await openReadyClient(server);
    client.start('bad-auth', undefined, { Authorization: 'expired', host: 'h' });
    expect((await client.nextNonKa()).json).toEqual({
      id: 'bad-auth',
      type: 'error',
      payload: { errors: [UNAUTHORIZED_HEADER] },
    });
    const connectionId = await connectionIdOf('bad-auth');
    expect(server.realtime.deliver(connectionId, 'bad-auth', '{"data":{}}')).toBe(false);
    client.ws.close();
  });

  it('a start without extensions.authorization → UnsupportedOperation (observed AppSync answer)', async () => {
    const client = await openReadyClient(server);
    client.start('no-auth', undefined, null);
    expect((await client.nextNonKa()).json).toEqual({
      id: 'no-auth',
      type: 'error',
      payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'unknown not supported through the realtime channel' }] },
    });
    client.ws.close();
  });

  it('backend validation errors are passed through verbatim', async () => {
    const client = await openReadyClient(server);
    client.start('invalid-field', 'subscription { onY { id } }');
    const frame = await client.nextNonKa();
    expect(frame.json).toEqual({
      id: 'invalid-field',
      type: 'error',
      payload: { errors: [{ message: "Validation error of type FieldUndefined: Field 'onY' in type 'Subscription' is undefined" }] },
    });
    client.ws.close();
  });

  it('a reused id → DuplicatedOperationError; the first subscription keeps working', async () => {
    const client = await openReadyClient(server);
    client.start('dup');
    expect((await client.nextNonKa()).json).toEqual({ type: 'start_ack', id: 'dup' });
    client.start('dup');
    expect((await client.nextNonKa()).json).toEqual({
      id: 'dup',
      type: 'error',
      payload: { errors: [{ errorType: 'DuplicatedOperationError', message: 'Duplicated operation with id dup' }] },
    });
    expect(server.realtime.deliver(await connectionIdOf('dup'), 'dup', '{"data":{"onX":null}}')).toBe(true);
    expect((await client.nextNonKa()).json).toMatchObject({ id: 'dup', type: 'data' });
    client.ws.close();
  });

  it('the 101st subscription → MaxSubscriptionsReachedError (errors as an array); a stop frees a slot', async () => {
    const client = await openReadyClient(server);
    for (let index = 0; index < 100; index += 1) client.start(`many-${index}`);
    const acks = new Set<string>();
    while (acks.size < 100) {
      const frame = await client.nextNonKa();
      expect(frame.json.type).toBe('start_ack');
      acks.add(String(frame.json.id));
    }
    client.start('many-100');
    expect((await client.nextNonKa()).json).toEqual({
      id: 'many-100',
      type: 'error',
      payload: { errors: [{ errorType: 'MaxSubscriptionsReachedError', message: 'Max number of 100 subscriptions reached' }] },
    });
    client.send({ type: 'stop', id: 'many-0' });
    expect((await client.nextNonKa()).json).toEqual({ type: 'complete', id: 'many-0' });
    client.start('many-100');
    expect((await client.nextNonKa()).json).toEqual({ type: 'start_ack', id: 'many-100' });
    client.ws.close();
  });

  it('invalidate → complete, and the subscription gets no more data', async () => {
    const client = await openReadyClient(server);
    client.start('inv');
    expect((await client.nextNonKa()).json).toEqual({ type: 'start_ack', id: 'inv' });
    const connectionId = await connectionIdOf('inv');
    expect(server.realtime.invalidate(connectionId, 'inv')).toBe(true);
    expect((await client.nextNonKa()).json).toEqual({ type: 'complete', id: 'inv' });
    expect(server.realtime.deliver(connectionId, 'inv', '{"data":{}}')).toBe(false);
    expect(server.realtime.invalidate(connectionId, 'inv')).toBe(false);
    client.ws.close();
  });

  it('stop while the start is still running → start_ack, then complete; data before the ack is not sent', async () => {
    const client = await openReadyClient(server);
    client.start('slow', 'subscription { onSlow { id } }');
    const connectionId = await connectionIdOf('slow');
    expect(server.realtime.deliver(connectionId, 'slow', '{"data":{}}')).toBe(false);
    client.send({ type: 'stop', id: 'slow' });
    // A start with the same id while the first is pending is a duplicate, and proves the stop was read.
    client.start('slow', 'subscription { onSlow { id } }');
    expect((await client.nextNonKa()).json).toMatchObject({ id: 'slow', type: 'error', payload: { errors: [{ errorType: 'DuplicatedOperationError' }] } });
    server.backend.releaseSlowStart();
    expect((await client.nextNonKa()).json).toEqual({ type: 'start_ack', id: 'slow' });
    expect((await client.nextNonKa()).json).toEqual({ type: 'complete', id: 'slow' });
    expect(server.backend.stops).toContainEqual({ connectionId, subscriptionId: 'slow' });
    client.ws.close();
  });

  it('a start that succeeds after its socket closed is undone with stopSubscription', async () => {
    const client = await openReadyClient(server);
    client.start('orphan', 'subscription { onSlow { id } }');
    const connectionId = await connectionIdOf('orphan');
    client.ws.close();
    await server.backend.waitFor('closed', server.backend.closedConnections, (id) => id === connectionId);
    server.backend.releaseSlowStart();
    await server.backend.waitFor('stop', server.backend.stops, (stop) => stop.connectionId === connectionId && stop.subscriptionId === 'orphan');
  });
});

describe('robustness', () => {
  it('malformed JSON, binary frames, unknown types, bad starts → error frames; the connection still works', async () => {
    const client = await openReadyClient(server);
    client.send('{not json');
    expect((await client.nextNonKa()).json).toEqual({ type: 'error', payload: { errors: [badRequest(MALFORMED_FRAME.notJson)] } });
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await client.nextNonKa()).json).toMatchObject({ type: 'error', payload: { errors: [{ errorType: 'BadRequestException' }] } });
    client.send({ id: 'u1', type: 'subscribe' });
    expect((await client.nextNonKa()).json).toEqual({
      id: 'u1',
      type: 'error',
      payload: { errors: [{ errorType: 'UnsupportedOperation', message: 'subscribe not supported through the realtime channel' }] },
    });
    client.send({ id: 'np', type: 'start' });
    expect((await client.nextNonKa()).json).toMatchObject({ id: 'np', type: 'error', payload: { errors: [{ message: MALFORMED_FRAME.startWithoutPayload }] } });
    client.send({ id: 'obj', type: 'start', payload: { data: { query: 'subscription { onX { id } }' } } });
    expect((await client.nextNonKa()).json).toMatchObject({ id: 'obj', type: 'error', payload: { errors: [{ message: MALFORMED_FRAME.dataNotAString }] } });
    client.send({ type: 'stop', id: 'never-started' }); // ignored
    client.start('after-garbage');
    expect((await client.nextNonKa()).json).toEqual({ type: 'start_ack', id: 'after-garbage' });
    client.ws.close();
  });

  it('a start before connection_init gets an error; init afterwards still works', async () => {
    const client = FrameClient.open(server.realtimeUrl, ['graphql-ws', `header-${base64Url({ Authorization: GOOD_TOKEN })}`], server.certificate);
    await client.opened;
    client.start('early');
    expect((await client.next()).json).toMatchObject({ id: 'early', type: 'error', payload: { errors: [{ errorType: 'BadRequestException' }] } });
    await client.init();
    client.start('early');
    expect((await client.nextNonKa()).json).toEqual({ type: 'start_ack', id: 'early' });
    client.ws.close();
  });

  it('a start pipelined right behind connection_init is answered after the ack', async () => {
    const client = FrameClient.open(server.realtimeUrl, ['graphql-ws', `header-${base64Url({ Authorization: GOOD_TOKEN })}`], server.certificate);
    await client.opened;
    client.send({ type: 'connection_init' });
    client.start('pipelined');
    expect((await client.next()).json.type).toBe('connection_ack');
    expect((await client.next()).json.type).toBe('ka');
    expect((await client.next()).json).toEqual({ type: 'start_ack', id: 'pipelined' });
    client.ws.close();
  });

  it('closing the socket calls backend.connectionClosed once and forgets the connection', async () => {
    const client = await openReadyClient(server);
    client.start('bye');
    expect((await client.nextNonKa()).json.type).toBe('start_ack');
    const connectionId = await connectionIdOf('bye');
    expect(server.realtime.connectionIds()).toContain(connectionId);
    client.ws.close(1000);
    await server.backend.waitFor('closed', server.backend.closedConnections, (id) => id === connectionId);
    expect(server.backend.closedConnections.filter((id) => id === connectionId)).toHaveLength(1);
    expect(server.realtime.connectionIds()).not.toContain(connectionId);
    expect(server.realtime.deliver(connectionId, 'bye', '{"data":{}}')).toBe(false);
  });
});

describe('limits and timers (separate servers)', () => {
  it('a frame over the inbound limit closes the socket with 1009; smaller frames pass', async () => {
    const small = await startTestServer({ maxInboundFrameBytes: 4096 });
    try {
      const client = await openReadyClient(small);
      client.start('fits', `subscription { onX { id } } #${'a'.repeat(1000)}`);
      expect((await client.nextNonKa()).json).toEqual({ type: 'start_ack', id: 'fits' });
      const connectionId = await small.backend.waitFor('start', small.backend.starts).then((start) => start.connectionId);
      client.start('too-big', `subscription { onX { id } } #${'a'.repeat(8192)}`);
      expect((await client.closed).code).toBe(1009);
      await small.backend.waitFor('closed', small.backend.closedConnections, (id) => id === connectionId);
      expect(small.backend.starts.map((start) => start.subscriptionId)).not.toContain('too-big');
    } finally {
      await small.close();
    }
  });

  it('a consumer that stops reading is disconnected with 1008 once its buffer passes the limit', async () => {
    const limit = 256 * 1024;
    const slow = await startTestServer({ maxBufferedBytes: limit });
    try {
      const client = await openReadyClient(slow);
      client.start('firehose');
      expect((await client.nextNonKa()).json.type).toBe('start_ack');
      const connectionId = (await slow.backend.waitFor('start', slow.backend.starts)).connectionId;
      client.ws.pause();
      const payload = serializeDataPayload({ data: { onX: { id: 'x'.repeat(64 * 1024) } } });
      let sent = 0;
      // Bounded: the kernel absorbs a few MB at most before the server's own buffer grows.
      while (slow.realtime.deliver(connectionId, 'firehose', payload)) {
        sent += 1;
        expect(sent).toBeLessThan(20_000);
      }
      expect(sent).toBeGreaterThan(0);
      await slow.backend.waitFor('closed', slow.backend.closedConnections, (id) => id === connectionId);
      expect(slow.realtime.deliver(connectionId, 'firehose', payload)).toBe(false);
      client.ws.resume();
      const closed = await client.closed;
      expect(closed.code).toBe(1008);
      expect(closed.reason).toBe(`Slow consumer: more than ${limit} bytes unsent`);
    } finally {
      await slow.close();
    }
  });

  it('sends ka right after the ack and then every keepAliveIntervalMs', async () => {
    const fast = await startTestServer({ keepAliveIntervalMs: 5, connectionTimeoutMs: 120_000 });
    try {
      const client = FrameClient.open(fast.realtimeUrl, ['graphql-ws', `header-${base64Url({ Authorization: GOOD_TOKEN })}`], fast.certificate);
      await client.opened;
      client.send({ type: 'connection_init' });
      expect((await client.next()).json).toEqual({ type: 'connection_ack', payload: { connectionTimeoutMs: 120000 } });
      expect((await client.next()).raw).toBe('{"type":"ka"}');
      expect((await client.next()).raw).toBe('{"type":"ka"}');
      expect((await client.next()).raw).toBe('{"type":"ka"}');
      client.ws.close();
    } finally {
      await fast.close();
    }
  });

  it('closes a socket that never sends connection_init', async () => {
    const strict = await startTestServer({ connectionInitTimeoutMs: 20 });
    try {
      const client = FrameClient.open(strict.realtimeUrl, ['graphql-ws', `header-${base64Url({ Authorization: GOOD_TOKEN })}`], strict.certificate);
      await client.opened;
      expect(await client.closed).toEqual({ code: 1008, reason: CLOSE_REASONS.initTimeout });
    } finally {
      await strict.close();
    }
  });

  it("authFailure: 'http-401' refuses the upgrade with 401 and x-amzn-ErrorType", async () => {
    const refusing = await startTestServer({ authFailure: 'http-401' });
    try {
      const ws = new WebSocket(refusing.realtimeUrl, ['graphql-ws', `header-${base64Url({ Authorization: 'bad' })}`], { ca: refusing.certificate.ca });
      ws.on('error', () => undefined);
      const [, response] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number; headers: Record<string, string> }];
      expect(response.statusCode).toBe(401);
      expect(response.headers['x-amzn-errortype']).toBe('UnauthorizedException');
      ws.terminate();

      const good = await openReadyClient(refusing);
      expect(refusing.backend.authentications.filter((a) => a.header.Authorization === GOOD_TOKEN)).toHaveLength(1);
      good.ws.close();
    } finally {
      await refusing.close();
    }
  });

  it('logs one line per connection open/close and per start/stop/error through the injected logger', async () => {
    const lines: { level: string; message: string; fields: Record<string, unknown> | undefined }[] = [];
    const record = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push({ level, message, fields });
    const logged = await startTestServer({ logger: { info: record('info'), warn: record('warn'), error: record('error') } });
    try {
      const client = await openReadyClient(logged);
      client.start('l1');
      expect((await client.nextNonKa()).json.type).toBe('start_ack');
      client.send({ type: 'stop', id: 'l1' });
      expect((await client.nextNonKa()).json.type).toBe('complete');
      client.send('nope');
      expect((await client.nextNonKa()).json.type).toBe('error');
      const connectionId = logged.realtime.connectionIds()[0];
      client.ws.close();
      await logged.backend.waitFor('closed', logged.backend.closedConnections);
      const messages = lines.map((line) => line.message);
      expect(messages).toEqual([
        'realtime connection open',
        'realtime connection acknowledged',
        'realtime start',
        'realtime stop',
        'realtime error',
        'realtime connection closed',
      ]);
      expect(lines.every((line) => line.fields?.connectionId === connectionId)).toBe(true);
      expect(JSON.stringify(lines)).not.toContain('Authorization'); // no credentials in logs
    } finally {
      await logged.close();
    }
  });

  it('close() ends every socket with 1001 and refuses new upgrades', async () => {
    const closing = await startTestServer();
    const client = await openReadyClient(closing);
    const closed = client.closed;
    await closing.realtime.close({ graceMs: 5000 });
    expect((await closed).code).toBe(1001);
    closing.https.closeAllConnections();
    await new Promise<void>((done) => closing.https.close(() => done()));
  });
});
