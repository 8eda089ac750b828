import type { ReactNode } from 'react';
import { ChatBubbleIcon } from '../components/Icons';

/**
 * The signed-out page: the brand above a card. index.html carries the same brand as static markup (painted before the
 * script runs), and while the stored session is being restored this renders only that, so nothing moves when React
 * takes over.
 */
export function AuthShell({ children }: { readonly children?: ReactNode }) {
  return (
    <div className="auth" aria-busy={children ? undefined : true}>
      <div className="auth__container">
        <div className="auth-brand">
          <span className="app-header__logo" aria-hidden="true">
            <ChatBubbleIcon size={22} />
          </span>
          <span className="auth-brand__name">Realtime Chat</span>
        </div>
        {children && <main className="auth__card">{children}</main>}
      </div>
    </div>
  );
}
