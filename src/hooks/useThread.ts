import { useCallback, useRef, useState } from 'react';
import { addPending, createTimeline, discardPending, markFailed, mergeMessages, setUploaded, setUploadProgress, type Timeline } from '../chat/messages';
import { client } from '../data-client';
import { errorText, throwIfErrors } from '../state/errors';
import { fromSent, pageOf, threadEventOf, toIncomingMessage } from './amplify-helpers';
import { useFeedEvents, type ConversationFeed } from './useConversationFeed';
import { failureText, pendingUploadOf, uploadAndSend, type OutgoingFile } from './attachment-send';
import { isUploadCancel } from './attachment-upload';
import { useOutgoingFiles, type OutgoingEntry } from './useOutgoingFiles';

/** Replies per thread page. */
export const THREAD_PAGE_SIZE = 20;

/** The open thread: its root, its replies (oldest first), paging and the reply composer's sends. */
export interface OpenThread {
  readonly conversationId: string;
  readonly rootId: string;
  readonly replies: Timeline;
  /** The next older page's token; null once every reply is loaded (after the first page). */
  readonly nextToken: string | null;
  readonly loaded: boolean;
  readonly loading: boolean;
  readonly error: string | null;
}

export interface Thread {
  readonly open: OpenThread | null;
  openThread(conversationId: string, rootId: string): void;
  close(): void;
  /** Loads the next older page of replies. */
  loadEarlier(): void;
  /** Sends a reply to the open thread (shown at once as pending; confirmed or failed). */
  reply(content: string): void;
  /** Sends files as replies to the open thread (one each, the caption with the first), with their uploads' progress. */
  replyWithFiles(files: readonly OutgoingFile[], caption: string): void;
  /** Aborts a reply's upload and drops it. */
  cancelUpload(clientMessageId: string): void;
}

/**
 * One open thread (docs/web-app.md, "Threads"): the replies read newest page first through listThreadReplies (the
 * membership check, then the thread index) and shown oldest first, older pages on demand, live replies, edits and
 * removals from the session's conversation feed, and replies sent with sendMessage's threadRootId.
 */
export function useThread(feed: ConversationFeed, me: string): Thread {
  const [open, setOpen] = useState<OpenThread | null>(null);
  const openRef = useRef(open);
  const update = useCallback((change: (current: OpenThread) => OpenThread) => {
    if (!openRef.current) return;
    openRef.current = change(openRef.current);
    setOpen(openRef.current);
  }, []);

  const loadPage = useCallback(() => {
    const current = openRef.current;
    if (!current || current.loading || (current.loaded && !current.nextToken)) return;
    const { conversationId, rootId } = current;
    update((t) => ({ ...t, loading: true, error: null }));
    client.queries
      .listThreadReplies({ conversationId, threadRootId: rootId, sortDirection: 'DESC', limit: THREAD_PAGE_SIZE, nextToken: current.nextToken })
      .then(pageOf)
      .then((answer) => {
        if (answer.errors?.length && !answer.data?.length) throwIfErrors(answer);
        if (openRef.current?.rootId !== rootId) return;
        update((t) => ({
          ...t,
          replies: mergeMessages(t.replies, (answer.data ?? []).map((m) => toIncomingMessage(m)), t.loaded ? 'history' : 'list'),
          nextToken: answer.nextToken ?? null,
          loaded: true,
          loading: false,
        }));
      })
      .catch((reason: unknown) => {
        if (openRef.current?.rootId === rootId) update((t) => ({ ...t, loading: false, error: errorText(reason) }));
      });
  }, [update]);

  const openThread = useCallback((conversationId: string, rootId: string) => {
    if (openRef.current?.rootId === rootId) return;
    openRef.current = { conversationId, rootId, replies: createTimeline(conversationId), nextToken: null, loaded: false, loading: false, error: null };
    setOpen(openRef.current);
    loadPage();
  }, [loadPage]);

  const close = useCallback(() => {
    openRef.current = null;
    setOpen(null);
  }, []);

  useFeedEvents(feed, (event) => {
    const reply = threadEventOf(event);
    if (!reply || openRef.current?.rootId !== reply.rootId) return;
    update((t) => ({ ...t, replies: mergeMessages(t.replies, [reply.reply], 'subscription') }));
  });

  const reply = useCallback((content: string) => {
    const current = openRef.current;
    const text = content.trim();
    if (!current || !text) return;
    const { conversationId, rootId } = current;
    const clientMessageId = crypto.randomUUID();
    update((t) => ({ ...t, replies: addPending(t.replies, { clientMessageId, content: text, sender: me, createdAt: new Date().toISOString() }) }));
    client.mutations
      .sendMessage({ input: { conversationId, content: text, messageType: 'TEXT', clientMessageId, threadRootId: rootId } })
      .then((answer) => {
        throwIfErrors(answer);
        if (!answer.data) throw new Error('The reply was not accepted.');
        if (openRef.current?.rootId === rootId) update((t) => ({ ...t, replies: mergeMessages(t.replies, [fromSent(answer.data!)], 'send') }));
      })
      .catch((reason: unknown) => {
        if (openRef.current?.rootId === rootId) update((t) => ({ ...t, replies: markFailed(t.replies, clientMessageId, errorText(reason)) }));
      });
  }, [me, update]);

  // Files of replies being uploaded, by clientMessageId (their uploads' cancel, their previews to release).
  const { outgoing, forget } = useOutgoingFiles();

  const replyWithFiles = useCallback((files: readonly OutgoingFile[], caption: string) => {
    const current = openRef.current;
    if (!current || files.length === 0) return;
    const { conversationId, rootId } = current;
    const start = Date.now();
    files.forEach((file, index) => {
      const clientMessageId = crypto.randomUUID();
      const content = index === 0 ? caption.trim() : '';
      const held: OutgoingEntry = { file, upload: null };
      outgoing.current.set(clientMessageId, held);
      const mine = (change: (replies: Timeline) => Timeline) => {
        if (openRef.current?.rootId === rootId) update((t) => ({ ...t, replies: change(t.replies) }));
      };
      mine((replies) =>
        addPending(replies, { clientMessageId, content, sender: me, createdAt: new Date(start + index).toISOString(), messageType: file.messageType, upload: pendingUploadOf(file) }),
      );
      uploadAndSend(
        { conversationId, clientMessageId, caption: content, file, uploadedPath: null, uploader: me, threadRootId: rootId },
        {
          onUpload: (upload) => {
            held.upload = upload;
          },
          onProgress: (percent) => mine((replies) => setUploadProgress(replies, clientMessageId, percent)),
          onUploaded: (path) => mine((replies) => setUploaded(replies, clientMessageId, path)),
        },
      )
        .then((confirmed) => {
          forget(clientMessageId);
          mine((replies) => mergeMessages(replies, [confirmed], 'send'));
        })
        .catch((reason: unknown) => {
          if (isUploadCancel(reason) || !outgoing.current.has(clientMessageId)) return;
          mine((replies) => markFailed(replies, clientMessageId, failureText(reason)));
        });
    });
  }, [me, update, forget, outgoing]);

  const cancelUpload = useCallback((clientMessageId: string) => {
    forget(clientMessageId)?.upload?.cancel();
    update((t) => ({ ...t, replies: discardPending(t.replies, clientMessageId) }));
  }, [forget, update]);

  // A root removed while its thread is open: the panel closes (its replies are no longer shown anywhere).
  useFeedEvents(feed, (event) => {
    if (event.type === 'MESSAGE_DELETED' && event.messageId && event.messageId === openRef.current?.rootId) close();
  });

  return { open, openThread, close, loadEarlier: loadPage, reply, replyWithFiles, cancelUpload };
}
