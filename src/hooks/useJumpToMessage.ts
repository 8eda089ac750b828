import { useEffect, useState } from 'react';
import type { ConversationMessages } from '../state/message-store';

export interface JumpTarget {
  readonly conversationId: string;
  readonly messageId: string;
}

/**
 * Shows a search hit in its conversation: once the conversation is open, older pages are loaded until the message is
 * in the timeline (or the history ends), then it is scrolled into view and marked (data-search-hit) until the next jump.
 */
export function useJumpToMessage(activeId: string | null, active: ConversationMessages | null, loadOlder: () => void) {
  const [target, setTarget] = useState<JumpTarget | null>(null);
  useEffect(() => {
    if (!target || target.conversationId !== activeId || !active) return;
    const present = active.timeline.messages.some((m) => m.id === target.messageId);
    if (!present) {
      if (!active.pages.loading && !active.pages.exhausted && !active.pages.error) loadOlder();
      if (active.pages.exhausted) setTarget(null);
      return;
    }
    const element = document.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(target.messageId)}"]`);
    if (!element) return;
    for (const old of document.querySelectorAll('[data-search-hit]')) old.removeAttribute('data-search-hit');
    element.setAttribute('data-search-hit', 'true');
    element.scrollIntoView({ block: 'center' });
    setTarget(null);
  }, [target, activeId, active, loadOlder]);
  return setTarget;
}
