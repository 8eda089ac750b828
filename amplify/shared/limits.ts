/**
 * Product limits and timings shared by the backend (Lambdas) and the client.
 * Change a limit here and every check that enforces or displays it follows.
 */

/** Longest message body accepted by `sendMessage` / `editMessage`, in characters (after trimming). */
export const MAX_MESSAGE_LENGTH = 4000;

/** Characters of a message copied into `Conversation.lastMessagePreview`. */
export const MESSAGE_PREVIEW_LENGTH = 120;

/** Longest display name kept in a `UserProfile`. */
export const MAX_DISPLAY_NAME_LENGTH = 64;

/** Longest conversation name. */
export const MAX_CONVERSATION_NAME_LENGTH = 100;

/** Longest `clientMessageId` accepted (clients send a UUID). */
export const MAX_CLIENT_MESSAGE_ID_LENGTH = 128;

/** Most participants of one conversation, the creator included. */
export const MAX_CONVERSATION_PARTICIPANTS = 1000;

/** Longest participant entry createConversation accepts: a Cognito sub or username (≤ 128), or "<sub>::<username>". */
export const MAX_PARTICIPANT_ENTRY_LENGTH = 258;

/**
 * Most bytes of a conversation's stored participant list (UTF-8 of the canonical entries). Every message item and
 * every event carries the list, next to content of up to 16 KB (4,000 characters of up to 4 bytes) and an attachment's
 * description of under 2 KB (its key and a name of at most MAX_ATTACHMENT_NAME_LENGTH characters, each up to 4 bytes),
 * so this keeps messages far below DynamoDB's 400 KB item limit and events below AppSync's 240 KB subscription payload
 * limit.
 * 1,000 e-mail sign-in users (74-byte entries) take 74 KB.
 */
export const MAX_PARTICIPANTS_BYTES = 100_000;

/** Clients send a `heartbeat` this often while the app is open. */
export const HEARTBEAT_INTERVAL_SECONDS = 30;

/** Heartbeats a user may miss before the sweeper marks them OFFLINE. */
export const MISSED_HEARTBEATS_BEFORE_OFFLINE = 2;

/**
 * A presence is stale once its `lastSeen` is older than this: the last heartbeat plus two missed
 * ones (30 s + 2 × 30 s = 90 s).
 */
export const PRESENCE_STALE_AFTER_SECONDS =
  HEARTBEAT_INTERVAL_SECONDS * (MISSED_HEARTBEATS_BEFORE_OFFLINE + 1);

/** The presence sweeper's schedule (EventBridge Scheduler's finest granularity is one minute). */
export const PRESENCE_SWEEP_SCHEDULE = 'every 1m';

export const MESSAGE_TYPES = ['TEXT', 'IMAGE', 'FILE', 'SYSTEM'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Message types a client may send; SYSTEM messages are written by the backend only. */
export const CLIENT_MESSAGE_TYPES: readonly MessageType[] = ['TEXT', 'IMAGE', 'FILE'];

/**
 * The reactions a user may put on a message (`toggleReaction`): a bounded allow-list, so a user has at most this many
 * reactions on one message, the picker and the server agree, and every value is one known grapheme (no free text
 * hides in a reaction). Exact strings: the heart carries its emoji presentation selector (U+2764 U+FE0F).
 */
export const REACTION_EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉', '🙏', '👀'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJI)[number];

export const PRESENCE_STATUSES = ['ONLINE', 'AWAY', 'OFFLINE'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** Largest file a message may carry, in bytes (25 MiB), checked by the message processor on the uploaded object. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/** Longest file name kept on an attachment, in characters (S3 keys allow 1,024 bytes; the rest of the key is ids). */
export const MAX_ATTACHMENT_NAME_LENGTH = 200;

/**
 * Image types an IMAGE message may carry: raster formats every browser shows, recognised by their leading bytes (no
 * SVG: it is a document that can run script). Their dimensions are read from the file by the backend.
 */
export const ATTACHMENT_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/**
 * Types a FILE message may carry. The backend checks the leading bytes of those that have a signature (PDF, ZIP-based
 * office files, images) against the declared type; every file is served as a download, never rendered from S3.
 */
export const ATTACHMENT_FILE_TYPES = [
  ...ATTACHMENT_IMAGE_TYPES,
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/json',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'audio/mpeg',
  'video/mp4',
] as const;

/** How long a getAttachmentUrls URL stays valid, in seconds. */
export const ATTACHMENT_URL_TTL_SECONDS = 15 * 60;

/** Days an upload that was never attached to a message stays in `uploads/` before the bucket's lifecycle rule deletes it. */
export const ATTACHMENT_UPLOAD_EXPIRY_DAYS = 1;
