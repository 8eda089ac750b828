import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS, signSigV4, verifySigV4, type IamCredential } from './sigv4.js';

const credentials = new Map<string, IamCredential>([['AKIDTEST', { secretAccessKey: 'secret', principal: 'arn:aws:sts::123456789012:assumed-role/r/s' }]]);
const SIGNED_AT = new Date(Date.UTC(2026, 0, 6, 9, 0, 0));

async function signed(body: string, secret = 'secret', path = '/graphql') {
  const signer = new SignatureV4({ credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: secret, sessionToken: 'tok' }, region: 'us-east-1', service: 'appsync', sha256: Sha256 });
  const request = await signer.sign(
    { method: 'POST', protocol: 'https:', hostname: 'localhost', port: 4443, path, query: {}, headers: { host: 'localhost:4443', 'content-type': 'application/json' }, body },
    { signingDate: SIGNED_AT },
  );
  return { method: 'POST', path, query: '', headers: request.headers, body };
}

describe('verifySigV4 against the SDK signer', () => {
  it('accepts a request signed by @smithy/signature-v4 and reports the principal and session token', async () => {
    const result = verifySigV4(await signed('{"query":"{ a }"}'), credentials, SIGNED_AT.getTime());
    expect(result).toEqual({ ok: true, accessKeyId: 'AKIDTEST', principal: 'arn:aws:sts::123456789012:assumed-role/r/s', region: 'us-east-1', securityToken: 'tok' });
  });

  it('rejects a changed body, path or secret with InvalidSignatureException', async () => {
    const request = await signed('{"query":"{ a }"}');
    expect(verifySigV4({ ...request, body: '{"query":"{ b }"}' }, credentials, SIGNED_AT.getTime())).toMatchObject({ ok: false, status: 403, errorType: 'InvalidSignatureException' });
    expect(verifySigV4({ ...request, path: '/graphql/connect' }, credentials, SIGNED_AT.getTime())).toMatchObject({ ok: false, errorType: 'InvalidSignatureException' });
    expect(verifySigV4(await signed('{}', 'other'), credentials, SIGNED_AT.getTime())).toMatchObject({ ok: false, errorType: 'InvalidSignatureException' });
  });

  it('rejects clock skew beyond 5 minutes, unknown keys and incomplete headers', async () => {
    const request = await signed('{}');
    expect(verifySigV4(request, credentials, SIGNED_AT.getTime() + MAX_CLOCK_SKEW_MS)).toMatchObject({ ok: true });
    expect(verifySigV4(request, credentials, SIGNED_AT.getTime() + MAX_CLOCK_SKEW_MS + 1000)).toMatchObject({ ok: false, errorType: 'InvalidSignatureException' });
    expect(verifySigV4(request, new Map(), SIGNED_AT.getTime())).toMatchObject({ ok: false, errorType: 'UnrecognizedClientException' });
    expect(verifySigV4({ ...request, headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260106/us-east-1/appsync/aws4_request' } }, credentials, SIGNED_AT.getTime())).toMatchObject({
      ok: false,
      errorType: 'IncompleteSignatureException',
    });
  });
});

describe('signSigV4', () => {
  const key = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret', region: 'us-east-1' };
  const headers = { host: 'localhost:4443', 'content-type': 'application/json; charset=UTF-8', accept: 'application/json, text/javascript' };

  it('signs exactly as the SDK signer does (same headers, same Authorization)', async () => {
    const body = '{"query":"{ a }"}';
    const ours = signSigV4({ method: 'POST', path: '/graphql/connect', query: '', headers, body }, key, SIGNED_AT.getTime());
    const sdk = await new SignatureV4({ credentials: key, region: 'us-east-1', service: 'appsync', sha256: Sha256 }).sign(
      { method: 'POST', protocol: 'https:', hostname: 'localhost', port: 4443, path: '/graphql/connect', query: {}, headers, body },
      { signingDate: SIGNED_AT },
    );
    expect(ours['Authorization']).toBe(sdk.headers['authorization']);
    expect(ours['x-amz-date']).toBe(sdk.headers['x-amz-date']);
  });

  it('is accepted by the verifier, and not once the body changes', () => {
    const request = { method: 'POST', path: '/graphql', query: '', headers, body: '{}' };
    const signedHeaders = signSigV4(request, key, SIGNED_AT.getTime());
    expect(verifySigV4({ ...request, headers: signedHeaders }, credentials, SIGNED_AT.getTime())).toMatchObject({ ok: true, accessKeyId: 'AKIDTEST' });
    expect(verifySigV4({ ...request, headers: signedHeaders, body: '{"a":1}' }, credentials, SIGNED_AT.getTime())).toMatchObject({ ok: false, errorType: 'InvalidSignatureException' });
  });
});
