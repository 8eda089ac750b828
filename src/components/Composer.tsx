import { useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import { checkDraft, MAX_MESSAGE_LENGTH } from '../chat/text';
import type { OutgoingFile } from '../hooks/attachment-send';
import { useAttachmentDraft } from '../hooks/useAttachmentDraft';
import { AttachButton, AttachmentChips, AttachmentProblems, pastedFiles } from './AttachmentDraft';
import { SendIcon } from './Icons';

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

const COUNTER_ID = 'composer-counter';
const PROBLEMS_ID = 'composer-problems';

/**
 * The message box: Enter sends, Shift+Enter adds a line; the character count against the 4,000 limit
 * (counted as the server counts: trimmed, code points) is always shown and read with the field.
 *
 * Files join the message by the attach button (a file picker), by pasting (an image copied to the clipboard) or by
 * dropping them on the conversation (ConversationView calls `addFiles`): each is checked against the attachment limits
 * (hooks/useAttachmentDraft.ts) and waits as a chip — a thumbnail for images, name and size, "Remove" — until the
 * message is sent; refusals are said in an alert under the box. The text becomes the first file's caption.
 */
export function Composer(props: ComposerProps) {
  const { ref: handle, onDraftChange, onSend, onSendFiles, onTyping, onStopTyping, onEditLast, attachmentsEnabled } = props;
  const [draft, setDraft] = useState(props.initialDraft);
  const attachments = useAttachmentDraft(attachmentsEnabled);
  const { files, problems } = attachments;
  const ref = useRef<HTMLTextAreaElement>(null);
  const check = checkDraft(draft);
  const canSend = files.length > 0 ? !check.tooLong : check.canSend;

  const addFiles = (incoming: readonly File[]) => {
    if (attachments.add(incoming)) ref.current?.focus();
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
    if (files.length > 0) onSendFiles(attachments.take(), draft);
    else onSend(draft);
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
      <AttachmentChips draft={attachments} label="Attachments to send" onRemoved={() => ref.current?.focus()} />
      <div className={`composer__box${check.tooLong ? ' composer__box--invalid' : ''}`}>
        {attachmentsEnabled && <AttachButton label="Attach files" className="composer__attach" onFiles={addFiles} />}
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
            const pasted = pastedFiles(event);
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
      <AttachmentProblems draft={attachments} id={PROBLEMS_ID} />
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
