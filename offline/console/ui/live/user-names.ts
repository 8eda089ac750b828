/**
 * The e-mail of each user the Live page shows. Requests carry the caller's username (the access token the Amplify
 * client sends has no e-mail; a pool with generated usernames shows only an id), so the page looks users up in the
 * pool: once when it opens, and again when a username it does not know appears (at most one lookup at a time).
 */
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import type { LiveItem } from './types';

export const UserNames = createContext<ReadonlyMap<string, string>>(new Map());

/** `who` with the user's e-mail in front when it is a username of the pool. */
export function useDisplayName(who: string): string {
  const email = useContext(UserNames).get(who);
  return email !== undefined && email !== who ? email : who;
}

function userPoolCallers(items: readonly LiveItem[]): Set<string> {
  const names = new Set<string>();
  for (const item of items) {
    if (item.type !== 'event') continue;
    const caller = 'caller' in item.event ? item.event.caller : undefined;
    if (caller?.authType === 'AMAZON_COGNITO_USER_POOLS' && caller.who) names.add(caller.who);
  }
  return names;
}

export function useUserNames(items: readonly LiveItem[]): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const looking = useRef(false);
  const tried = useRef(new Set<string>());
  const fetched = useRef(false);
  useEffect(() => {
    const unknown = [...userPoolCallers(items)].filter((who) => !names.has(who) && !tried.current.has(who));
    if ((unknown.length === 0 && fetched.current) || looking.current) return;
    looking.current = true;
    fetched.current = true;
    for (const who of unknown) tried.current.add(who);
    api<{ users: { username: string; email?: string; sub?: string }[] }>('GET', '/api/users')
      .then(({ users }) => {
        const next = new Map<string, string>();
        for (const user of users) {
          if (!user.email) continue;
          next.set(user.username, user.email);
          if (user.sub) next.set(user.sub, user.email);
        }
        setNames(next);
      })
      .catch(() => undefined)
      .finally(() => {
        looking.current = false;
      });
  }, [items, names]);
  return names;
}
