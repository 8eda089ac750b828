/** The pool's users, one row each; a user's name opens their details. */
import { codeKindLabel, formatTime, userLabel, type ConsoleUser } from './types';

interface Props {
  users: ConsoleUser[];
  selected: string | undefined;
  onSelect: (username: string) => void;
}

export function UsersTable({ users, selected, onSelect }: Props) {
  if (users.length === 0) return <p className="muted">The pool has no users yet.</p>;
  return (
    <table className="users-table" aria-label="Users">
      <thead>
        <tr>
          <th scope="col">User</th>
          <th scope="col">Status</th>
          <th scope="col">Enabled</th>
          <th scope="col">Groups</th>
          <th scope="col">Created</th>
          <th scope="col">Last code sent</th>
        </tr>
      </thead>
      <tbody>
        {users.map((user) => (
          <tr key={user.username} aria-selected={user.username === selected}>
            <td>
              <button type="button" className="link" aria-pressed={user.username === selected} onClick={() => onSelect(user.username)}>
                {userLabel(user)}
              </button>
              {user.email !== undefined && <div className="muted small">{user.username}</div>}
            </td>
            <td>
              <span className={`status status-${user.status.toLowerCase()}`}>{user.status}</span>
            </td>
            <td>{user.enabled ? 'yes' : <strong className="error">disabled</strong>}</td>
            <td className="small">{user.groups.length > 0 ? user.groups.join(', ') : '—'}</td>
            <td className="small">{formatTime(user.created)}</td>
            <td className="small">
              {user.lastCode === undefined ? (
                '—'
              ) : (
                <>
                  <code>{user.lastCode}</code> <span className="muted">{codeKindLabel(user.lastCodeKind)}</span>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
