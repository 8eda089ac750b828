/** The HTTP surface: AWS JSON 1.1 framing, AWS error shapes, CORS, admin authorization, hostile input. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserPool, type UserPool } from './pool.js';
import { startCognitoServer, type RunningCognitoServer } from './server.js';
import { CLIENT_ID, chatPoolDescription, memoryLogger, POOL_ID } from '../../tests/helpers/cognito-pool.js';
import { flowNotEnabled, missingAuthenticationToken, MUST_NOT_BE_NULL, userPoolClientNotFound, validationError } from '../errors.js';

let pool: UserPool;
let server: RunningCognitoServer;

async function post(target: string | undefined, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      ...(target === undefined ? {} : { 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` }),
      ...headers,
    },
    body,
  });
}

/** The JSON body of a response. */
async function jsonOf(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  pool = await createUserPool({ description: chatPoolDescription(), logger: memoryLogger() });
  server = await startCognitoServer({ pool });
});

afterAll(async () => {
  await server.close();
});

describe('Cognito HTTP server', () => {
  it('answers errors in AWS shape: 400, __type + message, x-amzn-ErrorType', async () => {
    const res = await post('SignUp', JSON.stringify({ ClientId: 'nosuchclient', Username: 'a@example.com', Password: 'Abcdefg1' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-errortype')).toMatch(/^ResourceNotFoundException/);
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await jsonOf(res)).toEqual(userPoolClientNotFound('nosuchclient').toJSON());
  });

  it('reports a missing member as the AWS validation error', async () => {
    const res = await post('SignUp', JSON.stringify({ Username: 'a@example.com', Password: 'Abcdefg1' }));
    expect(await jsonOf(res)).toEqual({
      __type: 'InvalidParameterException',
      message: validationError('clientId', MUST_NOT_BE_NULL).message,
    });
  });

  it('malformed JSON, wrong types, unknown or missing targets and odd content types are 400s', async () => {
    const malformed = await post('SignUp', '{"ClientId":');
    expect(malformed.status).toBe(400);
    expect((await jsonOf(malformed)).__type).toBe('SerializationException');

    const wrongType = await post('SignUp', JSON.stringify({ ClientId: 42 }));
    expect((await jsonOf(wrongType)).__type).toBe('SerializationException');

    const notObject = await post('SignUp', '[1,2]');
    expect((await jsonOf(notObject)).__type).toBe('SerializationException');

    const unknown = await post('HackThePlanet', '{}');
    expect(unknown.status).toBe(400);
    expect((await jsonOf(unknown)).__type).toBe('UnknownOperationException');

    const inherited = await post('constructor', '{}');
    expect((await jsonOf(inherited)).__type).toBe('UnknownOperationException');

    const missing = await post(undefined, '{}');
    expect((await jsonOf(missing)).__type).toBe('UnknownOperationException');

    const text = await post('SignUp', '{}', { 'content-type': 'text/plain' });
    expect(text.status).toBe(400);
    expect((await jsonOf(text)).__type).toBe('SerializationException');
  });

  it('rejects bodies over 1 MiB with a 400 and keeps serving', async () => {
    const huge = JSON.stringify({ ClientId: CLIENT_ID, Username: 'x'.repeat(1024 * 1024 + 10) });
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.url);
      const req = request(
        { host: url.hostname, port: url.port, method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      // Chunked (no content-length): the limit is enforced while reading.
      req.write(huge.slice(0, 600_000));
      req.end(huge.slice(600_000));
    });
    expect(status).toBe(400);
    const after = await post('SignUp', JSON.stringify({ ClientId: 'nosuchclient', Username: 'a@example.com', Password: 'Abcdefg1' }));
    expect(after.status).toBe(400);
    expect((await jsonOf(after)).__type).toBe('ResourceNotFoundException');
  });

  it('answers CORS preflight for the headers aws-amplify sends, but not Authorization', async () => {
    const res = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-amz-target,x-amz-user-agent,content-type,cache-control' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(/,\s*/);
    for (const header of ['x-amz-target', 'x-amz-user-agent', 'content-type', 'cache-control']) expect(allowed).toContain(header);
    expect(allowed).not.toContain('authorization');
    const post1 = await post('SignUp', '{}', { origin: 'http://localhost:5173' });
    expect(post1.headers.get('access-control-allow-origin')).toBe('*');
    expect(post1.headers.get('access-control-expose-headers')).toContain('x-amzn-ErrorType');
  });

  it('admin operations need a SigV4 Authorization header over HTTP', async () => {
    const body = JSON.stringify({ UserPoolId: POOL_ID, Username: 'admin-made@example.com', MessageAction: 'SUPPRESS', TemporaryPassword: 'Temp1234' });
    const unsigned = await post('AdminCreateUser', body);
    expect(unsigned.status).toBe(400);
    expect(await jsonOf(unsigned)).toEqual(missingAuthenticationToken().toJSON());
    expect(pool.getUser('admin-made@example.com')).toBeUndefined();

    const signed = await post('AdminCreateUser', body, {
      authorization: 'AWS4-HMAC-SHA256 Credential=local/20260106/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=00',
    });
    expect(signed.status).toBe(200);
    const out = await jsonOf(signed);
    expect(out.User).toMatchObject({ UserStatus: 'FORCE_CHANGE_PASSWORD', Enabled: true });
    expect(typeof (out.User as Record<string, unknown>).UserCreateDate).toBe('number');
  });

  it('serves the JWKS and OpenID configuration under the issuer, 404 elsewhere', async () => {
    const jwks = await jsonOf(await fetch(`${server.url}/${POOL_ID}/.well-known/jwks.json`));
    expect(jwks.keys).toEqual([{ alg: 'RS256', e: 'AQAB', kid: pool.key.kid, kty: 'RSA', n: expect.any(String), use: 'sig' }]);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"|"p"|"q"/);
    const oidc = await jsonOf(await fetch(`${server.url}/${POOL_ID}/.well-known/openid-configuration`));
    expect(oidc).toMatchObject({ issuer: `${server.url}/${POOL_ID}`, jwks_uri: `${server.url}/${POOL_ID}/.well-known/jwks.json` });
    expect((await fetch(`${server.url}/us-east-1_Other/.well-known/jwks.json`)).status).toBe(404);
  });

  it('binds to loopback only', async () => {
    await expect(startCognitoServer({ pool, host: '0.0.0.0' })).rejects.toThrow(/loopback only/);
    expect(new URL(server.url).hostname).toBe('127.0.0.1');
  });

  it('refuses USER_PASSWORD_AUTH on the Amplify client (only SRP, custom and refresh are enabled)', async () => {
    const res = await post('InitiateAuth', JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'a@example.com', PASSWORD: 'x' } }));
    expect(await jsonOf(res)).toEqual(flowNotEnabled('USER_PASSWORD_AUTH').toJSON());
  });
});
