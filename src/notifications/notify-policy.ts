import { previewOf } from '../../amplify/shared/message-preview';
import type { IncomingMessage } from '../chat/messages';
import { sameUser } from '../chat/participants';

/**
 * When a live message raises a browser notification, and what it says. Pure: the hook (useNotifications.ts) feeds
 * it the message feed's events and the page's state.
 */

/** Characters of the message shown in the notification's body. */
export const NOTIFICATION_PREVIEW_CHARS = 120;

export interface NotifyContext {
  /** The signed-in user's id. */
  readonly me: string;
  /** The conversation on screen (null: none open). */
  readonly activeConversationId: string | null;
  /** document.visibilityState === 'visible'. */
  readonly visible: boolean;
  readonly muted: (conversationId: string) => boolean;
  /** Message ids already notified (or seen while no notification was due). */
  readonly seen: { has(messageId: string): boolean };
}

/**
 * True for a new message from someone else (never the user's own, whichever device sent it), not an edit or a
 * removal, not seen before, in a conversation that is not muted, and either not on screen or in a hidden tab.
 */
export function shouldNotify(message: IncomingMessage, context: NotifyContext): boolean {
  if (message.deleted || message.editedAt) return false;
  if (sameUser(message.sender, context.me)) return false;
  if (context.seen.has(message.id)) return false;
  if (context.muted(message.conversationId)) return false;
  return !context.visible || message.conversationId !== context.activeConversationId;
}

/** The text preview: whitespace collapsed, at most `max` characters (by code point), "…" when cut. */
export function previewText(content: string, max = NOTIFICATION_PREVIEW_CHARS): string {
  const flat = content.replace(/\s+/gu, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max).join('').trimEnd()}…` : flat;
}

export interface NotificationText {
  readonly title: string;
  readonly body: string;
}

/**
 * Title: the sender (1:1), or "<sender> in <conversation>" (groups); body: the text preview — for an image or a file,
 * the backend's preview of it ("📷 Photo · caption", "📎 minutes.pdf").
 */
export function notificationText(message: IncomingMessage, sender: string, conversationTitle: string | null): NotificationText {
  const attachment = message.attachment && (message.messageType === 'IMAGE' || message.messageType === 'FILE');
  return {
    title: conversationTitle ? `${sender} in ${conversationTitle}` : sender,
    body: previewText(attachment ? previewOf(message.content, message.messageType!, message.attachment!.name) : message.content),
  };
}

/** A bounded set of message ids: remembers the last `capacity` ids added. */
export class SeenIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 1000) {}

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    for (const oldest of this.ids) {
      if (this.ids.size <= this.capacity) break;
      this.ids.delete(oldest);
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  get size(): number {
    return this.ids.size;
  }
}
