import { getCurrentUser, signOut, type AuthUser } from 'aws-amplify/auth';
import { Hub } from 'aws-amplify/utils';
import { startTransition, useEffect, useState } from 'react';

export type AuthSession =
  | { readonly status: 'restoring' }
  | { readonly status: 'signedOut' }
  | { readonly status: 'signedIn'; readonly user: AuthUser };

/**
 * Who is signed in: the session stored by Amplify is restored once (`getCurrentUser`, which refreshes expired tokens),
 * then Amplify's Hub `auth` events keep it current: `signedIn` (sign-in, auto sign-in after confirming, a new password),
 * `signedOut`, and `tokenRefresh_failure` (the refresh token was refused: signed out; a network failure keeps the
 * session, the next call refreshes again).
 *
 * Signing in is a transition: React renders the chat (a large first render) in slices that let the browser handle
 * input and paint in between, instead of one long task.
 */
export function useAuthSession(): AuthSession {
  const [session, setSession] = useState<AuthSession>({ status: 'restoring' });
  useEffect(() => {
    let listening = true;
    const set = (next: AuthSession) => {
      if (!listening) return;
      if (next.status === 'signedIn') startTransition(() => setSession(next));
      else setSession(next);
    };
    const stop = Hub.listen('auth', ({ payload }) => {
      switch (payload.event) {
        case 'signedIn':
          set({ status: 'signedIn', user: payload.data });
          break;
        case 'signedOut':
          set({ status: 'signedOut' });
          break;
        case 'tokenRefresh_failure':
          if (payload.data?.error?.name === 'NetworkError') break;
          void signOut().catch(() => set({ status: 'signedOut' }));
          break;
      }
    });
    getCurrentUser().then(
      (user) => set({ status: 'signedIn', user }),
      () => set({ status: 'signedOut' }),
    );
    return () => {
      listening = false;
      stop();
    };
  }, []);
  return session;
}
