import {
  ATTACHMENT_FILE_TYPES,
  ATTACHMENT_IMAGE_TYPES,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_NAME_LENGTH,
} from '../../amplify/shared/limits';

/**
 * Attachments in the web app, pure parts: the checks a file passes before it is uploaded (the backend's limits from
 * amplify/shared/limits.ts, which it enforces again on the uploaded object), the name it is sent under, the kind of
 * message it makes, sizes for people, file-card icons and the preview box of an image.
 */

/** A message's file as the API describes it (the schema's Attachment). */
export interface MessageAttachment {
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly contentType: string;
  readonly width?: number | null;
  readonly height?: number | null;
}

export type AttachmentMessageType = 'IMAGE' | 'FILE';

/** What a browser File is to these checks. */
export interface FileFacts {
  readonly name: string;
  readonly size: number;
  /** The browser's MIME type for it ('' when it does not know). */
  readonly type: string;
}

export type FileCheck =
  | { readonly ok: true; readonly name: string; readonly contentType: string; readonly messageType: AttachmentMessageType }
  | { readonly ok: false; readonly reason: string };

const IMAGE_TYPES: ReadonlySet<string> = new Set(ATTACHMENT_IMAGE_TYPES);
const FILE_TYPES: ReadonlySet<string> = new Set(ATTACHMENT_FILE_TYPES);

/**
 * Allowed types by extension, for files the browser types vaguely or not at all (a .csv from Excel on Windows is
 * `application/vnd.ms-excel`, a .json is often ''); only types on the allowed list.
 */
const TYPE_BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

/** What may be sent, in words (the "not allowed" message and the picker's hint). */
export const ALLOWED_FILES_TEXT = 'images (PNG, JPEG, GIF, WebP), PDF, text, CSV, JSON, ZIP, Word, Excel, PowerPoint, MP3 and MP4 files';

/** The file input's `accept`: the allowed types and their extensions. */
export const ACCEPT_ATTRIBUTE = [...ATTACHMENT_FILE_TYPES, ...Object.keys(TYPE_BY_EXTENSION).map((ext) => `.${ext}`)].join(',');

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The content type a file is sent with: the browser's when allowed, else the one its extension names, else null. */
export function contentTypeOf(file: FileFacts): string | null {
  const declared = file.type.split(';')[0]!.trim().toLowerCase();
  if (FILE_TYPES.has(declared)) return declared;
  return TYPE_BY_EXTENSION[extensionOf(file.name)] ?? null;
}

/**
 * The name a file is sent under: control characters and path separators replaced, spaces trimmed, at most
 * MAX_ATTACHMENT_NAME_LENGTH characters (the end of the base name cut, the extension kept); `fallback` when nothing is
 * left.
 */
export function attachmentName(name: string, fallback = 'file'): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is removed
  let clean = name.normalize('NFC').replace(/[\u0000-\u001f\u007f/\\]/g, '_').replace(/\s+/g, ' ').trim();
  if (clean === '' || /^\.+$/.test(clean)) clean = fallback;
  const chars = [...clean];
  if (chars.length <= MAX_ATTACHMENT_NAME_LENGTH) return clean;
  const ext = extensionOf(clean);
  const suffix = ext && ext.length < 16 ? `.${ext}` : '';
  const base = chars.slice(0, MAX_ATTACHMENT_NAME_LENGTH - [...suffix].length - 1).join('');
  return `${base}…${suffix}`;
}

/** Checks a file against the attachment limits; the reason says what is wrong in a sentence naming the file. */
export function checkFile(file: FileFacts): FileCheck {
  const label = `“${file.name || 'The file'}”`;
  if (file.size === 0) return { ok: false, reason: `${label} is empty.` };
  if (file.size > MAX_ATTACHMENT_BYTES) {
    return { ok: false, reason: `${label} is ${humanSize(file.size)}; files can be at most ${humanSize(MAX_ATTACHMENT_BYTES)}.` };
  }
  const contentType = contentTypeOf(file);
  if (!contentType) {
    const what = file.type ? `${file.type} files` : 'This kind of file';
    return { ok: false, reason: `${label} can’t be sent: ${what} ${file.type ? 'are' : 'is'} not allowed. You can send ${ALLOWED_FILES_TEXT}.` };
  }
  const fallback = contentType.startsWith('image/') ? `image.${contentType.slice('image/'.length).replace('jpeg', 'jpg')}` : 'file';
  return { ok: true, name: attachmentName(file.name, fallback), contentType, messageType: IMAGE_TYPES.has(contentType) ? 'IMAGE' : 'FILE' };
}

/** At most this many files wait in the composer at once (each is sent as its own message). */
export const MAX_PENDING_FILES = 10;

/** A byte count for people: "512 B", "1.5 KB", "25 MB" (1,024-based, at most one decimal). */
export function humanSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = value >= 100 ? Math.round(value).toString() : (Math.round(value * 10) / 10).toString();
  return `${rounded} ${units[unit]}`;
}

export type FileKind = 'image' | 'pdf' | 'text' | 'spreadsheet' | 'document' | 'presentation' | 'archive' | 'audio' | 'video' | 'file';

/** The kind of a file card's icon. */
export function fileKindOf(contentType: string, name = ''): FileKind {
  const type = contentType.toLowerCase();
  const ext = extensionOf(name);
  if (type.startsWith('image/')) return 'image';
  if (type === 'application/pdf') return 'pdf';
  if (type === 'text/csv' || type.includes('spreadsheetml') || ext === 'csv' || ext === 'xlsx') return 'spreadsheet';
  if (type.includes('wordprocessingml') || ext === 'docx') return 'document';
  if (type.includes('presentationml') || ext === 'pptx') return 'presentation';
  if (type === 'application/zip') return 'archive';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('text/') || type === 'application/json') return 'text';
  return 'file';
}

/** What a file kind is called on a card ("PDF document"). */
export function fileKindLabel(kind: FileKind): string {
  return {
    image: 'Image',
    pdf: 'PDF document',
    text: 'Text file',
    spreadsheet: 'Spreadsheet',
    document: 'Word document',
    presentation: 'Presentation',
    archive: 'ZIP archive',
    audio: 'Audio',
    video: 'Video',
    file: 'File',
  }[kind];
}

/**
 * The box an image preview takes: its own size scaled down (never up) to fit `max`, so the space is reserved before
 * the image loads (no layout shift). Unknown dimensions: the default box.
 */
export function previewBox(
  width: number | null | undefined,
  height: number | null | undefined,
  max: { readonly width: number; readonly height: number } = PREVIEW_MAX,
): { readonly width: number; readonly height: number } {
  if (!width || !height || width <= 0 || height <= 0) return { width: Math.min(240, max.width), height: Math.min(180, max.height) };
  const scale = Math.min(1, max.width / width, max.height / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export const PREVIEW_MAX = { width: 320, height: 320 } as const;

/** The staging key of an upload: `uploads/<identity id>/<uuid>/<name>` (only that identity may write there). */
export function uploadPathFor(identityId: string, uuid: string, name: string): string {
  return `uploads/${identityId}/${uuid}/${name}`;
}

/** A percentage for a progress bar, 0–100, from transferred/total bytes (total unknown: 0). */
export function percentOf(transferred: number, total: number | undefined): number {
  if (!total || total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((transferred / total) * 100)));
}
