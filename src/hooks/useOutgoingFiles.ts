import { useCallback, useEffect, useRef } from 'react';
import type { OutgoingFile } from './attachment-send';
import type { UploadHandle } from './attachment-upload';

/** A file being sent: what was picked, and its upload while one runs (null before it starts and once it is done). */
export interface OutgoingEntry {
  readonly file: OutgoingFile;
  upload: UploadHandle | null;
}

/**
 * The files a composer is sending, by clientMessageId (the timeline's and the thread panel's): `forget` drops one and
 * releases its preview, answering what was held (its upload to cancel, if any); on sign-out or unmount every upload
 * still running is cancelled and every preview released.
 */
export function useOutgoingFiles() {
  const outgoing = useRef(new Map<string, OutgoingEntry>());

  const forget = useCallback((clientMessageId: string): OutgoingEntry | undefined => {
    const held = outgoing.current.get(clientMessageId);
    outgoing.current.delete(clientMessageId);
    if (held?.file.previewUrl) URL.revokeObjectURL(held.file.previewUrl);
    return held;
  }, []);

  useEffect(() => {
    const held = outgoing.current;
    return () => {
      for (const [clientMessageId, entry] of held) {
        entry.upload?.cancel();
        if (entry.file.previewUrl) URL.revokeObjectURL(entry.file.previewUrl);
        held.delete(clientMessageId);
      }
    };
  }, []);

  return { outgoing, forget };
}
