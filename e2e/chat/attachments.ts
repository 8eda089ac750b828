/**
 * Attachments live between browser windows on the offline sandbox, with the stock client: Ann pastes an image (a real
 * PNG drawn in her page, handed to the composer as a paste event's clipboard file) into her chat with Bob and sends it
 * with a caption; Bob's open conversation shows it at once, loaded from the URL getAttachmentUrls signed for him, and
 * he opens it in the lightbox (the full image loads; Escape closes it and the focus returns to the preview). Cat, not a
 * participant, is refused the URLs by getAttachmentUrls, and the file's key — taken from the URL Bob's page used — is
 * refused to her own identity credentials by the storage endpoint (as it is to Bob's: only the message processor reads
 * conversation files; clients only through the presigned URLs it signs). Then a PDF through the "Attach files" button:
 * Bob's window shows its card and downloads it under its name with the bytes Ann sent.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { crc32, deflateSync } from 'node:zlib';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphql, signInUser } from '../../tests/security/support';
import type { ChatUser } from '../chat-user';
import { chatPeople, signedUp, windowsOfScenario } from '../chat-people';
import type { Stack } from '../stack';

const people = chatPeople('attachments');

/** A small, real PDF (file-type recognises it by its `%PDF-` signature). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** A real PNG of `width`×`height` opaque pixels (RGB, one colour), encoded here. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x3c)]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** Draws a 64×48 PNG in the page and pastes it into the composer, as a paste of a copied image reaches the app. */
async function pasteImage(user: ChatUser, name: string): Promise<void> {
  await user.composer().focus();
  // In the page (a string: this file is compiled without the DOM's types).
  await user.page.evaluate(`(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext('2d');
    const gradient = context.createLinearGradient(0, 0, 64, 48);
    gradient.addColorStop(0, '#f97316');
    gradient.addColorStop(1, '#7c3aed');
    context.fillStyle = gradient;
    context.fillRect(0, 0, 64, 48);
    const blob = await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no PNG'))), 'image/png'));
    const clipboardData = new DataTransfer();
    clipboardData.items.add(new File([blob], ${JSON.stringify(name)}, { type: 'image/png' }));
    const target = document.activeElement;
    if (!(target instanceof HTMLTextAreaElement)) throw new Error('the composer does not have the focus');
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }));
  })()`);
}

/** An <img>'s loaded width (0 until its bytes have loaded and decoded); typed structurally (no DOM types here). */
const LOADED_WIDTH = (img: { complete: boolean; naturalWidth: number }) => (img.complete ? img.naturalWidth : 0);

/** Temporary AWS credentials of a user's identity, as Amplify's fetchAuthSession gets them from the identity pool. */
async function identityCredentials(stack: Stack, email: string) {
  const { idToken } = await signInUser(stack.env, email);
  const { sandbox } = stack.env;
  const logins = { [`cognito-idp.us-east-1.amazonaws.com/${sandbox.description.userPool.id}`]: idToken };
  const call = async (operation: string, body: unknown) => {
    const response = await fetch(sandbox.urls.cognito, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityService.${operation}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${operation}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const { IdentityId } = (await call('GetId', { IdentityPoolId: sandbox.description.identityPool!.id, Logins: logins })) as { IdentityId: string };
  const { Credentials } = (await call('GetCredentialsForIdentity', { IdentityId, Logins: logins })) as {
    Credentials: { AccessKeyId: string; SecretKey: string; SessionToken: string };
  };
  return { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretKey, sessionToken: Credentials.SessionToken };
}

/** A GET of `path` (`/<bucket>/<key>`, as sent) on the storage endpoint, SigV4-signed with `credentials`. */
async function getObjectAs(stack: Stack, credentials: Awaited<ReturnType<typeof identityCredentials>>, path: string) {
  const storage = new URL(stack.env.sandbox.urls.storage!);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
  const emptyHash = createHash('sha256').update('').digest('hex');
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'https:',
    hostname: storage.hostname,
    port: Number(storage.port),
    path,
    query: {},
    headers: { host: storage.host, 'x-amz-content-sha256': emptyHash },
  });
  const response = await fetch(`${storage.origin}${path}`, { headers: signed.headers });
  const text = await response.text();
  return { status: response.status, code: /<Code>(\w+)<\/Code>/.exec(text)?.[1] };
}

export function attachmentScenarios(current: () => Stack): void {
  describe('attachments in two windows', () => {
    const keep = windowsOfScenario();
    let stack: Stack;
    let ann: ChatUser;
    let bob: ChatUser;
    let cat: ChatUser;

    beforeAll(async () => {
      stack = current();
      [ann, bob, cat] = await signedUp(stack, keep, people.ann, people.bob, people.cat);
    });

    it("Ann pastes an image; Bob sees it live and opens it in the lightbox; Cat can't get its URL or read its file", async () => {
      await ann.startConversationWith(people.bob);
      await ann.send('Look at this');
      await ann.message('Look at this', { status: 'confirmed', own: true }).waitFor();
      await bob.conversation('Ann Archer').click();
      await bob.message('Look at this', { status: 'confirmed', own: false }).waitFor();
      const conversationId = decodeURIComponent(new URL(ann.page.url()).hash.replace('#/c/', ''));
      expect(conversationId).not.toBe('');

      // Ann pastes: the image waits as a chip with its name; she adds a caption and sends.
      await pasteImage(ann, 'sunset.png');
      const chips = ann.page.getByRole('list', { name: 'Attachments to send' });
      await chips.getByRole('button', { name: 'Remove sunset.png' }).waitFor();
      await ann.composer().fill('Sunset from the office');
      await ann.composer().press('Enter');
      await chips.waitFor({ state: 'detached' });
      const annImage = ann.message('Sunset from the office', { status: 'confirmed', own: true });
      await annImage.locator('[data-attachment-state="ready"] img[alt="sunset.png"]').waitFor();

      // Bob's open conversation: the image, live, actually loaded (the bytes came through the presigned URL).
      const bobMessage = bob.message('Sunset from the office', { status: 'confirmed', own: false });
      const preview = bobMessage.locator('img[alt="sunset.png"]');
      await preview.waitFor();
      await expect.poll(() => preview.evaluate(LOADED_WIDTH)).toBe(64);
      // Laid out from the dimensions the backend measured (64×48), before and after loading.
      expect([await preview.getAttribute('width'), await preview.getAttribute('height')]).toEqual(['64', '48']);
      const usedUrl = new URL((await preview.getAttribute('src'))!, bob.page.url()).href;
      await bob.screenshot('attachments-bob-sees-image');

      // The lightbox: a dialog named by the file, the full image loaded, a Download link; Escape returns the focus.
      await bobMessage.getByRole('button', { name: 'View image sunset.png' }).click();
      const lightbox = bob.page.getByRole('dialog', { name: 'sunset.png' });
      await lightbox.waitFor();
      const full = lightbox.locator('img.lightbox__image');
      await expect.poll(() => full.evaluate(LOADED_WIDTH)).toBe(64);
      expect(await lightbox.getByRole('link', { name: 'Download' }).getAttribute('href')).toMatch(/^https:\/\/[^/]+\/s3-presigned\//);
      await bob.screenshot('attachments-bob-lightbox');
      await bob.page.keyboard.press('Escape');
      await lightbox.waitFor({ state: 'detached' });
      await bob.page.waitForFunction("document.activeElement?.getAttribute('aria-label') === 'View image sunset.png'");

      // Cat: not in the conversation, so getAttachmentUrls refuses her (nothing of the URL in the answer)…
      const messageId = await bobMessage.getAttribute('data-message-id');
      expect(messageId).toBeTruthy();
      const { accessToken } = await signInUser(stack.env, people.cat.email);
      const refused = await graphql(
        stack.env,
        accessToken,
        'query U($c: ID!, $m: [ID!]!) { getAttachmentUrls(conversationId: $c, messageIds: $m) { messageId url downloadUrl expiresAt } }',
        { c: conversationId, m: [messageId] },
      );
      expect(refused.json.data?.['getAttachmentUrls'] ?? null).toBeNull();
      expect(refused.json.errors?.[0]?.message).toMatch(/not a participant|Unauthorized/i);
      expect(JSON.stringify(refused.json)).not.toContain('X-Amz-Signature');
      // …and the object Bob's page loaded (its key from that URL) is refused to her own credentials, as to Bob's.
      const objectPath = new URL(usedUrl).pathname.replace(/^\/s3-presigned/, '');
      expect(objectPath).toMatch(new RegExp(`^/[^/]+/conversations/${conversationId}/${messageId}/sunset\\.png$`));
      expect(await getObjectAs(stack, await identityCredentials(stack, people.cat.email), objectPath)).toEqual({ status: 403, code: 'AccessDenied' });
      expect(await getObjectAs(stack, await identityCredentials(stack, people.bob.email), objectPath)).toEqual({ status: 403, code: 'AccessDenied' });
      // Nothing of it reaches Cat's window.
      await expect(cat.conversationList().getByRole('button', { name: /^Ann Archer/ }).count()).resolves.toBe(0);

      // A PDF by the attach button: Bob's window shows its card and downloads it under its name, the same bytes.
      const chooser = ann.page.waitForEvent('filechooser');
      await ann.page.getByRole('button', { name: 'Attach files' }).click();
      await (await chooser).setFiles({ name: 'minutes.pdf', mimeType: 'application/pdf', buffer: PDF });
      await chips.getByRole('button', { name: 'Remove minutes.pdf' }).waitFor();
      await ann.page.getByRole('button', { name: 'Send', exact: true }).click();
      const bobCard = bob.page.getByRole('log', { name: 'Messages' }).locator('article[data-status="confirmed"][data-own="false"]', { hasText: 'minutes.pdf' });
      await bobCard.getByText(`PDF document · ${PDF.length} B`).waitFor();
      const download = bob.page.waitForEvent('download');
      await bobCard.getByRole('link', { name: 'Download minutes.pdf' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('minutes.pdf');
      expect(Buffer.compare(await readFile((await file.path())!), PDF)).toBe(0);
      await bob.screenshot('attachments-bob-file-card');

      // Ann deletes the image message: it leaves Bob's window, and its file with it (the URL his page used fails).
      const fetchStatus = `fetch(${JSON.stringify(usedUrl)}, { cache: 'no-store' }).then((response) => response.status)`;
      await expect(bob.page.evaluate(fetchStatus)).resolves.toBe(200);
      await annImage.hover();
      await annImage.getByRole('button', { name: 'Delete message' }).click();
      await ann.page.getByRole('dialog', { name: 'Delete message' }).getByRole('button', { name: 'Delete', exact: true }).click();
      await bobMessage.waitFor({ state: 'detached' });
      // The file is deleted right after the message (removeMessage's last step), so possibly after the event. A missing
      // key answers 403 AccessDenied, as S3 answers a signer without s3:ListBucket (the message processor has none).
      await expect.poll(() => bob.page.evaluate(fetchStatus)).toBe(403);

      expect(ann.pageErrors).toEqual([]);
      expect(bob.pageErrors).toEqual([]);
    });

    it('refuses a type the backend does not take, cancels an upload in flight, and retries a failed upload', async () => {
      // (Ann's conversation with Bob, from the test above, is open in both windows.)
      const chips = ann.page.getByRole('list', { name: 'Attachments to send' });
      const attach = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
        const chooser = ann.page.waitForEvent('filechooser');
        await ann.page.getByRole('button', { name: 'Attach files' }).click();
        await (await chooser).setFiles(file);
      };

      // An SVG is refused before any upload, saying why; nothing waits to be sent.
      await attach({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
      await ann.page.getByRole('alert').filter({ hasText: '“logo.svg” can’t be sent: image/svg+xml files are not allowed.' }).waitFor();
      expect(await chips.count()).toBe(0);

      // Uploads reach the storage endpoint through the page's origin (the bucket's path): held, then failed, on demand.
      const held: { abort(): Promise<void> }[] = [];
      let mode: 'hold' | 'fail' | 'pass' = 'hold';
      let uploads = 0;
      await ann.page.route(/\/uploads\//, async (route) => {
        uploads += 1;
        if (mode === 'hold') held.push({ abort: () => route.abort().catch(() => undefined) });
        else if (mode === 'fail') await route.abort('failed');
        else await route.continue();
      });

      // Cancel while the upload is in flight: the pending message, with its progress bar, goes.
      await attach({ name: 'draft.txt', mimeType: 'text/plain', buffer: Buffer.from('first draft\n') });
      await ann.page.getByRole('button', { name: 'Send', exact: true }).click();
      const pending = ann.message('draft.txt', { status: 'pending', own: true });
      await pending.getByRole('progressbar', { name: 'Uploading draft.txt' }).waitFor();
      await expect.poll(() => held.length).toBe(1);
      await pending.getByRole('button', { name: 'Cancel upload of draft.txt' }).click();
      await pending.waitFor({ state: 'detached' });
      expect(await ann.message('draft.txt').count()).toBe(0);
      for (const request of held) await request.abort();

      // A failing upload: "Not sent" with Retry; Retry uploads again and the file reaches Bob.
      mode = 'fail';
      await attach({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('agenda: attachments\n') });
      await ann.composer().fill('Notes for tomorrow');
      await ann.composer().press('Enter');
      const failed = ann.message('Notes for tomorrow', { status: 'failed', own: true });
      await failed.getByText(/^Not sent — Upload failed/).waitFor();
      await ann.screenshot('attachments-ann-upload-failed');
      const attempts = uploads;
      mode = 'pass';
      await failed.getByRole('button', { name: 'Retry' }).click();
      await ann.message('Notes for tomorrow', { status: 'confirmed', own: true }).waitFor();
      expect(uploads).toBeGreaterThan(attempts);
      const bobNotes = bob.message('Notes for tomorrow', { status: 'confirmed', own: false });
      await bobNotes.getByRole('link', { name: 'Download notes.txt' }).waitFor();
      await expect(bobNotes.innerText()).resolves.toContain('Text file · 20 B');
      // The cancelled file never became a message.
      expect(await bob.message('draft.txt').count()).toBe(0);
      await ann.page.unroute(/\/uploads\//);

      // Dragged over the conversation, files show the drop target; dropped, they wait as chips and send.
      const dataTransfer = await ann.page.evaluateHandle(
        "(() => { const files = new DataTransfer(); files.items.add(new File(['a,b\\n1,2\\n'], 'table.csv', { type: 'text/csv' })); return files; })()",
      );
      const log = ann.page.getByRole('log', { name: 'Messages' });
      await log.dispatchEvent('dragenter', { dataTransfer });
      const dropTarget = ann.page.getByText('Drop files to send to Bob Baker');
      await dropTarget.waitFor();
      await ann.screenshot('attachments-ann-drop-target');
      await log.dispatchEvent('drop', { dataTransfer });
      await dropTarget.waitFor({ state: 'detached' });
      await chips.getByRole('button', { name: 'Remove table.csv' }).waitFor();
      await ann.composer().press('Enter');
      await bob.page.getByRole('log', { name: 'Messages' }).locator('article[data-own="false"]', { hasText: 'table.csv' }).getByText('Spreadsheet · 8 B').waitFor();
    });

    it('uploads a file above the 5 MiB part size in parts; Bob downloads it whole', async () => {
      // 6 MiB of text (no signature to check; the backend takes text/plain by its declared type).
      const line = 'attachment multipart upload check 0123456789\n';
      const big = Buffer.from(line.repeat(Math.ceil((6 * 1024 * 1024) / line.length)).slice(0, 6 * 1024 * 1024));
      const partRequests: string[] = [];
      const onRequest = (request: { url(): string; method(): string }) => {
        if (/[?&](uploads|uploadId)=?/.test(request.url())) partRequests.push(`${request.method()} ${new URL(request.url()).search.replace(/=[^&]*/g, '')}`);
      };
      ann.page.on('request', onRequest);
      const chooser = ann.page.waitForEvent('filechooser');
      await ann.page.getByRole('button', { name: 'Attach files' }).click();
      await (await chooser).setFiles({ name: 'server.log', mimeType: 'text/plain', buffer: big });
      await ann.composer().fill('The whole log');
      await ann.composer().press('Enter');
      await ann.message('The whole log', { status: 'confirmed', own: true }).waitFor();
      ann.page.off('request', onRequest);
      // CreateMultipartUpload, two parts, CompleteMultipartUpload.
      expect(partRequests).toEqual(['POST ?uploads', 'PUT ?partNumber&uploadId', 'PUT ?partNumber&uploadId', 'POST ?uploadId']);

      const bobCard = bob.message('The whole log', { status: 'confirmed', own: false });
      await bobCard.getByText('Text file · 6 MB').waitFor();
      const download = bob.page.waitForEvent('download');
      await bobCard.getByRole('link', { name: 'Download server.log' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('server.log');
      expect(Buffer.compare(await readFile((await file.path())!), big)).toBe(0);
    });

    it("Bob replies in a thread with an image; Ann's open thread shows it and her lightbox loads it", async () => {
      // (Ann's conversation with Bob, from the tests above, is open in both windows.)
      const bobRoot = bob.message('Look at this', { status: 'confirmed', own: false });
      await bobRoot.hover();
      await bobRoot.getByRole('button', { name: 'Reply in thread' }).click();
      const bobPanel = bob.page.getByRole('complementary', { name: 'Thread' });
      const chooser = bob.page.waitForEvent('filechooser');
      await bobPanel.getByRole('button', { name: 'Attach files to the reply' }).click();
      await (await chooser).setFiles({ name: 'chart.png', mimeType: 'image/png', buffer: png(30, 20) });
      await bobPanel.getByRole('list', { name: 'Attachments to send with the reply' }).getByRole('button', { name: 'Remove chart.png' }).waitFor();
      await bobPanel.getByRole('textbox', { name: 'Reply' }).fill('Chart attached');
      await bobPanel.getByRole('button', { name: 'Send reply' }).click();
      const bobReply = bobPanel.getByRole('log', { name: 'Replies' }).locator('[data-status="confirmed"]', { hasText: 'Chart attached' });
      await bobReply.locator('[data-attachment-state="ready"] img[alt="chart.png"]').waitFor();
      // Not in the timeline.
      expect(await bob.page.getByRole('log', { name: 'Messages' }).locator('img[alt="chart.png"]').count()).toBe(0);

      await ann.message('Look at this', { status: 'confirmed', own: true }).getByRole('button', { name: /^1 reply/ }).click();
      const annPanel = ann.page.getByRole('complementary', { name: 'Thread' });
      const annImage = annPanel.getByRole('log', { name: 'Replies' }).locator('img[alt="chart.png"]');
      await expect.poll(() => annImage.evaluate(LOADED_WIDTH)).toBe(30);
      await annPanel.getByRole('button', { name: 'View image chart.png' }).click();
      const lightbox = ann.page.getByRole('dialog', { name: 'chart.png' });
      await expect.poll(() => lightbox.locator('img.lightbox__image').evaluate(LOADED_WIDTH)).toBe(30);
      await ann.screenshot('attachments-ann-thread-image');
      await ann.page.keyboard.press('Escape');
      await lightbox.waitFor({ state: 'detached' });
    });
  });
}
