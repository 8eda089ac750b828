import { createContext, useContext, useEffect, useState, useSyncExternalStore, type RefObject } from 'react';
import { client } from '../data-client';
import { AttachmentUrlStore, type AttachmentUrlAnswer, type UrlEntry } from '../state/attachment-urls';
import { errorText, throwIfErrors } from '../state/errors';
import { attachmentUrlForPage } from '../state/storage-target';

/** getAttachmentUrls for one conversation's messages (the caller batches them). */
async function fetchAttachmentUrls(conversationId: string, messageIds: readonly string[]): Promise<AttachmentUrlAnswer[]> {
  const answer = await client.queries.getAttachmentUrls({ conversationId, messageIds: [...messageIds] });
  throwIfErrors(answer);
  return (answer.data ?? []).filter((item): item is AttachmentUrlAnswer => !!item);
}

/** The session's URL cache (one per signed-in ChatApp): URLs through the page's storage rewrite, readable errors. */
export function createAttachmentUrlStore(): AttachmentUrlStore {
  return new AttachmentUrlStore({ fetchUrls: fetchAttachmentUrls, toPage: (url) => attachmentUrlForPage(url), errorText });
}

export const AttachmentUrlsContext = createContext<AttachmentUrlStore | null>(null);

/** How far outside the viewport an attachment counts as visible (its URLs are fetched a little ahead of scrolling). */
const VISIBLE_MARGIN = '400px 0px';

/**
 * The URLs of a message's file, fetched while it is visible: with `element`, once it comes within VISIBLE_MARGIN of the
 * viewport (and released when it leaves, so only what is on screen is refreshed); without one, at once (the lightbox).
 * Returns the store too (retry, invalidate).
 */
export function useAttachmentUrl(
  conversationId: string,
  messageId: string | null,
  element: RefObject<Element | null> | null,
): { readonly entry: UrlEntry | undefined; readonly store: AttachmentUrlStore | null } {
  const store = useContext(AttachmentUrlsContext);
  const [visible, setVisible] = useState(element === null);

  useEffect(() => {
    const target = element?.current;
    if (!target) return undefined;
    if (typeof IntersectionObserver === 'undefined') {
      setVisible(true);
      return undefined;
    }
    const observer = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)), { rootMargin: VISIBLE_MARGIN });
    observer.observe(target);
    return () => observer.disconnect();
  }, [element]);

  useEffect(() => {
    if (!store || !messageId || !visible) return undefined;
    return store.want(conversationId, messageId);
  }, [store, conversationId, messageId, visible]);

  const entry = useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    () => (store && messageId ? store.entry(messageId) : undefined),
  );
  return { entry, store };
}

const noSubscribe = () => () => undefined;
