import { isCancelError, uploadData } from 'aws-amplify/storage';
import { percentOf, uploadPathFor } from '../chat/attachments';
import { errorText } from '../state/errors';
import { storageCallOptions } from '../state/storage-target';

/** An upload in progress: its staging key once done, and its cancellation. */
export interface UploadHandle {
  /** Resolves with the staging key (`uploads/<identity id>/<uuid>/<name>`); rejects on failure or cancellation. */
  readonly result: Promise<string>;
  /** Aborts the upload (its `result` then rejects with a cancel error: `isUploadCancel`). */
  cancel(): void;
}

export interface UploadRequest {
  readonly file: Blob;
  /** The name in the key (checked, see chat/attachments.ts). */
  readonly name: string;
  readonly contentType: string;
  /** The signed-in user's id (Cognito sub): the message processor accepts the file only from the user it names. */
  readonly uploader: string;
  readonly onProgress: (percent: number) => void;
}

/**
 * Stages a file for a message with Amplify Storage's `uploadData`: under the caller's identity
 * (`uploads/<identity id>/<uuid>/<name>`, the only place its credentials may write), with its content type and the
 * `uploader` metadata, reporting whole percentages; on the offline sandbox with the storage endpoint as
 * `options.customEndpoint`. Amplify uploads in parts above 5 MiB.
 */
export function startUpload(request: UploadRequest): UploadHandle {
  const uuid = crypto.randomUUID();
  let last = -1;
  const task = uploadData({
    path: ({ identityId }) => {
      if (!identityId) throw new Error('Attachments need a signed-in identity; sign in again.');
      return uploadPathFor(identityId, uuid, request.name);
    },
    data: request.file,
    // `customEndpoint` is honoured at run time but not declared on the public options type (state/storage-target.ts).
    options: {
      contentType: request.contentType,
      metadata: { uploader: request.uploader },
      onProgress: ({ transferredBytes, totalBytes }) => {
        const percent = percentOf(transferredBytes, totalBytes ?? request.file.size);
        if (percent === last) return;
        last = percent;
        request.onProgress(percent);
      },
      ...storageCallOptions(),
    } as Parameters<typeof uploadData>[0]['options'],
  });
  return { result: task.result.then((output) => output.path), cancel: () => task.cancel() };
}

/** True for the error an upload's result rejects with after `cancel()`. */
export function isUploadCancel(error: unknown): boolean {
  return isCancelError(error);
}

/** Why an upload failed, for the failed message ("Not sent — Upload failed: …"). */
export function uploadFailureText(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/network ?error|failed to fetch|load failed|request aborted/i.test(message)) {
    return 'Upload failed: the file storage could not be reached. Check your connection, then Retry.';
  }
  return `Upload failed: ${errorText(error)}`;
}

/** An upload's failure, its text final (not passed through errorText again). */
export class UploadFailed extends Error {
  constructor(cause: unknown) {
    super(uploadFailureText(cause), { cause });
    this.name = 'UploadFailed';
  }
}
