import { useId, useMemo, useState } from 'react';
import { userDisplayName, type ProfilesById } from '../chat/conversations';
import { participantIds, sameUser } from '../chat/participants';
import type { PresenceSummary } from '../chat/presence';
import type { MemberRole } from '../../amplify/shared/members';
import type { ListedConversation } from '../state/conversation-list';
import { errorText } from '../state/errors';
import { searchPeople, type Person } from '../state/people';
import { Avatar } from './Avatar';
import { Dialog } from './Dialog';
import { PeopleSearchInput, PersonOption } from './PeoplePicker';
import { PresenceDot } from './PresenceDot';

interface MembersDialogProps {
  readonly conversation: ListedConversation;
  readonly me: string;
  readonly profiles: ProfilesById;
  /** The directory, for "Add people". */
  readonly people: readonly Person[];
  readonly presenceByUser: ReadonlyMap<string, PresenceSummary>;
  readonly now: Date;
  readonly onAdd: (userIds: readonly string[]) => Promise<void>;
  readonly onRemove: (userId: string) => Promise<void>;
  readonly onSetRole: (userId: string, role: MemberRole) => Promise<void>;
  /** Asks to leave (the caller confirms first). */
  readonly onLeave: () => void;
  readonly onClose: () => void;
}

/**
 * The members of a group: each with their role and presence. Owners add people from the directory (the same picker as
 * "New conversation"), remove members, and make members owners or owners members again; everyone may leave. A 1:1 has
 * no members panel (it stays as it was created). Every control is named for the person it acts on.
 */
export function MembersDialog(props: MembersDialogProps) {
  const { conversation, me, profiles, people, presenceByUser, now } = props;
  const members = participantIds(conversation.participants);
  const owners = new Set(participantIds(conversation.owners));
  const iAmOwner = [...owners].some((owner) => sameUser(owner, me));
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<readonly Person[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const searchId = useId();
  const resultsId = useId();
  const nameOf = (userId: string) => userDisplayName(userId, profiles);

  const candidates = useMemo(
    () => searchPeople(people, query, me).filter((person) => !members.some((member) => sameUser(member, person.id))),
    [people, query, me, members],
  );
  const pickedIds = new Set(picked.map((p) => p.id));

  async function act(key: string, action: () => Promise<void>, done: string) {
    setBusy(key);
    setError(null);
    try {
      await action();
      setStatus(done);
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(null);
    }
  }

  const sorted = [...members].sort((a, b) => Number(owners.has(b)) - Number(owners.has(a)));

  return (
    <Dialog title="Members" onClose={props.onClose} className="dialog--people">
      <ul className="members-list" aria-label={`Members of this conversation (${members.length})`}>
        {sorted.map((userId) => {
          const name = nameOf(userId);
          const mine = sameUser(userId, me);
          const owner = owners.has(userId);
          return (
            <li key={userId} className="members-list__item" data-user-id={userId}>
              <span className="avatar-with-dot">
                <Avatar name={name} colorKey={userId} size="sm" />
                <PresenceDot presence={presenceByUser.get(userId)} now={now} />
              </span>
              <span className="members-list__name">
                {name}
                {mine && ' (you)'}
              </span>
              {owner && <span className="members-list__role">Owner</span>}
              {iAmOwner && !mine && (
                <span className="members-list__actions">
                  <button
                    type="button"
                    className="button button--ghost button--small"
                    disabled={busy !== null}
                    onClick={() =>
                      void act(`role-${userId}`, () => props.onSetRole(userId, owner ? 'MEMBER' : 'OWNER'), owner ? `${name} is no longer an owner.` : `${name} is now an owner.`)
                    }
                    aria-label={owner ? `Remove ${name} as owner` : `Make ${name} an owner`}
                  >
                    {owner ? 'Remove as owner' : 'Make owner'}
                  </button>
                  <button
                    type="button"
                    className="button button--ghost button--small button--danger-text"
                    disabled={busy !== null}
                    onClick={() => void act(`remove-${userId}`, () => props.onRemove(userId), `${name} was removed.`)}
                    aria-label={`Remove ${name} from the conversation`}
                  >
                    Remove
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>

      {iAmOwner && (
        <form
          className="people-form members-add"
          aria-label="Add people"
          onSubmit={(event) => {
            event.preventDefault();
            if (picked.length === 0) return;
            const ids = picked.map((p) => p.id);
            const names = picked.map((p) => p.displayName).join(', ');
            void act('add', () => props.onAdd(ids), `Added ${names}.`).then(() => {
              setPicked([]);
              setQuery('');
            });
          }}
        >
          <h3 className="members-add__title">Add people</h3>
          <PeopleSearchInput id={searchId} label="Find people to add" value={query} resultsId={resultsId} onChange={setQuery} />
          <div id={resultsId} className="people-results">
            {candidates.length === 0 ? (
              <p className="people-results__status">{query.trim() ? `Nobody to add matches “${query.trim()}”.` : 'Everyone is here already.'}</p>
            ) : (
              <ul className="people-list">
                {candidates.map((person) => (
                  <PersonOption
                    key={person.id}
                    person={person}
                    checked={pickedIds.has(person.id)}
                    onToggle={() => setPicked((current) => (current.some((p) => p.id === person.id) ? current.filter((p) => p.id !== person.id) : [...current, person]))}
                  />
                ))}
              </ul>
            )}
          </div>
          <div className="dialog__actions">
            <button type="submit" className="button button--primary" disabled={picked.length === 0 || busy !== null}>
              {busy === 'add' ? 'Adding…' : picked.length > 1 ? `Add ${picked.length} people` : 'Add'}
            </button>
          </div>
        </form>
      )}

      <div aria-live="polite" className="members-status">
        {error ? <p className="form-error">{error}</p> : status ? <p>{status}</p> : null}
      </div>

      <div className="dialog__actions">
        <button type="button" className="button button--danger" onClick={props.onLeave} disabled={busy !== null}>
          Leave conversation
        </button>
        <button type="button" className="button button--ghost" onClick={props.onClose} data-autofocus>
          Done
        </button>
      </div>
    </Dialog>
  );
}
