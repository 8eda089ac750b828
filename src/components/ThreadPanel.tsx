import { useLayoutEffect, useRef, useState } from 'react';
import { formatTime } from '../chat/days';
import type { TimelineMessage } from '../chat/messages';
import { replyCountLabel } from '../chat/threads';
import type { OpenThread } from '../hooks/useThread';
import { CloseIcon } from './Icons';
import { MessageText } from './MessageText';
import { MessageAttachment } from './MessageAttachment';
import { AttachButton, AttachmentChips, AttachmentProblems, pastedFiles } from './AttachmentDraft';
import { useAttachmentDraft } from '../hooks/useAttachmentDraft';
import type { OutgoingFile } from '../hooks/attachment-send';

interface ThreadPanelProps {
  readonly thread: OpenThread;
  /** The root as the timeline holds it (null when it is not loaded there). */
  readonly root: TimelineMessage | null;
  readonly nameOf: (userId: string) => string;
  readonly onClose: () => void;
  readonly onLoadEarlier: () => void;
  readonly onReply: (content: string) => void;
  /** Opens an image (the root's or a reply's) in the lightbox. */
  readonly onOpenImage?: (messageId: string) => void;
  /** Sends files as replies (the text as the first one's caption); absent or disabled: text replies only. */
  readonly onReplyFiles?: (files: readonly OutgoingFile[], caption: string) => void;
  readonly onCancelUpload?: (clientMessageId: string) => void;
  readonly attachmentsEnabled?: boolean;
}

/**
 * The open thread (a side panel on wide screens, the whole pane on narrow ones): an <aside> named "Thread" with the
 * root, its replies oldest first (role="log" named "Replies", "Load earlier replies" while older ones exist), and a
 * reply composer. Escape or Close closes it; the caller returns the focus to the button that opened it.
 */
export function ThreadPanel({ thread, root, nameOf, onClose, onLoadEarlier, onReply, onOpenImage, onReplyFiles, onCancelUpload, attachmentsEnabled = false }: ThreadPanelProps) {
  const [draft, setDraft] = useState('');
  const withFiles = attachmentsEnabled && !!onReplyFiles;
  const attachments = useAttachmentDraft(withFiles);
  const input = useRef<HTMLTextAreaElement>(null);
  const replies = thread.replies.messages;
  const count = replyCountLabel(root?.thread) ?? (replies.length === 0 ? 'No replies yet' : null);

  // Opened: the reply box takes the focus.
  useLayoutEffect(() => {
    input.current?.focus();
  }, [thread.rootId]);

  const canSend = attachments.files.length > 0 || draft.trim() !== '';
  const send = () => {
    if (!canSend) return;
    if (attachments.files.length > 0) onReplyFiles?.(attachments.take(), draft);
    else onReply(draft);
    setDraft('');
  };
  const addFiles = (files: File[]) => {
    if (attachments.add(files)) input.current?.focus();
  };

  return (
    <aside
      className="thread-panel"
      aria-label="Thread"
      onDrop={(event) => {
        // Files dropped on the panel go with the reply (not to the conversation's composer).
        if (!withFiles || !event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        event.stopPropagation();
        addFiles([...event.dataTransfer.files]);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <header className="thread-panel__header">
        <h2 className="thread-panel__title">Thread</h2>
        <button type="button" className="icon-button" aria-label="Close thread" title="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      {root && (
        <article className="thread-panel__root" aria-label="Thread root" data-message-id={root.id}>
          <span className="message__sender">{nameOf(root.sender)}</span>
          <MessageAttachment message={root} onOpenImage={onOpenImage} />
          {root.content !== '' && <MessageText content={root.content} />}
          <time dateTime={root.createdAt}>{formatTime(root.createdAt)}</time>
        </article>
      )}
      {count && <p className="thread-panel__count">{count}</p>}
      <div className="thread-panel__replies" role="log" aria-label="Replies" aria-busy={thread.loading}>
        {thread.loaded && thread.nextToken && (
          <button type="button" className="link-button" onClick={onLoadEarlier} disabled={thread.loading}>
            Load earlier replies
          </button>
        )}
        {thread.error && <p role="alert">Replies could not be loaded: {thread.error}</p>}
        {replies.map((reply) => (
          <article key={reply.clientMessageId ? `c:${reply.sender}:${reply.clientMessageId}` : reply.id} className="thread-panel__reply" data-status={reply.status} data-message-id={reply.id}>
            <span className="message__sender">{nameOf(reply.sender)}</span>
            <MessageAttachment message={reply} onOpenImage={onOpenImage} onCancelUpload={(message) => message.clientMessageId && onCancelUpload?.(message.clientMessageId)} />
            {reply.content !== '' && <MessageText content={reply.content} />}
            <time dateTime={reply.createdAt}>{formatTime(reply.createdAt)}</time>
            {reply.status === 'failed' && <span className="message__failure">Not sent{reply.error ? ` — ${reply.error}` : ''}</span>}
          </article>
        ))}
      </div>
      <form
        className="thread-panel__composer"
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <AttachmentChips draft={attachments} label="Attachments to send with the reply" onRemoved={() => input.current?.focus()} />
        {withFiles && <AttachButton label="Attach files to the reply" className="thread-panel__attach" onFiles={addFiles} />}
        <textarea
          ref={input}
          aria-label="Reply"
          placeholder="Reply in thread…"
          rows={2}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onPaste={(event) => {
            const pasted = pastedFiles(event);
            if (pasted.length === 0) return;
            event.preventDefault();
            addFiles(pasted);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" className="button" disabled={!canSend}>
          Send reply
        </button>
        <AttachmentProblems draft={attachments} />
      </form>
    </aside>
  );
}
