/**
 * Attachments (attachments.ts, attachment-store.ts, sendMessage/editMessage/removeMessage in logic.ts) through the
 * stores the Lambda uses, on real implementations: DynamoDB is dynalite (offline/dynamodb) and the bucket is the
 * sandbox's S3 endpoint (offline/s3) serving the synthesized chatAttachments bucket, every request SigV4-verified and
 * evaluated against the synthesized role policies — the message processor's own role, and the identity pool's
 * authenticated role with each identity's `cognito-identity.amazonaws.com:sub` for the users' staged uploads. Only
 * publishing is recorded in an array (tests/offline/attachments.test.ts covers the stock client on the whole sandbox).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerCredential } from '../../../offline/aws-endpoints';
import { createLocalDynamoDbClient, type LocalDynamoDb } from '../../../offline/dynamodb/index';
import { loadCdkOut, type BucketDescription } from '../../../offline/loader';
import { BucketStore, startStorageServer, type StorageServer } from '../../../offline/s3';
import { loadOrCreateCertificate } from '../../../offline/tls';
import { canonical, newUser, seedConversation, setParticipants, startDynamoDbWithTables, type TestUser } from '../../../tests/helpers/message-processor-tables';
import { rejectionOf as errorOf } from '../../../tests/helpers/rejection';
import { EXECUTABLE, gif, PDF, png, SVG } from '../../../tests/helpers/sample-files';
import { TEST_TLS_DIRECTORY } from '../../../tests/setup/offline-ca';
import { ATTACHMENT_URL_TTL_SECONDS, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_NAME_LENGTH } from '../../shared/limits';
import { s3AttachmentStore, type AttachmentObjectStore } from './attachment-store';
import { attachmentMover, contentDisposition, getAttachmentUrls, MAX_ATTACHMENT_URL_IDS, removeAttachmentOf } from './attachments';
import { dynamoDbMessageStore } from './dynamodb-store';
import { editMessage, messageIdFor, removeMessage, sendMessage, type ConversationEvent, type MessageStore } from './logic';
import { searchMessages, sendMessageIndexed } from './search';
import { dynamoDbSearchIndexStore } from './search-store';

const CDK_OUT = join(import.meta.dirname, '..', '..', '..', '.amplify', 'artifacts', 'cdk.out');
const TABLES = { conversation: 'Conversation-attachmenttest-NONE', message: 'Message-attachmenttest-NONE' };
const RATE_TABLE = 'SendRateLimit-attachmenttest-NONE';
const SEARCH_TABLE = 'MessageSearchIndex-attachmenttest-NONE';
const PROCESSOR = { accessKeyId: 'AKIAMESSAGEPROCESSOR', secretAccessKey: 'secret-of-the-message-processor' };
const REGION = 'us-east-1';

let dynamo: LocalDynamoDb;
let folder: string;
let server: StorageServer;
let bucket: BucketDescription;
let objects: AttachmentObjectStore;
let processorS3: S3Client;
const credentials = new Map<string, CallerCredential>();

/** A signed-in user of the chat: their pool identity (sub) and their identity pool identity with its own S3 client. */
interface Person extends TestUser {
  identityId: string;
  s3: S3Client;
}

beforeAll(async () => {
  if (!existsSync(join(CDK_OUT, 'manifest.json'))) throw new Error(`No synthesized backend at ${CDK_OUT}; run \`npm run synth\` first.`);
  const backend = loadCdkOut(CDK_OUT);
  const found = backend.buckets?.find((b) => b.friendlyName === 'chatAttachments');
  const processor = backend.lambdas.find((lambda) => lambda.name === 'message-processor');
  if (!found || !processor || !backend.identityPool?.authenticatedRole) throw new Error('the synthesized backend has no chatAttachments bucket, message processor or authenticated role');
  bucket = found;
  credentials.set(PROCESSOR.accessKeyId, { secretAccessKey: PROCESSOR.secretAccessKey, principal: 'arn:aws:sts::123456789012:assumed-role/message-processor/fn', policy: processor.policy, functionName: 'message-processor' });
  dynamo = await startDynamoDbWithTables({ ...TABLES, sendRateLimit: RATE_TABLE, searchIndex: SEARCH_TABLE });
  folder = mkdtempSync(join(tmpdir(), 'attachments-'));
  const store = new BucketStore(bucket.name, join(folder, 'bucket'));
  server = await startStorageServer({ buckets: () => [bucket], store: () => store, credentials, tls: await loadOrCreateCertificate(TEST_TLS_DIRECTORY), host: '127.0.0.1', port: 0, log: () => undefined });
  processorS3 = s3Of(PROCESSOR);
  objects = s3AttachmentStore(processorS3, bucket.name);
  authenticatedRole = backend.identityPool.authenticatedRole;
});

afterAll(async () => {
  processorS3?.destroy();
  await server?.close();
  await dynamo?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

let authenticatedRole: CallerCredential['policy'];

const s3Of = (key: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
  new S3Client({ region: REGION, endpoint: server.url, credentials: key, forcePathStyle: true, maxAttempts: 1 });

/** A user with an identity of the identity pool: temporary credentials of the authenticated role, scoped by their identity id. */
function person(): Person {
  const user = newUser();
  const identityId = `${REGION}:${randomUUID()}`;
  const key = { accessKeyId: `ASIA${randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase()}`, secretAccessKey: randomUUID(), sessionToken: randomUUID() };
  credentials.set(key.accessKeyId, {
    secretAccessKey: key.secretAccessKey,
    sessionToken: key.sessionToken,
    expiresAt: Date.now() + 3600_000,
    principal: `arn:aws:sts::123456789012:assumed-role/authenticated/CognitoIdentityCredentials`,
    policy: authenticatedRole,
    context: { 'cognito-identity.amazonaws.com:sub': identityId },
  });
  return { ...user, identityId, s3: s3Of(key) };
}

/** Stages a file as uploadData does: under the user's own identity, with the uploader metadata and a declared type. */
async function stage(who: Person, name: string, body: Buffer, contentType: string, metadata: Record<string, string> = { uploader: who.sub }): Promise<string> {
  const key = `uploads/${who.identityId}/${randomUUID()}/${name}`;
  await who.s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body, ContentType: contentType, Metadata: metadata }));
  return key;
}

const exists = async (key: string) => (await objects.head(key)) !== null;

async function messageItem(id: string) {
  const answer = await dynamo.client.send(new GetItemCommand({ TableName: TABLES.message, Key: marshall({ id }), ConsistentRead: true }));
  return answer.Item ? unmarshall(answer.Item) : null;
}

async function conversationItem(id: string) {
  const answer = await dynamo.client.send(new GetItemCommand({ TableName: TABLES.conversation, Key: marshall({ id }), ConsistentRead: true }));
  return answer.Item ? unmarshall(answer.Item) : null;
}

/** Ann and Bob in a conversation; Eve in one of her own with Ann. */
async function world(options: { sendLimit?: number } = {}) {
  const [ann, bob, eve] = [person(), person(), person()];
  const conversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(ann), canonical(bob)]);
  const eveConversationId = await seedConversation(dynamo, TABLES.conversation, [canonical(eve), canonical(ann)]);
  const published: ConversationEvent[] = [];
  const rateLimit = options.sendLimit ? { tableName: RATE_TABLE, limit: { messages: options.sendLimit, windowSeconds: 60 } } : null;
  const store: MessageStore = dynamoDbMessageStore({ client: createLocalDynamoDbClient(dynamo.endpoint), tables: TABLES, rateLimit, publish: async (event) => void published.push(structuredClone(event)) });
  const logged: string[] = [];
  const files = attachmentMover(objects, (line) => logged.push(line));
  return { ann, bob, eve, conversationId, eveConversationId, store, files, published, logged };
}

const IMAGE = png(40, 30);

describe('sendMessage with a staged upload', () => {
  it('moves an image into the conversation, measured, and publishes it with the message', async () => {
    const w = await world();
    const staged = await stage(w.ann, 'cat.png', IMAGE, 'image/png');
    const sent = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '  ', messageType: 'IMAGE', uploadPath: staged, fileName: 'cat.png', clientMessageId: randomUUID() }, undefined, w.files);
    const attachment = { path: `conversations/${w.conversationId}/${sent.messageId}/cat.png`, name: 'cat.png', size: IMAGE.length, contentType: 'image/png', width: 40, height: 30 };
    expect(sent).toMatchObject({ messageType: 'IMAGE', content: '', attachment });
    expect(await messageItem(sent.messageId)).toMatchObject({ messageType: 'IMAGE', content: '', attachment });
    expect(w.published).toEqual([expect.objectContaining({ type: 'MESSAGE_SENT', messageId: sent.messageId, attachment })]);
    expect(await conversationItem(w.conversationId)).toMatchObject({ lastMessagePreview: '📷 Photo' });
    // The bytes moved: the conversation's copy holds them with the measured type; the staged upload is gone.
    const copy = await processorS3.send(new GetObjectCommand({ Bucket: bucket.name, Key: attachment.path }));
    expect(Buffer.from(await copy.Body!.transformToByteArray()).equals(IMAGE)).toBe(true);
    expect(copy.ContentType).toBe('image/png');
    expect(copy.Metadata).toEqual({});
    expect(await exists(staged)).toBe(false);
  });

  it('takes the type of an image from its content, whatever was declared (a GIF declared as PNG)', async () => {
    const w = await world();
    const staged = await stage(w.ann, 'anim.png', gif(7, 5), 'image/png');
    const sent = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'moving', messageType: 'IMAGE', uploadPath: staged, fileName: 'anim.png' }, undefined, w.files);
    expect(sent.attachment).toMatchObject({ contentType: 'image/gif', width: 7, height: 5 });
    expect(await conversationItem(w.conversationId)).toMatchObject({ lastMessagePreview: '📷 Photo · moving' });
  });

  it('moves a file with its declared type when the content confirms it, without dimensions', async () => {
    const w = await world();
    const staged = await stage(w.ann, 'q3.pdf', PDF, 'application/pdf');
    const sent = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'the numbers', messageType: 'FILE', uploadPath: staged, fileName: 'Q3 report.pdf' }, undefined, w.files);
    expect(sent.attachment).toEqual({ path: `conversations/${w.conversationId}/${sent.messageId}/Q3 report.pdf`, name: 'Q3 report.pdf', size: PDF.length, contentType: 'application/pdf' });
    expect(await conversationItem(w.conversationId)).toMatchObject({ lastMessagePreview: '📎 Q3 report.pdf · the numbers' });
    const text = await stage(w.ann, 'notes.txt', Buffer.from('plain words\n'), 'text/plain; charset=utf-8');
    const notes = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '', messageType: 'FILE', uploadPath: text, fileName: 'notes.txt' }, undefined, w.files);
    expect(notes.attachment).toMatchObject({ contentType: 'text/plain', name: 'notes.txt' });
  });

  it.each([
    ['an IMAGE that is a PDF', 'IMAGE', 'doc.png', PDF, 'image/png', /^ValidationError: an IMAGE message carries a image\/png, image\/jpeg, image\/gif, image\/webp file; this file is application\/pdf$/],
    ['an SVG image (a document that can run script)', 'IMAGE', 'x.svg', SVG, 'image/svg+xml', /^ValidationError: an IMAGE message carries .* this file is not an image$/],
    ['a FILE of a type not allowed', 'FILE', 'setup.exe', EXECUTABLE, 'application/x-msdownload', /^ValidationError: a FILE message carries one of .*; this upload was declared application\/x-msdownload$/],
    ['a FILE whose content is not its declared type', 'FILE', 'invoice.pdf', EXECUTABLE, 'application/pdf', /^ValidationError: the file's content \(.*\) does not match its declared type application\/pdf$/],
    ['a text FILE that is an image', 'FILE', 'notes.txt', IMAGE, 'text/plain', /^ValidationError: the file's content \(image\/png\) does not match its declared type text\/plain$/],
  ] as const)('refuses %s, and leaves the upload staged and nothing written', async (_, messageType, name, body, contentType, error) => {
    const w = await world();
    const staged = await stage(w.ann, name, body, contentType);
    const refused = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'x', messageType, uploadPath: staged, fileName: name }, undefined, w.files));
    expect(refused.message).toMatch(error);
    expect(await exists(staged)).toBe(true);
    expect(w.published).toEqual([]);
    expect((await conversationItem(w.conversationId))?.['lastMessageAt']).toBeUndefined();
  });

  it('refuses a file above MAX_ATTACHMENT_BYTES before reading it', async () => {
    const w = await world();
    const staged = await stage(w.ann, 'big.png', Buffer.concat([IMAGE, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - IMAGE.length)]), 'image/png');
    const refused = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath: staged, fileName: 'big.png' }, undefined, w.files));
    expect(refused.message).toBe(`ValidationError: the file is ${MAX_ATTACHMENT_BYTES + 1} bytes; the limit is ${MAX_ATTACHMENT_BYTES}`);
  });

  it("refuses someone else's staged upload and an upload without the caller as its uploader, alike (NotFound)", async () => {
    const w = await world();
    const annStaged = await stage(w.ann, 'mine.png', IMAGE, 'image/png');
    // Bob cannot stage into Ann's folder at all (the authenticated role's policy, by identity id)…
    const planted = await errorOf(w.bob.s3.send(new PutObjectCommand({ Bucket: bucket.name, Key: `uploads/${w.ann.identityId}/${randomUUID()}/x.png`, Body: IMAGE })));
    expect(planted.name).toBe('AccessDenied');
    // …and naming her upload gets him nothing: it is not his (its uploader is Ann).
    const stolen = await errorOf(sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath: annStaged, fileName: 'mine.png' }, undefined, w.files));
    expect(stolen.message).toBe(`NotFound: no upload of yours at ${annStaged}`);
    const unmarked = await stage(w.bob, 'anon.png', IMAGE, 'image/png', {});
    const missing = `uploads/${w.bob.identityId}/${randomUUID()}/nothing.png`;
    for (const uploadPath of [unmarked, missing]) {
      const refused = await errorOf(sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath, fileName: 'a.png' }, undefined, w.files));
      expect(refused.message).toBe(`NotFound: no upload of yours at ${uploadPath}`);
    }
    expect(await exists(annStaged)).toBe(true);
    expect(w.published).toEqual([]);
  });

  it('refuses malformed upload paths and file names before touching the bucket', async () => {
    const w = await world();
    const id = w.ann.identityId;
    const paths = [
      `conversations/${w.conversationId}/x/cat.png`,
      `uploads/${id}/../../conversations/x/cat.png`,
      `uploads/${id}/${randomUUID()}/..`,
      `uploads/${id}/${randomUUID()}/sub/cat.png`,
      `uploads/not-an-identity/${randomUUID()}/cat.png`,
      `uploads/${id}/${randomUUID()}/${'a'.repeat(1000)}.png`,
    ];
    for (const uploadPath of paths) {
      const refused = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath, fileName: 'cat.png' }, undefined, w.files));
      expect(refused.message, uploadPath).toBe('ValidationError: uploadPath must be uploads/<your identity id>/<upload id>/<file name>, as uploadData wrote it');
    }
    const staged = `uploads/${id}/${randomUUID()}/cat.png`;
    for (const fileName of ['a/b.png', '..', 'evil\u202egnp.exe', 'tab\there.png']) {
      const refused = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath: staged, fileName }, undefined, w.files));
      expect(refused.message, fileName).toBe('ValidationError: fileName must be a plain file name (no slashes, no control characters)');
    }
    const long = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath: staged, fileName: 'n'.repeat(MAX_ATTACHMENT_NAME_LENGTH + 1) }, undefined, w.files));
    expect(long.message).toBe(`ValidationError: fileName is ${MAX_ATTACHMENT_NAME_LENGTH + 1} characters long; the limit is ${MAX_ATTACHMENT_NAME_LENGTH}`);
  });

  it('checks membership before the bucket: a non-participant gets Unauthorized and their upload stays staged', async () => {
    const w = await world();
    const staged = await stage(w.eve, 'cat.png', IMAGE, 'image/png');
    const refused = await errorOf(sendMessage(w.store, w.eve, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath: staged, fileName: 'cat.png' }, undefined, w.files));
    expect(refused.message).toBe(`Unauthorized: not a participant of conversation ${w.conversationId}`);
    expect(await exists(staged)).toBe(true);
  });

  it('answers a retried send with the stored message (its upload already moved), and a different file under the same clientMessageId with Conflict', async () => {
    const w = await world();
    const clientMessageId = randomUUID();
    const staged = await stage(w.ann, 'cat.png', IMAGE, 'image/png');
    const input = { conversationId: w.conversationId, content: 'hi', messageType: 'IMAGE', uploadPath: staged, fileName: 'cat.png', clientMessageId };
    const first = await sendMessage(w.store, w.ann, input, undefined, w.files);
    const retry = await sendMessage(w.store, w.ann, input, undefined, w.files);
    expect(retry).toEqual(first);
    expect(w.published.map((e) => e.type)).toEqual(['MESSAGE_SENT', 'MESSAGE_SENT']);
    const other = await stage(w.ann, 'dog.png', IMAGE, 'image/png');
    const conflict = await errorOf(sendMessage(w.store, w.ann, { ...input, uploadPath: other, fileName: 'dog.png' }, undefined, w.files));
    expect(conflict.message).toBe(`Conflict: clientMessageId ${clientMessageId} was already used for a different message`);
    expect(await exists(other)).toBe(true);
    expect(await exists(`conversations/${w.conversationId}/${first.messageId}/dog.png`)).toBe(false);
  });

  it('deletes the copy again when the message is not written (the send limit)', async () => {
    const w = await world({ sendLimit: 1 });
    await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'first' }, undefined, w.files);
    const staged = await stage(w.ann, 'cat.png', IMAGE, 'image/png');
    const clientMessageId = randomUUID();
    const refused = await errorOf(sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath: staged, fileName: 'cat.png', clientMessageId }, undefined, w.files));
    expect(refused.message).toMatch(/^RateLimited: /);
    expect(await exists(staged)).toBe(true);
    expect(await exists(`conversations/${w.conversationId}/${messageIdFor(w.ann.sub, clientMessageId)}/cat.png`)).toBe(false);
  });
});

describe('search', () => {
  it("indexes a file message's caption only, never its file name", async () => {
    const w = await world();
    const index = dynamoDbSearchIndexStore(createLocalDynamoDbClient(dynamo.endpoint), SEARCH_TABLE);
    const staged = await stage(w.ann, 'zebra.png', IMAGE, 'image/png');
    const sent = await sendMessageIndexed(w.store, index, w.ann, { conversationId: w.conversationId, content: 'striped friend', messageType: 'IMAGE', uploadPath: staged, fileName: 'zebra.png' }, undefined, w.files);
    const hits = async (query: string) => (await searchMessages(w.store, index, w.bob, { query, conversationIds: [w.conversationId] })).items.map((hit) => hit.messageId);
    expect(await hits('striped')).toEqual([sent.messageId]);
    expect(await hits('zebra')).toEqual([]);
  });
});

describe('editMessage and removeMessage of a file', () => {
  it('edits only the caption (which may be emptied) and keeps the file; the event carries it', async () => {
    const w = await world();
    const staged = await stage(w.ann, 'cat.png', IMAGE, 'image/png');
    const sent = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'old caption', messageType: 'IMAGE', uploadPath: staged, fileName: 'cat.png' }, undefined, w.files);
    const edited = await editMessage(w.store, w.ann, { messageId: sent.messageId, content: ' new caption ' });
    expect(edited).toMatchObject({ content: 'new caption', attachment: sent.attachment });
    const emptied = await editMessage(w.store, w.ann, { messageId: sent.messageId, content: '' });
    expect(emptied).toMatchObject({ content: '', attachment: sent.attachment });
    expect(w.published.filter((e) => e.type === 'MESSAGE_EDITED')).toEqual([
      expect.objectContaining({ content: 'new caption', attachment: sent.attachment }),
      expect.objectContaining({ content: '', attachment: sent.attachment }),
    ]);
    // A text message still needs words.
    const text = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'words' });
    expect((await errorOf(editMessage(w.store, w.ann, { messageId: text.messageId, content: ' ' }))).message).toBe('ValidationError: content must not be empty');
  });

  it('deletes the conversation file with the message; the removal event carries nothing of it', async () => {
    const w = await world();
    const staged = await stage(w.ann, 'cat.png', IMAGE, 'image/png');
    const sent = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath: staged, fileName: 'cat.png' }, undefined, w.files);
    expect(await exists(sent.attachment!.path)).toBe(true);
    const removed = await removeMessage(w.store, w.ann, { messageId: sent.messageId });
    await removeAttachmentOf(w.files, removed);
    expect(await exists(sent.attachment!.path)).toBe(false);
    expect(w.published.at(-1)).toMatchObject({ type: 'MESSAGE_DELETED', content: null });
    expect(w.published.at(-1)).not.toHaveProperty('attachment');
  });

  it('logs a failed file delete instead of failing the removal (the message is gone already)', async () => {
    const logged: string[] = [];
    const failing = { removeFile: () => Promise.reject(new Error('S3 is down')) };
    const message = { id: 'm1', attachment: { path: 'conversations/c/m1/a.png', name: 'a.png', size: 1, contentType: 'image/png' } } as Parameters<typeof removeAttachmentOf>[1];
    await removeAttachmentOf(failing, message, (line) => logged.push(line));
    expect(logged).toEqual(['attachment conversations/c/m1/a.png of removed message m1 not deleted: Error: S3 is down']);
  });
});

describe('getAttachmentUrls', () => {
  async function sharedFiles() {
    const w = await world();
    const image = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: '', messageType: 'IMAGE', uploadPath: await stage(w.ann, 'cat.png', IMAGE, 'image/png'), fileName: 'cat.png' }, undefined, w.files);
    const file = await sendMessage(w.store, w.bob, { conversationId: w.conversationId, content: '', messageType: 'FILE', uploadPath: await stage(w.bob, 'r.pdf', PDF, 'application/pdf'), fileName: 'Bericht Ü.pdf' }, undefined, w.files);
    const text = await sendMessage(w.store, w.ann, { conversationId: w.conversationId, content: 'no file' });
    const elsewhere = await sendMessage(w.store, w.eve, { conversationId: w.eveConversationId, content: '', messageType: 'IMAGE', uploadPath: await stage(w.eve, 'e.png', IMAGE, 'image/png'), fileName: 'e.png' }, undefined, w.files);
    return { ...w, image, file, text, elsewhere };
  }

  it('signs a URL pair per file of the conversation (images inline as themselves, files as opaque downloads) and leaves the rest out', async () => {
    const w = await sharedFiles();
    const before = Date.now();
    const urls = await getAttachmentUrls(w.store, objects, w.bob, { conversationId: w.conversationId, messageIds: [w.image.messageId, w.file.messageId, w.text.messageId, w.elsewhere.messageId, randomUUID(), w.image.messageId] });
    expect(urls.map((u) => u.messageId)).toEqual([w.image.messageId, w.file.messageId]);
    const expiresAt = Date.parse(urls[0]!.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + ATTACHMENT_URL_TTL_SECONDS * 1000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + ATTACHMENT_URL_TTL_SECONDS * 1000);
    const fetched = async (url: string) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), body: Buffer.from(await response.arrayBuffer()) };
    };
    const [imageUrl, fileUrl] = urls;
    expect(await fetched(imageUrl!.url)).toEqual({ status: 200, type: 'image/png', disposition: contentDisposition('inline', 'cat.png'), body: IMAGE });
    expect(await fetched(imageUrl!.downloadUrl)).toEqual({ status: 200, type: 'image/png', disposition: contentDisposition('attachment', 'cat.png'), body: IMAGE });
    const download = { status: 200, type: 'application/octet-stream', disposition: `attachment; filename="Bericht _.pdf"; filename*=UTF-8''Bericht%20%C3%9C.pdf`, body: PDF };
    expect(await fetched(fileUrl!.url)).toEqual(download);
    expect(await fetched(fileUrl!.downloadUrl)).toEqual(download);
    // A signature names exactly what was signed: another key under the same signature is refused.
    const forged = imageUrl!.url.replace('/cat.png?', '/other.png?');
    expect((await fetched(forged)).status).toBe(403);
  });

  it('refuses non-participants and removed members (strongly consistent), and more than 50 ids', async () => {
    const w = await sharedFiles();
    const ids = [w.image.messageId];
    expect((await errorOf(getAttachmentUrls(w.store, objects, w.eve, { conversationId: w.conversationId, messageIds: ids }))).message).toBe(`Unauthorized: not a participant of conversation ${w.conversationId}`);
    await setParticipants(dynamo, TABLES.conversation, w.conversationId, [canonical(w.ann)]);
    expect((await errorOf(getAttachmentUrls(w.store, objects, w.bob, { conversationId: w.conversationId, messageIds: ids }))).message).toBe(`Unauthorized: not a participant of conversation ${w.conversationId}`);
    const many = Array.from({ length: MAX_ATTACHMENT_URL_IDS + 1 }, () => randomUUID());
    expect((await errorOf(getAttachmentUrls(w.store, objects, w.ann, { conversationId: w.conversationId, messageIds: many }))).message).toBe(`ValidationError: at most ${MAX_ATTACHMENT_URL_IDS} messages per call`);
    expect(await getAttachmentUrls(w.store, objects, w.ann, { conversationId: w.conversationId, messageIds: [] })).toEqual([]);
  });

  it('stops serving a removed message: no new URLs, and the URLs given before find nothing', async () => {
    const w = await sharedFiles();
    const [before] = await getAttachmentUrls(w.store, objects, w.bob, { conversationId: w.conversationId, messageIds: [w.image.messageId] });
    await removeAttachmentOf(w.files, await removeMessage(w.store, w.ann, { messageId: w.image.messageId }));
    expect(await getAttachmentUrls(w.store, objects, w.bob, { conversationId: w.conversationId, messageIds: [w.image.messageId] })).toEqual([]);
    // S3's answer to a caller without s3:ListBucket for a key that is gone: 403 naming the listing, not NoSuchKey.
    const stale = await fetch(before!.url);
    expect(stale.status).toBe(403);
    expect(await stale.text()).toContain('s3:ListBucket');
  });
});
