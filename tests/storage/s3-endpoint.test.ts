/**
 * The storage endpoint (offline/s3) on its own, called as any SigV4 client calls S3 (the AWS SDK's signer, and the
 * real @aws-sdk/client-s3 for CopyObject): the listing's paging and delimiter, the multipart upload's refusals, ranges,
 * checksums and the payload hash, CopyObject's directives and its two authorizations, and the role policy evaluated
 * with the caller's context. Two buckets in a temporary folder, one caller whose policy is what defineStorage writes
 * for `media/{entity_id}/*`, plus a write-only `inbox/*` in the second bucket.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerCredential } from '../../offline/aws-endpoints';
import type { BucketDescription, RolePolicyDescription } from '../../offline/loader';
import { BucketStore, MIN_PART_BYTES, startStorageServer, type StorageServer } from '../../offline/s3';
import { loadOrCreateCertificate } from '../../offline/tls';
import { TEST_TLS_DIRECTORY } from '../setup/offline-ca';

const SUB = 'us-east-1:11111111-2222-4333-a444-555555555555';
const BUCKET: BucketDescription = {
  name: 'media-bucket',
  logicalId: 'MediaBucket',
  friendlyName: 'media',
  arn: 'arn:aws:s3:::media-bucket',
  cors: [{ allowedOrigins: ['https://app.example'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['*'], exposedHeaders: ['ETag'] }],
};
const ARCHIVE: BucketDescription = { name: 'archive-bucket', logicalId: 'ArchiveBucket', friendlyName: 'archive', arn: 'arn:aws:s3:::archive-bucket', cors: [] };
const POLICY: RolePolicyDescription = {
  statements: [
    { effect: 'Allow', actions: ['s3:PutObject'], resources: ['arn:aws:s3:::archive-bucket/inbox/*'], source: 'test' },
    { effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::archive-bucket/readonly/*'], source: 'test' },
    { effect: 'Allow', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: ['arn:aws:s3:::media-bucket/media/${cognito-identity.amazonaws.com:sub}/*'], source: 'test' },
    {
      effect: 'Allow',
      actions: ['s3:ListBucket'],
      resources: ['arn:aws:s3:::media-bucket'],
      condition: { StringLike: { 's3:prefix': ['media/${cognito-identity.amazonaws.com:sub}/*', 'media/${cognito-identity.amazonaws.com:sub}/'] } },
      source: 'test',
    },
  ],
  managedPolicyArns: [],
  skipped: [],
};
const KEY = { accessKeyId: 'ASIATESTTESTTESTTEST', secretAccessKey: 'secret-of-the-test-caller', sessionToken: 'session-token' };
const CALLER: CallerCredential = {
  secretAccessKey: KEY.secretAccessKey,
  principal: 'arn:aws:sts::123456789012:assumed-role/auth-role/CognitoIdentityCredentials',
  policy: POLICY,
  sessionToken: KEY.sessionToken,
  expiresAt: Date.now() + 3600_000,
  context: { 'cognito-identity.amazonaws.com:sub': SUB },
};

let folder: string;
let server: StorageServer;
let stores: Map<string, BucketStore>;
let client: S3Client;
const own = (name: string) => `media/${SUB}/${name}`;
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A request signed in the Authorization header, as the SDK signs it; answers status, S3 code, headers and body. */
async function s3(method: string, key: string, options: { query?: Record<string, string>; body?: Buffer | string; headers?: Record<string, string>; payloadHash?: string } = {}) {
  const url = new URL(server.url);
  const body = options.body ?? '';
  const path = `/${BUCKET.name}.local${key ? `/${key.split('/').map(encodeURIComponent).join('/')}` : ''}`;
  const signer = new SignatureV4({ credentials: KEY, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const signed = await signer.sign({
    method,
    protocol: 'https:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: options.query ?? {},
    headers: { host: url.host, 'x-amz-content-sha256': options.payloadHash ?? sha(body), ...options.headers },
    body,
  });
  const search = new URLSearchParams(options.query ?? {}).toString();
  const response = await fetch(`${server.url}${path}${search ? `?${search}` : ''}`, { method, headers: signed.headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, code: /<Code>(\w+)<\/Code>/.exec(text)?.[1], text, headers: response.headers };
}

const tags = (xml: string, name: string): string[] => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => m[1] ?? '');

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 's3-endpoint-'));
  const tls = await loadOrCreateCertificate(TEST_TLS_DIRECTORY);
  stores = new Map([BUCKET, ARCHIVE].map((bucket) => [bucket.name, new BucketStore(bucket.name, join(folder, bucket.name))]));
  server = await startStorageServer({
    buckets: () => [BUCKET, ARCHIVE],
    store: (bucket) => stores.get(bucket.name)!,
    credentials: new Map([[KEY.accessKeyId, CALLER]]),
    tls,
    host: '127.0.0.1',
    port: 0,
    log: () => undefined,
  });
  client = new S3Client({ region: 'us-east-1', endpoint: server.url, credentials: KEY, maxAttempts: 1 });
});

afterAll(async () => {
  client?.destroy();
  await server?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('the storage endpoint', () => {
  it('pages a listing with a delimiter: keys and common prefixes, each once, in key order', async () => {
    for (const name of ['a.txt', 'b/1.txt', 'b/2.txt', 'c.txt', 'd/1.txt']) expect((await s3('PUT', own(name), { body: name })).status).toBe(200);
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const answer = await s3('GET', '', { query: { 'list-type': '2', prefix: `media/${SUB}/`, delimiter: '/', 'max-keys': '2', ...(token ? { 'continuation-token': token } : {}) } });
      expect(answer.status).toBe(200);
      seen.push(...tags(answer.text, 'Key'), ...tags(answer.text, 'Prefix').filter((prefix) => prefix !== `media/${SUB}/`));
      token = tags(answer.text, 'NextContinuationToken')[0];
      if (!token) break;
    }
    expect(seen.map((entry) => entry!.slice(`media/${SUB}/`.length)).sort()).toEqual(['a.txt', 'b/', 'c.txt', 'd/']);
    // Above the caller's own folder the s3:prefix condition does not hold.
    expect((await s3('GET', '', { query: { 'list-type': '2', prefix: 'media/' } })).code).toBe('AccessDenied');
  });

  it("refuses another identity's path, by the identity's own policy variable", async () => {
    const other = 'media/us-east-1:99999999-2222-4333-a444-555555555555/x.txt';
    const put = await s3('PUT', other, { body: 'x' });
    expect(put.code).toBe('AccessDenied');
    expect(put.text).toContain(`is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::media-bucket/${other}`);
  });

  it('serves ranges, refuses an unsatisfiable one, and checks the payload hash and the CRC32', async () => {
    await s3('PUT', own('range.txt'), { body: '0123456789' });
    expect((await s3('GET', own('range.txt'), { headers: { range: 'bytes=2-4' } })).text).toBe('234');
    expect((await s3('GET', own('range.txt'), { headers: { range: 'bytes=-3' } })).text).toBe('789');
    expect((await s3('GET', own('range.txt'), { headers: { range: 'bytes=20-' } })).code).toBe('InvalidRange');
    // The stored CRC32 is the whole object's: sent on a full GET when asked for, never with a range.
    expect((await s3('GET', own('range.txt'), { headers: { 'x-amz-checksum-mode': 'ENABLED' } })).headers.get('x-amz-checksum-crc32')).toMatch(/^[A-Za-z0-9+/]{6}==$/);
    expect((await s3('GET', own('range.txt'), { headers: { range: 'bytes=2-4', 'x-amz-checksum-mode': 'ENABLED' } })).headers.get('x-amz-checksum-crc32')).toBeNull();
    expect((await s3('PUT', own('hash.txt'), { body: 'abc', payloadHash: sha('abd') })).code).toBe('XAmzContentSHA256Mismatch');
    expect((await s3('PUT', own('crc.txt'), { body: 'abc', headers: { 'x-amz-checksum-crc32': 'AAAAAA==' } })).code).toBe('BadDigest');
    expect((await s3('PUT', own('crc.txt'), { body: 'abc', headers: { 'x-amz-checksum-crc32': 'NSRBwg==' } })).status).toBe(200);
    // A missing key is NoSuchKey for a caller who may list it, AccessDenied for s3:ListBucket otherwise (as S3 answers):
    // the caller may read archive-bucket/readonly/* but not list that bucket.
    expect((await s3('GET', own('none.txt'))).code).toBe('NoSuchKey');
    stores.get(ARCHIVE.name)!.put('readonly/there.txt', Buffer.from('there'), { contentType: 'text/plain', headers: {}, metadata: {} });
    const there = await client.send(new GetObjectCommand({ Bucket: `${ARCHIVE.name}.local`, Key: 'readonly/there.txt' }));
    expect(await there.Body!.transformToString()).toBe('there');
    const absent = await client.send(new GetObjectCommand({ Bucket: `${ARCHIVE.name}.local`, Key: 'readonly/none.txt' })).catch((error: Error) => error);
    expect((absent as Error).name).toBe('AccessDenied');
    expect((absent as Error).message).toContain('is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::archive-bucket');
    const absentHead = await client.send(new HeadObjectCommand({ Bucket: `${ARCHIVE.name}.local`, Key: 'readonly/none.txt' })).catch((error: Error & { $metadata: { httpStatusCode?: number } }) => error);
    expect((absentHead as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode).toBe(403);
    const head = await s3('HEAD', own('range.txt'));
    expect([head.status, head.headers.get('content-length'), head.headers.get('etag')]).toEqual([200, '10', `"${createHash('md5').update('0123456789').digest('hex')}"`]);
  });

  it('completes a multipart upload only with ascending, uploaded parts of at least 5 MiB but the last', async () => {
    const key = own('multi.bin');
    const created = await s3('POST', key, { query: { uploads: '' } });
    const uploadId = tags(created.text, 'UploadId')[0]!;
    const first = Buffer.alloc(MIN_PART_BYTES, 1);
    const small = Buffer.from('tail');
    const part1 = (await s3('PUT', key, { query: { partNumber: '1', uploadId }, body: first })).headers.get('etag')!;
    const part2 = (await s3('PUT', key, { query: { partNumber: '2', uploadId }, body: small })).headers.get('etag')!;
    const complete = (parts: [number, string][]) =>
      s3('POST', key, { query: { uploadId }, body: `<CompleteMultipartUpload>${parts.map(([n, etag]) => `<Part><ETag>${etag}</ETag><PartNumber>${n}</PartNumber></Part>`).join('')}</CompleteMultipartUpload>` });
    expect((await complete([[2, part2], [1, part1]])).code).toBe('InvalidPartOrder');
    expect((await complete([[1, part1], [3, part2]])).code).toBe('InvalidPart');
    expect((await complete([[1, '"0000"'], [2, part2]])).code).toBe('InvalidPart');
    const listed = await s3('GET', key, { query: { uploadId } });
    expect(listed.code).toBe('AccessDenied'); // ListParts needs s3:ListMultipartUploadParts, which defineStorage does not grant
    const done = await complete([[1, part1], [2, part2]]);
    expect(done.status).toBe(200);
    // Quoted, and the quotes escaped in XML, as S3 writes it.
    expect(tags(done.text, 'ETag')[0]).toMatch(/^&quot;[0-9a-f]{32}-2&quot;$/);
    const object = await s3('GET', key);
    expect(object.text.length).toBe(first.length + small.length);
    expect((await complete([[1, part1], [2, part2]])).code).toBe('NoSuchUpload');
    // A part below 5 MiB that is not the last is refused.
    const again = tags((await s3('POST', key, { query: { uploads: '' } })).text, 'UploadId')[0]!;
    const tiny = (await s3('PUT', key, { query: { partNumber: '1', uploadId: again }, body: small })).headers.get('etag')!;
    const last = (await s3('PUT', key, { query: { partNumber: '2', uploadId: again }, body: small })).headers.get('etag')!;
    const refused = await s3('POST', key, { query: { uploadId: again }, body: `<CompleteMultipartUpload><Part><ETag>${tiny}</ETag><PartNumber>1</PartNumber></Part><Part><ETag>${last}</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>` });
    expect(refused.code).toBe('EntityTooSmall');
    // Aborting needs s3:AbortMultipartUpload, which defineStorage does not grant either.
    expect((await s3('DELETE', key, { query: { uploadId: again } })).code).toBe('AccessDenied');
  });

  it('keeps objects across a new store on the same folder, and answers CORS only for the rule\'s origin', async () => {
    const reopened = new BucketStore(BUCKET.name, join(folder, BUCKET.name));
    expect(reopened.read(own('range.txt'))?.body.toString()).toBe('0123456789');
    const allowed = await fetch(`${server.url}/${BUCKET.name}.local/x`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } });
    expect([allowed.status, allowed.headers.get('access-control-allow-origin')]).toEqual([200, 'https://app.example']);
    const foreign = await fetch(`${server.url}/${BUCKET.name}.local/x`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' } });
    expect(foreign.status).toBe(403);
  });

  describe('CopyObject (the real S3 client)', () => {
    const local = `${BUCKET.name}.local`;
    const copySource = (bucket: string, key: string) => `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    const failure = async (promise: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> => {
      try {
        await promise;
      } catch (error) {
        const { name, message, $metadata } = error as Error & { $metadata: { httpStatusCode?: number } };
        return { name, message, status: $metadata.httpStatusCode };
      }
      throw new Error('the request succeeded');
    };
    const source = own('copy/source file+ü.txt');

    beforeAll(async () => {
      const put = await s3('PUT', source, { body: 'the source', headers: { 'content-type': 'text/plain', 'content-disposition': 'inline', 'x-amz-meta-uploader': 'ann' } });
      expect(put.status).toBe(200);
    });

    it('copies bytes, content type, stored headers and user metadata with COPY, and answers ETag and LastModified', async () => {
      const answer = await client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/kept.txt'), CopySource: copySource(local, source) }));
      expect(answer.CopyObjectResult?.ETag).toBe(`"${createHash('md5').update('the source').digest('hex')}"`);
      expect(answer.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
      const copied = await s3('GET', own('copy/kept.txt'));
      expect([copied.status, copied.text, copied.headers.get('content-type'), copied.headers.get('content-disposition'), copied.headers.get('x-amz-meta-uploader')]).toEqual([
        200,
        'the source',
        'text/plain',
        'inline',
        'ann',
      ]);
      // The source stays.
      expect((await s3('GET', source)).text).toBe('the source');
    });

    it('takes the content type and metadata of the request with REPLACE, also onto the same key', async () => {
      await client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/replaced.png'), CopySource: copySource(local, source), MetadataDirective: 'REPLACE', ContentType: 'image/png', Metadata: { checked: 'yes' } }));
      const head = await client.send(new HeadObjectCommand({ Bucket: local, Key: own('copy/replaced.png') }));
      expect([head.ContentType, head.Metadata, head.ContentDisposition, head.ContentLength]).toEqual(['image/png', { checked: 'yes' }, undefined, 10]);
      await client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/replaced.png'), CopySource: `/${copySource(local, own('copy/replaced.png'))}`, MetadataDirective: 'REPLACE', ContentType: 'text/plain' }));
      const again = await client.send(new HeadObjectCommand({ Bucket: local, Key: own('copy/replaced.png') }));
      expect([again.ContentType, again.Metadata]).toEqual(['text/plain', {}]);
      const itself = await failure(client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/replaced.png'), CopySource: copySource(local, own('copy/replaced.png')) })));
      expect([itself.name, itself.status]).toEqual(['InvalidRequest', 400]);
    });

    it('copies into another served bucket, by its local or synthesized name', async () => {
      await client.send(new CopyObjectCommand({ Bucket: `${ARCHIVE.name}.local`, Key: 'inbox/one.txt', CopySource: copySource(local, source) }));
      await client.send(new CopyObjectCommand({ Bucket: `${ARCHIVE.name}.local`, Key: 'inbox/two.txt', CopySource: copySource(BUCKET.name, source) }));
      expect(stores.get(ARCHIVE.name)!.read('inbox/one.txt')?.body.toString()).toBe('the source');
      expect(stores.get(ARCHIVE.name)!.read('inbox/two.txt')?.metadata.metadata).toEqual({ uploader: 'ann' });
    });

    it('needs s3:GetObject on the source and s3:PutObject on the destination, and copies nothing when either is refused', async () => {
      const foreign = 'media/us-east-1:99999999-2222-4333-a444-555555555555/secret.txt';
      stores.get(BUCKET.name)!.put(foreign, Buffer.from('not yours'), { contentType: 'text/plain', headers: {}, metadata: {} });
      const read = await failure(client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/stolen.txt'), CopySource: copySource(local, foreign) })));
      expect([read.name, read.status]).toEqual(['AccessDenied', 403]);
      expect(read.message).toContain(`is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::media-bucket/${foreign}`);
      const write = await failure(client.send(new CopyObjectCommand({ Bucket: `${ARCHIVE.name}.local`, Key: 'outbox/one.txt', CopySource: copySource(local, source) })));
      expect([write.name, write.status]).toEqual(['AccessDenied', 403]);
      expect(write.message).toContain('is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::archive-bucket/outbox/one.txt');
      // The write grant alone does not let the caller read the archive: copying out of it is refused.
      const out = await failure(client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/back.txt'), CopySource: copySource(`${ARCHIVE.name}.local`, 'inbox/one.txt') })));
      expect(out.name).toBe('AccessDenied');
      expect(stores.get(BUCKET.name)!.head(own('copy/stolen.txt'))).toBeUndefined();
      expect(stores.get(BUCKET.name)!.head(own('copy/back.txt'))).toBeUndefined();
      expect(stores.get(ARCHIVE.name)!.head('outbox/one.txt')).toBeUndefined();
    });

    it('answers NoSuchKey for a missing source, NoSuchBucket for an unknown one, and PreconditionFailed for an ETag that does not match', async () => {
      const missing = await failure(client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/x.txt'), CopySource: copySource(local, own('copy/none.txt')) })));
      expect([missing.name, missing.status]).toEqual(['NoSuchKey', 404]);
      const bucket = await failure(client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/x.txt'), CopySource: copySource('other-bucket', own('copy/none.txt')) })));
      expect([bucket.name, bucket.status]).toEqual(['NoSuchBucket', 404]);
      const condition = await failure(client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/x.txt'), CopySource: copySource(local, source), CopySourceIfMatch: '"0000"' })));
      expect([condition.name, condition.status]).toEqual(['PreconditionFailed', 412]);
      const etag = stores.get(BUCKET.name)!.head(source)!.etag;
      await client.send(new CopyObjectCommand({ Bucket: local, Key: own('copy/x.txt'), CopySource: copySource(local, source), CopySourceIfMatch: etag }));
      expect(stores.get(BUCKET.name)!.head(own('copy/x.txt'))?.etag).toBe(etag);
    });
  });
});
