import { useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import { checkDraft, MAX_MESSAGE_LENGTH } from '../chat/text';
import { SendIcon } from './Icons';

export interface ComposerHandle {
  focus(): void;
}

interface ComposerProps {
  readonly initialDraft: string;
  readonly placeholder: string;
  readonly onDraftChange: (draft: string) => void;
  readonly onSend: (content: string) => void;
  readonly onTyping: () => void;
  readonly onStopTyping: () => void;
  /** ArrowUp in an empty composer: edit the user's last message. */
  readonly onEditLast: () => boolean;
  readonly ref?: Ref<ComposerHandle>;
}

const COUNTER_ID = 'composer-counter';

/**
 * The message box: Enter sends, Shift+Enter adds a line; the character count against the 4,000 limit
 * (counted as the server counts: trimmed, code points) is always shown and read with the field.
 */
export function Composer(props: ComposerProps) {
  const { ref: handle, onDraftChange, onSend, onTyping, onStopTyping, onEditLast } = props;
  const [draft, setDraft] = useState(props.initialDraft);
  const ref = useRef<HTMLTextAreaElement>(null);
  const check = checkDraft(draft);

  useImperativeHandle(handle, () => ({ focus: () => ref.current?.focus() }), []);

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
    if (!check.canSend) return;
    onSend(draft);
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
      <div className={`composer__box${check.tooLong ? ' composer__box--invalid' : ''}`}>
        <label htmlFor="composer-input" className="sr-only">
          Message
        </label>
        <textarea
          ref={ref}
          id="composer-input"
          className="composer__input"
          rows={1}
          value={draft}
          placeholder={props.placeholder}
          aria-describedby={COUNTER_ID}
          aria-invalid={check.tooLong || undefined}
          autoComplete="off"
          onChange={(event) => update(event.target.value)}
          onBlur={onStopTyping}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              send();
            } else if (event.key === 'ArrowUp' && draft === '' && onEditLast()) {
              event.preventDefault();
            }
          }}
        />
        <button type="submit" className="composer__send" disabled={!check.canSend} title="Send (Enter)">
          <SendIcon size={18} />
          <span className="sr-only">Send</span>
        </button>
      </div>
      <div className="composer__hints">
        <span className="composer__hint">
          <kbd>Enter</kbd> to send · <kbd>Shift</kbd> + <kbd>Enter</kbd> for a new line
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
