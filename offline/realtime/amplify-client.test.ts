/**
 * End to end with the real client: aws-amplify 6.22.1 `generateClient().graphql(...).subscribe()` in
 * Node against the transport. Amplify builds `new WebSocket(url, protocols)` from the global (Node 20
 * has none), so the test installs `ws` with the sandbox CA injected — the only test-side shim.
 * (Production Node code trusts the CA through NODE_EXTRA_CA_CERTS instead; see offline/tls/README.md.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket, type ClientOptions } from 'ws';
import { GOOD_TOKEN, deferred, startTestServer, type TestServer } from '../../tests/helpers/realtime-server';
import { serializeDataPayload } from './protocol-messages';

let server: TestServer;
const originalWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;

beforeAll(async () => {
  server = await startTestServer();
  const ca = server.certificate.ca;
  class TrustingWebSocket extends NodeWebSocket {
    constructor(url: string | URL, protocols?: string | string[], options?: ClientOptions) {
      super(url, protocols, { ...options, ca });
    }
  }
  (globalThis as { WebSocket?: unknown }).WebSocket = TrustingWebSocket;
});

afterAll(async () => {
  (globalThis as { WebSocket?: unknown }).WebSocket = originalWebSocket;
  await server.close();
});

it('aws-amplify subscribes over wss://…/graphql/realtime with the header- subprotocol and receives delivered data', async () => {
  const { Amplify } = await import('aws-amplify');
  const { generateClient } = await import('aws-amplify/api');
  Amplify.configure({ API: { GraphQL: { endpoint: server.graphqlUrl, region: 'us-east-1', defaultAuthMode: 'lambda' } } });
  const client = generateClient();

  const received = deferred<unknown>();
  const failed = deferred<unknown>();
  const observable = client.graphql({ query: 'subscription OnX { onX { id text } }', authToken: GOOD_TOKEN }) as unknown as {
    subscribe(observer: { next: (value: unknown) => void; error: (error: unknown) => void }): { unsubscribe(): void };
  };
  const subscription = observable.subscribe({ next: received.resolve, error: failed.resolve });

  const start = await Promise.race([
    server.backend.waitFor('start', server.backend.starts),
    failed.promise.then((error) => Promise.reject(new Error(`subscription failed: ${JSON.stringify(error)}`))),
  ]);

  // Handshake came as Form B: the header object Amplify built from the endpoint and the lambda token.
  const handshake = server.backend.authentications.find((a) => a.request.connectionId === start.connectionId);
  expect(handshake?.header).toEqual({ Authorization: GOOD_TOKEN, host: `127.0.0.1:${server.port}` });
  expect(handshake?.request.url).toBe('/graphql/realtime');
  expect(start.authorization).toMatchObject({ Authorization: GOOD_TOKEN, host: `127.0.0.1:${server.port}` });
  expect(start.authorization['x-amz-user-agent']).toMatch(/aws-amplify/);
  expect(start.query).toContain('onX');

  // The stub's startSubscription settles in microtasks; one macrotask later the transport has sent start_ack
  // and accepts deliveries for the id (deliver returns false before that).
  await new Promise((done) => setImmediate(done));
  const payload = serializeDataPayload({ data: { onX: { id: 'm1', text: 'hello' } } });
  expect(server.realtime.deliver(start.connectionId, start.subscriptionId, payload)).toBe(true);

  expect(await Promise.race([received.promise, failed.promise.then((error) => ({ failed: error }))])).toEqual({
    data: { onX: { id: 'm1', text: 'hello' } },
  });

  subscription.unsubscribe();
  await server.backend.waitFor('stop', server.backend.stops, (stop) => stop.subscriptionId === start.subscriptionId);
  // Amplify closes the socket once no subscription remains.
  await server.backend.waitFor('closed', server.backend.closedConnections, (id) => id === start.connectionId);
});
