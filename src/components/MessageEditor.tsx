import { useId, useLayoutEffect, useRef, useState } from 'react';
import { checkDraft, MAX_MESSAGE_LENGTH } from '../chat/text';

interface MessageEditorProps {
  readonly initial: string;
  readonly onSave: (content: string) => Promise<void>;
  readonly onCancel: () => void;
  /** A caption (IMAGE and FILE messages): may be emptied. */
  readonly caption?: boolean;
}

/** Inline editing of one's own message (or an attachment's caption): Enter saves, Shift+Enter new line, Escape cancels. */
export function MessageEditor({ initial, onSave, onCancel, caption = false }: MessageEditorProps) {
  const [draft, setDraft] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const errorId = useId();
  const counterId = useId();
  const check = checkDraft(draft);
  const canSave = caption ? !check.tooLong : check.canSend;

  useLayoutEffect(() => {
    const textarea = ref.current;
    if (!textarea) return;
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }, []);

  useLayoutEffect(() => {
    const textarea = ref.current;
    if (!textarea) return;
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight}px`;
  }, [draft]);

  async function save() {
    if (!canSave || saving) return;
    if (draft.trim() === initial.trim()) {
      onCancel();
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await onSave(draft);
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
      setSaving(false);
    }
  }

  return (
    <form
      className="message-editor"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <textarea
        ref={ref}
        className="message-editor__input"
        aria-label={caption ? 'Edit the caption' : 'Edit your message'}
        aria-describedby={`${counterId}${error ? ` ${errorId}` : ''}`}
        aria-invalid={check.tooLong || undefined}
        value={draft}
        rows={1}
        disabled={saving}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            onCancel();
          } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void save();
          }
        }}
      />
      <div className="message-editor__bar">
        <span id={counterId} className={`counter${check.tooLong ? ' counter--over' : ''}`}>
          {check.tooLong
            ? `${check.length.toLocaleString()} / ${MAX_MESSAGE_LENGTH.toLocaleString()} — ${(-check.remaining).toLocaleString()} too many`
            : 'Enter to save · Escape to cancel'}
        </span>
        <button type="button" className="button button--ghost button--small" onClick={onCancel} disabled={saving}>
          Cancel
        </button>
        <button type="submit" className="button button--primary button--small" disabled={!canSave || saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {error && (
        <p id={errorId} className="form-error">
          {error}
        </p>
      )}
    </form>
  );
}
