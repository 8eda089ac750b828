import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { REACTION_EMOJI } from '../../amplify/shared/limits';
import { chipLabel, listNames, type ReactionChip } from '../chat/reactions';
import { SmilePlusIcon } from './Icons';

interface ReactionChipsProps {
  readonly chips: readonly ReactionChip[];
  /** A user's name as the chip lists it ("you" for the signed-in user). */
  readonly nameOf: (userId: string) => string;
  readonly onToggle: (emoji: string) => void;
  /** Why the last toggle on this message failed. */
  readonly failure: string | null;
}

/**
 * Under a message: one chip per emoji (the emoji and its count; pressed when the user has it; its accessible name and
 * tooltip say who reacted; a click toggles the user's own), and why the last toggle failed, if it did.
 */
export function ReactionChips({ chips, nameOf, onToggle, failure }: ReactionChipsProps) {
  if (chips.length === 0 && !failure) return null;
  return (
    <div className="reactions">
      {chips.length > 0 && (
        <ul className="reactions__chips" aria-label="Reactions">
          {chips.map((chip) => {
            const names = chip.users.map(nameOf);
            return (
              <li key={chip.emoji}>
                <button
                  type="button"
                  className={chip.mine ? 'reaction-chip reaction-chip--mine' : 'reaction-chip'}
                  aria-pressed={chip.mine}
                  aria-label={chipLabel(chip, names)}
                  title={listNames(names)}
                  data-emoji={chip.emoji}
                  onClick={() => onToggle(chip.emoji)}
                >
                  <span aria-hidden="true">{chip.emoji}</span>
                  <span className="reaction-chip__count" aria-hidden="true">
                    {chip.count}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {failure && (
        <p className="reactions__failure" role="alert">
          Reaction not saved — {failure}
        </p>
      )}
    </div>
  );
}

interface ReactionPickerProps {
  /** The emoji the user has on the message (checked in the menu). */
  readonly mine: ReadonlySet<string>;
  readonly onToggle: (emoji: string) => void;
}

/**
 * "Add reaction" next to a message: opens a small menu of the allowed emoji (the first has focus; arrow keys, Home/End;
 * Escape returns to the button; picking one toggles it and closes the menu).
 */
export function ReactionPicker({ mine, onToggle }: ReactionPickerProps) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) requestAnimationFrame(() => trigger.current?.focus());
  };

  const items = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitemcheckbox"]') ?? [])];
  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const list = items();
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    const move = (to: number) => {
      event.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') move(index + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') move(index - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(list.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    } else if (event.key === 'Tab') close(false);
  };

  return (
    <div className="reactions__add">
      <button
        ref={trigger}
        type="button"
        className="icon-button icon-button--small reactions__add-button"
        aria-label="Add reaction"
        title="Add reaction"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          setOpen(!open);
          if (!open) requestAnimationFrame(() => items()[0]?.focus());
        }}
      >
        <SmilePlusIcon size={16} />
      </button>
      {open && (
        <div
          ref={menu}
          id={menuId}
          className="reaction-picker"
          role="menu"
          aria-label="Pick a reaction"
          onKeyDown={onMenuKey}
          onBlur={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null) && event.relatedTarget !== trigger.current)
              setOpen(false);
          }}
        >
          {REACTION_EMOJI.map((emoji) => (
            <button
              key={emoji}
              type="button"
              role="menuitemcheckbox"
              aria-checked={mine.has(emoji)}
              aria-label={`React with ${emoji}`}
              className="reaction-picker__item"
              tabIndex={-1}
              onClick={() => {
                onToggle(emoji);
                close(true);
              }}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
