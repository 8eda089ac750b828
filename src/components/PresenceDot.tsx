import { lastSeenLabel, presenceDot, type PresenceSummary } from '../chat/presence';

const LABELS = { online: 'Online', away: 'Away', offline: 'Offline' } as const;

interface PresenceDotProps {
  readonly presence: PresenceSummary | undefined;
  readonly now: Date;
  readonly className?: string;
}

/**
 * A coloured dot named "Online", "Away" or "Offline" for assistive technology; its tooltip adds
 * "last seen …" for offline users. Stale records read as offline (src/chat/presence.ts).
 */
export function PresenceDot({ presence, now, className }: PresenceDotProps) {
  const dot = presenceDot(presence, now);
  const label = LABELS[dot];
  const title = dot === 'offline' ? lastSeenLabel(presence?.lastSeen, now) || label : label;
  return (
    <span
      role="img"
      aria-label={label}
      title={title}
      className={`presence-dot presence-dot--${dot}${className ? ` ${className}` : ''}`}
    />
  );
}
