import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { userDisplayName, type ProfilesById } from '../chat/conversations';
import { groupByDay } from '../chat/days';
import type { TimelineMessage } from '../chat/messages';
import { canLoadMore } from '../chat/pagination';
import { chipsOf, type ReactionFacts } from '../chat/reactions';
import { sameUser } from '../chat/participants';
import { firstPageLoaded, type ConversationMessages } from '../state/message-store';
import { continuesGroup } from '../state/message-groups';
import { isAtBottom, scrollAfterUpdate, shouldLoadOlder, type ListEnds, type ScrollMetrics } from '../state/scroll';
import { ArrowDownIcon } from './Icons';
import { MessageItem } from './MessageItem';
import { systemSentence } from '../chat/system-messages';

interface MessageListProps {
  readonly entry: ConversationMessages;
  readonly me: string;
  readonly profiles: ProfilesById;
  readonly isGroup: boolean;
  readonly now: Date;
  readonly onLoadOlder: () => void;
  readonly onRetryCatchUp: () => void;
  readonly onSaveEdit: (messageId: string, content: string) => Promise<void>;
  readonly onDelete: (message: TimelineMessage, opener: HTMLElement) => void;
  readonly onRetry: (message: TimelineMessage) => void;
  readonly onDiscard: (message: TimelineMessage) => void;
  /** Every known reaction (the chips under each message are derived from them). */
  readonly reactions: ReactionFacts;
  readonly reactionFailure: { readonly messageId: string; readonly text: string } | null;
  readonly onToggleReaction: (messageId: string, emoji: string) => void;
  /** Who has read up to the user's newest message (display names): "Seen" under it. */
  readonly seen: { readonly messageId: string; readonly names: readonly string[] } | null;
  /** Set by the composer (ArrowUp in an empty draft): edit this message. */
  readonly editRequest: { readonly messageId: string; readonly seq: number } | null;
  /** Opens a message's thread ("Reply in thread", "N replies"). */
  readonly onOpenThread?: (messageId: string, opener: HTMLElement) => void;
  /** Opens an image message in the lightbox. */
  readonly onOpenImage?: (messageId: string) => void;
  /** Cancels an attachment's upload (its pending message goes). */
  readonly onCancelUpload?: (message: TimelineMessage) => void;
}

/** Stable across the pending → confirmed switch, so the element (and focus in it) survives. */
function keyOf(message: TimelineMessage): string {
  return message.clientMessageId ? `c:${message.sender}:${message.clientMessageId}` : message.id;
}

function measure(element: HTMLElement): ScrollMetrics {
  return { scrollTop: element.scrollTop, scrollHeight: element.scrollHeight, clientHeight: element.clientHeight };
}

/**
 * The conversation's messages, oldest at the top: role="log" named "Messages", day separators,
 * grouped consecutive messages; older pages load when scrolled near the top without moving what is
 * on screen; new messages are followed when the reader is at the bottom, else a button offers them.
 */
export function MessageList(props: MessageListProps) {
  const { entry, me, profiles, isGroup, now, onLoadOlder } = props;
  const messages = entry.timeline.messages;
  const ref = useRef<HTMLDivElement>(null);
  const snapshot = useRef<(ScrollMetrics & ListEnds) | null>(null);
  const [unseen, setUnseen] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [handledEditSeq, setHandledEditSeq] = useState(0);

  // ArrowUp in the composer: edit the requested message (state derived during render).
  if (props.editRequest && props.editRequest.seq !== handledEditSeq) {
    setHandledEditSeq(props.editRequest.seq);
    setEditing(props.editRequest.messageId);
  }

  // Who reacted, as the chips name them.
  const reactionNameOf = useCallback((userId: string) => (sameUser(userId, me) ? 'you' : userDisplayName(userId, profiles)), [me, profiles]);

  const loaded = firstPageLoaded(entry);
  const initialLoading = !loaded && entry.pages.error === null;
  const initialError = !loaded && entry.pages.error !== null ? entry.pages.error : null;
  const autoLoad = loaded && canLoadMore(entry.pages) && entry.pages.error === null;
  const first = messages[0];
  const last = messages.at(-1);
  const firstKey = first ? keyOf(first) : null;
  const lastKey = last ? keyOf(last) : null;
  const lastIsOwn = !!last && sameUser(last.sender, me);

  const maybeLoadOlder = useCallback(
    (element: HTMLElement) => {
      if (autoLoad && shouldLoadOlder(measure(element))) onLoadOlder();
    },
    [autoLoad, onLoadOlder],
  );

  // After every render: keep the reader's place (see src/state/scroll.ts) and remember the metrics.
  // Deliberately without a dependency list: any render may change the log's height (an edit, a send
  // confirmed, the loading row, new timestamps), not only the keys the rule suggests. The rule warns of
  // an endless chain of updates from setUnseen, which cannot happen here: it only ever sets `true`, and
  // only when the first or last message changed; the render it causes changes neither, so this effect
  // then takes the 'bottom'/'none' branch and sets nothing.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- runs after every render on purpose (above)
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const before = snapshot.current;
    const keysChanged = before === null || before.firstKey !== firstKey || before.lastKey !== lastKey;
    const action = keysChanged || before === null
      ? scrollAfterUpdate(before, { firstKey, lastKey, scrollHeight: element.scrollHeight }, lastIsOwn)
      : isAtBottom(before) ? { kind: 'bottom' as const } : { kind: 'none' as const };
    if (action.kind === 'bottom') element.scrollTop = element.scrollHeight;
    else if (action.kind === 'restore') element.scrollTop = action.scrollTop;
    else if (action.kind === 'unseen') setUnseen(true);
    snapshot.current = { ...measure(element), firstKey, lastKey };
    maybeLoadOlder(element);
  });

  // The view changes size (composer grows, phone keyboard opens): stay at the bottom if there.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(() => {
      const before = snapshot.current;
      if (before && isAtBottom(before)) element.scrollTop = element.scrollHeight;
      if (before) snapshot.current = { ...before, ...measure(element) };
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const element = ref.current;
    if (!element) return;
    const metrics = measure(element);
    snapshot.current = { ...metrics, firstKey, lastKey };
    if (isAtBottom(metrics)) setUnseen(false);
    maybeLoadOlder(element);
  };

  const jumpToLatest = () => {
    const element = ref.current;
    if (!element) return;
    element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
    setUnseen(false);
  };

  const sections = useMemo(() => groupByDay(messages, { now }), [messages, now]);

  const onStartEdit = useCallback((messageId: string) => setEditing(messageId), []);
  const onEndEdit = useCallback(() => setEditing(null), []);

  let top: React.ReactNode = null;
  if (entry.pages.loading && loaded) {
    top = (
      <p className="message-log__status" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Loading older messages…
      </p>
    );
  } else if (loaded && entry.pages.error) {
    top = (
      <p className="message-log__status">
        Couldn’t load older messages.{' '}
        <button type="button" className="link-button" onClick={onLoadOlder}>
          Try again
        </button>
      </p>
    );
  } else if (entry.pages.exhausted && messages.length > 0) {
    top = <p className="message-log__status message-log__status--start">This is the beginning of the conversation.</p>;
  }

  return (
    <div className="message-area">
      <div
        ref={ref}
        className="message-log"
        role="log"
        aria-label="Messages"
        aria-live="off"
        aria-busy={initialLoading ? 'true' : undefined}
        tabIndex={0}
        onScroll={onScroll}
      >
        <div className="message-log__top">{top}</div>
        {entry.catchUpError && (
          <p className="message-log__notice">
            Some messages sent while you were disconnected could not be loaded.{' '}
            <button type="button" className="link-button" onClick={props.onRetryCatchUp}>
              Try again
            </button>
          </p>
        )}
        {initialLoading && messages.length === 0 && (
          <div className="message-log__placeholder" aria-hidden="true">
            <span className="skeleton skeleton--left" />
            <span className="skeleton skeleton--right" />
            <span className="skeleton skeleton--left skeleton--wide" />
          </div>
        )}
        {initialLoading && <span className="sr-only">Loading messages…</span>}
        {initialError && (
          <div className="empty-state">
            <p>Couldn’t load the messages. {initialError}</p>
            <button type="button" className="button button--primary" onClick={onLoadOlder}>
              Try again
            </button>
          </div>
        )}
        {loaded && messages.length === 0 && (
          <div className="empty-state">
            <p className="empty-state__title">No messages yet</p>
            <p>Say hello 👋</p>
          </div>
        )}
        {sections.map((section) => (
          <div className="day" key={section.key}>
            <h3 className="day__label">
              <span>{section.label}</span>
            </h3>
            {section.items.map((message, index) => {
              if (message.messageType === 'SYSTEM') {
                // A membership change, written by the backend: a centred line of the timeline, no bubble, no actions.
                const nameOf = (userId: string) => userDisplayName(userId, profiles);
                return (
                  <p key={keyOf(message)} className="system-message" data-message-id={message.id} data-system-action={message.system?.action ?? undefined}>
                    <span>{message.system ? systemSentence(message.system, me, nameOf) : message.content}</span>
                  </p>
                );
              }
              const own = sameUser(message.sender, me);
              return (
                <MessageItem
                  key={keyOf(message)}
                  message={message}
                  senderName={userDisplayName(message.sender, profiles)}
                  own={own}
                  continuation={continuesGroup(section.items[index - 1], message)}
                  showSenderName={isGroup}
                  editing={editing === message.id}
                  onStartEdit={onStartEdit}
                  onEndEdit={onEndEdit}
                  onSaveEdit={props.onSaveEdit}
                  onDelete={props.onDelete}
                  onRetry={props.onRetry}
                  onDiscard={props.onDiscard}
                  reactions={message.status === 'confirmed' ? chipsOf(props.reactions, message.id, me) : null}
                  reactionNameOf={reactionNameOf}
                  reactionFailure={props.reactionFailure?.messageId === message.id ? props.reactionFailure.text : null}
                  onToggleReaction={props.onToggleReaction}
                  seenBy={props.seen?.messageId === message.id ? props.seen.names : null}
                  onOpenThread={props.onOpenThread}
                  onOpenImage={props.onOpenImage}
                  onCancelUpload={props.onCancelUpload}
                />
              );
            })}
          </div>
        ))}
      </div>
      {unseen && (
        <button type="button" className="jump-button" onClick={jumpToLatest}>
          <ArrowDownIcon size={16} /> New messages
        </button>
      )}
    </div>
  );
}
