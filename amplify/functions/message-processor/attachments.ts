import { fileTypeFromBuffer } from 'file-type';
import { imageSize } from 'image-size';
import { ChatError } from '../../shared/errors';
import {
  ATTACHMENT_FILE_TYPES,
  ATTACHMENT_IMAGE_TYPES,
  ATTACHMENT_URL_TTL_SECONDS,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_NAME_LENGTH,
} from '../../shared/limits';
import type { CallerIdentity } from '../../shared/owner';
import type { AttachmentObjectStore } from './attachment-store';
import { conversationOfParticipant, requiredId, type AttachmentMover, type Clock, type MessageAttachment, type MessageRecord, type MessageStore } from './logic';

/**
 * Message files (docs/data-model.md, "Attachments"). A client stages a file under its own identity's folder
 * (`uploads/<identity id>/<uuid>/<name>`, which only that identity may write); sendMessage with `uploadPath` has the
 * message processor check it (who uploaded it, size, type by content, image dimensions) and copy it to the message's
 * own key (`conversations/<conversationId>/<messageId>/<name>`), where no client credential reaches; participants read
 * it through getAttachmentUrls' short-lived presigned URLs, checked against the conversation's members on every call.
 */

/** Bytes read from the start of an upload to recognise its type (and, for most images, their dimensions). */
export const SNIFF_BYTES = 256 * 1024;
/** Most message ids of one getAttachmentUrls call. */
export const MAX_ATTACHMENT_URL_IDS = 50;
/** S3's longest key, in UTF-8 bytes. */
const MAX_KEY_BYTES = 1024;

const IDENTITY_ID = /^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UPLOAD_ID = /^[0-9A-Za-z-]{8,64}$/;
/** Control characters (C0, DEL, C1) and the bidirectional overrides that disguise an extension. */
const hasUnsafeCharacters = (name: string) =>
  [...name].some((c) => {
    const code = c.codePointAt(0)!;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
  });

const invalid = (text: string) => new ChatError('ValidationError', text);

/** The file name shown and used in the conversation's key: one path segment, no control characters, bounded. */
export function validateFileName(fileName: unknown): string {
  if (typeof fileName !== 'string') throw invalid('fileName is required for IMAGE and FILE messages');
  const name = fileName.normalize('NFC').trim();
  const length = [...name].length;
  if (length === 0) throw invalid('fileName must not be empty');
  if (length > MAX_ATTACHMENT_NAME_LENGTH) throw invalid(`fileName is ${length} characters long; the limit is ${MAX_ATTACHMENT_NAME_LENGTH}`);
  if (name === '.' || name === '..' || name.includes('/') || name.includes('\\') || hasUnsafeCharacters(name)) {
    throw invalid('fileName must be a plain file name (no slashes, no control characters)');
  }
  return name;
}

/** A staged upload's key as the client wrote it: `uploads/<identity id>/<upload id>/<name>`, nothing else. */
export function validateUploadPath(uploadPath: unknown): string {
  if (typeof uploadPath !== 'string') throw invalid('uploadPath is required for IMAGE and FILE messages');
  const parts = uploadPath.split('/');
  const [prefix, identityId, uploadId, name] = parts;
  const wellFormed =
    parts.length === 4 &&
    prefix === 'uploads' &&
    IDENTITY_ID.test(identityId ?? '') &&
    UPLOAD_ID.test(uploadId ?? '') &&
    !!name &&
    name !== '.' &&
    name !== '..' &&
    !hasUnsafeCharacters(name) &&
    Buffer.byteLength(uploadPath) <= MAX_KEY_BYTES;
  if (!wellFormed) throw invalid('uploadPath must be uploads/<your identity id>/<upload id>/<file name>, as uploadData wrote it');
  return uploadPath;
}

/** The conversation key of a message's file. */
export const conversationFileKey = (conversationId: string, messageId: string, name: string) => `conversations/${conversationId}/${messageId}/${name}`;

/** A declared Content-Type without its parameters, in lower case (`text/plain; charset=utf-8` → `text/plain`). */
const baseType = (contentType: string | null) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

const IMAGE_TYPES: readonly string[] = ATTACHMENT_IMAGE_TYPES;
const FILE_TYPES: readonly string[] = ATTACHMENT_FILE_TYPES;
/** Declared types that have no signature to check (text): their content must not look like anything else. */
const UNSIGNED_TYPES = new Set(['text/plain', 'text/csv', 'application/json']);
/** ZIP-based formats: file-type names them by their entries, or plain ZIP when the entries lie beyond what was read. */
const ZIP_BASED = new Set([
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

/** Whether content recognised as `detected` (undefined: no signature) may be sent as `declared`. */
function contentMatches(declared: string, detected: string | undefined): boolean {
  if (detected === undefined) return UNSIGNED_TYPES.has(declared);
  if (detected === declared) return true;
  return ZIP_BASED.has(declared) && detected === 'application/zip';
}

/** What the backend measured of an upload: the type it is stored and served as, and an image's dimensions. */
export interface Measured {
  contentType: string;
  width?: number;
  height?: number;
}

/**
 * Checks an upload's content. IMAGE: one of ATTACHMENT_IMAGE_TYPES by its leading bytes (the declared type does not
 * matter), with readable dimensions. FILE: a declared type of ATTACHMENT_FILE_TYPES that the content confirms (a
 * signature that matches it, or none for text types). `whole` reads the entire object when the dimensions lie beyond
 * the first bytes (a JPEG with a large EXIF block).
 */
export async function measureUpload(
  messageType: 'IMAGE' | 'FILE',
  declaredType: string | null,
  head: Uint8Array,
  whole: () => Promise<Uint8Array>,
): Promise<Measured> {
  const detected = (await fileTypeFromBuffer(head))?.mime;
  if (messageType === 'IMAGE') {
    if (!detected || !IMAGE_TYPES.includes(detected)) throw invalid(`an IMAGE message carries a ${IMAGE_TYPES.join(', ')} file; this file is ${detected ?? 'not an image'}`);
    const size = dimensionsOf(head) ?? dimensionsOf(await whole());
    if (!size) throw invalid('the image has no readable dimensions');
    return { contentType: detected, ...size };
  }
  const declared = baseType(declaredType);
  if (!FILE_TYPES.includes(declared)) throw invalid(`a FILE message carries one of ${FILE_TYPES.join(', ')}; this upload was declared ${declared || 'without a type'}`);
  if (!contentMatches(declared, detected)) throw invalid(`the file's content (${detected ?? 'no known signature'}) does not match its declared type ${declared}`);
  return { contentType: declared };
}

function dimensionsOf(bytes: Uint8Array): { width: number; height: number } | null {
  try {
    const { width, height } = imageSize(bytes);
    return width > 0 && height > 0 ? { width, height } : null;
  } catch {
    return null;
  }
}

/** The staged-upload checks and moves of sendMessage, on the bucket. */
export function attachmentMover(objects: AttachmentObjectStore, log: (text: string) => void = console.warn): AttachmentMover {
  return {
    async attach({ caller, uploadPath, fileName, messageType, conversationId, messageId }) {
      const staged = validateUploadPath(uploadPath);
      const name = validateFileName(fileName);
      const object = await objects.head(staged);
      // Missing and someone else's upload get the same answer: no oracle for other identities' keys.
      if (!object || object.metadata['uploader'] !== caller.sub) throw new ChatError('NotFound', `no upload of yours at ${staged}`);
      if (object.size <= 0) throw invalid('the file is empty');
      if (object.size > MAX_ATTACHMENT_BYTES) throw invalid(`the file is ${object.size} bytes; the limit is ${MAX_ATTACHMENT_BYTES}`);
      const head = await objects.read(staged, Math.min(object.size, SNIFF_BYTES));
      const measured = await measureUpload(messageType, object.contentType, head, () => objects.read(staged, object.size));
      const path = conversationFileKey(conversationId, messageId, name);
      await objects.copy(staged, path, measured.contentType);
      return { path, name, size: object.size, ...measured };
    },
    async discardUpload(uploadPath) {
      // The message is stored; a staged copy left behind is only storage, and the lifecycle rule expires it.
      await objects.remove(uploadPath).catch((error: unknown) => log(`staged upload ${uploadPath} not deleted: ${String(error)}`));
    },
    async removeFile(path) {
      await objects.remove(path);
    },
  };
}

/**
 * After removeMessage: deletes the message's conversation file. When the delete fails the message is gone already and
 * the file is unreachable (getAttachmentUrls signs only for stored messages; URLs issued before expire within
 * ATTACHMENT_URL_TTL_SECONDS), so the failure is logged for an operator, not returned to the sender.
 */
export async function removeAttachmentOf(mover: Pick<AttachmentMover, 'removeFile'>, removed: MessageRecord, log: (text: string) => void = console.error): Promise<void> {
  if (!removed.attachment) return;
  await mover.removeFile(removed.attachment.path).catch((error: unknown) => log(`attachment ${removed.attachment!.path} of removed message ${removed.id} not deleted: ${String(error)}`));
}

/** A getAttachmentUrls answer: a message's URL pair and when it stops working. */
export interface AttachmentUrl {
  messageId: string;
  url: string;
  downloadUrl: string;
  expiresAt: string;
}

/** RFC 6266 Content-Disposition with an RFC 5987 UTF-8 name (and a plain ASCII fallback). */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** How each URL serves a file: images as themselves, shown inline; anything else as an opaque download. */
export function responsesFor(attachment: MessageAttachment, messageType: MessageRecord['messageType']): { url: { contentType: string; contentDisposition: string }; download: { contentType: string; contentDisposition: string } } {
  const image = messageType === 'IMAGE' && IMAGE_TYPES.includes(attachment.contentType);
  const contentType = image ? attachment.contentType : 'application/octet-stream';
  const download = { contentType, contentDisposition: contentDisposition('attachment', attachment.name) };
  return { url: image ? { contentType, contentDisposition: contentDisposition('inline', attachment.name) } : download, download };
}

/**
 * getAttachmentUrls: for a participant of the conversation now (strongly consistent read), a URL pair for each named
 * message of that conversation that has a file; other conversations' messages, removed ones and those without a file
 * are left out (the same answer as an unknown id).
 */
export async function getAttachmentUrls(
  store: Pick<MessageStore, 'getConversation' | 'getMessage'>,
  objects: Pick<AttachmentObjectStore, 'sign'>,
  caller: CallerIdentity,
  input: { conversationId?: unknown; messageIds?: unknown },
  clock: Clock = () => new Date(),
): Promise<AttachmentUrl[]> {
  if (!Array.isArray(input.messageIds)) throw invalid('messageIds is required');
  const ids = [...new Set(input.messageIds.map((id) => requiredId(id, 'messageIds')))];
  if (ids.length > MAX_ATTACHMENT_URL_IDS) throw invalid(`at most ${MAX_ATTACHMENT_URL_IDS} messages per call`);
  const conversation = await conversationOfParticipant(store, input.conversationId, caller);
  const at = clock();
  const expiresAt = new Date(at.getTime() + ATTACHMENT_URL_TTL_SECONDS * 1000).toISOString();
  const messages = await Promise.all(ids.map((id) => store.getMessage(id)));
  const urls: AttachmentUrl[] = [];
  for (const message of messages) {
    if (!message || message.conversationId !== conversation.id || !message.attachment) continue;
    const responses = responsesFor(message.attachment, message.messageType);
    const [url, downloadUrl] = await Promise.all([
      objects.sign(message.attachment.path, responses.url, ATTACHMENT_URL_TTL_SECONDS, at),
      objects.sign(message.attachment.path, responses.download, ATTACHMENT_URL_TTL_SECONDS, at),
    ]);
    urls.push({ messageId: message.id, url, downloadUrl, expiresAt });
  }
  return urls;
}
