/** AdminSetUserPassword: permanent (the user signs in with it) or temporary (they must choose a new one). */
import { useState, type FormEvent } from 'react';

interface Props {
  busy: boolean;
  onSet: (password: string, permanent: boolean) => Promise<boolean>;
}

export function SetPasswordForm({ busy, onSet }: Props) {
  const [password, setPassword] = useState('');
  const [permanent, setPermanent] = useState(true);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onSet(password, permanent)) setPassword('');
  };
  return (
    <form className="row" aria-label="Set password" onSubmit={(event) => void submit(event)}>
      <label>
        New password <input type="password" required value={password} autoComplete="new-password" onChange={(event) => setPassword(event.target.value)} />
      </label>
      <label>
        <input type="checkbox" checked={permanent} onChange={(event) => setPermanent(event.target.checked)} /> Permanent
      </label>
      <button type="submit" disabled={busy}>
        Set password
      </button>
    </form>
  );
}
