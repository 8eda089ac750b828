import type { ReactNode, Ref } from 'react';
import { presenceLabel, presenceDot, type PresenceSummary } from '../chat/presence';
import { Avatar } from './Avatar';
import { BackIcon } from './Icons';
import { PresenceDot } from './PresenceDot';

interface ConversationHeaderProps {
  readonly conversationId: string;
  readonly title: string;
  /** The other person of a 1:1 conversation (null for groups). */
  readonly directUserId: string | null;
  readonly presence: PresenceSummary | undefined;
  /** "Ann, Bob and you" for groups. */
  readonly members: string;
  readonly now: Date;
  readonly onBack: () => void;
  readonly titleRef?: Ref<HTMLHeadingElement>;
  /** Controls at the end of the header (the mute toggle). */
  readonly actions?: ReactNode;
}

/** Title, presence (1:1: dot plus "Online" / "Away" / "last seen …") or members, and Back on phones. */
export function ConversationHeader(props: ConversationHeaderProps) {
  const { title, directUserId, presence, members, now, titleRef } = props;
  const dot = presenceDot(presence, now);
  return (
    <header className="conversation-header">
      <button type="button" className="icon-button back-button" onClick={props.onBack} title="Back to conversations">
        <BackIcon />
        <span className="sr-only">Back</span>
      </button>
      <span className="avatar-with-dot">
        <Avatar name={title} colorKey={directUserId ?? props.conversationId} group={!directUserId} />
      </span>
      <div className="conversation-header__text">
        <h2 className="conversation-header__title" ref={titleRef} tabIndex={-1}>
          {title}
        </h2>
        {directUserId ? (
          <p className={`conversation-header__status conversation-header__status--${dot}`}>
            <PresenceDot presence={presence} now={now} />
            <span>{presenceLabel(presence, now)}</span>
          </p>
        ) : (
          <p className="conversation-header__status">{members}</p>
        )}
      </div>
      {props.actions && <div className="conversation-header__actions">{props.actions}</div>}
    </header>
  );
}
