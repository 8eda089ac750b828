import { signOut } from 'aws-amplify/auth';
import { lazy, Suspense } from 'react';
import { AuthScreens } from './auth/AuthScreens';
import { AuthShell } from './auth/AuthShell';
import { useAuthSession } from './auth/useAuthSession';
import { loadChat } from './load-chat';

/**
 * The chat (its components, the Data and Storage clients, emoji, lightbox…) is a separate chunk: the sign-in screen
 * loads only React, Amplify's auth and the app's own sign-in screens (src/auth/). The production page prefetches the
 * chat's files once it has loaded (`<link rel="prefetch">`, see vite.config.ts), so they are usually in the cache
 * before the user signs in; they run only when a user is signed in.
 */
const ChatApp = lazy(() => loadChat().then((module) => ({ default: module.ChatApp })));

/** Shown while the chat's chunk arrives after sign-in (normally already prefetched: a frame or none). */
function ChatLoading() {
  return <div className="app-loading" role="status" aria-busy="true" aria-label="Loading the chat" />;
}

/** Signs out here (Cognito revokes the refresh token; the stored tokens are removed even when that call fails). */
function signOutHere() {
  void signOut().catch(() => undefined);
}

/**
 * The stored session restored, then the sign-in screens (sign up, confirm, sign in, reset password) or the chat. The
 * brand (AuthShell) stays the same elements from the static page to the sign-in card: React hydrates index.html's copy
 * and keeps it, so nothing is painted twice.
 */
export function App() {
  const session = useAuthSession();
  if (session.status !== 'signedIn') return <AuthShell>{session.status === 'signedOut' ? <AuthScreens /> : null}</AuthShell>;
  return (
    <Suspense fallback={<ChatLoading />}>
      <ChatApp key={session.user.userId} user={session.user} signOut={signOutHere} />
    </Suspense>
  );
}
