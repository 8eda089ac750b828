/**
 * One local HTTP endpoint answering what the bundled Amplify Lambdas call at cold start: SSM `GetParameters`
 * (the `AMPLIFY_SSM_ENV_CONFIG` banner) and S3 `GetObject` (`getAmplifyDataClientConfig` reading the model
 * introspection schema). Lambdas reach it through `AWS_ENDPOINT_URL_SSM` / `AWS_ENDPOINT_URL_S3`.
 *
 * With `dynamoDbEndpoint`, it is also the functions' DynamoDB endpoint (`AWS_ENDPOINT_URL_DYNAMODB`): each request is
 * authorized against the calling function's execution role policy (dynamodb-proxy.ts, offline/iam/) and, when allowed,
 * handed to dynalite byte for byte in this process (LocalDynamoDb.serve), which writes its answer on the response.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { BackendDescription, LambdaDescription } from '../loader/index.js';
import { listen } from '../sandbox/http-server.js';
import type { LineLogger } from '../sandbox/log';
import { checkTransactionRequest, type LocalDynamoDb } from '../dynamodb/index.js';
import {
  DYNAMODB_MISSING_AUTHENTICATION_TOKEN,
  DYNAMODB_REQUEST_TOO_LARGE,
  ENDPOINT_FAILED,
  INVALID_SECURITY_TOKEN,
  MISSING_AUTHENTICATION_TOKEN,
  NOT_A_STRUCTURE,
  S3_ACCESS_DENIED,
  S3_INVALID_ACCESS_KEY_ID,
  SSM_REQUEST_TOO_LARGE,
} from '../errors';
import { functionCredentials } from './credentials';
import { accessDenied, DYNAMODB_CONTENT_TYPE, DYNAMODB_TARGET_PREFIX, dynamoDbAuthorizations, dynamoDbError } from './dynamodb-proxy';
import { evaluateAll } from '../iam/index.js';
import { localBucketName } from '../s3/bucket-names.js';
import { handleS3, s3Error, type S3Objects, type S3Response } from './s3';
import { handleSsm, ssmError, type JsonResponse } from './ssm';

export interface AwsEndpointsOptions {
  description: BackendDescription;
  /**
   * The URL Lambdas should use for the GraphQL API (the AppSync server's `internalUrl`). Read on every request, so the
   * endpoint can start before the AppSync server; until it returns a value the synthesized (unreachable) URL is served.
   */
  graphqlEndpoint?: () => string | undefined;
  /** Access key ids accepted (signatures are not verified). Omit to accept any signed request. */
  accessKeyIds?: () => Iterable<string>;
  /**
   * The local DynamoDB (dynalite). When set, DynamoDB JSON requests (`X-Amz-Target: DynamoDB_20120810.*`) from an
   * app function's access key are authorized against its role policy and then answered by it, in this process;
   * otherwise they are unknown operations.
   */
  dynamoDb?: Pick<LocalDynamoDb, 'serve'>;
  host?: string;
  port?: number;
  /** Each request at `debug`; refusals (unknown key, denied by the role policy) at `warn`; failures at `error`. */
  logger?: LineLogger;
}

export interface AwsEndpoints {
  url: string;
  /** Serves another backend's parameters and introspection schema from now on (sandbox reload). */
  setDescription(description: BackendDescription): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
/** DynamoDB's own limit on a request (BatchWriteItem of 25 items of 400 KB stays well under it). */
const MAX_DYNAMODB_BODY_BYTES = 16 * 1024 * 1024;
/** Per-connection headers (RFC 9110, section 7.6.1): not forwarded to the local DynamoDB. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authenticate', 'proxy-authorization']);
const INTROSPECTION_BUCKET_SUFFIX = '_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME';
const INTROSPECTION_KEY_SUFFIX = '_MODEL_INTROSPECTION_SCHEMA_KEY';

/** The S3 objects named by the SSM parameters: the model introspection schema at every bucket/key pair. */
export function introspectionObjects(description: BackendDescription): S3Objects {
  const objects: S3Objects = new Map();
  const parameters = description.ssmParameters ?? {};
  const body = Buffer.from(JSON.stringify(description.modelIntrospection));
  for (const [name, bucket] of Object.entries(parameters)) {
    if (!name.endsWith(INTROSPECTION_BUCKET_SUFFIX)) continue;
    const key = parameters[name.slice(0, -INTROSPECTION_BUCKET_SUFFIX.length) + INTROSPECTION_KEY_SUFFIX];
    if (key === undefined) continue;
    if (!objects.has(bucket)) objects.set(bucket, new Map());
    objects.get(bucket)!.set(key, { body, contentType: 'application/json' });
  }
  return objects;
}

/** The synthesized AppSync URL (`https://<apiId>.appsync-api.<region>.amazonaws.com/graphql`) — replaced locally. */
function isSynthesizedGraphqlUrl(value: string, description: BackendDescription): boolean {
  return value.startsWith(`https://${description.api.id}.appsync-api.`);
}

function accessKeyOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  return /Credential=([^/,\s]+)\//.exec(header)?.[1];
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  return (await readRawBody(req, MAX_BODY_BYTES))?.toString('utf8');
}

function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** App functions by their access key id (credentials.ts). */
function functionsByAccessKey(description: BackendDescription): Map<string, LambdaDescription> {
  const map = new Map<string, LambdaDescription>();
  for (const fn of description.lambdas) {
    if (fn.appFunction) map.set(functionCredentials(fn.name, description.accountId).accessKeyId, fn);
  }
  return map;
}

export async function startAwsEndpoints(options: AwsEndpointsOptions): Promise<AwsEndpoints> {
  let description = options.description;
  const log: LineLogger = options.logger ?? (() => undefined);
  let startedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  let objects = introspectionObjects(description);
  // Built on the first DynamoDB request (and again after setDescription).
  let functions: Map<string, LambdaDescription> | undefined;
  const store = {
    get(name: string): string | undefined {
      const value = description.ssmParameters?.[name];
      if (value !== undefined && isSynthesizedGraphqlUrl(value, description)) return options.graphqlEndpoint?.() ?? value;
      // A bucket's name (`<NAME>_BUCKET_NAME` of a function with storage access): the name the storage endpoint serves.
      if (value !== undefined && description.buckets?.some((bucket) => bucket.name === value)) return localBucketName(value);
      return value;
    },
  };

  const sendJson = (res: ServerResponse, requestId: string, response: JsonResponse) => {
    res.writeHead(response.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId });
    res.end(JSON.stringify(response.body));
  };
  const sendS3 = (res: ServerResponse, response: S3Response) => {
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  };

  const sendDynamoDb = (res: ServerResponse, requestId: string, response: JsonResponse) => {
    const type = String(response.body['__type']).split('#').pop() ?? '';
    res.writeHead(response.status, { 'content-type': DYNAMODB_CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': type });
    res.end(JSON.stringify(response.body));
  };

  /** DynamoDB JSON: authorize against the calling function's role policy, then pass the request to dynalite as is. */
  const handleDynamoDb = async (req: IncomingMessage, res: ServerResponse, requestId: string, operation: string, dynamoDb: Pick<LocalDynamoDb, 'serve'>, accessKey: string | undefined, known: Set<string> | undefined) => {
    const body = await readRawBody(req, MAX_DYNAMODB_BODY_BYTES);
    if (body === undefined) return sendDynamoDb(res, requestId, dynamoDbError(413, DYNAMODB_REQUEST_TOO_LARGE.errorType, DYNAMODB_REQUEST_TOO_LARGE.message));
    if (!accessKey) return sendDynamoDb(res, requestId, dynamoDbError(400, DYNAMODB_MISSING_AUTHENTICATION_TOKEN.errorType, DYNAMODB_MISSING_AUTHENTICATION_TOKEN.message));
    functions ??= functionsByAccessKey(description);
    const fn = functions.get(accessKey);
    if (!fn || (known && !known.has(accessKey))) {
      log(`[aws] DynamoDB ${operation} from unknown access key ${accessKey} → UnrecognizedClientException`, 'warn');
      return sendDynamoDb(res, requestId, dynamoDbError(400, INVALID_SECURITY_TOKEN.errorType, INVALID_SECURITY_TOKEN.message));
    }
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      return sendDynamoDb(res, requestId, dynamoDbError(400, NOT_A_STRUCTURE.errorType, NOT_A_STRUCTURE.message));
    }
    if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
      // A malformed transaction (no or several operations in an action, too many actions, …) cannot be authorized action
      // by action; DynamoDB refuses it as a ValidationException, and so does the local DynamoDB: answer that here.
      const checked = checkTransactionRequest(operation, input);
      if ('failure' in checked) {
        log(`[aws] DynamoDB ${operation} (${fn.name}) → ${String(checked.failure.body.__type).split('#').pop()}`, 'debug');
        return sendDynamoDb(res, requestId, { status: checked.failure.statusCode, body: checked.failure.body });
      }
    }
    const verdict = evaluateAll(fn.policy, dynamoDbAuthorizations(operation, input, description.region, description.accountId));
    if (!verdict.allowed) {
      const roleName = fn.policy?.roleName ?? `${fn.name}-role`;
      const principal = `arn:aws:sts::${description.accountId}:assumed-role/${roleName}/${fn.name}`;
      log(`[aws] DynamoDB ${operation} (${fn.name}) on ${verdict.request.resource ?? '*'} → AccessDeniedException (${verdict.decision.reason} deny of ${verdict.request.action})`, 'warn');
      return sendDynamoDb(res, requestId, accessDenied(principal, verdict.request, verdict.decision.reason));
    }
    // The request (method, path, end-to-end headers, the exact body bytes) to dynalite, which answers on `res`.
    const headers: IncomingMessage['headers'] = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
    if (!dynamoDb.serve({ method: req.method ?? 'POST', url: req.url ?? '/', headers, body }, res)) {
      log(`[aws] DynamoDB ${operation} (${fn.name}): the local DynamoDB is closed`, 'error');
      sendDynamoDb(res, requestId, dynamoDbError(500, 'InternalServerError', 'offline sandbox: the local DynamoDB did not answer'));
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const target = req.headers['x-amz-target'];
    const isSsm = req.method === 'POST' && typeof target === 'string';
    const accessKey = accessKeyOf(req);
    const known = options.accessKeyIds ? new Set(options.accessKeyIds()) : undefined;
    const caller = accessKey ?? 'unsigned';
    if (isSsm && options.dynamoDb && target.startsWith(DYNAMODB_TARGET_PREFIX)) {
      return handleDynamoDb(req, res, requestId, target.slice(DYNAMODB_TARGET_PREFIX.length), options.dynamoDb, accessKey, known);
    }
    if (isSsm) {
      const body = await readBody(req);
      if (body === undefined) return sendJson(res, requestId, ssmError(413, SSM_REQUEST_TOO_LARGE.errorType, SSM_REQUEST_TOO_LARGE.message));
      if (!accessKey) return sendJson(res, requestId, ssmError(400, MISSING_AUTHENTICATION_TOKEN.errorType, MISSING_AUTHENTICATION_TOKEN.message));
      if (known && !known.has(accessKey)) {
        log(`[aws] SSM ${target} from unknown access key ${accessKey} → UnrecognizedClientException`, 'warn');
        return sendJson(res, requestId, ssmError(400, INVALID_SECURITY_TOKEN.errorType, INVALID_SECURITY_TOKEN.message));
      }
      const response = handleSsm(target, body, store, { region: description.region, accountId: description.accountId, lastModified: startedAt });
      const invalid = (response.body.InvalidParameters as string[] | undefined) ?? [];
      log(`[aws] SSM ${target.replace('AmazonSSM.', '')} (${caller}) → ${response.status}${invalid.length ? ` invalid: ${invalid.join(', ')}` : ''}`, 'debug');
      return sendJson(res, requestId, response);
    }
    req.resume();
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (!accessKey) return sendS3(res, s3Error(403, S3_ACCESS_DENIED.errorType, S3_ACCESS_DENIED.message, requestId));
    if (known && !known.has(accessKey)) {
      log(`[aws] S3 ${req.method} ${path} from unknown access key ${accessKey} → InvalidAccessKeyId`, 'warn');
      return sendS3(res, s3Error(403, S3_INVALID_ACCESS_KEY_ID.errorType, S3_INVALID_ACCESS_KEY_ID.message, requestId, { AWSAccessKeyId: accessKey }));
    }
    const response = handleS3(req.method ?? 'GET', path, objects, requestId, startedAt);
    log(`[aws] S3 ${req.method} ${path} (${caller}) → ${response.status}`, 'debug');
    return sendS3(res, response);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`[aws] internal error: ${String(error)}`, 'error');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: ENDPOINT_FAILED.errorType, message: ENDPOINT_FAILED.message }));
    });
  });
  // As for dynalite (offline/dynamodb/server.ts): let the functions' SDK clients decide when an idle keep-alive socket
  // ends, so a server-side idle timeout never races a client reusing it (ECONNRESET). close() ends all connections.
  server.keepAliveTimeout = 0;
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    setDescription(next) {
      description = next;
      objects = introspectionObjects(next);
      functions = undefined;
      startedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
