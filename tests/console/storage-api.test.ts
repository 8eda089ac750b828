/**
 * The console's Storage API and the state's objects, against the chat's real sandboxes (its attachments bucket):
 * objects written as the message processor writes them (the real S3 client with its credentials) are listed, paged,
 * shown or downloaded (never as the console's own active content) and deleted through the console, behind its secret;
 * a state export carries them, an import into another sandbox brings the same bytes, type, metadata and ETag back
 * (also through the folder form), and a reset empties the bucket.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionCredentials, LOCAL_REGION } from '../../offline/aws-endpoints';
import type { ConsoleBucket, ConsoleObjectPage } from '../../offline/console/api-types';
import { readStateDirectory, writeStateDirectory, type SandboxState } from '../../offline/sandbox/state';
import { newDataDirectory, startTestSandbox, type TestSandbox } from '../offline/helpers';

/** A 1×1 PNG. */
const PIXEL = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082', 'hex');
const PAGE = Buffer.from('<script>alert(document.cookie)</script>');

let source: TestSandbox;
let target: TestSandbox;
const clients: S3Client[] = [];
const folders: string[] = [];

/** The real S3 client signing as the message processor (which may write conversations/*), for `env`'s storage endpoint. */
function processorClient(env: TestSandbox): S3Client {
  const { accessKeyId, secretAccessKey } = functionCredentials('message-processor', env.sandbox.description.accountId);
  const client = new S3Client({ region: LOCAL_REGION, endpoint: env.sandbox.urls.storage, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  clients.push(client);
  return client;
}

const bucketName = (env: TestSandbox) => env.outputs.storage!.bucket_name;

async function consoleRequest(env: TestSandbox, method: string, path: string, body?: unknown, secret = env.sandbox.console!.secret): Promise<Response> {
  return fetch(`${env.sandbox.console!.origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function consoleJson<T>(env: TestSandbox, method: string, path: string, body?: unknown, status = 200): Promise<T> {
  const response = await consoleRequest(env, method, path, body);
  const text = await response.text();
  expect(response.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const objectPath = (key: string, extra = '') => `/api/buckets/chatAttachments/object?key=${encodeURIComponent(key)}${extra}`;

beforeAll(async () => {
  [source, target] = await Promise.all([startTestSandbox(newDataDirectory()), startTestSandbox(newDataDirectory())]);
  const client = processorClient(source);
  const put = (Key: string, Body: Buffer, ContentType: string, Metadata?: Record<string, string>) => client.send(new PutObjectCommand({ Bucket: bucketName(source), Key, Body, ContentType, Metadata }));
  await put('conversations/c1/m1/pixel ü.png', PIXEL, 'image/png', { uploader: 'ann' });
  await put('conversations/c1/m2/page.html', PAGE, 'text/html');
  await put('conversations/c2/m3/notes.txt', Buffer.from('notes'), 'text/plain');
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await Promise.all([source?.sandbox.close(), target?.sandbox.close()]);
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('the console lists, shows, downloads and deletes objects', () => {
  it('lists the served bucket and pages its objects with their size, type, modified time and metadata', async () => {
    const buckets = await consoleJson<ConsoleBucket[]>(source, 'GET', '/api/buckets');
    expect(buckets).toEqual([
      { name: 'chatAttachments', bucketName: bucketName(source), synthesizedName: source.sandbox.description.buckets![0]!.name, objects: 3, bytes: PIXEL.length + PAGE.length + 5 },
    ]);
    const first = await consoleJson<ConsoleObjectPage>(source, 'GET', '/api/buckets/chatAttachments/objects?prefix=conversations/c1/&limit=1');
    expect(first.objects).toEqual([
      { key: 'conversations/c1/m1/pixel ü.png', size: PIXEL.length, contentType: 'image/png', lastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), etag: expect.stringMatching(/^"[0-9a-f]{32}"$/), metadata: { uploader: 'ann' } },
    ]);
    expect(first.nextAfter).toBe('conversations/c1/m1/pixel ü.png');
    const second = await consoleJson<ConsoleObjectPage>(source, 'GET', `/api/buckets/chatAttachments/objects?prefix=conversations/c1/&limit=1&after=${encodeURIComponent(first.nextAfter!)}`);
    expect(second.objects.map((object) => object.key)).toEqual(['conversations/c1/m2/page.html']);
    expect(second.nextAfter).toBeUndefined();
    // By the local bucket name too; an unknown bucket is named in a 404.
    expect((await consoleJson<ConsoleObjectPage>(source, 'GET', `/api/buckets/${bucketName(source)}/objects`)).objects).toHaveLength(3);
    expect(await consoleJson(source, 'GET', '/api/buckets/nope/objects', undefined, 404)).toEqual({ error: { code: 'NotFound', message: expect.stringContaining('bucket nope') } });
  });

  it('shows an image inline, downloads any object as an attachment, and never serves other content as active', async () => {
    const shown = await consoleRequest(source, 'GET', objectPath('conversations/c1/m1/pixel ü.png'));
    expect([shown.status, shown.headers.get('content-type'), shown.headers.get('content-disposition')]).toEqual([200, 'image/png', 'inline']);
    expect(shown.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await shown.arrayBuffer()).equals(PIXEL)).toBe(true);
    const downloaded = await consoleRequest(source, 'GET', objectPath('conversations/c1/m1/pixel ü.png', '&download=1'));
    expect([downloaded.headers.get('content-type'), downloaded.headers.get('content-disposition')]).toEqual(['application/octet-stream', "attachment; filename*=UTF-8''pixel%20%C3%BC.png"]);
    const page = await consoleRequest(source, 'GET', objectPath('conversations/c1/m2/page.html'));
    expect([page.headers.get('content-type'), page.headers.get('content-disposition'), page.headers.get('x-content-type-options')]).toEqual([
      'application/octet-stream',
      "attachment; filename*=UTF-8''page.html",
      'nosniff',
    ]);
    expect(await page.text()).toBe(PAGE.toString());
    // Behind the console's secret like every route.
    expect((await consoleRequest(source, 'GET', objectPath('conversations/c1/m1/pixel ü.png'), undefined, 'wrong-secret')).status).toBe(401);
    expect((await consoleRequest(source, 'GET', '/api/buckets', undefined, 'wrong-secret')).status).toBe(401);
  });

  it('deletes an object, which S3 then no longer has', async () => {
    const client = processorClient(source);
    await client.send(new PutObjectCommand({ Bucket: bucketName(source), Key: 'conversations/c3/m4/gone.txt', Body: 'gone', ContentType: 'text/plain' }));
    expect(await consoleJson(source, 'DELETE', objectPath('conversations/c3/m4/gone.txt'))).toEqual({ deleted: 'conversations/c3/m4/gone.txt' });
    const error = await client.send(new GetObjectCommand({ Bucket: bucketName(source), Key: 'conversations/c3/m4/gone.txt' })).catch((e: Error) => e);
    // As S3 answers a caller without s3:ListBucket (the message processor has none) for a key that does not exist.
    expect((error as Error).name).toBe('AccessDenied');
    expect((error as Error).message).toContain('is not authorized to perform: s3:ListBucket');
    expect((await consoleRequest(source, 'GET', objectPath('conversations/c3/m4/gone.txt'))).status).toBe(404);
    expect((await consoleRequest(source, 'DELETE', objectPath('conversations/c3/m4/gone.txt'))).status).toBe(404);
    expect((await consoleRequest(source, 'DELETE', objectPath('conversations/c1/m1/pixel ü.png'), undefined, 'wrong-secret')).status).toBe(401);
    expect((await consoleJson<ConsoleBucket[]>(source, 'GET', '/api/buckets'))[0]!.objects).toBe(3);
  });
});

describe('the state carries the objects', () => {
  it('exports them, and an import into another sandbox restores bytes, type, metadata and ETag (also through a folder); a reset empties the bucket', async () => {
    const state = await consoleJson<SandboxState>(source, 'GET', '/api/state');
    expect(state.buckets).toHaveLength(1);
    const bucket = state.buckets![0]!;
    expect([bucket.name, bucket.bucketName]).toEqual(['chatAttachments', source.sandbox.description.buckets![0]!.name]);
    expect(bucket.objects.map((object) => object.key)).toEqual(['conversations/c1/m1/pixel ü.png', 'conversations/c1/m2/page.html', 'conversations/c2/m3/notes.txt']);
    expect(Buffer.from(bucket.objects[0]!.body, 'base64').equals(PIXEL)).toBe(true);

    const folder = mkdtempSync(join(tmpdir(), 'state-objects-'));
    folders.push(folder);
    writeStateDirectory(folder, state);
    expect(readStateDirectory(folder)).toEqual(state);

    const report = await consoleJson<{ buckets: { name: string; objects: number }[] }>(target, 'PUT', '/api/state', readStateDirectory(folder));
    expect(report.buckets).toEqual([{ name: 'chatAttachments', objects: 3 }]);
    const restored = await processorClient(target).send(new GetObjectCommand({ Bucket: bucketName(target), Key: 'conversations/c1/m1/pixel ü.png' }));
    expect([restored.ContentType, restored.Metadata, restored.ETag]).toEqual(['image/png', { uploader: 'ann' }, bucket.objects[0]!.etag]);
    expect(Buffer.from(await restored.Body!.transformToByteArray()).equals(PIXEL)).toBe(true);

    const reset = await consoleJson<{ buckets: { name: string; objects: number }[] }>(target, 'POST', '/api/state/reset');
    expect(reset.buckets).toEqual([{ name: 'chatAttachments', objects: 3 }]);
    expect((await consoleJson<ConsoleBucket[]>(target, 'GET', '/api/buckets'))[0]!.objects).toBe(0);
  });

  it('refuses, before writing anything, a state with objects of a bucket this sandbox does not serve', async () => {
    const state = await consoleJson<SandboxState>(source, 'GET', '/api/state');
    const foreign = { ...state, buckets: [{ ...state.buckets![0]!, name: 'otherBucket', bucketName: 'other-bucket' }] };
    const refused = await consoleJson<{ error: { message: string } }>(target, 'PUT', '/api/state', foreign, 400);
    expect(refused.error.message).toContain('buckets this sandbox does not serve: otherBucket');
    expect((await consoleJson<ConsoleBucket[]>(target, 'GET', '/api/buckets'))[0]!.objects).toBe(0);
  });
});
