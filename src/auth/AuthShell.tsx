import type { ReactNode } from 'react';
import { ChatBubbleIcon } from '../components/Icons';

/**
 * The signed-out page: the brand above a card. While the stored session is restored it renders only the brand, and
 * index.html carries exactly that markup (shell-markup.test.ts): it paints before the script runs, React hydrates it,
 * and the card then appears under it without the brand being painted again.
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
