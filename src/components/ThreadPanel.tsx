import { useLayoutEffect, useRef, useState } from 'react';
import { formatTime } from '../chat/days';
import type { TimelineMessage } from '../chat/messages';
import { replyCountLabel } from '../chat/threads';
import type { OpenThread } from '../hooks/useThread';
import { CloseIcon } from './Icons';
import { MessageText } from './MessageText';
import { MessageAttachment } from './MessageAttachment';

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
}

/**
 * The open thread (a side panel on wide screens, the whole pane on narrow ones): an <aside> named "Thread" with the
 * root, its replies oldest first (role="log" named "Replies", "Load earlier replies" while older ones exist), and a
 * reply composer. Escape or Close closes it; the caller returns the focus to the button that opened it.
 */
export function ThreadPanel({ thread, root, nameOf, onClose, onLoadEarlier, onReply, onOpenImage }: ThreadPanelProps) {
  const [draft, setDraft] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  const replies = thread.replies.messages;
  const count = replyCountLabel(root?.thread) ?? (replies.length === 0 ? 'No replies yet' : null);

  // Opened: the reply box takes the focus.
  useLayoutEffect(() => {
    input.current?.focus();
  }, [thread.rootId]);

  const send = () => {
    if (!draft.trim()) return;
    onReply(draft);
    setDraft('');
  };

  return (
    <aside
      className="thread-panel"
      aria-label="Thread"
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
            <MessageAttachment message={reply} onOpenImage={onOpenImage} />
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
        <textarea
          ref={input}
          aria-label="Reply"
          placeholder="Reply in thread…"
          rows={2}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" className="button" disabled={!draft.trim()}>
          Send reply
        </button>
      </form>
    </aside>
  );
}
