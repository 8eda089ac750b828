/**
 * Attachments on the offline sandbox with the stock aws-amplify v6 client, as the web app uses it: Ann stages files
 * with Storage's uploadData under her own identity (options.customEndpoint from the outputs' custom.storageEndpoint,
 * the sandbox's CA trusted through NODE_EXTRA_CA_CERTS) and sends IMAGE and FILE messages; the real message processor
 * checks and moves them with its own credentials; Bob's subscription receives the attachment and he fetches the bytes
 * through getAttachmentUrls. Wrong types, oversize files, someone else's upload and a TEXT message with a file are
 * refused; removing the message deletes its file; a member removed from the group gets no URLs.
 */
import { signOut } from 'aws-amplify/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_URL_TTL_SECONDS, MAX_ATTACHMENT_BYTES } from '../../amplify/shared/limits';
import { configureAmplify } from '../../src/amplify-config';
import { EXECUTABLE, PDF, png } from '../helpers/sample-files';
import { installFileReader } from '../storage/file-reader';
import { installWebSocket, startTestSandbox, subscriptionAcks, type TestSandbox } from './helpers';
import { historyOf, recorder, signUpEveryone, signedInAs, stageUpload } from './stock-client';

installWebSocket();
type User = 'a' | 'b' | 'c';
let env: TestSandbox;
let ids: Record<User, string>;
const emails: Record<User, string> = { a: 'ann.attachments@example.com', b: 'bob.attachments@example.com', c: 'cat.attachments@example.com' };
let conversationId = '';
let storageEndpoint = '';
const PHOTO = png(48, 32);

const as = (user: User) => signedInAs(emails[user]);

const stage = (name: string, data: Uint8Array, contentType: string, uploader: string) => stageUpload(storageEndpoint, name, data, contentType, uploader);

async function fetched(url: string) {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), body: Buffer.from(await response.arrayBuffer()) };
}

const firstError = (answer: { errors?: { message: string }[] | null }) => answer.errors?.[0]?.message ?? 'no error';

beforeAll(async () => {
  installFileReader();
  env = await startTestSandbox();
  configureAmplify(env.outputs);
  storageEndpoint = env.outputs.custom['storageEndpoint'] as string;
  if (!storageEndpoint) throw new Error('the sandbox wrote no custom.storageEndpoint');
  ids = await signUpEveryone(env, emails);
  const a = await as('a');
  const created = await a.mutations.createConversation({ input: { name: 'Files', participants: [ids.b, ids.c], kind: 'GROUP' } });
  conversationId = created.data!.conversationId;
}, 120_000);

afterAll(async () => {
  await signOut().catch(() => undefined);
  await env?.sandbox.close();
});

describe('attachments with the stock client', () => {
  let photoId = '';
  let photoUrl = '';

  it("Ann sends a photo and a file; Bob's subscription receives them with their attachments; the history has them", async () => {
    const b = await as('b');
    const bSeen = recorder();
    const acked = subscriptionAcks(1);
    const bSub = b.subscriptions.onConversationEvent({ conversationId }).subscribe({ next: (e) => bSeen.next(e) });
    await acked;

    const a = await as('a');
    const photo = await a.mutations.sendMessage({
      input: { conversationId, content: 'our cat', messageType: 'IMAGE', uploadPath: await stage('cat.png', PHOTO, 'image/png', ids.a), fileName: 'cat.png', clientMessageId: crypto.randomUUID() },
    });
    expect(photo.errors).toBeUndefined();
    photoId = photo.data!.messageId;
    const photoAttachment = { path: `conversations/${conversationId}/${photoId}/cat.png`, name: 'cat.png', size: PHOTO.length, contentType: 'image/png', width: 48, height: 32 };
    expect(photo.data).toMatchObject({ messageType: 'IMAGE', content: 'our cat', attachment: photoAttachment });
    const file = await a.mutations.sendMessage({
      input: { conversationId, content: '', messageType: 'FILE', uploadPath: await stage('report.pdf', PDF, 'application/pdf', ids.a), fileName: 'Q3 report.pdf' },
    });
    expect(file.errors).toBeUndefined();
    const fileAttachment = { path: `conversations/${conversationId}/${file.data!.messageId}/Q3 report.pdf`, name: 'Q3 report.pdf', size: PDF.length, contentType: 'application/pdf', width: null, height: null };

    expect(await bSeen.waitFor((e) => e.type === 'MESSAGE_SENT' && e.messageId === photoId)).toMatchObject({ messageType: 'IMAGE', content: 'our cat', attachment: photoAttachment });
    expect(await bSeen.waitFor((e) => e.type === 'MESSAGE_SENT' && e.messageId === file.data!.messageId)).toMatchObject({ messageType: 'FILE', attachment: fileAttachment });
    bSub.unsubscribe();

    const history = await historyOf(await as('b'), { conversationId });
    expect(history.errors).toBeUndefined();
    expect(history.data.filter((m) => m.attachment).map((m) => m.attachment)).toEqual([photoAttachment, fileAttachment]);
    const list = await (await as('b')).models.Conversation.get({ id: conversationId });
    expect(list.data?.lastMessagePreview).toBe('📎 Q3 report.pdf');
  });

  it('Bob fetches the bytes through getAttachmentUrls: the photo shown inline as PNG, the file as a named download', async () => {
    const b = await as('b');
    const history = await historyOf(b, { conversationId });
    const fileId = history.data.find((m) => m.messageType === 'FILE')!.id;
    const before = Date.now();
    const answer = await b.queries.getAttachmentUrls({ conversationId, messageIds: [photoId, fileId] });
    expect(answer.errors).toBeUndefined();
    const [photo, file] = answer.data!;
    expect([photo!.messageId, file!.messageId]).toEqual([photoId, fileId]);
    expect(Date.parse(photo!.expiresAt)).toBeGreaterThanOrEqual(before + (ATTACHMENT_URL_TTL_SECONDS - 5) * 1000);
    photoUrl = photo!.url;
    expect(await fetched(photo!.url)).toEqual({ status: 200, type: 'image/png', disposition: `inline; filename="cat.png"; filename*=UTF-8''cat.png`, body: PHOTO });
    expect(await fetched(photo!.downloadUrl)).toMatchObject({ status: 200, disposition: `attachment; filename="cat.png"; filename*=UTF-8''cat.png`, body: PHOTO });
    const download = { status: 200, type: 'application/octet-stream', disposition: `attachment; filename="Q3 report.pdf"; filename*=UTF-8''Q3%20report.pdf`, body: PDF };
    expect(await fetched(file!.url)).toEqual(download);
    expect(await fetched(file!.downloadUrl)).toEqual(download);
  });

  it("refuses a file whose content is not its type, an oversize file, someone else's upload and a TEXT message with a file", async () => {
    const a = await as('a');
    const fake = await a.mutations.sendMessage({ input: { conversationId, content: '', messageType: 'FILE', uploadPath: await stage('invoice.pdf', EXECUTABLE, 'application/pdf', ids.a), fileName: 'invoice.pdf' } });
    expect(firstError(fake)).toMatch(/^ValidationError: the file's content \(.*\) does not match its declared type application\/pdf$/);
    const big = Buffer.concat([PHOTO, Buffer.alloc(MAX_ATTACHMENT_BYTES + 1 - PHOTO.length)]);
    const oversize = await a.mutations.sendMessage({ input: { conversationId, content: '', messageType: 'IMAGE', uploadPath: await stage('big.png', big, 'image/png', ids.a), fileName: 'big.png' } });
    expect(firstError(oversize)).toBe(`ValidationError: the file is ${MAX_ATTACHMENT_BYTES + 1} bytes; the limit is ${MAX_ATTACHMENT_BYTES}`);
    const annStaged = await stage('mine.png', PHOTO, 'image/png', ids.a);
    const text = await a.mutations.sendMessage({ input: { conversationId, content: 'look', messageType: 'TEXT', uploadPath: annStaged, fileName: 'mine.png' } });
    expect(firstError(text)).toBe('ValidationError: a TEXT message carries no file: uploadPath and fileName are for IMAGE and FILE messages');

    const b = await as('b');
    const stolen = await b.mutations.sendMessage({ input: { conversationId, content: '', messageType: 'IMAGE', uploadPath: annStaged, fileName: 'mine.png' } });
    expect(firstError(stolen)).toBe(`NotFound: no upload of yours at ${annStaged}`);
    const history = await historyOf(b, { conversationId });
    expect(history.data.filter((m) => m.attachment).map((m) => m.attachment!.name)).toEqual(['cat.png', 'Q3 report.pdf']);
  }, 120_000);

  it('refuses a member removed from the group: no URLs after the removal', async () => {
    const c = await as('c');
    const before = await c.queries.getAttachmentUrls({ conversationId, messageIds: [photoId] });
    expect(before.errors).toBeUndefined();
    expect(before.data!.map((u) => u.messageId)).toEqual([photoId]);
    const a = await as('a');
    expect((await a.mutations.removeMember({ conversationId, userId: ids.c })).errors).toBeUndefined();
    const after = await (await as('c')).queries.getAttachmentUrls({ conversationId, messageIds: [photoId] });
    expect(after.data ?? null).toBeNull();
    expect(firstError(after)).toBe(`Unauthorized: not a participant of conversation ${conversationId}`);
  });

  it('deletes the file with its message: no URL any more, and the URL given before finds nothing', async () => {
    const a = await as('a');
    expect((await a.mutations.removeMessage({ messageId: photoId })).errors).toBeUndefined();
    const b = await as('b');
    expect((await b.queries.getAttachmentUrls({ conversationId, messageIds: [photoId] })).data).toEqual([]);
    // As S3 answers a caller without s3:ListBucket (the message processor signed it): 403, naming the listing it
    // would need to learn the key is missing — not a signature or expiry failure.
    const stale = await fetched(photoUrl);
    expect(stale.status).toBe(403);
    expect(stale.body.toString()).toContain('<Code>AccessDenied</Code>');
    expect(stale.body.toString()).toContain('s3:ListBucket');
  });
});
