import { useCallback, useEffect, useRef, useState } from 'react';
import { checkFile, MAX_PENDING_FILES } from '../chat/attachments';
import type { OutgoingFile } from './attachment-send';

/** A file waiting in a composer. */
export interface DraftFile extends OutgoingFile {
  readonly id: string;
}

export interface AttachmentDraft {
  readonly files: readonly DraftFile[];
  /** Why the last files offered were refused (one sentence each). */
  readonly problems: readonly string[];
  /** Checks and adds files (picked, pasted or dropped); returns whether any was added. */
  add(files: readonly File[]): boolean;
  remove(id: string): void;
  dismissProblems(): void;
  /** Hands the files over to be sent (their previews pass to the messages) and empties the draft. */
  take(): readonly DraftFile[];
}

/** An image's own size, read from the file (null when the browser cannot decode it). */
async function imageSize(file: Blob): Promise<{ width: number; height: number } | null> {
  if (typeof createImageBitmap !== 'function') return null;
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}

/**
 * The files attached to a message being written: each checked against the attachment limits (chat/attachments.ts),
 * with an object URL preview and its dimensions for images; at most MAX_PENDING_FILES. `enabled` false (no bucket in
 * the outputs): every file is refused with that reason. Previews of files never sent are released with the draft.
 */
export function useAttachmentDraft(enabled: boolean): AttachmentDraft {
  const [files, setFiles] = useState<readonly DraftFile[]>([]);
  const [problems, setProblems] = useState<readonly string[]>([]);
  // The files as of the last change, for the handlers and the unmount (kept with every change below).
  const filesRef = useRef(files);
  const change = useCallback((update: (current: readonly DraftFile[]) => readonly DraftFile[]) => {
    filesRef.current = update(filesRef.current);
    setFiles(filesRef.current);
  }, []);

  useEffect(
    () => () => {
      for (const file of filesRef.current) if (file.previewUrl) URL.revokeObjectURL(file.previewUrl);
    },
    [],
  );

  const add = useCallback(
    (incoming: readonly File[]) => {
      if (incoming.length === 0) return false;
      if (!enabled) {
        setProblems(['Files can’t be sent here: this chat service has no file storage.']);
        return false;
      }
      const refused: string[] = [];
      const added: DraftFile[] = [];
      let room = MAX_PENDING_FILES - filesRef.current.length;
      for (const file of incoming) {
        const result = checkFile({ name: file.name, size: file.size, type: file.type });
        if (!result.ok) {
          refused.push(result.reason);
          continue;
        }
        if (room <= 0) {
          refused.push(`“${file.name}” was not added: at most ${MAX_PENDING_FILES} files go with one message.`);
          continue;
        }
        room -= 1;
        const image = result.messageType === 'IMAGE';
        added.push({
          id: crypto.randomUUID(),
          file,
          name: result.name,
          contentType: result.contentType,
          messageType: result.messageType,
          previewUrl: image ? URL.createObjectURL(file) : null,
          width: null,
          height: null,
        });
      }
      setProblems(refused);
      if (added.length === 0) return false;
      change((current) => [...current, ...added]);
      // The preview's box is reserved from the image's own size once it is read.
      for (const item of added) {
        if (item.messageType !== 'IMAGE') continue;
        void imageSize(item.file).then((size) => {
          if (size) change((current) => current.map((f) => (f.id === item.id ? { ...f, ...size } : f)));
        });
      }
      return true;
    },
    [enabled, change],
  );

  const remove = useCallback(
    (id: string) => {
      const file = filesRef.current.find((f) => f.id === id);
      if (file?.previewUrl) URL.revokeObjectURL(file.previewUrl);
      change((current) => current.filter((f) => f.id !== id));
    },
    [change],
  );

  const take = useCallback(() => {
    const taken = filesRef.current;
    change(() => []);
    setProblems([]);
    return taken;
  }, [change]);

  const dismissProblems = useCallback(() => setProblems([]), []);

  return { files, problems, add, remove, dismissProblems, take };
}
