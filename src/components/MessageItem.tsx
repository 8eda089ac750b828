import { memo, useRef, useState } from 'react';
import { formatTime } from '../chat/days';
import type { TimelineMessage } from '../chat/messages';
import { Avatar } from './Avatar';
import { AlertIcon, ClockIcon, EditIcon, TrashIcon } from './Icons';
import { MessageEditor } from './MessageEditor';
import { MessageText } from './MessageText';
import { MessageAttachment } from './MessageAttachment';
import { ReactionChips, ReactionPicker } from './ReactionBar';
import { SeenMark } from './SeenMark';
import type { ReactionChip } from '../chat/reactions';
import { threadButtonLabel } from '../chat/threads';

interface MessageItemProps {
  readonly message: TimelineMessage;
  readonly senderName: string;
  readonly own: boolean;
  /** Continues the previous message's group: name and avatar not repeated visually. */
  readonly continuation: boolean;
  /** Show the sender's name above the bubble (group conversations). */
  readonly showSenderName: boolean;
  readonly editing: boolean;
  readonly onStartEdit: (messageId: string) => void;
  readonly onEndEdit: () => void;
  readonly onSaveEdit: (messageId: string, content: string) => Promise<void>;
  readonly onDelete: (message: TimelineMessage, opener: HTMLElement) => void;
  readonly onRetry: (message: TimelineMessage) => void;
  readonly onDiscard: (message: TimelineMessage) => void;
  /** The message's reaction chips; null while it is not confirmed (no reactions yet). */
  readonly reactions: readonly ReactionChip[] | null;
  readonly reactionNameOf: (userId: string) => string;
  readonly reactionFailure: string | null;
  readonly onToggleReaction: (messageId: string, emoji: string) => void;
  /** On the user's newest message: who has read up to it (display names); null on every other message. */
  readonly seenBy: readonly string[] | null;
  /** Opens the message's thread (the button is the opener focus returns to); absent: no thread actions. */
  readonly onOpenThread?: (messageId: string, opener: HTMLElement) => void;
  /** Opens an image message in the lightbox. */
  readonly onOpenImage?: (messageId: string) => void;
  /** Cancels an attachment's upload. */
  readonly onCancelUpload?: (message: TimelineMessage) => void;
}

/** The emoji the signed-in user has among a message's chips. */
const mineOf = (chips: readonly ReactionChip[]): ReadonlySet<string> => new Set(chips.filter((chip) => chip.mine).map((chip) => chip.emoji));

function fullDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' }).format(date);
}

/**
 * One message: an <article> with data-status (pending | failed | confirmed) and data-own, holding
 * the sender's name (visually hidden when repeated or own), the time and the text; own confirmed
 * messages have Edit and Delete buttons, failed ones Retry and Discard.
 */
export const MessageItem = memo(function MessageItem(props: MessageItemProps) {
  const { message, senderName, own, continuation, showSenderName, editing } = props;
  const editButton = useRef<HTMLButtonElement>(null);
  const [justEdited, setJustEdited] = useState(false);
  const confirmed = message.status === 'confirmed';
  const nameVisible = !own && showSenderName && !continuation;
  const toggleReaction = (emoji: string) => props.onToggleReaction(message.id, emoji);
  const threadLabel = threadButtonLabel(message.thread);
  const replyButton = confirmed && props.onOpenThread && !editing && (
    <button
      type="button"
      className="icon-button icon-button--small message__reply"
      aria-label="Reply in thread"
      title="Reply in thread"
      onClick={(event) => props.onOpenThread?.(message.id, event.currentTarget)}
    >
      <span aria-hidden="true">↩</span>
    </button>
  );

  const endEdit = () => {
    props.onEndEdit();
    // Back to the button that opened the editor.
    requestAnimationFrame(() => editButton.current?.focus());
  };

  return (
    <article
      className={[
        'message',
        own ? 'message--own' : 'message--other',
        continuation ? 'message--continuation' : '',
        `message--${message.status}`,
        justEdited ? 'message--just-edited' : '',
      ]
        .filter(Boolean)
        .join(' ')}
      data-status={message.status}
      data-own={own ? 'true' : 'false'}
      data-message-id={message.id}
      // Focusable by a tap, so that touch screens (no hover) reveal the message's actions.
      tabIndex={-1}
    >
      {!own && (
        <div className="message__gutter">{!continuation && <Avatar name={senderName} colorKey={message.sender} size="sm" />}</div>
      )}
      <div className="message__body">
        <span className={nameVisible ? 'message__sender' : 'sr-only'}>{senderName}</span>
        {editing && message.attachment && <MessageAttachment message={message} onOpenImage={props.onOpenImage} />}
        {editing ? (
          <MessageEditor
            caption={!!message.attachment}
            initial={message.content}
            onCancel={endEdit}
            onSave={async (content) => {
              await props.onSaveEdit(message.id, content);
              setJustEdited(true);
              endEdit();
            }}
          />
        ) : (
          <div className={`message__bubble${message.attachment || message.upload ? ' message__bubble--attachment' : ''}`}>
            <MessageAttachment message={message} onOpenImage={props.onOpenImage} onCancelUpload={props.onCancelUpload} />
            {message.content !== '' && <MessageText content={message.content} />}
            <span className="message__meta">
              {message.editedAt && (
                <span className="message__edited" title={`Edited ${fullDate(message.editedAt)}`}>
                  edited
                </span>
              )}
              <time dateTime={message.createdAt} title={fullDate(message.createdAt)}>
                {formatTime(message.createdAt)}
              </time>
              {message.status === 'pending' && (
                <span className="message__state" title="Sending…">
                  <ClockIcon size={13} />
                  <span className="sr-only">Sending…</span>
                </span>
              )}
            </span>
          </div>
        )}
        {props.reactions && !editing && (
          <ReactionChips chips={props.reactions} nameOf={props.reactionNameOf} failure={props.reactionFailure} onToggle={toggleReaction} />
        )}
        {message.status === 'failed' && (
          <div className="message__failure">
            <AlertIcon size={15} />
            <span>Not sent{message.error ? ` — ${message.error}` : ''}</span>
            <button type="button" className="link-button" onClick={() => props.onRetry(message)}>
              Retry
            </button>
            <button type="button" className="link-button link-button--muted" onClick={() => props.onDiscard(message)}>
              Discard
            </button>
          </div>
        )}
        {threadLabel && props.onOpenThread && (
          <button
            type="button"
            className="link-button message__thread"
            data-thread-root={message.id}
            onClick={(event) => props.onOpenThread?.(message.id, event.currentTarget)}
          >
            {threadLabel}
          </button>
        )}
        {props.seenBy && <SeenMark names={props.seenBy} group={showSenderName} />}
      </div>
      {!own && (props.reactions || replyButton) && (
        <div className="message__actions">
          {props.reactions && <ReactionPicker mine={mineOf(props.reactions)} onToggle={toggleReaction} />}
          {replyButton}
        </div>
      )}
      {own && confirmed && !editing && (
        <div className="message__actions">
          {props.reactions && <ReactionPicker mine={mineOf(props.reactions)} onToggle={toggleReaction} />}
          {replyButton}
          <button
            ref={editButton}
            type="button"
            className="icon-button icon-button--small"
            aria-label="Edit message"
            title="Edit"
            onClick={() => props.onStartEdit(message.id)}
          >
            <EditIcon size={16} />
          </button>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label="Delete message"
            title="Delete"
            onClick={(event) => props.onDelete(message, event.currentTarget)}
          >
            <TrashIcon size={16} />
          </button>
        </div>
      )}
    </article>
  );
});
