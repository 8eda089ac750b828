import { BellIcon, BellOffIcon } from '../components/Icons';
import type { NotificationPermissionState } from './useNotifications';

interface NotificationControlProps {
  readonly permission: NotificationPermissionState;
  readonly onEnable: () => void;
}

const EXPLANATION = 'A browser notification for each new message in another conversation, or while this tab is hidden.';

/**
 * The app bar's notification state: "Enable notifications" (asks the browser, on this click only) while the browser
 * has not been asked, "Notifications on" once allowed, "Notifications blocked" (and how to undo it) once refused.
 */
export function NotificationControl({ permission, onEnable }: NotificationControlProps) {
  if (permission === 'unsupported') return null;
  if (permission === 'default') {
    return (
      <button type="button" className="button button--ghost button--small notification-control" onClick={onEnable} title={EXPLANATION}>
        <BellIcon size={16} />
        <span className="notification-control__label">Enable notifications</span>
      </button>
    );
  }
  const granted = permission === 'granted';
  const text = granted ? 'Notifications on' : 'Notifications blocked';
  const detail = granted
    ? `${EXPLANATION} Mute a conversation from its header.`
    : "This browser blocks notifications for this site: allow them in the site's settings (the icon left of the address), then reload.";
  return (
    <span className={`notification-control notification-control--${permission}`} role="status" title={detail}>
      {granted ? <BellIcon size={16} /> : <BellOffIcon size={16} />}
      <span className="notification-control__label">{text}</span>
      <span className="sr-only">. {detail}</span>
    </span>
  );
}
