import { Avatar } from './Avatar';
import type { ReactNode } from 'react';
import { ChatBubbleIcon } from './Icons';

interface AppHeaderProps {
  readonly me: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly signingOut: boolean;
  readonly onSignOut: () => void;
  /** Shown before the user's name (the notification state). */
  readonly extra?: ReactNode;
}

/** The app bar: brand, the signed-in user's display name, Sign out. */
export function AppHeader({ me, displayName, email, signingOut, onSignOut, extra }: AppHeaderProps) {
  return (
    <header className="app-header">
      <div className="app-header__brand">
        <span className="app-header__logo" aria-hidden="true">
          <ChatBubbleIcon size={18} />
        </span>
        <h1 className="app-header__title">Realtime Chat</h1>
      </div>
      <div className="app-header__user">
        {extra}
        <Avatar name={displayName} colorKey={me} size="sm" />
        <span className="app-header__name" title={email ?? undefined}>
          <span className="sr-only">Signed in as </span>
          {displayName}
        </span>
        <button type="button" className="button button--ghost button--small" onClick={onSignOut} disabled={signingOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
