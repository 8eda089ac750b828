/**
 * Amplify Storage on the offline sandbox, driven by the STOCK aws-amplify v6 client in Node, on a second Gen 2 backend
 * with defineStorage (tests/fixtures/storage-backend: `media/{entity_id}/*` owned by each identity, `shared/*`
 * readable by every signed-in user), synthesized once here by the engine's command line.
 *
 * The client reaches the sandbox through what the outputs the sandbox writes say: `Auth.Cognito.identityPoolEndpoint`
 * from `custom.identityPoolEndpoint`, and each Storage call's `options.customEndpoint` from `custom.storageEndpoint`
 * (offline/s3/README.md says why aws-amplify 6.22 offers no configuration setting that reaches a local endpoint).
 * Refusals the client cannot provoke (a forged or expired presigned URL, a wrong secret, no session token) are sent
 * with the AWS SDK's own S3 client and signer, as another caller would.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { downloadData, getUrl, list, remove, uploadData } from 'aws-amplify/storage';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutputs, type AmplifyOutputs } from '../../offline/sandbox/outputs';
import { startSandbox, type Sandbox } from '../../offline/sandbox/start-sandbox';
import { newDataDirectory } from '../offline/helpers';
import { installFileReader } from './file-reader';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURE_PROJECT = join(ROOT, 'tests', 'fixtures', 'storage-backend');
const ENGINE_BIN = join(ROOT, 'node_modules', '.bin', 'amplify-gen2-offline');
const PASSWORD = 'Correct-Horse-9!';
const ANN = 'ann.storage@example.com';
const BOB = 'bob.storage@example.com';

let work: string;
let cdkOut: string;
let dataDirectory: string;
let sandbox: Sandbox;
let outputs: AmplifyOutputs;
let customEndpoint: string;

async function start(): Promise<void> {
  sandbox = await startSandbox({ cdkOut, dataDirectory, ports: { appsync: 0, cognito: 0, console: 0, s3: 0 }, console: false, logger: () => undefined });
  outputs = buildOutputs(sandbox.description, {
    graphql: sandbox.urls.graphql,
    cognito: sandbox.urls.cognito,
    ...(sandbox.urls.identityPool ? { identityPool: sandbox.urls.identityPool } : {}),
    ...(sandbox.urls.storage ? { storage: sandbox.urls.storage } : {}),
  });
  // What an app does with the sandbox's outputs: the user pool and identity pool endpoints from `custom`.
  const config = parseAmplifyConfig(outputs as unknown as Parameters<typeof parseAmplifyConfig>[0]);
  config.Auth!.Cognito.userPoolEndpoint = outputs.custom.userPoolEndpoint;
  config.Auth!.Cognito.identityPoolEndpoint = outputs.custom['identityPoolEndpoint'] as string;
  Amplify.configure(config);
  customEndpoint = outputs.custom['storageEndpoint'] as string;
}

async function signInAs(email: string): Promise<{ identityId: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } }> {
  await signOut();
  await signIn({ username: email, password: PASSWORD });
  const session = await fetchAuthSession();
  if (!session.identityId || !session.credentials) throw new Error(`no identity for ${email}`);
  return { identityId: session.identityId, credentials: session.credentials };
}

/**
 * A Storage call's options with `customEndpoint`, the `host:port` of the storage endpoint from
 * `custom.storageEndpoint`. aws-amplify 6.22 honours it at run time but types it only on its internal APIs.
 */
function local<T extends object>(options?: T): T {
  return { ...options, customEndpoint } as T;
}

const sha = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');
const errorName = async (promise: PromiseLike<unknown>): Promise<string> => {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return (error as Error).name;
  }
};

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** One S3 request signed in the Authorization header by the AWS SDK's signer; answers the status, S3 error code and body. */
async function s3As(credentials: Credentials, method: string, path: string, query: Record<string, string> = {}, body = ''): Promise<{ status: number; code: string | undefined; text: string }> {
  const storage = new URL(sandbox.urls.storage!);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({
    method,
    protocol: 'https:',
    hostname: storage.hostname,
    port: Number(storage.port),
    path,
    query,
    headers: { host: storage.host, 'x-amz-content-sha256': sha(body) },
    body,
  });
  const search = new URLSearchParams(query).toString();
  const response = await fetch(`${sandbox.urls.storage}${path}${search ? `?${search}` : ''}`, { method, headers: signed.headers, ...(method === 'GET' ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, code: /<Code>(\w+)<\/Code>/.exec(text)?.[1], text };
}

beforeAll(async () => {
  installFileReader();
  // Inside the repository: the bundles leave @aws-sdk/* to the Lambda runtime, which the project's node_modules provide.
  mkdirSync(join(ROOT, '.amplify', 'test-offline'), { recursive: true });
  work = mkdtempSync(join(ROOT, '.amplify', 'test-offline', 'storage-backend-'));
  cdkOut = join(work, 'cdk.out');
  await promisify(execFile)(process.execPath, [ENGINE_BIN, 'synth', '--output', cdkOut, '--quiet'], { cwd: FIXTURE_PROJECT });
  // The synthesis also writes the functions' typed environment shims (unused by the fixture) into the fixture folder,
  // where `eslint .` would find them.
  rmSync(join(FIXTURE_PROJECT, '.amplify'), { recursive: true, force: true });
  dataDirectory = newDataDirectory();
  await start();
  for (const email of [ANN, BOB]) {
    await signUp({ username: email, password: PASSWORD, options: { userAttributes: { email } } });
    await confirmSignUp({ username: email, confirmationCode: sandbox.userPool.lastCodeFor(email)! });
  }
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await sandbox?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
});

describe('the outputs the sandbox writes for a backend with storage', () => {
  it('name the identity pool, the bucket as ampx writes it, and the local endpoints under custom', () => {
    const bucket = sandbox.description.buckets![0]!;
    const local = outputs.storage!.bucket_name;
    // A name with a dot (so the client addresses it path-style), at most 63 characters, as S3 requires.
    expect(local).toMatch(/^[a-z0-9][a-z0-9.-]{1,61}\.local$/);
    expect(local).not.toBe(bucket.name);
    expect(outputs.auth['identity_pool_id']).toBe(sandbox.description.identityPool!.id);
    expect(outputs.auth['unauthenticated_identities_enabled']).toBe(true);
    expect(outputs.storage).toEqual({
      aws_region: 'us-east-1',
      bucket_name: local,
      buckets: [{ name: 'fixtureMedia', bucket_name: local, aws_region: 'us-east-1', paths: bucket.paths }],
    });
    // The paths only a function may use are listed without client access, as ampx lists them.
    expect(bucket.paths).toEqual({
      'media/${cognito-identity.amazonaws.com:sub}/*': { entityidentity: ['get', 'list', 'write', 'delete'] },
      'media/*': {},
      'shared/*': { authenticated: ['get', 'list'] },
      'inbox/*': {},
    });
    expect(outputs.custom['identityPoolEndpoint']).toBe(sandbox.urls.cognito);
    expect(outputs.custom['storageEndpoint']).toBe(new URL(sandbox.urls.storage!).host);
  });
});

describe('the identity pool through fetchAuthSession', () => {
  it('gives a signed-in user one identity id for good and temporary credentials with an expiry', async () => {
    const first = await signInAs(ANN);
    expect(first.identityId).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
    expect(first.credentials.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    const session = await fetchAuthSession({ forceRefresh: true });
    expect(session.identityId).toBe(first.identityId);
    expect(session.credentials?.accessKeyId).not.toBe(first.credentials.accessKeyId);
    expect(session.credentials!.expiration!.getTime()).toBeGreaterThan(Date.now());
    const bob = await signInAs(BOB);
    expect(bob.identityId).not.toBe(first.identityId);
  });

  it('refuses a forged login, a login for another identity, and an unknown identity, as Cognito does', async () => {
    const bob = await signInAs(BOB);
    const ann = await signInAs(ANN);
    const idToken = (await fetchAuthSession()).tokens!.idToken!.toString();
    const issuer = new URL(sandbox.urls.cognito).host + '/' + sandbox.description.userPool.id;
    const call = async (operation: string, body: unknown) => {
      const response = await fetch(sandbox.urls.cognito, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityService.${operation}` },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as { __type?: string; message?: string; IdentityId?: string } };
    };
    const poolId = sandbox.description.identityPool!.id;
    const forged = `${idToken.slice(0, -4)}AAAA`;
    expect(await call('GetId', { IdentityPoolId: poolId, Logins: { [issuer]: forged } })).toMatchObject({ status: 400, body: { __type: 'NotAuthorizedException' } });
    // The AWS provider name is accepted as well as the issuer Amplify sends.
    expect((await call('GetId', { IdentityPoolId: poolId, Logins: { [`cognito-idp.us-east-1.amazonaws.com/${sandbox.description.userPool.id}`]: idToken } })).body.IdentityId).toBe(ann.identityId);
    // Ann's valid login for Bob's identity.
    expect(await call('GetCredentialsForIdentity', { IdentityId: bob.identityId, Logins: { [issuer]: idToken } })).toEqual({
      status: 400,
      body: { __type: 'NotAuthorizedException', message: "Logins don't match. Please include at least one valid login for this identity or identity pool." },
    });
    expect(await call('GetCredentialsForIdentity', { IdentityId: 'us-east-1:00000000-0000-4000-a000-000000000000' })).toEqual({
      status: 400,
      body: { __type: 'ResourceNotFoundException', message: "Identity 'us-east-1:00000000-0000-4000-a000-000000000000' not found." },
    });
    expect(await call('GetId', { IdentityPoolId: 'us-east-1:00000000-0000-4000-a000-000000000000' })).toMatchObject({ status: 400, body: { __type: 'ResourceNotFoundException' } });
  });
});

describe('Storage with the stock client', () => {
  const big = Buffer.alloc(6 * 1024 * 1024 + 123, 0);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);

  it('uploads (single and multipart), lists, downloads, presigns and removes in the owner path', async () => {
    const { identityId } = await signInAs(ANN);
    const small = await uploadData({ path: ({ identityId: id }) => `media/${id}/hello.txt`, data: 'hello, storage', options: local({ contentType: 'text/plain' }) }).result;
    expect(small.path).toBe(`media/${identityId}/hello.txt`);
    // Above Amplify's 5 MiB part size: CreateMultipartUpload, two UploadParts, CompleteMultipartUpload.
    const multipart = await uploadData({ path: `media/${identityId}/big.bin`, data: big, options: local() }).result;
    expect(multipart.eTag).toMatch(/-2"?$/);

    const listed = await list({ path: `media/${identityId}/`, options: local() });
    expect(listed.items.map((item) => [item.path, item.size]).sort()).toEqual([
      [`media/${identityId}/big.bin`, big.length],
      [`media/${identityId}/hello.txt`, 14],
    ]);

    const downloaded = await downloadData({ path: `media/${identityId}/big.bin`, options: local() }).result;
    expect(sha(new Uint8Array(await (await downloaded.body.blob()).arrayBuffer()))).toBe(sha(big));
    const ranged = await downloadData({ path: `media/${identityId}/hello.txt`, options: local({ bytesRange: { start: 7, end: 13 } }) }).result;
    expect(await ranged.body.text()).toBe('storage');

    const { url, expiresAt } = await getUrl({ path: `media/${identityId}/hello.txt`, options: local({ expiresIn: 300 }) });
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('text/plain');
    expect(await fetched.text()).toBe('hello, storage');

    // One changed character of the signature: refused.
    const forged = new URL(url);
    const signature = forged.searchParams.get('X-Amz-Signature')!;
    forged.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
    const refused = await fetch(forged);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    await remove({ path: `media/${identityId}/hello.txt`, options: local() });
    expect(await errorName(downloadData({ path: `media/${identityId}/hello.txt`, options: local() }).result)).toBe('NoSuchKey');
    expect(await errorName(fetch(url).then(async (response) => {
      const text = await response.text();
      throw Object.assign(new Error(text), { name: /<Code>(\w+)<\/Code>/.exec(text)?.[1] ?? String(response.status) });
    }))).toBe('NoSuchKey');
  });

  it('refuses another user on the owner path, lets every signed-in user read shared/, and refuses a signed-out guest', async () => {
    const ann = await signInAs(ANN);
    await uploadData({ path: `media/${ann.identityId}/private.txt`, data: 'ann only', options: local() }).result;
    await signInAs(BOB);
    const annPath = `media/${ann.identityId}/private.txt`;
    expect(await errorName(downloadData({ path: annPath, options: local() }).result)).toBe('AccessDenied');
    expect(await errorName(list({ path: `media/${ann.identityId}/`, options: local() }))).toBe('AccessDenied');
    expect(await errorName(uploadData({ path: `media/${ann.identityId}/from-bob.txt`, data: 'x', options: local() }).result)).toBe('AccessDenied');
    expect(await errorName(remove({ path: annPath, options: local() }))).toBe('AccessDenied');
    // Read (and list) of shared/ is allowed, so an absent object is NoSuchKey; writing there is not.
    expect(await errorName(downloadData({ path: 'shared/none.txt', options: local() }).result)).toBe('NoSuchKey');
    expect(await errorName(uploadData({ path: 'shared/x.txt', data: 'x', options: local() }).result)).toBe('AccessDenied');

    // Signed out: the pool allows guests, whose role grants nothing on the bucket.
    await signOut();
    const guest = await fetchAuthSession();
    expect(guest.identityId).toMatch(/^us-east-1:/);
    expect(guest.identityId).not.toBe(ann.identityId);
    expect(await errorName(downloadData({ path: annPath, options: local() }).result)).toBe('AccessDenied');
    expect(await errorName(downloadData({ path: 'shared/none.txt', options: local() }).result)).toBe('AccessDenied');
  });

  it('refuses, with S3 errors, an expired presigned URL, a wrong secret, a missing session token and an unknown key (signed by the AWS SDK signer)', async () => {
    const ann = await signInAs(ANN);
    const key = `media/${ann.identityId}/private.txt`;
    const bucket = outputs.storage!.bucket_name;
    const own = await s3As(ann.credentials, 'GET', `/${bucket}/${key}`);
    expect([own.status, own.text]).toEqual([200, 'ann only']);
    const listed = await s3As(ann.credentials, 'GET', `/${bucket}`, { 'list-type': '2', prefix: `media/${ann.identityId}/`, delimiter: '/' });
    expect(listed.status).toBe(200);
    expect(listed.text).toContain(`<Key>${key}</Key>`);
    // Listing above one's own folder: the s3:prefix condition does not hold.
    expect((await s3As(ann.credentials, 'GET', `/${bucket}`, { 'list-type': '2', prefix: 'media/' })).code).toBe('AccessDenied');

    // Presigned an hour ago for 60 seconds with Ann's live credentials: the signature is right, the URL expired.
    const storage = new URL(sandbox.urls.storage!);
    const signer = new SignatureV4({ credentials: ann.credentials, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
    const presigned = await signer.presign(
      { method: 'GET', protocol: 'https:', hostname: storage.hostname, port: Number(storage.port), path: `/${bucket}/${key}`, headers: { host: storage.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      { expiresIn: 60, signingDate: new Date(Date.now() - 60 * 60 * 1000) },
    );
    const expiredUrl = `${sandbox.urls.storage}${presigned.path}?${new URLSearchParams(presigned.query as Record<string, string>).toString()}`;
    const expired = await fetch(expiredUrl);
    expect(expired.status).toBe(403);
    const text = await expired.text();
    expect(text).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
    // The same signer, now: accepted (so the refusal above is the expiry, not the signing).
    const fresh = await signer.presign(
      { method: 'GET', protocol: 'https:', hostname: storage.hostname, port: Number(storage.port), path: `/${bucket}/${key}`, headers: { host: storage.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
      { expiresIn: 60 },
    );
    expect((await fetch(`${sandbox.urls.storage}${fresh.path}?${new URLSearchParams(fresh.query as Record<string, string>).toString()}`)).status).toBe(200);

    expect((await s3As({ ...ann.credentials, secretAccessKey: 'x'.repeat(40) }, 'GET', `/${bucket}/${key}`)).code).toBe('SignatureDoesNotMatch');
    expect((await s3As({ accessKeyId: ann.credentials.accessKeyId, secretAccessKey: ann.credentials.secretAccessKey }, 'GET', `/${bucket}/${key}`)).code).toBe('InvalidToken');
    expect((await s3As({ accessKeyId: 'ASIAAAAAAAAAAAAAAAAA', secretAccessKey: 'x', sessionToken: 'y' }, 'PUT', `/${bucket}/${key}`, {}, 'x')).code).toBe('InvalidAccessKeyId');
    const unsigned = await fetch(`${sandbox.urls.storage}/${bucket}/${key}`);
    expect(unsigned.status).toBe(403);
  });

  it("answers the bucket's CORS preflight for a web app's origin", async () => {
    const bucket = outputs.storage!.bucket_name;
    const preflight = await fetch(`${sandbox.urls.storage}/${bucket}/media/x/y.png`, {
      method: 'OPTIONS',
      headers: { origin: 'https://localhost:5173', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization,x-amz-date,x-amz-content-sha256,x-amz-security-token' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-expose-headers')).toContain('ETag');
    const refused = await fetch(`${sandbox.urls.storage}/${bucket}/x`, { method: 'OPTIONS', headers: { origin: 'https://localhost:5173', 'access-control-request-method': 'PATCH' } });
    expect(refused.status).toBe(403);
  });
});

describe('a function with storage access (allow.resource), with the real AWS SDK inside the sandbox', () => {
  /** A 1×1 PNG. */
  const PIXEL = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082', 'hex');
  const s3Code = async (response: Response) => /<Code>(\w+)<\/Code>/.exec(await response.text())?.[1];

  it('reads, copies, deletes and presigns with its own credentials, its bucket named as the sandbox serves it', async () => {
    const ann = await signInAs(ANN);
    const sub = (await fetchAuthSession()).tokens!.idToken!.payload.sub as string;
    const source = `media/${ann.identityId}/${'0f0e0d0c-1111-4222-8333-444455556666'}/pixel ü.png`;
    await uploadData({ path: source, data: PIXEL, options: local({ contentType: 'image/png', metadata: { uploader: sub } }) }).result;

    const moved = (await sandbox.lambdas.invoke('file-mover', { source, target: 'inbox/pixel ü.png' })) as { bucket: string; size: number; uploader: string; firstBytes: string; etag: string; url: string };
    // FIXTURE_MEDIA_BUCKET_NAME (from SSM at cold start) is the local name, so the SDK addresses it path-style.
    expect(moved.bucket).toBe(outputs.storage!.bucket_name);
    expect([moved.size, moved.uploader, moved.firstBytes]).toEqual([PIXEL.length, sub, '89504e47']);
    expect(moved.etag).toBe(`"${createHash('md5').update(PIXEL).digest('hex')}"`);
    // The staged upload is gone; the copy is in inbox/, which Ann's role cannot read.
    expect(await errorName(downloadData({ path: source, options: local() }).result)).toBe('NoSuchKey');
    expect(await errorName(downloadData({ path: 'inbox/pixel ü.png', options: local() }).result)).toBe('AccessDenied');

    // The URL it presigned (@aws-sdk/s3-request-presigner) names the storage endpoint and is accepted as it is.
    const url = new URL(moved.url);
    expect(url.origin).toBe(sandbox.urls.storage);
    expect(url.pathname).toBe(`/${outputs.storage!.bucket_name}/inbox/pixel%20%C3%BC.png`);
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('application/octet-stream');
    expect(fetched.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''pixel%20%C3%BC.png`);
    expect(Buffer.from(await fetched.arrayBuffer()).equals(PIXEL)).toBe(true);

    const forged = new URL(url);
    forged.searchParams.set('response-content-type', 'text/html');
    const refused = await fetch(forged);
    expect([refused.status, await s3Code(refused)]).toEqual([403, 'SignatureDoesNotMatch']);
    const expired = (await sandbox.lambdas.invoke('file-mover', { target: 'inbox/pixel ü.png', presignOnly: true, signedSecondsAgo: 3600 })) as { url: string };
    const late = await fetch(expired.url);
    expect(late.status).toBe(403);
    expect(await late.text()).toContain('<Code>AccessDenied</Code><Message>Request has expired</Message>');
  });

  it("refuses it outside its grants, and refuses a function that has none, by each one's role policy", async () => {
    const ann = await signInAs(ANN);
    const source = `media/${ann.identityId}/second.png`;
    await uploadData({ path: source, data: PIXEL, options: local({ contentType: 'image/png' }) }).result;
    // Copying into shared/ needs s3:PutObject there, which the mover lacks: nothing is copied, nothing deleted.
    const refused = await sandbox.lambdas.invoke('file-mover', { source, target: 'shared/second.png' }).catch((error: unknown) => error as Error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).name).toBe('AccessDenied');
    expect((refused as Error).message).toMatch(/assumed-role\/file-mover-role\/file-mover is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::.+\/shared\/second\.png/);
    expect(await (await downloadData({ path: source, options: local() }).result).body.text()).toBe(PIXEL.toString());

    const bystander = (await sandbox.lambdas.invoke('bystander', { bucket: outputs.storage!.bucket_name, key: 'inbox/pixel ü.png' })) as { outcome: string; message: string };
    expect(bystander.outcome).toBe('AccessDenied');
    expect(bystander.message).toContain('assumed-role/bystander-role/bystander is not authorized to perform: s3:GetObject');
    await remove({ path: source, options: local() });
  });
});

describe('a reload that changes the storage access rules', () => {
  it('applies the role\'s new policy to credentials already handed out', async () => {
    await signInAs(BOB);
    expect(await errorName(downloadData({ path: 'shared/none.txt', options: local() }).result)).toBe('NoSuchKey');
    // A copy of the synthesis where signed-in users may read `elsewhere/*` instead of `shared/*`.
    const edited = join(work, 'cdk.out.edited');
    cpSync(cdkOut, edited, { recursive: true });
    const template = readdirSync(edited).find((name) => /storage[0-9A-F]{8}\.nested\.template\.json$/.test(name))!;
    const text = readFileSync(join(edited, template), 'utf8');
    expect(text).toContain('"/shared/*"');
    // The read grant and the listing's s3:prefix condition (which decides NoSuchKey over AccessDenied) both move.
    writeFileSync(join(edited, template), text.replace('"/shared/*"', '"/elsewhere/*"').replace('"shared/*"', '"elsewhere/*"').replace('"shared/"', '"elsewhere/"'));
    const report = await sandbox.reload(edited);
    expect([report.identityPoolNeedsRestart, report.storageNeedsRestart]).toEqual([false, false]);
    // The same session (Amplify keeps its credentials): refused now, by the policy the reload brought.
    expect(await errorName(downloadData({ path: 'shared/none.txt', options: local() }).result)).toBe('AccessDenied');
    expect(await errorName(downloadData({ path: 'elsewhere/none.txt', options: local() }).result)).toBe('NoSuchKey');
    await sandbox.reload(cdkOut);
    expect(await errorName(downloadData({ path: 'shared/none.txt', options: local() }).result)).toBe('NoSuchKey');
  });
});

describe('after a restart', () => {
  it('keeps the identities and the objects on disk', async () => {
    const before = await signInAs(ANN);
    await signOut();
    await sandbox.close();
    await start();
    const after = await signInAs(ANN);
    expect(after.identityId).toBe(before.identityId);
    const kept = await downloadData({ path: `media/${after.identityId}/private.txt`, options: local() }).result;
    expect(await kept.body.text()).toBe('ann only');
    const big = await list({ path: `media/${after.identityId}/`, options: local() });
    expect(big.items.map((item) => item.path).sort()).toEqual([`media/${after.identityId}/big.bin`, `media/${after.identityId}/private.txt`]);
  });
});
