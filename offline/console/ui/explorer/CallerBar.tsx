/**
 * Above the editor, in GraphiQL's session header: who the active tab calls AppSync as (chosen per tab), and what its
 * last run came to (AppSync's HTTP status, a refusal by the console, or the state of a subscription).
 */
import type { ConsoleUser } from '../auth/types';
import { choiceFromValue, choiceLabel, choiceValue, type ApiCallers, type CallerChoice } from './callers';
import type { RunStatus } from './fetcher';

export interface CallerBarProps {
  apiCallers: ApiCallers;
  users: readonly ConsoleUser[];
  /** The active tab's caller, and how to change it. */
  caller: CallerChoice;
  setCaller: (caller: CallerChoice) => void;
  /** What the active tab's last run came to. */
  status: RunStatus | undefined;
  reloadUsers: () => void;
}

function userNote(user: ConsoleUser): string {
  if (!user.enabled) return ' (disabled)';
  return user.status === 'CONFIRMED' ? '' : ` (${user.status.toLowerCase().replace(/_/g, ' ')})`;
}

const SUBSCRIPTION_STATES = {
  starting: 'Subscribing',
  listening: 'Listening',
  ended: 'Stopped',
  failed: 'Refused',
} as const;

export function describeStatus(status: RunStatus, users: readonly ConsoleUser[]): string {
  const as = choiceLabel(status.caller, users);
  switch (status.kind) {
    case 'running':
      return `Running as ${as}…`;
    case 'answered':
      return `HTTP ${status.status} from AppSync as ${as} · ${status.ms} ms`;
    case 'refused':
      return `Not sent: ${status.message}`;
    case 'subscription':
      return `${SUBSCRIPTION_STATES[status.state]} as ${as}${status.state === 'listening' ? ' (AppSync acknowledged the subscription)' : ''} · ${status.events} ${status.events === 1 ? 'event' : 'events'}`;
  }
}

export function CallerBar({ apiCallers, users, caller, setCaller, status, reloadUsers }: CallerBarProps) {
  const known = caller.kind !== 'user' || users.some((user) => user.username === caller.username);
  return (
    <div className="explorer-caller">
      <label>
        <span>Caller for this tab</span>
        <select aria-label="Caller for this tab" value={choiceValue(caller)} onChange={(event) => setCaller(choiceFromValue(event.target.value))}>
          <option value="none">No credentials</option>
          {apiCallers.apiKey && <option value="apiKey">API key</option>}
          {apiCallers.iam && <option value="iam">IAM (the console)</option>}
          {apiCallers.userPool && (
            <optgroup label="Users of the pool">
              {!known && <option value={choiceValue(caller)}>{choiceLabel(caller, users)}</option>}
              {users.map((user) => (
                <option key={user.username} value={`user:${user.username}`}>
                  User {user.email ?? user.username}
                  {userNote(user)}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      {apiCallers.userPool && (
        <button type="button" className="explorer-reload-users" onClick={reloadUsers} aria-label="Reload the pool's users" title="Reload the pool's users">
          ↻
        </button>
      )}
      <span role="status" aria-label="Last run" className={status?.kind === 'refused' || (status?.kind === 'subscription' && status.state === 'failed') ? 'error' : 'muted'}>
        {status ? describeStatus(status, users) : ''}
      </span>
    </div>
  );
}
