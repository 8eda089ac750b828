/**
 * The real `post-confirmation` bundle from cdk.out, run through the LambdaRunner with the sandbox's environment: its
 * SSM banner and getAmplifyDataClientConfig must reach this endpoint (GetParameters, then GetObject, path style), and
 * its GraphQL call must go to the endpoint served in SSM, signed with the function's own credentials.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaInvocationError, LambdaRunner } from '../lambda/runner';
import { loadCdkOut } from '../loader/load-cdk-out';
import { credentialsByAccessKey, functionCredentials, lambdaEnvironment } from './credentials';
import { startAwsEndpoints, type AwsEndpoints } from './server';

const description = loadCdkOut(join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out'));
const FUNCTION = 'post-confirmation';

describe('a real Lambda bundle against the local SSM + S3 endpoint', () => {
  const log: string[] = [];
  const graphqlRequests: { headers: IncomingHttpHeaders; body: string }[] = [];
  const graphql = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      graphqlRequests.push({ headers: req.headers, body });
      // A resolver-level error (HTTP 200), so the function reports AppSync's own error text.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: null, errors: [{ errorType: 'Unauthorized', message: 'offline test: AppSync reached' }] }));
    });
  });
  let endpoints: AwsEndpoints;
  let runner: LambdaRunner;
  let scratch: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'aws-endpoints-'));
    await new Promise<void>((resolve) => graphql.listen(0, '127.0.0.1', resolve));
    const graphqlUrl = `http://127.0.0.1:${(graphql.address() as AddressInfo).port}/graphql`;
    const keys = credentialsByAccessKey(description.lambdas, description.accountId);
    endpoints = await startAwsEndpoints({
      description,
      graphqlEndpoint: () => graphqlUrl,
      accessKeyIds: () => keys.keys(),
      logger: (line) => log.push(line),
    });
    runner = new LambdaRunner(description.lambdas, {
      environment: (fn) => lambdaEnvironment(fn, { endpointUrl: endpoints.url, accountId: description.accountId, scratchDirectory: scratch }),
      logger: (line) => log.push(line),
    });
  });

  afterAll(async () => {
    await runner?.close();
    await endpoints?.close();
    await new Promise<void>((resolve) => graphql.close(() => resolve()));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('fetches its SSM parameters and the introspection schema locally, then calls the served GraphQL URL', async () => {
    const event = {
      version: '1',
      region: 'us-east-1',
      userPoolId: description.userPool.id,
      userName: '0b7c5f2e-1111-4222-8333-944445555666',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: description.userPool.clients[0]!.id },
      request: { userAttributes: { sub: '0b7c5f2e-1111-4222-8333-944445555666', email: 'ada@example.com', email_verified: 'true' } },
      response: {},
    };
    const failure = await runner.invoke(FUNCTION, event).then(
      () => undefined,
      (error: unknown) => error,
    );

    const ssmLines = log.filter((line) => line.startsWith('[aws] SSM GetParameters'));
    const s3Lines = log.filter((line) => line.startsWith('[aws] S3 GET'));
    const { accessKeyId } = functionCredentials(FUNCTION, description.accountId);
    expect(ssmLines).toEqual([`[aws] SSM GetParameters (${accessKeyId}) → 200`]);
    const introspectionBucket = Object.entries(description.ssmParameters ?? {}).find(([name]) => name.endsWith('_SCHEMA_BUCKET_NAME'))![1];
    expect(s3Lines).toEqual([`[aws] S3 GET /${introspectionBucket}/modelIntrospectionSchema.json (${accessKeyId}) → 200`]);

    // The GraphQL call reached the URL served through SSM, SigV4-signed with this function's key for appsync.
    expect(graphqlRequests).toHaveLength(1);
    expect(graphqlRequests[0]!.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${accessKeyId}/\\d{8}/us-east-1/appsync/aws4_request`));
    expect(graphqlRequests[0]!.body).toContain('createUserProfile');

    // …and the invocation failed because of what "AppSync" answered, not because of SSM, S3 or credentials.
    expect(failure).toBeInstanceOf(LambdaInvocationError);
    const message = (failure as LambdaInvocationError).message;
    expect(message).toBe('CreateUserProfile failed: Unauthorized: offline test: AppSync reached');
    expect(message).not.toMatch(/SSM|S3|credential|NoSuchKey|NoSuchBucket/i);
  });
});
