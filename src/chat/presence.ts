import { PRESENCE_STALE_AFTER_SECONDS, type PresenceStatus } from '../../amplify/shared/limits';
import { toMillis } from './timestamps';

/**
 * Presence dots and "last seen" labels from UserPresence records. A record whose lastSeen is older
 * than PRESENCE_STALE_AFTER_SECONDS (90 s: the last heartbeat plus two missed ones) is shown as
 * offline even before the sweeper (which runs once a minute) rewrites it.
 */

export interface PresenceSummary {
  readonly status?: PresenceStatus | null;
  readonly lastSeen?: string | null;
}

export type PresenceDot = 'online' | 'away' | 'offline';

export const PRESENCE_STALE_AFTER_MS = PRESENCE_STALE_AFTER_SECONDS * 1000;

/** True when lastSeen is missing, unparsable or more than the stale limit before `now`. */
export function isPresenceStale(presence: PresenceSummary | null | undefined, now: Date): boolean {
  const lastSeen = toMillis(presence?.lastSeen);
  return Number.isNaN(lastSeen) || now.getTime() - lastSeen > PRESENCE_STALE_AFTER_MS;
}

/** The dot to draw: the status, unless the record is missing or stale (then offline). */
export function presenceDot(presence: PresenceSummary | null | undefined, now: Date): PresenceDot {
  if (!presence?.status || presence.status === 'OFFLINE' || isPresenceStale(presence, now)) return 'offline';
  return presence.status === 'ONLINE' ? 'online' : 'away';
}

/** "last seen just now" / "last seen 5 min ago" / "… 3 h ago" / "… 1 day ago" / "… 4 days ago"; '' if unknown. */
export function lastSeenLabel(lastSeen: string | null | undefined, now: Date): string {
  const at = toMillis(lastSeen);
  if (Number.isNaN(at)) return '';
  const seconds = Math.max(0, Math.floor((now.getTime() - at) / 1000));
  if (seconds < 60) return 'last seen just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `last seen ${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `last seen ${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `last seen ${days} ${days === 1 ? 'day' : 'days'} ago`;
}

/** The text next to the dot: "Online", "Away", or the last-seen label ("Offline" when unknown). */
export function presenceLabel(presence: PresenceSummary | null | undefined, now: Date): string {
  const dot = presenceDot(presence, now);
  if (dot === 'online') return 'Online';
  if (dot === 'away') return 'Away';
  return lastSeenLabel(presence?.lastSeen, now) || 'Offline';
}
