import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { createTypingNotifier, type TypingNotifier } from '../chat/typing-notifier';
import {
  activeTypers,
  emptyTypingState,
  nextExpiry,
  pruneTypers,
  receiveTyping,
  removeTyper,
  type TypingState,
} from '../chat/typing-state';
import { client } from '../data-client';
import { startQueue } from '../state/start-queue';
import { subscribeWithRetry } from './amplify-helpers';

/** 'typing' is sent again at most this often while the user keeps typing. */
export const TYPING_INTERVAL_MS = 3_000;
/** 'stopped' is sent after this long without a keystroke. */
export const TYPING_IDLE_MS = 4_000;
/** A typer disappears this long after their last 'typing' (a lost 'stopped', a closed tab). */
export const TYPING_TTL_MS = 2 * TYPING_INTERVAL_MS + 1_000;

export interface Typing {
  /** User ids typing in the conversation now, in the order they started (never the signed-in user). */
  readonly typers: readonly string[];
  /** Call on every edit of the draft. */
  keystroke(): void;
  /** Call when the message is sent or the composer loses focus. */
  stop(): void;
  /** A message from this user arrived: they are no longer typing it. */
  messageArrived(userId: string): void;
}

type Action =
  | { type: 'signal'; userId: string; typing: boolean; now: number; me: string }
  | { type: 'remove'; userId: string }
  | { type: 'prune'; now: number }
  | { type: 'reset' };

function reducer(state: TypingState, action: Action): TypingState {
  switch (action.type) {
    case 'signal':
      return receiveTyping(state, action.userId, action.typing ? 'typing' : 'stopped', {
        now: action.now,
        ttlMs: TYPING_TTL_MS,
        me: action.me,
      });
    case 'remove':
      return removeTyper(state, action.userId);
    case 'prune':
      return pruneTypers(state, action.now);
    case 'reset':
      return state.expiresAt.size === 0 ? state : emptyTypingState();
  }
}

/**
 * Typing indicators of one conversation over sendTyping / onTyping(conversationId): the sender side
 * throttled by src/chat/typing-notifier.ts, the receiver side expiring by src/chat/typing-state.ts;
 * the user's own echoed events are ignored.
 */
export function useTyping(conversationId: string | null, me: string): Typing {
  const [state, dispatch] = useReducer(reducer, undefined, emptyTypingState);
  const [clock, setClock] = useState(() => Date.now());
  const notifierRef = useRef<TypingNotifier | null>(null);

  // Sender side: one notifier per open conversation; leaving it sends 'stopped'.
  useEffect(() => {
    if (!conversationId) return undefined;
    const notifier = createTypingNotifier({
      send: (signal) => {
        client.mutations.sendTyping({ conversationId, typing: signal === 'typing' }).catch(() => {
          // Typing indicators are best effort.
        });
      },
      intervalMs: TYPING_INTERVAL_MS,
      idleMs: TYPING_IDLE_MS,
      now: Date.now,
      setTimer: (callback, ms) => window.setTimeout(callback, ms),
      clearTimer: (handle) => window.clearTimeout(handle),
    });
    notifierRef.current = notifier;
    return () => {
      notifier.dispose();
      if (notifierRef.current === notifier) notifierRef.current = null;
    };
  }, [conversationId]);

  // Receiver side.
  useEffect(() => {
    dispatch({ type: 'reset' });
    if (!conversationId) return undefined;
    return startQueue.start(() =>
      subscribeWithRetry<{ conversationId: string; type: string; userId: string; typing?: boolean | null } | null | undefined>(
        () => client.subscriptions.onTyping({ conversationId }),
        (event) => {
          if (!event || event.type !== 'TYPING' || typeof event.typing !== 'boolean' || event.conversationId !== conversationId) return;
          const now = Date.now();
          setClock(now);
          dispatch({ type: 'signal', userId: event.userId, typing: event.typing, now, me });
        },
      ),
    );
  }, [conversationId, me]);

  // Re-render when the next typer expires.
  const expiry = nextExpiry(state);
  useEffect(() => {
    if (expiry === null) return undefined;
    const timer = window.setTimeout(() => {
      const now = Date.now();
      setClock(now);
      dispatch({ type: 'prune', now });
    }, Math.max(0, expiry - Date.now()));
    return () => window.clearTimeout(timer);
  }, [expiry]);

  const typers = useMemo(() => activeTypers(state, clock), [state, clock]);
  const keystroke = useCallback(() => notifierRef.current?.keystroke(), []);
  const stop = useCallback(() => notifierRef.current?.stop(), []);
  const messageArrived = useCallback((userId: string) => dispatch({ type: 'remove', userId }), []);
  return { typers, keystroke, stop, messageArrived };
}
