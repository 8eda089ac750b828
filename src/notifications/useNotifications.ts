import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { IncomingMessage } from '../chat/messages';
import { createLocalStorageMuteStore, createMemoryMuteStore, withMuted, type MuteStore } from './mute-store';
import { notificationText, SeenIds, shouldNotify } from './notify-policy';

/** What the browser allows: Notification.permission, or 'unsupported' without the Notification API. */
export type NotificationPermissionState = NotificationPermission | 'unsupported';

export interface NotificationPage {
  readonly me: string;
  readonly activeConversationId: string | null;
  readonly visible: boolean;
  /** The sender's display name. */
  senderName(userId: string): string;
  /** The conversation's title when it is a group (shown after the sender), null for a 1:1 or an unknown one. */
  groupTitle(conversationId: string): string | null;
  /** Opens the conversation (a notification was clicked). */
  open(conversationId: string): void;
}

export interface Notifications {
  readonly permission: NotificationPermissionState;
  /** Asks the browser for permission; call it from a click (browsers ignore or penalise other requests). */
  requestPermission(): Promise<void>;
  isMuted(conversationId: string): boolean;
  setMuted(conversationId: string, muted: boolean): void;
  /** Live message events (the message feed only: never list, catch-up or history loads). */
  receive(messages: readonly IncomingMessage[]): void;
}

function currentPermission(): NotificationPermissionState {
  return typeof window !== 'undefined' && 'Notification' in window ? window.Notification.permission : 'unsupported';
}

function openMuteStore(me: string): MuteStore {
  try {
    return createLocalStorageMuteStore(window.localStorage, me);
  } catch {
    return createMemoryMuteStore();
  }
}

/**
 * Browser notifications for new messages from others in a conversation other than the open one, or while the tab
 * is hidden; per-conversation mute (localStorage, per user); each message id notified at most once.
 */
export function useNotifications(page: NotificationPage): Notifications {
  const { me } = page;
  const [permission, setPermission] = useState<NotificationPermissionState>(currentPermission);
  const store = useMemo(() => openMuteStore(me), [me]);
  const [muted, setMutedIds] = useState<ReadonlySet<string>>(() => store.read());
  const [seen] = useState(() => new SeenIds());
  const pageRef = useRef(page);
  const mutedRef = useRef(muted);
  useEffect(() => {
    pageRef.current = page;
    mutedRef.current = muted;
  });

  // Mutes made in another tab of the same browser; permission changed in the site settings.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === store.key) setMutedIds(store.read());
    };
    const onPermission = () => setPermission(currentPermission());
    window.addEventListener('storage', onStorage);
    window.addEventListener('focus', onPermission);
    document.addEventListener('visibilitychange', onPermission);
    let status: PermissionStatus | undefined;
    let stopped = false;
    navigator.permissions
      ?.query({ name: 'notifications' })
      .then((result) => {
        if (stopped) return;
        status = result;
        status.addEventListener('change', onPermission);
      })
      .catch(() => undefined);
    return () => {
      stopped = true;
      window.removeEventListener('storage', onStorage);
      window.removeEventListener('focus', onPermission);
      document.removeEventListener('visibilitychange', onPermission);
      status?.removeEventListener('change', onPermission);
    };
  }, [store]);

  const requestPermission = useCallback(async () => {
    if (!('Notification' in window)) return;
    try {
      setPermission(await window.Notification.requestPermission());
    } catch {
      setPermission(currentPermission());
    }
  }, []);

  const setMuted = useCallback(
    (conversationId: string, mute: boolean) => {
      const next = withMuted(store.read(), conversationId, mute);
      store.write(next);
      mutedRef.current = next;
      setMutedIds(next);
    },
    [store],
  );

  const isMuted = useCallback((conversationId: string) => muted.has(conversationId), [muted]);

  const receive = useCallback(
    (messages: readonly IncomingMessage[]) => {
      const current = pageRef.current;
      for (const message of messages) {
        const due = shouldNotify(message, {
          me: current.me,
          activeConversationId: current.activeConversationId,
          visible: current.visible,
          muted: (id) => mutedRef.current.has(id),
          seen,
        });
        // A new message is seen once, notified or not: a redelivery later never notifies.
        if (!message.deleted && !message.editedAt) seen.add(message.id);
        if (!due || currentPermission() !== 'granted') continue;
        const { title, body } = notificationText(message, current.senderName(message.sender), current.groupTitle(message.conversationId));
        try {
          const notification = new window.Notification(title, { body, tag: `message-${message.id}` });
          notification.onclick = () => {
            window.focus();
            pageRef.current.open(message.conversationId);
            notification.close();
          };
        } catch {
          // Some browsers (Chrome on Android) only show notifications from a service worker: none then.
        }
      }
    },
    [seen],
  );

  return { permission, requestPermission, isMuted, setMuted, receive };
}
