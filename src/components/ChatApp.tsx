import { fetchUserAttributes, type AuthUser } from 'aws-amplify/auth';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { conversationTitle, otherParticipantIds, userDisplayName } from '../chat/conversations';
import { sameUser, userIdOf } from '../chat/participants';
import type { IncomingMessage, TimelineMessage } from '../chat/messages';
import { connectionMonitor } from '../hooks/connection-monitor';
import { useConnectionState } from '../hooks/useConnectionState';
import { useConversationFeed, useFeedEvents } from '../hooks/useConversationFeed';
import { removesMe } from '../state/conversation-events';
import { useConversations } from '../hooks/useConversations';
import { useDirectory } from '../hooks/useDirectory';
import { useDocumentVisible } from '../hooks/useDocumentVisible';
import { useHeartbeat } from '../hooks/useHeartbeat';
import { useMessageFeed } from '../hooks/useMessageFeed';
import { useThread } from '../hooks/useThread';
import { AttachmentUrlsContext, createAttachmentUrlStore } from '../hooks/useAttachmentUrls';
import { threadEventOf } from '../hooks/amplify-helpers';
import { useJumpToMessage } from '../hooks/useJumpToMessage';
import { useMessageSearch } from '../hooks/useMessageSearch';
import { useMessages } from '../hooks/useMessages';
import { useReactions } from '../hooks/useReactions';
import { useReadPoints } from '../hooks/useReadPoints';
import { newestFromOthers, readAtByConversation } from '../chat/read-points';
import { useNow } from '../hooks/useNow';
import { usePresence } from '../hooks/usePresence';
import { useSelectedConversation } from '../hooks/useSelectedConversation';
import { useTyping } from '../hooks/useTyping';
import { useUnread } from '../hooks/useUnread';
import { MuteButton } from '../notifications/MuteButton';
import { NotificationControl } from '../notifications/NotificationControl';
import { useNotifications } from '../notifications/useNotifications';
import { firstPageLoaded } from '../state/message-store';
import { startQueue } from '../state/start-queue';
import { Announcer } from './Announcer';
import { AppHeader } from './AppHeader';
import type { ComposerHandle } from './Composer';
import { ConversationList, type ConversationListEntry } from './ConversationList';
import { ConversationView } from './ConversationView';
import { MessageSearch } from './MessageSearch';
import { ChatBubbleIcon, PlusIcon } from './Icons';
import { NewConversationDialog } from './NewConversationDialog';
import { OfflineBanner } from './OfflineBanner';

const APP_TITLE = 'Realtime Chat';
/** Two panes from this width (matches the CSS breakpoint). */
const WIDE_QUERY = '(min-width: 768px)';
const MAX_ANNOUNCEMENTS = 5;
const PREVIEW_CHARS = 160;

interface ChatAppProps {
  readonly user: AuthUser;
  readonly signOut: () => void;
}

interface Announcement {
  readonly id: string;
  readonly text: string;
}

/** Stable while no conversation is open. */
const NO_MESSAGES: readonly TimelineMessage[] = [];

/** The signed-in chat: conversation list, open conversation, dialogs, connection and presence upkeep. */
export function ChatApp({ user, signOut }: ChatAppProps) {
  const me = userIdOf(user.userId);
  const directory = useDirectory();
  const { profiles } = directory;
  // The session's one conversation-event subscription: the list, the timelines and the unread counts follow it.
  const feed = useConversationFeed();
  const conversations = useConversations(feed, me);
  const selection = useSelectedConversation();
  const activeId = selection.conversationId;
  const messages = useMessages(activeId, me);
  const reactions = useReactions(feed, activeId, messages.active?.timeline.messages ?? NO_MESSAGES, me);
  // Threads: the one open thread, and every root's counts from its replies' events.
  const thread = useThread(feed, me);
  useFeedEvents(feed, (event) => {
    const reply = threadEventOf(event);
    if (reply?.summary) messages.threadSummary(event.conversationId, reply.rootId, reply.summary);
  });
  // Attachment URLs for the session (getAttachmentUrls, cached until shortly before they expire); a removed message's
  // are forgotten at once, whoever removed it.
  const [attachmentUrls] = useState(createAttachmentUrlStore);
  useEffect(() => {
    attachmentUrls.activate();
    return () => attachmentUrls.dispose();
  }, [attachmentUrls]);
  useFeedEvents(feed, (event) => {
    if (event.type === 'MESSAGE_DELETED' && event.messageId) attachmentUrls.drop(event.messageId);
  });
  const presence = usePresence();
  const heartbeat = useHeartbeat(presence.apply);
  const connection = useConnectionState();
  const visible = useDocumentVisible();
  // Read points from the server (every device of the user counts from them); the unread counts follow the user's own.
  const readPoints = useReadPoints(feed, me, activeId);
  const myReadAts = useMemo(() => readAtByConversation(readPoints.points, me), [readPoints.points, me]);
  // While the tab is hidden the open conversation is not being read: it counts (and titles the tab) too.
  const unread = useUnread(me, conversations.conversations, visible ? activeId : null, myReadAts, readPoints.ready);
  const now = useNow(20_000);

  const [announcements, setAnnouncements] = useState<readonly Announcement[]>([]);
  const [dialogOpen, setDialogOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [attributeName, setAttributeName] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState<{ target: 'conversation' | 'list-item'; id: string; seq: number } | null>(null);
  // Unsent drafts by conversation: one Map for the session, written as the user types (no re-render) and
  // read when a conversation view mounts (its composer starts from it).
  const [drafts] = useState(() => new Map<string, string>());
  const composerRef = useRef<ComposerHandle | null>(null);
  const titleRef = useRef<HTMLHeadingElement | null>(null);

  const activeConversation = useMemo(
    () => conversations.conversations.find((c) => c.id === activeId),
    [conversations.conversations, activeId],
  );
  // Typing only for a conversation the user is known to be in (the subscription is refused otherwise).
  const typing = useTyping(activeConversation ? activeConversation.id : null, me);

  const { open: openSelection, close: closeSelection } = selection;
  const openConversation = useCallback(
    (id: string) => {
      openSelection(id);
      setFocusRequest((current) => ({ target: 'conversation', id, seq: (current?.seq ?? 0) + 1 }));
    },
    [openSelection],
  );

  // Message search: a hit opens its conversation and shows the message there (older pages loaded until it is in).
  const search = useMessageSearch();
  const jumpTo = useJumpToMessage(activeId, messages.active, messages.loadOlder);

  // Browser notifications for live messages (src/notifications/): other conversations, or any while the tab is hidden.
  const notifications = useNotifications({
    me,
    activeConversationId: activeId,
    visible,
    senderName: (userId) => userDisplayName(userId, profiles),
    groupTitle: (conversationId) => {
      const conversation = conversations.conversations.find((c) => c.id === conversationId);
      return conversation && otherParticipantIds(conversation, me).length > 1 ? conversationTitle(conversation, me, profiles) : null;
    },
    open: openConversation,
  });

  // Live message events: timelines, unread counts, typing, and the screen-reader announcement.
  useMessageFeed(feed, (items: IncomingMessage[]) => {
    messages.receive(items);
    unread.receive(items);
    notifications.receive(items);
    const fresh: Announcement[] = [];
    for (const item of items) {
      if (item.deleted || item.editedAt || sameUser(item.sender, me)) continue;
      const sender = userDisplayName(item.sender, profiles);
      if (item.conversationId === activeId) {
        typing.messageArrived(userIdOf(item.sender));
        const content = item.content || (item.attachment ? `sent ${item.messageType === 'IMAGE' ? 'an image' : 'a file'}, ${item.attachment.name}` : '');
        const text = [...content].length > PREVIEW_CHARS ? `${[...content].slice(0, PREVIEW_CHARS).join('')}…` : content;
        fresh.push({ id: item.id, text: `${sender}: ${text}` });
      } else {
        const conversation = conversations.conversations.find((c) => c.id === item.conversationId);
        const group = conversation && otherParticipantIds(conversation, me).length > 1;
        fresh.push({
          id: item.id,
          text: group ? `New message from ${sender} in ${conversationTitle(conversation, me, profiles)}` : `New message from ${sender}`,
        });
      }
    }
    if (fresh.length > 0) setAnnouncements((current) => [...current, ...fresh].slice(-MAX_ANNOUNCEMENTS));
  });

  const announce = useCallback((id: string, text: string) => setAnnouncements((current) => [...current, { id, text }].slice(-MAX_ANNOUNCEMENTS)), []);

  // Removed from a conversation (or left it on another device): it leaves the list (useConversations), an open view of
  // it closes, and screen readers hear of it.
  useFeedEvents(feed, (event) => {
    if (!removesMe(event, me)) return;
    const conversation = conversations.conversations.find((c) => c.id === event.conversationId);
    if (!conversation) return;
    const title = conversationTitle(conversation, me, profiles);
    const removedBy = event.systemAction === 'REMOVED' ? userDisplayName(event.actor ?? event.userId, profiles) : null;
    announce(`members-${event.conversationId}-${event.at}`, removedBy ? `${removedBy} removed you from ${title}.` : `You left ${title}.`);
    if (event.conversationId === activeId) closeSelection();
  });

  // Reading the open conversation (tab visible, messages loaded) moves the user's read point on the server to its
  // newest message from someone else (useReadPoints sends one markRead per pause, never one per message of a burst).
  const active = messages.active;
  const activeLoaded = !!active && firstPageLoaded(active);
  const newestRead = useMemo(() => (active ? newestFromOthers(active.timeline.messages, me) : null), [active, me]);
  const { markRead } = readPoints;
  useEffect(() => {
    if (!activeId || !visible || !activeLoaded || !newestRead || newestRead.conversationId !== activeId) return;
    markRead(activeId, newestRead.id, newestRead.createdAt);
  }, [activeId, visible, activeLoaded, newestRead, markRead]);

  useEffect(() => {
    document.title = unread.total > 0 ? `(${unread.total}) ${APP_TITLE}` : APP_TITLE;
  }, [unread.total]);

  // Signed out: the next session starts with a clean title and connection history.
  useEffect(
    () => () => {
      document.title = APP_TITLE;
      connectionMonitor.reset();
    },
    [],
  );

  // The display name before the directory has loaded (and if the profile is missing).
  useEffect(
    () =>
      startQueue.start(() => {
        let current = true;
        fetchUserAttributes()
          .then((attributes) => {
            if (current) setAttributeName(attributes.preferred_username ?? attributes.email ?? null);
          })
          .catch(() => undefined);
        return () => {
          current = false;
        };
      }),
    [],
  );

  // Focus after navigation: the composer (wide) or the conversation title (phone); back to the list item.
  useEffect(() => {
    if (!focusRequest) return;
    if (focusRequest.target === 'list-item') {
      document.querySelector<HTMLElement>(`[data-conversation-id="${CSS.escape(focusRequest.id)}"]`)?.focus();
    } else if (window.matchMedia(WIDE_QUERY).matches) {
      composerRef.current?.focus();
    } else {
      titleRef.current?.focus();
    }
  }, [focusRequest]);

  const back = useCallback(() => {
    const id = activeId;
    closeSelection();
    if (id) setFocusRequest((current) => ({ target: 'list-item', id, seq: (current?.seq ?? 0) + 1 }));
  }, [activeId, closeSelection]);

  const onSignOut = async () => {
    setSigningOut(true);
    await Promise.race([heartbeat.goOffline(), new Promise((resolve) => setTimeout(resolve, 1500))]);
    signOut();
  };

  const { countOf: unreadCountOf } = unread;
  const { isMuted, setMuted } = notifications;
  const entries = useMemo<ConversationListEntry[]>(
    () =>
      conversations.conversations.map((conversation) => {
        const others = otherParticipantIds(conversation, me);
        const directUserId = others.length === 1 ? (others[0] ?? null) : null;
        return {
          conversation,
          title: conversationTitle(conversation, me, profiles),
          directUserId,
          presence: directUserId ? presence.byUser.get(directUserId) : undefined,
          unread: unreadCountOf(conversation.id),
          muted: isMuted(conversation.id),
        };
      }),
    [conversations.conversations, me, profiles, presence.byUser, unreadCountOf, isMuted],
  );

  const profile = profiles.get(me);
  const myName = profile?.displayName ?? attributeName ?? user.signInDetails?.loginId ?? 'You';

  let main: React.ReactNode;
  if (!activeId) {
    main = (
      <div className="welcome">
        <span className="welcome__icon" aria-hidden="true">
          <ChatBubbleIcon size={32} />
        </span>
        <h2 className="welcome__title">Select a conversation</h2>
        <p>Pick one from the list, or start a new one with the people you work with.</p>
      </div>
    );
  } else if (activeConversation && active) {
    main = (
      <ConversationView
        key={activeConversation.id}
        conversation={activeConversation}
        title={conversationTitle(activeConversation, me, profiles)}
        entry={active}
        messages={messages}
        reactions={reactions}
        readPoints={readPoints.points}
        me={me}
        profiles={profiles}
        presenceByUser={presence.byUser}
        typers={typing.typers}
        now={now}
        initialDraft={drafts.get(activeConversation.id) ?? ''}
        onDraftChange={(draft) => drafts.set(activeConversation.id, draft)}
        onTyping={typing.keystroke}
        onStopTyping={typing.stop}
        onBack={back}
        composerRef={composerRef}
        titleRef={titleRef}
        headerActions={<MuteButton muted={isMuted(activeConversation.id)} onChange={(muted) => setMuted(activeConversation.id, muted)} />}
        people={directory.people}
        thread={thread}
        onAddMembers={(userIds) => conversations.addMembers(activeConversation.id, userIds)}
        onRemoveMember={(userId) => conversations.removeMember(activeConversation.id, userId)}
        onSetMemberRole={(userId, role) => conversations.setMemberRole(activeConversation.id, userId, role)}
        onLeave={async () => {
          const title = conversationTitle(activeConversation, me, profiles);
          await conversations.leave(activeConversation.id);
          closeSelection();
          announce(`members-${activeConversation.id}-left`, `You left ${title}.`);
        }}
      />
    );
  } else if (conversations.status === 'loading') {
    main = (
      <div className="welcome" aria-busy="true">
        <span className="spinner" aria-hidden="true" />
        <p>Loading the conversation…</p>
      </div>
    );
  } else {
    main = (
      <div className="welcome">
        <h2 className="welcome__title">Conversation not found</h2>
        <p>It may have been removed, or you are not one of its participants.</p>
        <button type="button" className="button button--primary" onClick={back}>
          Back to conversations
        </button>
      </div>
    );
  }

  return (
    <AttachmentUrlsContext.Provider value={attachmentUrls}>
    <div className="chat-app" data-pane={activeId ? 'conversation' : 'list'}>
      <AppHeader
        me={me}
        displayName={myName}
        email={profile?.email ?? user.signInDetails?.loginId ?? null}
        signingOut={signingOut}
        onSignOut={() => void onSignOut()}
        extra={<NotificationControl permission={notifications.permission} onEnable={() => void notifications.requestPermission()} />}
      />
      <OfflineBanner status={connection} />
      <div className="chat-app__body">
        <div className="sidebar">
          <div className="sidebar__header">
            <h2 className="sidebar__title">Chats</h2>
            <button type="button" className="button button--primary button--small" onClick={() => setDialogOpen(true)}>
              <PlusIcon size={16} />
              New conversation
            </button>
          </div>
          <MessageSearch
            search={search}
            now={now}
            conversationIds={entries.map((entry) => entry.conversation.id)}
            titleOf={(hit) => entries.find((entry) => entry.conversation.id === hit.conversationId)?.title ?? hit.conversationName ?? 'Conversation'}
            senderOf={(hit) => (sameUser(hit.sender, me) ? 'You' : userDisplayName(hit.sender, profiles))}
            onOpen={(hit) => {
              jumpTo({ conversationId: hit.conversationId, messageId: hit.messageId });
              openConversation(hit.conversationId);
            }}
          />
          <ConversationList
            entries={entries}
            status={conversations.status}
            error={conversations.error}
            activeId={activeId}
            now={now}
            onOpen={openConversation}
            onReload={conversations.reload}
          />
        </div>
        <main className="conversation-pane">{main}</main>
      </div>
      <Announcer announcements={announcements} />
      {dialogOpen && (
        <NewConversationDialog
          me={me}
          people={directory.people}
          directoryStatus={directory.status}
          directoryError={directory.error}
          onReloadDirectory={directory.reload}
          conversations={conversations.conversations}
          onCreate={conversations.create}
          onOpen={(id) => {
            setDialogOpen(false);
            openConversation(id);
          }}
          onClose={() => setDialogOpen(false)}
        />
      )}
    </div>
    </AttachmentUrlsContext.Provider>
  );
}
