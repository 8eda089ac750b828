/**
 * Test scaffolding for the AppSync emulator: the real synthesized backend (cdk.out), in-memory dynalite, an
 * in-memory Cognito pool minting real tokens, the local CA, a SigV4 signer (the SDK's own @smithy/signature-v4, so
 * the server's verifier is checked against an independent implementation) and a raw `ws` real-time client that
 * reads frames in order. Synchronisation is by frames and responses, never by sleeping.
 *
 * With `{ functions: true }` the app's Lambda functions run too, wired as the sandbox wires them (offline/sandbox/start-sandbox.ts):
 * their bundles from cdk.out in the LambdaRunner, each with its own IAM key, SSM/S3 and their direct DynamoDB calls
 * on the aws-endpoints server (role policy checked, then dynalite), their GraphQL calls on the internal endpoint.
 * The pool calls no trigger either way: the users A, B, C have no UserProfile unless a test creates one.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { credentialsByAccessKey, lambdaEnvironment, startAwsEndpoints, type AwsEndpoints } from '../../offline/aws-endpoints/index.js';
import { CLIENT_ID, chatPoolDescription, createConfirmedUser, signInTokens } from './cognito-pool.js';
import { createUserPool, type UserPool } from '../../offline/cognito/index.js';
import { ensureTables, startDynamoDb, type LocalDynamoDb } from '../../offline/dynamodb/index.js';
import { LambdaRunner } from '../../offline/lambda/runner.js';
import { loadCdkOut } from '../../offline/loader/load-cdk-out.js';
import type { BackendDescription, RolePolicyDescription } from '../../offline/loader/types.js';
import { loadOrCreateCertificate } from '../../offline/tls/certificate.js';
import type { IamCredential } from '../../offline/appsync/auth/index.js';
import { startAppSyncServer, type AppSyncServer } from '../../offline/appsync/server.js';

export const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');
export const IAM_KEY = { accessKeyId: 'AKIAOFFLINETEST00001', secretAccessKey: 'offline-test-secret', principal: 'arn:aws:sts::123456789012:assumed-role/message-processor-role/message-processor' };

export interface TestUser {
  sub: string;
  token: string;
}

export interface Harness {
  description: BackendDescription;
  server: AppSyncServer;
  ca: string;
  pool: UserPool;
  users: { A: TestUser; B: TestUser; C: TestUser };
  logs: string[];
  close(): Promise<void>;
}

/** What startHarness gives on top: the local DynamoDB, for direct reads and writes next to the server's. */
export interface StartedHarness extends Harness {
  /** The sandbox's own client of the local DynamoDB (what the AppSync data sources use). */
  dynamodb: DynamoDBClient;
  /** The physical name of a model's table (`Conversation-<api id>-NONE`). */
  tableOf(model: string): string;
}

export interface HarnessOptions {
  /** Run the app's Lambda functions as the sandbox does (default: none; a Lambda data source then fails). */
  functions?: boolean;
  /** An identity policy for IAM_KEY (default: none, so its `appsync:GraphQL` access is not evaluated). */
  iamKeyPolicy?: RolePolicyDescription;
}

export async function startHarness(options: HarnessOptions = {}): Promise<StartedHarness> {
  const description = loadCdkOut(CDK_OUT);
  const dynamo: LocalDynamoDb = await startDynamoDb();
  await ensureTables(dynamo.client, description.tables);
  const tableOf = (model: string): string => {
    const table = description.tables.find((t) => t.model === model);
    if (!table) throw new Error(`no table of model ${model} in ${CDK_OUT}`);
    return table.name;
  };
  const pool = await createUserPool({ description: chatPoolDescription(), issuerBaseUrl: 'http://127.0.0.1:9229' });
  const users = {} as Harness['users'];
  for (const name of ['A', 'B', 'C'] as const) {
    const email = `${name.toLowerCase()}@example.com`;
    const sub = await createConfirmedUser(pool, email, 'Passw0rdOK');
    users[name] = { sub, token: (await signInTokens(pool, email, 'Passw0rdOK')).AccessToken };
  }
  const certificate = await loadOrCreateCertificate(await mkdtemp(join(tmpdir(), 'appsync-tls-')));
  const logs: string[] = [];
  const logger = (line: string) => logs.push(line);
  const iamCredentials = new Map<string, IamCredential>([
    [IAM_KEY.accessKeyId, { secretAccessKey: IAM_KEY.secretAccessKey, principal: IAM_KEY.principal, ...(options.iamKeyPolicy ? { policy: options.iamKeyPolicy } : {}) }],
  ]);
  // Filled in once the server listens; the functions read the GraphQL URL at cold start, after that.
  const appsync: { server?: AppSyncServer } = {};
  let endpoints: AwsEndpoints | undefined;
  let scratchDirectory: string | undefined;
  let lambdas: LambdaRunner;
  if (options.functions) {
    const functionKeys = credentialsByAccessKey(description.lambdas, description.accountId);
    for (const [key, value] of functionKeys) iamCredentials.set(key, value);
    endpoints = await startAwsEndpoints({
      description,
      host: '127.0.0.1',
      graphqlEndpoint: () => appsync.server?.internalUrl,
      accessKeyIds: () => functionKeys.keys(),
      dynamoDb: dynamo,
      logger,
    });
    const scratch = (scratchDirectory = await mkdtemp(join(tmpdir(), 'appsync-lambda-')));
    const endpointUrl = endpoints.url;
    lambdas = new LambdaRunner(
      description.lambdas.filter((fn) => fn.appFunction),
      { environment: (fn) => lambdaEnvironment(fn, { endpointUrl, dynamoDbEndpointUrl: endpointUrl, accountId: description.accountId, scratchDirectory: scratch }), logger },
    );
  } else {
    lambdas = new LambdaRunner([]);
  }
  const running = await startAppSyncServer({
    description,
    dynamodb: dynamo.client,
    lambdas,
    verifyUserPoolToken: (token) => pool.verifyUserPoolToken(token),
    iamCredentials,
    tls: { key: certificate.key, cert: certificate.cert },
    logger,
  });
  appsync.server = running;
  return {
    description,
    server: running,
    ca: certificate.ca,
    pool,
    users,
    dynamodb: dynamo.client,
    tableOf,
    logs,
    async close() {
      await running.close();
      await lambdas.close();
      await endpoints?.close();
      pool.close();
      await dynamo.close();
      if (scratchDirectory) await rm(scratchDirectory, { recursive: true, force: true });
    },
  };
}

export { CLIENT_ID };

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: { data?: Record<string, unknown> | null; errors?: Record<string, unknown>[] };
}

export function rawPost(url: string, body: string | Buffer, headers: Record<string, string>, ca: string, method = 'POST'): Promise<HttpAnswer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: HttpAnswer['json'];
        try {
          json = text ? (JSON.parse(text) as HttpAnswer['json']) : {};
        } catch {
          json = {};
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function graphqlAs(h: Harness, token: string, query: string, variables?: Record<string, unknown>): Promise<HttpAnswer> {
  return rawPost(h.server.url, JSON.stringify({ query, variables }), { 'content-type': 'application/json', authorization: token }, h.ca);
}

/** SigV4-signs (service appsync) with the SDK's signer and posts. */
export async function graphqlIam(h: Harness, query: string, variables?: Record<string, unknown>, key = IAM_KEY, url = h.server.url): Promise<HttpAnswer> {
  const body = JSON.stringify({ query, variables });
  const target = new URL(url);
  const signer = new SignatureV4({ credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }, region: 'us-east-1', service: 'appsync', sha256: Sha256 });
  const signed = await signer.sign({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query: {},
    headers: { host: target.host, 'content-type': 'application/json' },
    body,
  });
  return rawPost(url, body, signed.headers, h.ca);
}

export type Frame = { type: string; id?: string; payload?: Record<string, unknown> };

/** A raw AppSync real-time client (Form B handshake) that reads frames in order. */
export class RealtimeClient {
  private readonly frames: Frame[] = [];
  private readonly waiters: ((frame: Frame) => void)[] = [];
  private constructor(
    readonly socket: WebSocket,
    private readonly header: Record<string, unknown>,
  ) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.type === 'ka') return;
      const waiter = this.waiters.shift();
      if (waiter) waiter(frame);
      else this.frames.push(frame);
    });
  }

  static async connect(h: Harness, header: Record<string, unknown>): Promise<RealtimeClient> {
    const encoded = Buffer.from(JSON.stringify(header)).toString('base64url');
    const socket = new WebSocket(h.server.realtimeUrl, ['graphql-ws', `header-${encoded}`], { ca: h.ca });
    const client = new RealtimeClient(socket, header);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'connection_init' }));
    return client;
  }

  static userHeader(h: Harness, token: string): Record<string, unknown> {
    return { Authorization: token, host: new URL(h.server.url).host };
  }

  next(): Promise<Frame> {
    const frame = this.frames.shift();
    if (frame) return Promise.resolve(frame);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Sends `start` and returns the answer frame (start_ack or error). */
  async start(id: string, query: string, variables?: Record<string, unknown>, authorization = this.header): Promise<Frame> {
    this.socket.send(JSON.stringify({ id, type: 'start', payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } } }));
    return this.next();
  }

  close(): void {
    this.socket.close();
  }
}
