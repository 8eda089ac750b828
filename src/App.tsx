import { Authenticator } from '@aws-amplify/ui-react';
import { ConversationList } from './ConversationList';

/** The signed-in shell. The full chat client (conversation view, composer, presence) is issue #4. */
export function App() {
  return (
    <Authenticator loginMechanisms={['email']} signUpAttributes={['preferred_username']}>
      {({ signOut, user }) => (
        <main className="shell">
          <header className="shell__header">
            <h1>Realtime Chat</h1>
            <span className="shell__user">{user?.signInDetails?.loginId ?? user?.username}</span>
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </header>
          <ConversationList />
        </main>
      )}
    </Authenticator>
  );
}
