import { useCallback, useEffect, useState } from 'react';

const PREFIX = '#/c/';

function fromHash(hash: string): string | null {
  if (!hash.startsWith(PREFIX)) return null;
  const id = decodeURIComponent(hash.slice(PREFIX.length));
  return id || null;
}

export interface Selection {
  readonly conversationId: string | null;
  /** Opens a conversation (a history entry, so the browser's Back returns to the list on phones). */
  open(conversationId: string): void;
  /** Back to the list (phone layout). */
  close(): void;
}

/** The open conversation, kept in the URL (#/c/<id>) so that reloads and Back/Forward work. */
export function useSelectedConversation(): Selection {
  const [conversationId, setConversationId] = useState<string | null>(() => fromHash(window.location.hash));

  useEffect(() => {
    const onChange = () => setConversationId(fromHash(window.location.hash));
    window.addEventListener('popstate', onChange);
    window.addEventListener('hashchange', onChange);
    return () => {
      window.removeEventListener('popstate', onChange);
      window.removeEventListener('hashchange', onChange);
    };
  }, []);

  const open = useCallback((id: string) => {
    if (fromHash(window.location.hash) === id) return;
    const opener = fromHash(window.location.hash) === null;
    // From the list: a new entry (Back returns to it); from another conversation: replace it.
    if (opener) window.history.pushState({ fromList: true }, '', `${PREFIX}${encodeURIComponent(id)}`);
    else window.history.replaceState(window.history.state, '', `${PREFIX}${encodeURIComponent(id)}`);
    setConversationId(id);
  }, []);

  const close = useCallback(() => {
    const state = window.history.state as { fromList?: boolean } | null;
    if (state?.fromList) {
      window.history.back();
      return;
    }
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    setConversationId(null);
  }, []);

  return { conversationId, open, close };
}
