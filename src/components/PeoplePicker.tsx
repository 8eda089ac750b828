import { useId, type KeyboardEvent } from 'react';
import type { Person } from '../state/people';
import { Avatar } from './Avatar';
import { SearchIcon } from './Icons';

/**
 * The pieces of the people pickers (New conversation, and Add people in the members panel): the directory search box
 * and one person to tick.
 */

/** The directory search box: its label, the search icon, and an input that controls the results list `resultsId`. */
export function PeopleSearchInput(props: {
  id: string;
  label: string;
  value: string;
  resultsId: string;
  /** The dialog focuses this input when it opens. */
  autoFocus?: boolean;
  onChange: (value: string) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLInputElement>) => void;
}) {
  return (
    <div className="field field--search">
      <label htmlFor={props.id}>{props.label}</label>
      <div className="search-input">
        <SearchIcon size={16} />
        <input
          id={props.id}
          type="search"
          value={props.value}
          placeholder="Name or e-mail"
          autoComplete="off"
          aria-controls={props.resultsId}
          data-autofocus={props.autoFocus ? true : undefined}
          onChange={(event) => props.onChange(event.target.value)}
          onKeyDown={props.onKeyDown}
        />
      </div>
    </div>
  );
}

/** One person of the directory to tick: avatar, name and e-mail, the checkbox named by the name. */
export function PersonOption({ person, checked, onToggle }: { person: Person; checked: boolean; onToggle: () => void }) {
  const nameId = useId();
  const emailId = useId();
  return (
    <li>
      <label className={`person-option${checked ? ' person-option--checked' : ''}`}>
        <input
          type="checkbox"
          checked={checked}
          onChange={onToggle}
          aria-labelledby={nameId}
          aria-describedby={person.email ? emailId : undefined}
        />
        <Avatar name={person.displayName} colorKey={person.id} size="sm" />
        <span className="person-option__text">
          <span id={nameId} className="person-option__name">
            {person.displayName}
          </span>
          {person.email && (
            <span id={emailId} className="person-option__email">
              {person.email}
            </span>
          )}
        </span>
      </label>
    </li>
  );
}
