import { listNames } from '../chat/reactions';
import { seenText } from '../chat/read-points';

interface SeenMarkProps {
  /** Who has read up to the message (display names), in the conversation's order. */
  readonly names: readonly string[];
  readonly group: boolean;
}

/**
 * Under the user's newest message: "Seen" in a 1:1, "Seen by N" in a group, once the others' read points pass it. The
 * accessible name and the tooltip say who ("Seen by Bob Baker and Cat Cooper"); nothing is shown before anyone has.
 */
export function SeenMark({ names, group }: SeenMarkProps) {
  const text = seenText(names.length, group);
  if (!text) return null;
  const who = `Seen by ${listNames(names)}`;
  return (
    <p className="message__seen" title={who} data-seen-count={names.length}>
      <span aria-hidden="true">{text}</span>
      <span className="sr-only">{who}</span>
    </p>
  );
}
