import type { AttachmentMessageType } from '../chat/attachments';
import type { IncomingMessage } from '../chat/messages';
import { client } from '../data-client';
import { errorText, throwIfErrors } from '../state/errors';
import { fromSent } from './amplify-helpers';
import { isUploadCancel, startUpload, UploadFailed, type UploadHandle } from './attachment-upload';

/** A file the composer hands over to send (checked against the limits, named, typed). */
export interface OutgoingFile {
  readonly file: Blob;
  readonly name: string;
  readonly contentType: string;
  readonly messageType: AttachmentMessageType;
  /** An object URL of the local image (its ownership passes to the message: revoked once sent or discarded). */
  readonly previewUrl: string | null;
  readonly width: number | null;
  readonly height: number | null;
}

export interface AttachmentSend {
  readonly conversationId: string;
  readonly clientMessageId: string;
  readonly caption: string;
  readonly file: OutgoingFile;
  /** The staging key of an earlier attempt whose upload finished (then it is not uploaded again). */
  readonly uploadedPath: string | null;
  /** The signed-in user's id (the upload's `uploader` metadata). */
  readonly uploader: string;
  /** A thread reply: its root. */
  readonly threadRootId?: string;
}

export interface AttachmentSendSteps {
  /** The upload in flight (its cancel), then null. */
  onUpload(upload: UploadHandle | null): void;
  onProgress(percent: number): void;
  onUploaded(path: string): void;
}

/**
 * One IMAGE or FILE message: the upload (unless an earlier attempt finished it), then sendMessage with its staging key,
 * the file's name and the caption, under the message's clientMessageId. Resolves with the confirmed message; rejects
 * with UploadFailed (its text final), the upload's cancel error (`isUploadCancel`), or sendMessage's error.
 */
export async function uploadAndSend(send: AttachmentSend, steps: AttachmentSendSteps): Promise<IncomingMessage> {
  let path = send.uploadedPath;
  if (!path) {
    const upload = startUpload({ file: send.file.file, name: send.file.name, contentType: send.file.contentType, uploader: send.uploader, onProgress: steps.onProgress });
    steps.onUpload(upload);
    try {
      path = await upload.result;
    } catch (reason) {
      throw isUploadCancel(reason) ? reason : new UploadFailed(reason);
    } finally {
      steps.onUpload(null);
    }
    steps.onUploaded(path);
  }
  const answer = await client.mutations.sendMessage({
    input: {
      conversationId: send.conversationId,
      content: send.caption,
      messageType: send.file.messageType,
      uploadPath: path,
      fileName: send.file.name,
      clientMessageId: send.clientMessageId,
      ...(send.threadRootId ? { threadRootId: send.threadRootId } : {}),
    },
  });
  throwIfErrors(answer);
  if (!answer.data) throw new Error('The message was not accepted.');
  return fromSent(answer.data);
}

/** The pending upload a draft starts with. */
export function pendingUploadOf(file: OutgoingFile) {
  return {
    name: file.name,
    size: file.file.size,
    contentType: file.contentType,
    messageType: file.messageType,
    previewUrl: file.previewUrl,
    width: file.width,
    height: file.height,
    percent: 0,
    uploadedPath: null,
  };
}

/** The failed message's reason: an upload's own text, else the API's. */
export function failureText(reason: unknown): string {
  return reason instanceof UploadFailed ? reason.message : errorText(reason);
}
