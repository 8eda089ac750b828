import { useRef } from 'react';
import { ACCEPT_ATTRIBUTE, ALLOWED_FILES_TEXT, humanSize } from '../chat/attachments';
import type { AttachmentDraft } from '../hooks/useAttachmentDraft';
import { CloseIcon, FileIcon, PaperclipIcon } from './Icons';

/** The attach button (a file picker, several files at once, the allowed types) feeding a draft. */
export function AttachButton({ label, onFiles, className = '' }: { readonly label: string; readonly onFiles: (files: File[]) => void; readonly className?: string }) {
  const picker = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={`icon-button ${className}`.trim()} onClick={() => picker.current?.click()} aria-label={label} title={`${label}: ${ALLOWED_FILES_TEXT}, up to 25 MB each`}>
        <PaperclipIcon size={18} />
      </button>
      <input
        ref={picker}
        type="file"
        className="sr-only"
        multiple
        accept={ACCEPT_ATTRIBUTE}
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          onFiles([...(event.target.files ?? [])]);
          // The same file may be picked again after it was removed.
          event.target.value = '';
        }}
      />
    </>
  );
}

/** The files waiting to be sent, as chips: a thumbnail for images, name, size and "Remove <name>". */
export function AttachmentChips({ draft, label, onRemoved }: { readonly draft: AttachmentDraft; readonly label: string; readonly onRemoved?: () => void }) {
  if (draft.files.length === 0) return null;
  return (
    <ul className="composer__attachments" aria-label={label}>
      {draft.files.map((file) => (
        <li key={file.id} className="attachment-chip" data-kind={file.messageType}>
          {file.previewUrl ? (
            <img className="attachment-chip__thumb" src={file.previewUrl} alt="" width={40} height={40} />
          ) : (
            <span className="attachment-chip__icon" aria-hidden="true">
              <FileIcon size={26} />
            </span>
          )}
          <span className="attachment-chip__text">
            <span className="attachment-chip__name" title={file.name}>
              {file.name}
            </span>
            <span className="attachment-chip__size">{humanSize(file.file.size)}</span>
          </span>
          <button
            type="button"
            className="icon-button icon-button--small"
            onClick={() => {
              draft.remove(file.id);
              onRemoved?.();
            }}
            aria-label={`Remove ${file.name}`}
            title="Remove"
          >
            <CloseIcon size={14} />
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Why files were refused: an alert under the box, dismissable. */
export function AttachmentProblems({ draft, id }: { readonly draft: AttachmentDraft; readonly id?: string }) {
  if (draft.problems.length === 0) return null;
  return (
    <div id={id} className="composer__problems" role="alert">
      <ul>
        {draft.problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
      <button type="button" className="icon-button icon-button--small" onClick={draft.dismissProblems} aria-label="Dismiss" title="Dismiss">
        <CloseIcon size={14} />
      </button>
    </div>
  );
}

/**
 * The files of a paste event (a screenshot, "Copy image" in a browser); none when the clipboard has text: copying cells
 * or text from an office application puts a picture of them next to the text, and the text is what was meant.
 */
export function pastedFiles(event: React.ClipboardEvent): File[] {
  if (event.clipboardData.getData('text/plain').trim() !== '') return [];
  return [...event.clipboardData.files];
}
