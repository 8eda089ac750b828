import { Authenticator } from '@aws-amplify/ui-react';
import { ChatApp } from './components/ChatApp';
import { ChatBubbleIcon } from './components/Icons';

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

/** Amplify's Authenticator (sign up, confirm, sign in, reset password) around the chat. */
export function App() {
  return (
    <Authenticator
      loginMechanisms={['email']}
      signUpAttributes={['preferred_username']}
      formFields={formFields}
      components={components}
    >
      {({ signOut, user }) => (user ? <ChatApp key={user.userId} user={user} signOut={() => signOut?.()} /> : <></>)}
    </Authenticator>
  );
}
