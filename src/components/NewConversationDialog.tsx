import { useId, useMemo, useState } from 'react';
import { MAX_CONVERSATION_NAME_LENGTH } from '../../amplify/shared/limits';
import { findDirectConversation } from '../chat/conversations';
import type { ListedConversation } from '../state/conversation-list';
import type { LoadStatus } from '../hooks/useConversations';
import { errorText } from '../state/errors';
import { searchPeople, type Person } from '../state/people';
import { Dialog } from './Dialog';
import { CloseIcon } from './Icons';
import { PeopleSearchInput, PersonOption } from './PeoplePicker';

interface NewConversationDialogProps {
  readonly me: string;
  readonly people: readonly Person[];
  readonly directoryStatus: LoadStatus;
  readonly directoryError: string | null;
  readonly onReloadDirectory: () => void;
  readonly conversations: readonly ListedConversation[];
  readonly onCreate: (participantIds: readonly string[], name: string | null) => Promise<ListedConversation>;
  /** A conversation was started or found: open it. */
  readonly onOpen: (conversationId: string) => void;
  readonly onClose: () => void;
}

/**
 * "New conversation": search the directory by name or e-mail, tick one or more people, optionally
 * name it. With exactly one person the existing 1:1 conversation is reopened instead of a new one.
 * Participants are user ids (UserProfile.id = sub), the creator included.
 */
export function NewConversationDialog(props: NewConversationDialogProps) {
  const { me, people, conversations } = props;
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<readonly Person[]>([]);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const searchId = useId();
  const nameId = useId();
  const resultsId = useId();

  const matches = useMemo(() => searchPeople(people, query, me), [people, query, me]);
  const selectedIds = new Set(selected.map((p) => p.id));
  const only = selected.length === 1 ? selected[0] : undefined;
  const existing = only ? findDirectConversation(conversations, me, only.id) : undefined;

  function toggle(person: Person) {
    setSelected((current) =>
      current.some((p) => p.id === person.id) ? current.filter((p) => p.id !== person.id) : [...current, person],
    );
  }

  async function start() {
    if (selected.length === 0 || busy) return;
    if (existing) {
      props.onOpen(existing.id);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const conversation = await props.onCreate([me, ...selected.map((p) => p.id)], name.trim() || null);
      props.onOpen(conversation.id);
    } catch (reason) {
      setError(errorText(reason));
      setBusy(false);
    }
  }

  return (
    <Dialog title="New conversation" onClose={props.onClose} className="dialog--people">
      <form
        className="people-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <PeopleSearchInput
          id={searchId}
          label="Find people"
          value={query}
          resultsId={resultsId}
          autoFocus
          onChange={setQuery}
          onKeyDown={(event) => {
            // Enter picks the only match instead of submitting half a selection.
            if (event.key !== 'Enter') return;
            event.preventDefault();
            const [first, second] = matches;
            if (first && !second) {
              toggle(first);
              setQuery('');
            }
          }}
        />

        {selected.length > 0 && (
          <ul className="chips" aria-label="Selected people">
            {selected.map((person) => (
              <li key={person.id} className="chip">
                <span>{person.displayName}</span>
                <button
                  type="button"
                  className="chip__remove"
                  aria-label={`Remove ${person.displayName}`}
                  onClick={() => toggle(person)}
                >
                  <CloseIcon size={14} />
                </button>
              </li>
            ))}
          </ul>
        )}

        <div id={resultsId} className="people-results" aria-busy={props.directoryStatus === 'loading' ? 'true' : undefined}>
          {props.directoryStatus === 'loading' && people.length === 0 ? (
            <p className="people-results__status">Loading people…</p>
          ) : props.directoryStatus === 'error' && people.length === 0 ? (
            <p className="people-results__status">
              Couldn’t load the directory. {props.directoryError}{' '}
              <button type="button" className="link-button" onClick={props.onReloadDirectory}>
                Try again
              </button>
            </p>
          ) : matches.length === 0 ? (
            <p className="people-results__status">
              {query.trim() ? `Nobody matches “${query.trim()}”.` : 'Nobody else has joined yet.'}
            </p>
          ) : (
            <ul className="people-list">
              {matches.map((person) => (
                <PersonOption
                  key={person.id}
                  person={person}
                  checked={selectedIds.has(person.id)}
                  onToggle={() => toggle(person)}
                />
              ))}
            </ul>
          )}
        </div>

        {existing ? (
          <p className="people-form__note">
            You already have a conversation with {only?.displayName}: it will open.
          </p>
        ) : (
          <div className="field">
            <label htmlFor={nameId}>Conversation name</label>
            <span id={`${nameId}-hint`} className="field__optional">
              Optional
            </span>
            <input
              id={nameId}
              type="text"
              aria-describedby={`${nameId}-hint`}
              value={name}
              maxLength={MAX_CONVERSATION_NAME_LENGTH}
              placeholder={selected.length > 1 ? 'e.g. Project launch' : ''}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
        )}

        <div aria-live="polite">{error && <p className="form-error">{error}</p>}</div>

        <div className="dialog__actions">
          <button type="button" className="button button--ghost" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={selected.length === 0 || busy}>
            {busy ? 'Starting…' : 'Start conversation'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
