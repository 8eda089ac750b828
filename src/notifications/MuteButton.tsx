import { BellIcon, BellOffIcon } from '../components/Icons';

interface MuteButtonProps {
  readonly muted: boolean;
  readonly onChange: (muted: boolean) => void;
}

/** The conversation header's mute toggle: a pressed "Mute notifications" button while muted. */
export function MuteButton({ muted, onChange }: MuteButtonProps) {
  return (
    <button
      type="button"
      className={`icon-button mute-button${muted ? ' mute-button--muted' : ''}`}
      aria-pressed={muted}
      onClick={() => onChange(!muted)}
      title={muted ? 'Muted: no notifications from this conversation (click to unmute)' : 'Mute notifications from this conversation'}
    >
      {muted ? <BellOffIcon /> : <BellIcon />}
      <span className="sr-only">Mute notifications</span>
    </button>
  );
}

/** The conversation list's muted mark. */
export function MutedMark({ className }: { readonly className?: string }) {
  return (
    <span className={`muted-mark${className ? ` ${className}` : ''}`} role="img" aria-label="Muted" title="Muted">
      <BellOffIcon size={14} />
    </span>
  );
}
