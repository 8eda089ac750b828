/**
 * The Auth page: the pool's users (status, enabled, groups, created, the last code the pool sent), one user's
 * attributes and the administrator's actions on them, "use as" for their tokens, and creating a user.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../api';
import { CreateUserForm } from './CreateUserForm';
import { UserDetail } from './UserDetail';
import { UsersTable } from './UsersTable';
import type { ConsoleUser } from './types';
import './auth.css';
import { ErrorAlert, HeadingWithRefresh } from '../common';

export function UsersPage() {
  const [users, setUsers] = useState<ConsoleUser[]>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const load = useCallback(() => {
    api<{ users: ConsoleUser[] }>('GET', '/api/users').then(
      ({ users: list }) => {
        setUsers(list);
        setError(undefined);
      },
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(load, [load]);
  const user = users?.find((u) => u.username === selected);
  return (
    <div className="auth-page">
      <div className="auth-list">
        <HeadingWithRefresh heading={<h1>Users</h1>} refreshLabel="Refresh users" onRefresh={load} />
        <ErrorAlert error={error} />
        {users ? <UsersTable users={users} selected={selected} onSelect={setSelected} /> : !error && <p className="muted">Loading…</p>}
        <CreateUserForm
          onCreated={(created) => {
            setSelected(created.username);
            load();
          }}
        />
      </div>
      {user ? (
        <UserDetail
          user={user}
          onChanged={load}
          onDeleted={() => {
            setSelected(undefined);
            load();
          }}
        />
      ) : (
        <p className="muted">Choose a user to see their attributes and act on them.</p>
      )}
    </div>
  );
}
