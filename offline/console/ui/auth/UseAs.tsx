/**
 * "Use as": the tokens a sign-in of this user would give (without their password), and the GraphQL explorer opened as
 * them.
 */
import { useState } from 'react';
import { api, describeError } from '../api';
import { TokenField } from './TokenField';
import { userLabel, userPath, type ConsoleUser, type Tokens } from './types';
import { ErrorAlert } from '../common';

export function UseAs({ user }: { user: ConsoleUser }) {
  const [tokens, setTokens] = useState<Tokens>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fetchTokens = async () => {
    setBusy(true);
    try {
      setTokens(await api<Tokens>('POST', userPath(user, 'tokens'), {}));
      setError(undefined);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="use-as" aria-label="Use as">
      <h3>Use as {userLabel(user)}</h3>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void fetchTokens()}>
          Get tokens
        </button>
        <a href={`#/explorer/user/${encodeURIComponent(user.username)}`}>Open in GraphQL explorer as {userLabel(user)}</a>
      </div>
      <p className="muted small">A real session of the pool, as a sign-in would make (a confirmed, enabled user only); "Sign out everywhere" revokes it.</p>
      <ErrorAlert error={error} />
      {tokens && (
        <>
          <TokenField label="ID token" token={tokens.IdToken} />
          <TokenField label="Access token" token={tokens.AccessToken} />
        </>
      )}
    </section>
  );
}
