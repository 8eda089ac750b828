import { useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import { ACCEPT_ATTRIBUTE, ALLOWED_FILES_TEXT, checkFile, humanSize, MAX_PENDING_FILES } from '../chat/attachments';
import { checkDraft, MAX_MESSAGE_LENGTH } from '../chat/text';
import type { OutgoingFile } from '../hooks/useMessages';
import { CloseIcon, FileIcon, PaperclipIcon, SendIcon } from './Icons';

export interface ComposerHandle {
  focus(): void;
  /** Files dropped on the conversation (or pasted elsewhere): checked and added to the message being written. */
  addFiles(files: readonly File[]): void;
}

interface ComposerProps {
  readonly initialDraft: string;
  readonly placeholder: string;
  readonly onDraftChange: (draft: string) => void;
  readonly onSend: (content: string) => void;
  /** Sends the attached files (one message each), the text as the first one's caption. */
  readonly onSendFiles: (files: readonly OutgoingFile[], caption: string) => void;
  /** False when the backend has no file storage: no attach button, and files are refused with a message. */
  readonly attachmentsEnabled: boolean;
  readonly onTyping: () => void;
  readonly onStopTyping: () => void;
  /** ArrowUp in an empty composer: edit the user's last message. */
  readonly onEditLast: () => boolean;
  readonly ref?: Ref<ComposerHandle>;
}

/** A file waiting in the composer. */
interface PendingFile extends OutgoingFile {
  readonly id: string;
}

const COUNTER_ID = 'composer-counter';
const PROBLEMS_ID = 'composer-problems';

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
 * The message box: Enter sends, Shift+Enter adds a line; the character count against the 4,000 limit
 * (counted as the server counts: trimmed, code points) is always shown and read with the field.
 *
 * Files join the message by the attach button (a file picker), by pasting (an image copied to the clipboard) or by
 * dropping them on the conversation (ConversationView calls `addFiles`): each is checked against the attachment limits
 * (chat/attachments.ts) and waits as a chip — a thumbnail for images, name and size, "Remove" — until the message is
 * sent; refusals are said in an alert under the box. The text becomes the first file's caption.
 */
export function Composer(props: ComposerProps) {
  const { ref: handle, onDraftChange, onSend, onSendFiles, onTyping, onStopTyping, onEditLast, attachmentsEnabled } = props;
  const [draft, setDraft] = useState(props.initialDraft);
  const [files, setFiles] = useState<readonly PendingFile[]>([]);
  const [problems, setProblems] = useState<readonly string[]>([]);
  const ref = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  // The files as of the last change, for the handlers and the unmount (kept with every setFiles below).
  const filesRef = useRef(files);
  const changeFiles = (change: (current: readonly PendingFile[]) => readonly PendingFile[]) => {
    filesRef.current = change(filesRef.current);
    setFiles(filesRef.current);
  };
  const check = checkDraft(draft);
  const canSend = files.length > 0 ? !check.tooLong : check.canSend;

  // Files never sent: their previews are released with the composer (a sent file's preview passes to its message).
  useEffect(
    () => () => {
      for (const file of filesRef.current) if (file.previewUrl) URL.revokeObjectURL(file.previewUrl);
    },
    [],
  );

  const addFiles = (incoming: readonly File[]) => {
    if (incoming.length === 0) return;
    if (!attachmentsEnabled) {
      setProblems(['Files can’t be sent here: this chat service has no file storage.']);
      return;
    }
    const refused: string[] = [];
    const added: PendingFile[] = [];
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
    if (added.length === 0) return;
    changeFiles((current) => [...current, ...added]);
    // The preview's box is reserved from the image's own size once it is read.
    for (const item of added) {
      if (item.messageType !== 'IMAGE') continue;
      void imageSize(item.file).then((size) => {
        if (size) changeFiles((current) => current.map((f) => (f.id === item.id ? { ...f, ...size } : f)));
      });
    }
    ref.current?.focus();
  };

  const removeFile = (id: string) => {
    const file = filesRef.current.find((f) => f.id === id);
    if (file?.previewUrl) URL.revokeObjectURL(file.previewUrl);
    changeFiles((current) => current.filter((f) => f.id !== id));
    ref.current?.focus();
  };

  useImperativeHandle(handle, () => ({ focus: () => ref.current?.focus(), addFiles }));

  // Grow with the text (up to the CSS max-height, then scroll).
  useLayoutEffect(() => {
    const textarea = ref.current;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight}px`;
  }, [draft]);

  function update(value: string) {
    setDraft(value);
    onDraftChange(value);
    if (value.trim()) onTyping();
    else onStopTyping();
  }

  function send() {
    if (!canSend) return;
    if (files.length > 0) {
      onSendFiles(files, draft);
      changeFiles(() => []);
      setProblems([]);
    } else {
      onSend(draft);
    }
    onStopTyping();
    update('');
  }

  const counterText = check.tooLong
    ? `${check.length.toLocaleString()} / ${MAX_MESSAGE_LENGTH.toLocaleString()} characters — ${(-check.remaining).toLocaleString()} too many`
    : `${check.length.toLocaleString()} / ${MAX_MESSAGE_LENGTH.toLocaleString()} characters`;
  const nearLimit = check.remaining < 200;

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      {files.length > 0 && (
        <ul className="composer__attachments" aria-label="Attachments to send">
          {files.map((file) => (
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
              <button type="button" className="icon-button icon-button--small" onClick={() => removeFile(file.id)} aria-label={`Remove ${file.name}`} title="Remove">
                <CloseIcon size={14} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className={`composer__box${check.tooLong ? ' composer__box--invalid' : ''}`}>
        {attachmentsEnabled && (
          <>
            <button
              type="button"
              className="icon-button composer__attach"
              onClick={() => picker.current?.click()}
              aria-label="Attach files"
              title={`Attach files: ${ALLOWED_FILES_TEXT}, up to 25 MB each`}
            >
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
                addFiles([...(event.target.files ?? [])]);
                // The same file may be picked again after it was removed.
                event.target.value = '';
              }}
            />
          </>
        )}
        <label htmlFor="composer-input" className="sr-only">
          Message
        </label>
        <textarea
          ref={ref}
          id="composer-input"
          className="composer__input"
          rows={1}
          value={draft}
          placeholder={files.length > 0 ? 'Add a caption (optional)' : props.placeholder}
          aria-describedby={problems.length > 0 ? `${COUNTER_ID} ${PROBLEMS_ID}` : COUNTER_ID}
          aria-invalid={check.tooLong || undefined}
          autoComplete="off"
          onChange={(event) => update(event.target.value)}
          onBlur={onStopTyping}
          onPaste={(event) => {
            // An image (or files) on the clipboard joins the message; text pastes as text.
            const pasted = [...event.clipboardData.files];
            if (pasted.length === 0) return;
            event.preventDefault();
            addFiles(pasted);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              send();
            } else if (event.key === 'ArrowUp' && draft === '' && files.length === 0 && onEditLast()) {
              event.preventDefault();
            }
          }}
        />
        <button type="submit" className="composer__send" disabled={!canSend} title="Send (Enter)">
          <SendIcon size={18} />
          <span className="sr-only">Send</span>
        </button>
      </div>
      {problems.length > 0 && (
        <div id={PROBLEMS_ID} className="composer__problems" role="alert">
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
          <button type="button" className="icon-button icon-button--small" onClick={() => setProblems([])} aria-label="Dismiss" title="Dismiss">
            <CloseIcon size={14} />
          </button>
        </div>
      )}
      <div className="composer__hints">
        <span className="composer__hint">
          <kbd>Enter</kbd> to send · <kbd>Shift</kbd> + <kbd>Enter</kbd> for a new line
          {attachmentsEnabled && ' · paste or drop files to attach'}
        </span>
        <span
          id={COUNTER_ID}
          className={`counter${check.tooLong ? ' counter--over' : nearLimit ? ' counter--near' : ''}`}
        >
          {counterText}
        </span>
      </div>
    </form>
  );
}
