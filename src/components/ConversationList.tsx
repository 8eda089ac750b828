import { memo } from 'react';
import { lastActivityAt } from '../chat/conversations';
import type { PresenceSummary } from '../chat/presence';
import type { LoadStatus } from '../hooks/useConversations';
import { formatListTime, type ListedConversation } from '../state/conversation-list';
import { unreadBadgeText } from '../state/unread-tracker';
import { Avatar } from './Avatar';
import { MutedMark } from '../notifications/MuteButton';
import { PresenceDot } from './PresenceDot';

export interface ConversationListEntry {
  readonly conversation: ListedConversation;
  readonly title: string;
  /** The other person of a 1:1 conversation (null for groups). */
  readonly directUserId: string | null;
  readonly presence: PresenceSummary | undefined;
  readonly unread: number;
  /** Notifications from it are muted. */
  readonly muted?: boolean;
}

interface ConversationListProps {
  readonly entries: readonly ConversationListEntry[];
  readonly status: LoadStatus;
  readonly error: string | null;
  readonly activeId: string | null;
  readonly now: Date;
  readonly onOpen: (conversationId: string) => void;
  readonly onReload: () => void;
}

/**
 * <nav aria-label="Conversations">: one button per conversation, its accessible name starting with
 * the title (then time, preview, presence, "n unread"); aria-current="true" on the open one.
 */
export function ConversationList({ entries, status, error, activeId, now, onOpen, onReload }: ConversationListProps) {
  let content: React.ReactNode;
  if (entries.length === 0 && status === 'loading') {
    content = (
      <div className="conversation-list__placeholder" aria-busy="true">
        <span className="sr-only">Loading conversations…</span>
        {[0, 1, 2].map((i) => (
          <span key={i} className="skeleton-row" aria-hidden="true" />
        ))}
      </div>
    );
  } else if (entries.length === 0 && status === 'error') {
    content = (
      <div className="empty-state empty-state--compact">
        <p>Couldn’t load your conversations.</p>
        {error && <p className="empty-state__detail">{error}</p>}
        <button type="button" className="button button--primary" onClick={onReload}>
          Try again
        </button>
      </div>
    );
  } else if (entries.length === 0) {
    content = (
      <div className="empty-state empty-state--compact">
        <p className="empty-state__title">No conversations yet</p>
        <p>Use “New conversation” to find people and say hello.</p>
      </div>
    );
  } else {
    content = (
      <ul className="conversation-list">
        {entries.map((entry) => (
          <ConversationListItem
            key={entry.conversation.id}
            entry={entry}
            active={entry.conversation.id === activeId}
            now={now}
            onOpen={onOpen}
          />
        ))}
      </ul>
    );
  }
  return (
    <nav aria-label="Conversations" className="conversation-nav">
      {content}
      {entries.length > 0 && status === 'error' && (
        <p className="conversation-nav__error">
          Couldn’t refresh.{' '}
          <button type="button" className="link-button" onClick={onReload}>
            Try again
          </button>
        </p>
      )}
    </nav>
  );
}

const ConversationListItem = memo(function ConversationListItem({
  entry,
  active,
  now,
  onOpen,
}: {
  readonly entry: ConversationListEntry;
  readonly active: boolean;
  readonly now: Date;
  readonly onOpen: (conversationId: string) => void;
}) {
  const { conversation, title, directUserId, presence, unread, muted } = entry;
  const activity = lastActivityAt(conversation);
  return (
    <li>
      <button
        type="button"
        className={`conversation-item${active ? ' conversation-item--active' : ''}${unread > 0 ? ' conversation-item--unread' : ''}`}
        aria-current={active ? 'true' : undefined}
        data-conversation-id={conversation.id}
        onClick={() => onOpen(conversation.id)}
      >
        <span className="conversation-item__avatar">
          <Avatar name={title} colorKey={directUserId ?? conversation.id} group={!directUserId} />
        </span>
        <span className="conversation-item__title">{title}</span>
        {activity && (
          <time className="conversation-item__time" dateTime={activity}>
            {formatListTime(activity, now)}
          </time>
        )}
        <span className="conversation-item__preview">{conversation.lastMessagePreview ?? 'No messages yet'}</span>
        {directUserId && <PresenceDot presence={presence} now={now} className="conversation-item__presence" />}
        {(muted || unread > 0) && (
          <span className="conversation-item__marks">
            {muted && <MutedMark />}
            {unread > 0 && (
              <span className="badge conversation-item__badge" aria-label={`${unread} unread`}>
                <span aria-hidden="true">{unreadBadgeText(unread)}</span>
                <span className="sr-only">{unread} unread</span>
              </span>
            )}
          </span>
        )}
      </button>
    </li>
  );
});
