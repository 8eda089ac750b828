import { sameUser } from '../chat/participants';
import { toMillis } from '../chat/timestamps';

/** Consecutive messages of one sender within this time are shown as one group (name and avatar once). */
export const GROUP_WINDOW_MS = 5 * 60 * 1000;

export interface Groupable {
  readonly sender: string;
  readonly createdAt: string;
  readonly messageType?: string;
}

/** True when `message` continues the group of `previous` (same sender, within the window, not a system message). */
export function continuesGroup(previous: Groupable | undefined, message: Groupable): boolean {
  if (!previous || previous.messageType === 'SYSTEM' || message.messageType === 'SYSTEM') return false;
  if (!sameUser(previous.sender, message.sender)) return false;
  const gap = toMillis(message.createdAt) - toMillis(previous.createdAt);
  return gap >= 0 && gap <= GROUP_WINDOW_MS;
}
