import { useCallback, useEffect, useReducer, useRef } from 'react';
import { findByClientMessageId, nextSendStep, type IncomingMessage } from '../chat/messages';
import { canLoadMore } from '../chat/pagination';
import type { ThreadSummary } from '../chat/threads';
import { client } from '../data-client';
import { errorText, throwIfErrors } from '../state/errors';
import { startQueue } from '../state/start-queue';
import {
  conversationMessages,
  emptyMessageStore,
  firstPageLoaded,
  messageStoreReducer,
  needsCatchUp,
  type ConversationMessages,
  type MessageStoreAction,
} from '../state/message-store';
import { fromSent, listAll, pageOf, toIncomingMessage, type ListAnswer, type MessageRecord } from './amplify-helpers';
import { isUploadCancel } from './attachment-upload';
import { failureText, pendingUploadOf, uploadAndSend, type OutgoingFile } from './attachment-send';
import { useOutgoingFiles } from './useOutgoingFiles';
import { connectionMonitor } from './connection-monitor';
import { useConnectionEvents, useConnectionState } from './useConnectionState';

/** Messages per history page. */
export const PAGE_SIZE = 30;
/** Messages per catch-up request (it pages until done). */
const CATCH_UP_PAGE_SIZE = 100;

export type { OutgoingFile };

export interface Messages {
  /** The open conversation's messages, paging and catch-up state (null when none is open). */
  readonly active: ConversationMessages | null;
  /** Live events from the message feed. */
  receive(messages: IncomingMessage[]): void;
  /** Loads the next older page of the open conversation (no-op while loading or when all are loaded). */
  loadOlder(): void;
  /** Tries the missed-messages fetch again after it failed. */
  retryCatchUp(): void;
  /** Sends a message to the open conversation at once as pending; confirmed or failed later. */
  send(content: string): void;
  /**
   * Sends files to the open conversation, one IMAGE or FILE message each (the caption with the first): each shows at
   * once as pending with its upload's progress, then is confirmed or failed.
   */
  sendFiles(files: readonly OutgoingFile[], caption: string): void;
  /** Aborts an attachment's upload and drops its pending message. */
  cancelUpload(conversationId: string, clientMessageId: string): void;
  /**
   * Sends a failed message again with the same clientMessageId (stored at most once by the server); an attachment
   * whose upload never finished is uploaded again first.
   */
  retry(conversationId: string, clientMessageId: string): void;
  discard(conversationId: string, clientMessageId: string): void;
  /** Edits one of the user's messages; rejects with a readable error. */
  edit(messageId: string, content: string): Promise<void>;
  /** Deletes one of the user's messages; rejects with a readable error. */
  remove(conversationId: string, messageId: string): Promise<void>;
  /** A thread reply's event: its root's counts now (the root's "N replies" button). */
  threadSummary(conversationId: string, rootId: string, summary: ThreadSummary): void;
}

/** Requests per timeline page at most (each reads PAGE_SIZE items before the reply filter). */
const MAX_REQUESTS_PER_PAGE = 5;

/**
 * One page of the timeline, newest first. listConversationMessages leaves thread replies out with a filter applied after
 * its limit (docs/data-model.md, "Threads"), so a page may come back short with a nextToken: the next ones are read
 * until PAGE_SIZE messages are in (a few requests at most; the rest is the next page).
 */
async function timelinePage(conversationId: string, from: string | null): Promise<ListAnswer<MessageRecord>> {
  const items: MessageRecord[] = [];
  let nextToken = from;
  for (let request = 0; request < MAX_REQUESTS_PER_PAGE; request += 1) {
    const answer = pageOf(await client.queries.listConversationMessages({ conversationId, sortDirection: 'DESC', limit: PAGE_SIZE, nextToken }));
    if (answer.errors?.length && !answer.data?.length) return answer;
    items.push(...(answer.data ?? []));
    nextToken = answer.nextToken ?? null;
    if (!nextToken || items.length >= PAGE_SIZE) break;
  }
  return { data: items, nextToken };
}

/**
 * Message timelines of the conversations opened in this session (kept while the user switches, and
 * updated by live events meanwhile): first page and older pages through listConversationMessages
 * (newest first), optimistic sends with a clientMessageId, retries, edits, removals, and the catch-up
 * after a connection gap: createdAt >= the newest message confirmed before the gap, so nothing is
 * missed and the overlap is merged away.
 */
export function useMessages(activeConversationId: string | null, me: string): Messages {
  const [store, dispatchToReact] = useReducer(messageStoreReducer, undefined, emptyMessageStore);
  // The store as of the last action, for the callbacks below (stable, so they read it here rather than
  // close over a render's store): every action goes through `dispatch`, which applies the (pure) reducer
  // to this copy too, so it is never written during render and is current even before React re-renders
  // (a child's layout effect that loads the next page sees the page just received).
  const storeRef = useRef(store);
  const dispatch = useCallback((action: MessageStoreAction) => {
    storeRef.current = messageStoreReducer(storeRef.current, action);
    dispatchToReact(action);
  }, []);
  const { live } = useConnectionState();
  const loadingPages = useRef(new Set<string>());

  useConnectionEvents((event) => dispatch({ type: event }));

  const loadPage = useCallback((conversationId: string) => {
    const entry = conversationMessages(storeRef.current, conversationId);
    if (!canLoadMore(entry.pages) || loadingPages.current.has(conversationId)) return;
    loadingPages.current.add(conversationId);
    const requestId = crypto.randomUUID();
    const nextToken = entry.pages.nextToken;
    dispatch({ type: 'pageStarted', conversationId, requestId });
    timelinePage(conversationId, nextToken)
      .then((answer) => {
        if (answer.errors?.length && !answer.data?.length) throwIfErrors(answer);
        dispatch({
          type: 'pageReceived',
          conversationId,
          requestId,
          items: (answer.data ?? []).map((m) => toIncomingMessage(m)),
          nextToken: answer.nextToken ?? null,
          live: connectionMonitor.getStatus().live,
        });
      })
      .catch((reason: unknown) => dispatch({ type: 'pageFailed', conversationId, requestId, error: errorText(reason) }))
      .finally(() => loadingPages.current.delete(conversationId));
  }, [dispatch]);

  const catchUp = useCallback((conversationId: string) => {
    const entry = conversationMessages(storeRef.current, conversationId);
    if (!entry.gap || entry.catchUp) return;
    const requestId = crypto.randomUUID();
    const cursor = entry.gap.cursor;
    dispatch({ type: 'catchUpStarted', conversationId, requestId });
    listAll<MessageRecord>((nextToken) =>
      client.queries
        .listConversationMessages({ conversationId, ...(cursor ? { from: cursor } : {}), sortDirection: 'ASC', limit: CATCH_UP_PAGE_SIZE, nextToken })
        .then(pageOf),
    )
      .then((records) =>
        dispatch({ type: 'catchUpReceived', conversationId, requestId, items: records.map((m) => toIncomingMessage(m)) }),
      )
      .catch((reason: unknown) => dispatch({ type: 'catchUpFailed', conversationId, requestId, error: errorText(reason) }));
  }, [dispatch]);

  const active = activeConversationId ? conversationMessages(store, activeConversationId) : null;

  // Open conversation: its newest page once (a failed one waits for loadOlder / the retry button).
  const needsFirstPage = !!active && !firstPageLoaded(active) && !active.pages.loading && active.pages.error === null;
  // From the start queue (src/state/start-queue.ts): a conversation open when the chat mounts (its link) is listed after
  // the feed's subscription is opened, in a task of its own.
  useEffect(() => {
    if (!activeConversationId || !needsFirstPage) return undefined;
    return startQueue.start(() => loadPage(activeConversationId));
  }, [activeConversationId, needsFirstPage, loadPage]);

  // Open conversation: fetch what a connection gap may have hidden, once events flow again.
  const shouldCatchUp = !!active && needsCatchUp(active, live);
  useEffect(() => {
    if (activeConversationId && shouldCatchUp) catchUp(activeConversationId);
  }, [activeConversationId, shouldCatchUp, catchUp]);

  const attemptSend = useCallback((conversationId: string, clientMessageId: string, content: string) => {
    client.mutations
      .sendMessage({ input: { conversationId, content, messageType: 'TEXT', clientMessageId } })
      .then((answer) => {
        throwIfErrors(answer);
        if (!answer.data) throw new Error('The message was not accepted.');
        dispatch({ type: 'sendConfirmed', message: fromSent(answer.data) });
      })
      .catch((reason: unknown) =>
        dispatch({ type: 'sendFailed', conversationId, clientMessageId, error: errorText(reason) }),
      );
  }, [dispatch]);

  // Files of unconfirmed attachment messages (for a retry's upload) and their uploads in progress, by clientMessageId.
  const { outgoing, forget } = useOutgoingFiles();

  /** Uploads (unless the upload already finished), then sends; confirmed, failed, or nothing when cancelled. */
  const attemptAttachment = useCallback(async (conversationId: string, clientMessageId: string) => {
    const held = outgoing.current.get(clientMessageId);
    const message = findByClientMessageId(conversationMessages(storeRef.current, conversationId).timeline, clientMessageId);
    if (!held || !message?.upload) return;
    try {
      const confirmed = await uploadAndSend(
        { conversationId, clientMessageId, caption: message.content, file: held.file, uploadedPath: nextSendStep(message) === 'upload' ? null : message.upload.uploadedPath, uploader: me },
        {
          onUpload: (upload) => {
            held.upload = upload;
          },
          onProgress: (percent) => dispatch({ type: 'uploadProgress', conversationId, clientMessageId, percent }),
          onUploaded: (path) => dispatch({ type: 'uploadFinished', conversationId, clientMessageId, path }),
        },
      );
      dispatch({ type: 'sendConfirmed', message: confirmed });
      forget(clientMessageId);
    } catch (reason) {
      // Cancelled: the message is already gone.
      if (isUploadCancel(reason) || !outgoing.current.has(clientMessageId)) return;
      dispatch({ type: 'sendFailed', conversationId, clientMessageId, error: failureText(reason) });
    }
  }, [dispatch, forget, me, outgoing]);

  const sendFiles = useCallback(
    (files: readonly OutgoingFile[], caption: string) => {
      const conversationId = activeConversationId;
      if (!conversationId || files.length === 0) return;
      const start = Date.now();
      files.forEach((file, index) => {
        const clientMessageId = crypto.randomUUID();
        outgoing.current.set(clientMessageId, { file, upload: null });
        dispatch({
          type: 'sendStarted',
          conversationId,
          draft: {
            clientMessageId,
            content: index === 0 ? caption.trim() : '',
            sender: me,
            // One millisecond apart: they stay in the order picked.
            createdAt: new Date(start + index).toISOString(),
            messageType: file.messageType,
            upload: pendingUploadOf(file),
          },
        });
        void attemptAttachment(conversationId, clientMessageId);
      });
    },
    [activeConversationId, me, attemptAttachment, dispatch, outgoing],
  );

  const cancelUpload = useCallback(
    (conversationId: string, clientMessageId: string) => {
      forget(clientMessageId)?.upload?.cancel();
      dispatch({ type: 'sendDiscarded', conversationId, clientMessageId });
    },
    [dispatch, forget],
  );

  const send = useCallback(
    (content: string) => {
      const conversationId = activeConversationId;
      const text = content.trim();
      if (!conversationId || !text) return;
      const clientMessageId = crypto.randomUUID();
      dispatch({
        type: 'sendStarted',
        conversationId,
        draft: { clientMessageId, content: text, sender: me, createdAt: new Date().toISOString() },
      });
      attemptSend(conversationId, clientMessageId, text);
    },
    [activeConversationId, me, attemptSend, dispatch],
  );

  const retry = useCallback(
    (conversationId: string, clientMessageId: string) => {
      const message = findByClientMessageId(conversationMessages(storeRef.current, conversationId).timeline, clientMessageId);
      if (message?.status !== 'failed') return;
      dispatch({ type: 'sendRetried', conversationId, clientMessageId });
      if (message.upload) void attemptAttachment(conversationId, clientMessageId);
      else attemptSend(conversationId, clientMessageId, message.content);
    },
    [attemptSend, attemptAttachment, dispatch],
  );

  const discard = useCallback(
    (conversationId: string, clientMessageId: string) => {
      forget(clientMessageId);
      dispatch({ type: 'sendDiscarded', conversationId, clientMessageId });
    },
    [dispatch, forget],
  );

  const edit = useCallback(async (messageId: string, content: string) => {
    try {
      const answer = await client.mutations.editMessage({ messageId, content: content.trim() });
      throwIfErrors(answer);
      if (answer.data) dispatch({ type: 'edited', message: toIncomingMessage(answer.data) });
    } catch (reason) {
      throw new Error(errorText(reason), { cause: reason });
    }
  }, [dispatch]);

  const remove = useCallback(async (conversationId: string, messageId: string) => {
    try {
      const answer = await client.mutations.removeMessage({ messageId });
      throwIfErrors(answer);
      dispatch({ type: 'removed', conversationId, messageId });
    } catch (reason) {
      throw new Error(errorText(reason), { cause: reason });
    }
  }, [dispatch]);

  const receive = useCallback((messages: IncomingMessage[]) => dispatch({ type: 'received', items: messages }), [dispatch]);
  const threadSummary = useCallback(
    (conversationId: string, rootId: string, summary: ThreadSummary) => dispatch({ type: 'threadSummary', conversationId, rootId, summary }),
    [dispatch],
  );

  const loadOlder = useCallback(() => {
    if (activeConversationId) loadPage(activeConversationId);
  }, [activeConversationId, loadPage]);

  const retryCatchUp = useCallback(() => {
    if (activeConversationId) dispatch({ type: 'catchUpErrorDismissed', conversationId: activeConversationId });
  }, [activeConversationId, dispatch]);

  return { active, receive, loadOlder, retryCatchUp, send, sendFiles, cancelUpload, retry, discard, edit, remove, threadSummary };
}
