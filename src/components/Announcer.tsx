/**
 * A visually hidden live region for new incoming messages. (The message log's own live behaviour is
 * off, so that loading older pages and edits are not read out; this announces new arrivals only.)
 */
export function Announcer({ announcements }: { readonly announcements: readonly { id: string; text: string }[] }) {
  return (
    <div className="sr-only" aria-live="polite" aria-relevant="additions">
      {announcements.map((a) => (
        <p key={a.id}>{a.text}</p>
      ))}
    </div>
  );
}
