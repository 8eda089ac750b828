/**
 * REF — the "physical limit" reference (the best fan-out Node achieves on this machine with no GraphQL work): a raw
 * `ws` broadcast server on the same Node, the same `ws`, the same TLS certificate and the same endpoint shapes as the
 * sandbox, with no GraphQL work at all: no parse/validate/execute, no auth, no persistence.
 *
 * - POST /graphql takes the same sendMessage body the sandbox gets; it JSON-parses the body (to find the room),
 *   builds the same SentMessage fields, serializes them ONCE and answers `{"data":{"sendMessage":…}}`.
 * - wss /graphql/realtime speaks just enough of the AppSync protocol: connection_init → connection_ack + ka,
 *   start → start_ack (room = variables.conversationId), stop → complete, ka every 60 s.
 * - Fan-out: one pre-serialized body per event; only the per-subscriber `id` is spliced into the envelope.
 * permessage-deflate off. Run as a child of bench/run.ts.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadOrCreateCertificate } from 'amplify-gen2-offline';
import { runChild, type SystemChild } from './child-runtime';

interface Subscriber {
  ws: WebSocket;
  id: string;
}

const KA = '{"type":"ka"}';

async function start(): Promise<SystemChild> {
  const tlsDirectory = process.env['BENCH_TLS_DIR'];
  if (!tlsDirectory) throw new Error('BENCH_TLS_DIR is not set');
  const tls = await loadOrCreateCertificate(tlsDirectory);
  const rooms = new Map<string, Set<Subscriber>>();
  let published = 0;
  let delivered = 0;

  const publish = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let input: { conversationId?: string; content?: string; messageType?: string; clientMessageId?: string | null };
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables?: { input?: typeof input } };
        input = body.variables?.input ?? {};
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"bad body"}]}');
        return;
      }
      const id = randomUUID();
      const message = JSON.stringify({
        messageId: id,
        id,
        conversationId: input.conversationId,
        userId: 'ref-user',
        sender: 'ref-user',
        content: input.content,
        messageType: input.messageType ?? 'TEXT',
        clientMessageId: input.clientMessageId ?? null,
        createdAt: new Date().toISOString(),
      });
      published += 1;
      const room = rooms.get(input.conversationId ?? '');
      if (room) {
        const tail = `","payload":{"data":{"onMessageSent":${message}}}}`;
        for (const subscriber of room) {
          subscriber.ws.send(`{"type":"data","id":"${subscriber.id}${tail}`);
          delivered += 1;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"data":{"sendMessage":${message}}}`);
    });
  };

  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/graphql')) publish(req, res);
    else res.writeHead(404).end();
  });
  server.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({
    server,
    path: '/graphql/realtime',
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has('graphql-ws') ? 'graphql-ws' : false),
  });
  wss.on('connection', (ws) => {
    const mine = new Map<string, { members: Set<Subscriber>; subscriber: Subscriber }>();
    let keepAlive: NodeJS.Timeout | undefined;
    ws.on('message', (data: Buffer) => {
      let message: { type?: string; id?: string; payload?: { data?: string } };
      try {
        message = JSON.parse(data.toString('utf8')) as typeof message;
      } catch {
        return;
      }
      if (message.type === 'connection_init') {
        ws.send('{"type":"connection_ack","payload":{"connectionTimeoutMs":300000}}');
        ws.send(KA);
        keepAlive = setInterval(() => ws.send(KA), 60_000);
      } else if (message.type === 'start' && message.id) {
        let room = '';
        try {
          const request = JSON.parse(message.payload?.data ?? '{}') as { variables?: { conversationId?: string } };
          room = request.variables?.conversationId ?? '';
        } catch {
          // an unparsable start joins no room
        }
        let members = rooms.get(room);
        if (!members) rooms.set(room, (members = new Set()));
        const subscriber = { ws, id: message.id };
        members.add(subscriber);
        const previous = mine.get(message.id);
        previous?.members.delete(previous.subscriber);
        mine.set(message.id, { members, subscriber });
        ws.send(`{"type":"start_ack","id":"${message.id}"}`);
      } else if (message.type === 'stop' && message.id) {
        const entry = mine.get(message.id);
        entry?.members.delete(entry.subscriber);
        mine.delete(message.id);
        ws.send(`{"type":"complete","id":"${message.id}"}`);
      }
    });
    ws.on('close', () => {
      clearInterval(keepAlive);
      for (const { members, subscriber } of mine.values()) members.delete(subscriber);
    });
    ws.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    async setup(request) {
      const conversationIds = Array.from({ length: request.conversations }, (_, index) => `ref-conversation-${index}`);
      return {
        graphqlUrl: `https://127.0.0.1:${port}/graphql`,
        realtimeUrl: `wss://127.0.0.1:${port}/graphql/realtime`,
        publishPath: 'raw',
        conversationIds,
        tokens: conversationIds.map(() => ['ref-token']),
        subscription: 'onMessageSent',
        notes: ['raw ws reference: no GraphQL, no auth, no persistence; same TLS and endpoint shapes'],
      };
    },
    counters: () => ({ published, delivered }),
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

runChild(start);
