/** One user: every attribute, and what an administrator does to them (each an admin operation of the pool). */
import { useState } from 'react';
import { api, describeError } from '../api';
import { ConfirmDelete } from './ConfirmDelete';
import { SetPasswordForm } from './SetPasswordForm';
import { UseAs } from './UseAs';
import { codeKindLabel, formatTime, userLabel, userPath, type ConsoleUser } from './types';

interface Props {
  user: ConsoleUser;
  /** After an action: the page reads the users again. */
  onChanged: () => void;
  onDeleted: () => void;
}

export function UserDetail({ user, onChanged, onDeleted }: Props) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string }>();
  const label = userLabel(user);
  const act = async (what: string, method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<boolean> => {
    setBusy(true);
    try {
      await api(method, path, body);
      setOutcome({ ok: true, message: what });
      if (method === 'DELETE') onDeleted();
      else onChanged();
      return true;
    } catch (error) {
      setOutcome({ ok: false, message: describeError(error) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  const attributes = Object.entries(user.attributes).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section className="user-detail" aria-label={`User ${label}`}>
      <h2>{label}</h2>
      <dl className="attributes">
        <dt>Username</dt>
        <dd>
          <code>{user.username}</code>
        </dd>
        <dt>sub</dt>
        <dd>
          <code>{user.sub ?? '—'}</code>
        </dd>
        <dt>Status</dt>
        <dd>{user.status}</dd>
        <dt>Enabled</dt>
        <dd>{user.enabled ? 'yes' : 'no'}</dd>
        <dt>Groups</dt>
        <dd>{user.groups.join(', ') || '—'}</dd>
        <dt>Created / updated</dt>
        <dd>
          {formatTime(user.created)} / {formatTime(user.updated)}
        </dd>
        <dt>Last code sent</dt>
        <dd>{user.lastCode ? `${user.lastCode} (${codeKindLabel(user.lastCodeKind)})` : '—'}</dd>
        {attributes.map(([name, value]) => (
          <div key={name} className="attribute">
            <dt>{name}</dt>
            <dd>
              <code>{value}</code>
            </dd>
          </div>
        ))}
      </dl>
      <div className="row actions" role="group" aria-label="Actions">
        <button type="button" disabled={busy || user.status !== 'UNCONFIRMED'} onClick={() => void act(`Confirmed ${label}.`, 'POST', userPath(user, 'confirm'))}>
          Confirm
        </button>
        {user.enabled ? (
          <button type="button" disabled={busy} onClick={() => void act(`Disabled ${label}.`, 'POST', userPath(user, 'disable'))}>
            Disable
          </button>
        ) : (
          <button type="button" disabled={busy} onClick={() => void act(`Enabled ${label}.`, 'POST', userPath(user, 'enable'))}>
            Enable
          </button>
        )}
        <button type="button" disabled={busy} onClick={() => void act(`Signed ${label} out everywhere: their refresh tokens and access tokens are revoked.`, 'POST', userPath(user, 'sign-out'))}>
          Sign out everywhere
        </button>
        <ConfirmDelete label={label} busy={busy} onDelete={() => void act(`Deleted ${label}.`, 'DELETE', userPath(user))} />
      </div>
      <SetPasswordForm
        busy={busy}
        onSet={(password, permanent) => act(permanent ? `Set a permanent password for ${label}.` : `Set a temporary password for ${label}: they must choose a new one at sign-in.`, 'POST', userPath(user, 'password'), { password, permanent })}
      />
      {outcome && (
        <p role={outcome.ok ? 'status' : 'alert'} className={outcome.ok ? 'notice' : 'notice error'}>
          {outcome.message}
        </p>
      )}
      <UseAs key={user.username} user={user} />
    </section>
  );
}
