/**
 * One local HTTP endpoint answering what the bundled Amplify Lambdas call at cold start: SSM `GetParameters`
 * (the `AMPLIFY_SSM_ENV_CONFIG` banner) and S3 `GetObject` (`getAmplifyDataClientConfig` reading the model
 * introspection schema). Lambdas reach it through `AWS_ENDPOINT_URL_SSM` / `AWS_ENDPOINT_URL_S3`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendDescription } from '../loader/types';
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
  host?: string;
  port?: number;
  logger?: (line: string) => void;
}

export interface AwsEndpoints {
  url: string;
  /** Serves another backend's parameters and introspection schema from now on (sandbox reload). */
  setDescription(description: BackendDescription): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
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

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startAwsEndpoints(options: AwsEndpointsOptions): Promise<AwsEndpoints> {
  let description = options.description;
  const log = options.logger ?? (() => undefined);
  let startedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  let objects = introspectionObjects(description);
  const store = {
    get(name: string): string | undefined {
      const value = description.ssmParameters?.[name];
      if (value !== undefined && isSynthesizedGraphqlUrl(value, description)) return options.graphqlEndpoint?.() ?? value;
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

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = randomUUID();
    const target = req.headers['x-amz-target'];
    const isSsm = req.method === 'POST' && typeof target === 'string';
    const accessKey = accessKeyOf(req);
    const known = options.accessKeyIds ? new Set(options.accessKeyIds()) : undefined;
    const caller = accessKey ?? 'unsigned';
    if (isSsm) {
      const body = await readBody(req);
      if (body === undefined) return sendJson(res, requestId, ssmError(413, 'ValidationException', 'Request body too large'));
      if (!accessKey) return sendJson(res, requestId, ssmError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token'));
      if (known && !known.has(accessKey)) {
        log(`[aws] SSM ${target} from unknown access key ${accessKey} → UnrecognizedClientException`);
        return sendJson(res, requestId, ssmError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'));
      }
      const response = handleSsm(target, body, store, { region: description.region, accountId: description.accountId, lastModified: startedAt });
      const invalid = (response.body.InvalidParameters as string[] | undefined) ?? [];
      log(`[aws] SSM ${target.replace('AmazonSSM.', '')} (${caller}) → ${response.status}${invalid.length ? ` invalid: ${invalid.join(', ')}` : ''}`);
      return sendJson(res, requestId, response);
    }
    req.resume();
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (!accessKey) return sendS3(res, s3Error(403, 'AccessDenied', 'Access Denied', requestId));
    if (known && !known.has(accessKey)) {
      log(`[aws] S3 ${req.method} ${path} from unknown access key ${accessKey} → InvalidAccessKeyId`);
      return sendS3(res, s3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', requestId, { AWSAccessKeyId: accessKey }));
    }
    const response = handleS3(req.method ?? 'GET', path, objects, requestId, startedAt);
    log(`[aws] S3 ${req.method} ${path} (${caller}) → ${response.status}`);
    return sendS3(res, response);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`[aws] internal error: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InternalServerError', message: 'offline sandbox endpoint failed' }));
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    setDescription(next) {
      description = next;
      objects = introspectionObjects(next);
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
