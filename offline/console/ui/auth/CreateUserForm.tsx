/**
 * Create a user as an administrator (AdminCreateUser): with a password, ready to sign in; without one, Cognito's
 * temporary password flow (the pool "e-mails" a temporary password — in the sandbox's log — and the user must choose
 * a new one at first sign-in).
 */
import { useState, type FormEvent } from 'react';
import { api, describeError } from '../api';
import { userLabel, type ConsoleUser } from './types';

interface Props {
  onCreated: (user: ConsoleUser) => void;
}

function explain(user: ConsoleUser, withPassword: boolean): string {
  if (withPassword) return `Created ${userLabel(user)}: ${user.status}, ready to sign in with that password.`;
  return `Created ${userLabel(user)}: ${user.status}. The pool made a temporary password and "e-mailed" it: it is in the sandbox's log (the terminal, or the Live page). At first sign-in the user must choose a new password.`;
}

export function CreateUserForm({ onCreated }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string; answer?: ConsoleUser }>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const user = await api<ConsoleUser>('POST', '/api/users', { email, ...(password === '' ? {} : { password }) });
      setOutcome({ ok: true, message: explain(user, password !== ''), answer: user });
      setEmail('');
      setPassword('');
      onCreated(user);
    } catch (error) {
      setOutcome({ ok: false, message: describeError(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="create-user" aria-label="Create user" onSubmit={(event) => void submit(event)}>
      <h2>Create user</h2>
      <div className="row">
        <label>
          E-mail <input type="email" required value={email} autoComplete="off" onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          Password (optional) <input type="password" value={password} autoComplete="new-password" onChange={(event) => setPassword(event.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Create user
        </button>
      </div>
      <p className="muted small">Runs AdminCreateUser: the pool's password policy applies; the PostConfirmation trigger does not run (as on AWS), so the app has no profile for this user until it makes one.</p>
      {outcome && (
        <div role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'notice' : 'notice error'}>
          {outcome.message}
          {outcome.answer && (
            <details>
              <summary>The API's answer</summary>
              <pre>{JSON.stringify(outcome.answer, null, 2)}</pre>
            </details>
          )}
        </div>
      )}
    </form>
  );
}
