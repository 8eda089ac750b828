import { useCallback, useMemo, useRef, useState } from 'react';
import { otherParticipantIds, participantIds, userDisplayName, type ProfilesById } from '../chat/conversations';
import type { TimelineMessage } from '../chat/messages';
import type { PresenceSummary } from '../chat/presence';
import { sameUser } from '../chat/participants';
import { typingLabel } from '../chat/typing-state';
import type { ListedConversation } from '../state/conversation-list';
import type { Messages } from '../hooks/useMessages';
import type { Reactions } from '../hooks/useReactions';
import { newestOwn, seenBy, type ReadPoints } from '../chat/read-points';
import type { ConversationMessages } from '../state/message-store';
import { Composer, type ComposerHandle } from './Composer';
import { ConfirmDialog } from './ConfirmDialog';
import { ConversationHeader } from './ConversationHeader';
import { MessageList } from './MessageList';
import { TypingIndicator } from './TypingIndicator';
import { MembersDialog } from './MembersDialog';
import { PeopleIcon } from './Icons';
import type { MemberRole } from '../../amplify/shared/members';
import type { Person } from '../state/people';
import type { Thread } from '../hooks/useThread';
import { ThreadPanel } from './ThreadPanel';
import { Lightbox, type LightboxImage } from './Lightbox';
import { storageTarget } from '../state/storage-target';

interface ConversationViewProps {
  readonly conversation: ListedConversation;
  readonly title: string;
  readonly entry: ConversationMessages;
  readonly messages: Messages;
  readonly reactions: Reactions;
  /** Every known read point (the open conversation's members' among them). */
  readonly readPoints: ReadPoints;
  readonly me: string;
  readonly profiles: ProfilesById;
  readonly presenceByUser: ReadonlyMap<string, PresenceSummary>;
  readonly typers: readonly string[];
  readonly now: Date;
  readonly initialDraft: string;
  readonly onDraftChange: (draft: string) => void;
  readonly onTyping: () => void;
  readonly onStopTyping: () => void;
  readonly onBack: () => void;
  /** The composer's handle, for the parent (focus after a conversation opens) and this view (focus after a delete). */
  readonly composerRef: React.RefObject<ComposerHandle | null>;
  readonly titleRef: React.Ref<HTMLHeadingElement>;
  /** Controls shown at the end of the header (the mute toggle). */
  readonly headerActions?: React.ReactNode;
  /** The directory (the members panel's "Add people"). */
  readonly people: readonly Person[];
  readonly onAddMembers: (userIds: readonly string[]) => Promise<void>;
  readonly onRemoveMember: (userId: string) => Promise<void>;
  readonly onSetMemberRole: (userId: string, role: MemberRole) => Promise<void>;
  /** Leaves the group (confirmed here first). */
  readonly onLeave: () => Promise<void>;
  /** The open thread (at most one), its paging and replies. */
  readonly thread: Thread;
}

const conversationIdOf = (message: TimelineMessage) => message.conversationId;

/** True while dragged files are over the open thread's panel. */
const overThread = (event: React.DragEvent) => event.target instanceof Element && event.target.closest('.thread-panel') !== null;

function memberList(conversation: ListedConversation, me: string, profiles: ProfilesById): string {
  const names = otherParticipantIds(conversation, me).map((id) => userDisplayName(id, profiles));
  const all = [...names, 'you'];
  if (all.length <= 1) return 'Only you';
  return `${all.slice(0, -1).join(', ')} and ${all.at(-1)}`;
}

/** The open conversation: header, message log, typing indicator and composer. */
export function ConversationView(props: ConversationViewProps) {
  const { conversation, entry, messages, me, profiles, now, composerRef, titleRef } = props;
  const others = otherParticipantIds(conversation, me);
  const directUserId = others.length === 1 ? (others[0] ?? null) : null;
  const isGroup = participantIds(conversation.participants).length > 2;
  const [deleting, setDeleting] = useState<TimelineMessage | null>(null);
  const deletedRef = useRef(false);
  const [editRequest, setEditRequest] = useState<{ messageId: string; seq: number } | null>(null);
  const [membersOpen, setMembersOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const membersButton = useRef<HTMLButtonElement>(null);
  const group = conversation.kind === 'GROUP';
  // The thread panel shows this conversation's open thread only; closing it returns the focus to its opener.
  const openThread = props.thread.open?.conversationId === conversation.id ? props.thread.open : null;
  const threadOpener = useRef<HTMLElement | null>(null);
  const { openThread: startThread, close: endThread } = props.thread;
  const onOpenThread = useCallback(
    (messageId: string, opener: HTMLElement) => {
      threadOpener.current = opener;
      startThread(conversation.id, messageId);
    },
    [startThread, conversation.id],
  );
  const closeThread = useCallback(() => {
    endThread();
    const opener = threadOpener.current;
    requestAnimationFrame(() => {
      // The opener may have been re-rendered (the "Reply in thread" button becomes "1 reply"): the root's thread button.
      if (opener?.isConnected) opener.focus();
      else document.querySelector<HTMLElement>(`[data-message-id="${openThread?.rootId ?? ''}"] .message__thread, [data-message-id="${openThread?.rootId ?? ''}"]`)?.focus();
    });
  }, [endThread, openThread?.rootId]);
  const memberCount = participantIds(conversation.participants).length;

  // Attachments: files dragged over the conversation show the drop target; dropped, they join the composer.
  const attachmentsEnabled = storageTarget().enabled;
  // Where dragged files would go: the conversation's composer, or the open thread's reply box (over its panel).
  const [dragging, setDragging] = useState<false | 'conversation' | 'thread'>(false);
  const dragDepth = useRef(0);
  const carriesFiles = (event: React.DragEvent) => event.dataTransfer.types.includes('Files');
  const { cancelUpload } = messages;
  const onCancelUpload = useCallback((message: TimelineMessage) => {
    if (message.clientMessageId) cancelUpload(conversationIdOf(message), message.clientMessageId);
  }, [cancelUpload]);

  // The lightbox: one image of this conversation (timeline or open thread) at a time.
  const [viewing, setViewing] = useState<string | null>(null);
  const images = useMemo<LightboxImage[]>(() => {
    const all = [...entry.timeline.messages, ...(openThread?.replies.messages ?? [])];
    return all
      .filter((m) => m.status === 'confirmed' && m.messageType === 'IMAGE' && m.attachment)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map((m) => ({ messageId: m.id, conversationId: m.conversationId, attachment: m.attachment!, senderName: userDisplayName(m.sender, profiles), createdAt: m.createdAt }));
  }, [entry.timeline.messages, openThread?.replies.messages, profiles]);
  const onOpenImage = useCallback((messageId: string) => setViewing(messageId), []);
  // A removed image's lightbox closes.
  const shownImage = viewing && images.some((image) => image.messageId === viewing) ? viewing : null;

  const { edit, retry, discard } = messages;
  const conversationId = conversation.id;
  const { toggle } = props.reactions;
  const onToggleReaction = useCallback((messageId: string, emoji: string) => toggle(conversationId, messageId, emoji), [toggle, conversationId]);
  const onSaveEdit = useCallback((messageId: string, content: string) => edit(messageId, content), [edit]);
  const onDelete = useCallback((message: TimelineMessage) => {
    deletedRef.current = false;
    setDeleting(message);
  }, []);
  const onRetry = useCallback((message: TimelineMessage) => {
    if (message.clientMessageId) retry(conversationId, message.clientMessageId);
  }, [retry, conversationId]);
  const onDiscard = useCallback((message: TimelineMessage) => {
    if (message.clientMessageId) discard(conversationId, message.clientMessageId);
  }, [discard, conversationId]);

  const onEditLast = () => {
    const last = [...entry.timeline.messages].reverse().find((m) => m.status === 'confirmed' && sameUser(m.sender, me));
    if (!last) return false;
    setEditRequest((current) => ({ messageId: last.id, seq: (current?.seq ?? 0) + 1 }));
    return true;
  };

  // "Seen" under my newest message: the other members whose read point has reached it.
  const mine = newestOwn(entry.timeline.messages, me);
  const seen = mine ? { messageId: mine.id, names: seenBy(props.readPoints, conversationId, others, mine.createdAt).map((id) => userDisplayName(id, profiles)) } : null;

  const typingNames = props.typers.map((id) => userDisplayName(id, profiles));
  const placeholder = directUserId ? `Message ${userDisplayName(directUserId, profiles)}` : `Message ${props.title}`;

  return (
    <div
      className="conversation-drop"
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        dragDepth.current += 1;
        setDragging(overThread(event) ? 'thread' : 'conversation');
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = attachmentsEnabled ? 'copy' : 'none';
        setDragging(overThread(event) ? 'thread' : 'conversation');
      }}
      onDropCapture={() => {
        // The thread panel takes its own drops (and stops them there): the drop target goes either way.
        dragDepth.current = 0;
        setDragging(false);
      }}
      onDragLeave={(event) => {
        if (!carriesFiles(event)) return;
        dragDepth.current = Math.max(0, dragDepth.current - 1);
        if (dragDepth.current === 0) setDragging(false);
      }}
      onDrop={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        dragDepth.current = 0;
        setDragging(false);
        composerRef.current?.addFiles([...event.dataTransfer.files]);
      }}
    >
      {dragging && (
        <div className="drop-target" data-enabled={attachmentsEnabled}>
          <p className="drop-target__label">
            {!attachmentsEnabled ? 'Files can’t be sent here' : dragging === 'thread' ? 'Drop files to reply in the thread' : `Drop files to send to ${props.title}`}
          </p>
        </div>
      )}
      <ConversationHeader
        conversationId={conversation.id}
        title={props.title}
        directUserId={directUserId}
        presence={directUserId ? props.presenceByUser.get(directUserId) : undefined}
        members={memberList(conversation, me, profiles)}
        now={now}
        onBack={props.onBack}
        titleRef={titleRef}
        actions={
          <>
            {group && (
              <button
                ref={membersButton}
                type="button"
                className="icon-button members-button"
                onClick={() => setMembersOpen(true)}
                title="Members"
                aria-haspopup="dialog"
              >
                <PeopleIcon />
                <span className="members-button__count" aria-hidden="true">
                  {memberCount}
                </span>
                <span className="sr-only">{`Members (${memberCount})`}</span>
              </button>
            )}
            {props.headerActions}
          </>
        }
      />
      <MessageList
        entry={entry}
        me={me}
        profiles={profiles}
        isGroup={isGroup}
        now={now}
        onLoadOlder={messages.loadOlder}
        onRetryCatchUp={messages.retryCatchUp}
        onSaveEdit={onSaveEdit}
        onDelete={onDelete}
        onRetry={onRetry}
        onDiscard={onDiscard}
        reactions={props.reactions.facts}
        reactionFailure={props.reactions.failure}
        onToggleReaction={onToggleReaction}
        seen={seen}
        editRequest={editRequest}
        onOpenThread={onOpenThread}
        onOpenImage={onOpenImage}
        onCancelUpload={onCancelUpload}
      />
      <TypingIndicator label={typingLabel(typingNames)} />
      <Composer
        key={conversation.id}
        ref={composerRef}
        initialDraft={props.initialDraft}
        placeholder={placeholder}
        onDraftChange={props.onDraftChange}
        onSend={messages.send}
        onSendFiles={messages.sendFiles}
        attachmentsEnabled={attachmentsEnabled}
        onTyping={props.onTyping}
        onStopTyping={props.onStopTyping}
        onEditLast={onEditLast}
      />
      {openThread && (
        <ThreadPanel
          thread={openThread}
          root={entry.timeline.messages.find((m) => m.id === openThread.rootId) ?? null}
          nameOf={(userId) => userDisplayName(userId, profiles)}
          onClose={closeThread}
          onLoadEarlier={props.thread.loadEarlier}
          onReply={props.thread.reply}
          onOpenImage={onOpenImage}
          onReplyFiles={props.thread.replyWithFiles}
          onCancelUpload={props.thread.cancelUpload}
          attachmentsEnabled={attachmentsEnabled}
        />
      )}
      {shownImage && <Lightbox images={images} messageId={shownImage} onShow={setViewing} onClose={() => setViewing(null)} />}
      {membersOpen && (
        <MembersDialog
          conversation={conversation}
          me={me}
          profiles={profiles}
          people={props.people}
          presenceByUser={props.presenceByUser}
          now={now}
          onAdd={props.onAddMembers}
          onRemove={props.onRemoveMember}
          onSetRole={props.onSetMemberRole}
          onLeave={() => {
            setMembersOpen(false);
            setLeaving(true);
          }}
          onClose={() => {
            setMembersOpen(false);
            requestAnimationFrame(() => membersButton.current?.focus());
          }}
        />
      )}
      {leaving && (
        <ConfirmDialog
          title="Leave conversation"
          message={<p>Leave “{props.title}”? You will no longer see its messages, and someone will have to add you again.</p>}
          confirmLabel="Leave"
          busyLabel="Leaving…"
          onConfirm={props.onLeave}
          onClose={() => setLeaving(false)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete message"
          message={
            <>
              <p>Delete this message for everyone in the conversation? This cannot be undone.</p>
              <blockquote className="quote">{deleting.content || deleting.attachment?.name}</blockquote>
              {deleting.attachment && <p>Its file, {deleting.attachment.name}, is deleted with it.</p>}
            </>
          }
          confirmLabel="Delete"
          busyLabel="Deleting…"
          onConfirm={async () => {
            await messages.remove(conversation.id, deleting.id);
            deletedRef.current = true;
          }}
          onClose={() => {
            setDeleting(null);
            // The message (and the button that opened the dialog) is gone: continue in the composer.
            if (deletedRef.current) requestAnimationFrame(() => composerRef.current?.focus());
          }}
        />
      )}
    </div>
  );
}
