import { Authenticator } from '@aws-amplify/ui-react';
import { lazy, Suspense } from 'react';
import { ChatBubbleIcon } from './components/Icons';
import { loadChat } from './load-chat';

/**
 * The chat (its components, the Data and Storage clients, emoji, lightbox…) is a separate chunk: the sign-in screen
 * loads only React, Amplify's auth and the Authenticator. The production page prefetches the chat's files once it has
 * loaded (`<link rel="prefetch">`, see vite.config.ts), so they are usually in the cache before the user signs in; they
 * run only when a user is signed in.
 */
const ChatApp = lazy(() => loadChat().then((module) => ({ default: module.ChatApp })));

/** Sign-up asks for a display name (Cognito's preferred_username; the directory shows it). */
const formFields = {
  signUp: {
    email: { order: 1 },
    preferred_username: {
      order: 2,
      label: 'Display name',
      placeholder: 'How others will see you',
      isRequired: true,
    },
    password: { order: 3 },
    confirm_password: { order: 4 },
  },
};

const components = {
  Header() {
    return (
      <div className="auth-brand">
        <span className="app-header__logo" aria-hidden="true">
          <ChatBubbleIcon size={22} />
        </span>
        <span className="auth-brand__name">Realtime Chat</span>
      </div>
    );
  },
};

/** Shown while the chat's chunk arrives after sign-in (normally already prefetched: a frame or none). */
function ChatLoading() {
  return <div className="app-loading" role="status" aria-busy="true" aria-label="Loading the chat" />;
}

/** Amplify's Authenticator (sign up, confirm, sign in, reset password) around the chat. */
export function App() {
  return (
    <Authenticator
      loginMechanisms={['email']}
      signUpAttributes={['preferred_username']}
      formFields={formFields}
      components={components}
    >
      {({ signOut, user }) =>
        user ? (
          <Suspense fallback={<ChatLoading />}>
            <ChatApp key={user.userId} user={user} signOut={() => signOut?.()} />
          </Suspense>
        ) : (
          <></>
        )
      }
    </Authenticator>
  );
}
