/**
 * The GraphQL explorer: GraphiQL on the sandbox's schema, each tab calling AppSync as its own caller (none, the API key,
 * the console's IAM principal, a user of the pool), queries and mutations through the console's `/api/graphql` and
 * subscriptions over AppSync's real-time endpoint through the console's subscription socket.
 * `#/explorer/user/<username>` (the Auth page's "Use as") opens a new tab authorized as that user.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './explorer.css';
import { GraphiQL } from 'graphiql';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { api, describeError } from '../api';
import type { ConsoleUser } from '../auth/types';
import type { ApiCallers, CallerChoice } from './callers';
import { CallerBar } from './CallerBar';
import { explorerFetcher, type RunStatus } from './fetcher';
import { SubscriptionSocket } from './subscription-socket';
import { activeCaller, activeTabId, tabCallers, type TabCallers } from './tab-callers';
import { loadChoices, saveChoices, storedTabs, watchedStorage, type TabsState } from './tabs';

const DEFAULT_QUERY = `# The sandbox's GraphQL API, through the console. Choose above who this tab calls AppSync as:
# a user of the pool, IAM (the console's own principal), the API key where the API has one, or no credentials.
# Each tab keeps its own caller. Subscriptions run over AppSync's real-time endpoint.
query Conversations {
  listConversations {
    items { id name participants lastMessageAt }
  }
}
`;

/** The first text of a tab opened as `username` (dated, so that GraphiQL opens a new tab rather than an equal one). */
const userTabQuery = (username: string) => `# Opened as ${username} at ${new Date().toLocaleTimeString()}: AppSync answers what this user may see.
query MyConversations {
  listConversations {
    items { id name participants lastMessagePreview }
  }
}
`;

/** The username in `#/explorer/user/<username>`, if the address names one. */
function userInHash(): string | undefined {
  const match = /^#\/explorer\/user\/(.+)$/.exec(window.location.hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}

/** How GraphiQL is started: again (a new key) for each "use as", with that user's first text. */
interface Opening {
  key: number;
  initialQuery: string | undefined;
}

export function ExplorerPage() {
  const [apiCallers, setApiCallers] = useState<ApiCallers>();
  const [users, setUsers] = useState<ConsoleUser[]>([]);
  const [error, setError] = useState<string>();
  const [statuses, setStatuses] = useState<Record<string, RunStatus>>({});
  const [opening, setOpening] = useState<Opening>(() => {
    const username = userInHash();
    return { key: 0, initialQuery: username === undefined ? undefined : userTabQuery(username) };
  });
  const [callers, dispatch] = useReducer(tabCallers, undefined, (): TabCallers => {
    const username = userInHash();
    return username === undefined
      ? { tabs: storedTabs(), choices: loadChoices(), unassigned: undefined }
      : { tabs: undefined, choices: loadChoices(), unassigned: { kind: 'user', username } };
  });
  const latest = useRef({ callers, apiCallers });
  latest.current = { callers, apiCallers };

  useEffect(() => saveChoices(callers.choices), [callers.choices]);

  // "Use as" from another page, or while the explorer is open: a new GraphiQL session with a new tab as that user.
  useEffect(() => {
    const onHash = () => {
      const username = userInHash();
      if (username === undefined) return;
      dispatch({ type: 'open', username });
      setOpening((previous) => ({ key: previous.key + 1, initialQuery: userTabQuery(username) }));
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // The user goes from the address once their tab is under way (a reload does not open another).
  useEffect(() => {
    if (userInHash() !== undefined) window.history.replaceState(null, '', '#/explorer');
  }, [opening]);

  const loadUsers = useCallback(() => {
    api<{ users: ConsoleUser[] }>('GET', '/api/users').then(
      (answer) => setUsers(answer.users),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(() => {
    api<ApiCallers>('GET', '/api/graphql').then(setApiCallers, (failure: unknown) => setError(describeError(failure)));
    loadUsers();
  }, [loadUsers]);

  // What GraphiQL reports of its tabs: every change through onTabChange, at once; the tabs it starts with only through
  // its storage (written a moment later), which is listened to until the first change and only for the current
  // session (not one replaced by a "use as").
  const session = useRef({ key: opening.key, changed: false });
  const storage = useMemo(() => {
    session.current = { key: opening.key, changed: false };
    const key = opening.key;
    return watchedStorage((tabs) => {
      if (session.current.key === key && !session.current.changed) dispatch({ type: 'tabs', tabs });
    });
  }, [opening.key]);
  const onTabChange = useCallback((tabs: TabsState) => {
    session.current.changed = true;
    dispatch({ type: 'tabs', tabs });
  }, []);

  const subscriptions = useMemo(() => new SubscriptionSocket(), []);
  useEffect(() => () => subscriptions.close(), [subscriptions]);
  const fetcher = useMemo(() => {
    return explorerFetcher({
      activeTab: () => ({ id: activeTabId(latest.current.callers.tabs) ?? '', caller: activeCaller(latest.current.callers, latest.current.apiCallers) }),
      // The schema is read as the console's principal where the API takes IAM (else the API key, else the tab's caller).
      schemaCaller: (): CallerChoice => {
        const available = latest.current.apiCallers;
        if (available?.iam) return { kind: 'iam' };
        if (available?.apiKey) return { kind: 'apiKey' };
        return activeCaller(latest.current.callers, available);
      },
      report: (tabId, status) => setStatuses((previous) => ({ ...previous, [tabId]: status })),
      subscriptions,
    });
  }, [subscriptions]);

  if (error) {
    return (
      <p role="alert" className="error explorer-loading">
        {error}
      </p>
    );
  }
  if (!apiCallers) return <p className="muted explorer-loading">Loading the API's callers…</p>;
  const activeId = activeTabId(callers.tabs);
  return (
    <GraphiQL
      key={opening.key}
      fetcher={fetcher}
      storage={storage}
      defaultQuery={DEFAULT_QUERY}
      {...(opening.initialQuery === undefined ? {} : { initialQuery: opening.initialQuery })}
      isHeadersEditorEnabled={false}
      onTabChange={onTabChange}
    >
      <GraphiQL.Logo>
        <CallerBar
          apiCallers={apiCallers}
          users={users}
          caller={activeCaller(callers, apiCallers)}
          setCaller={(next) => dispatch({ type: 'choose', caller: next })}
          status={statuses[activeId ?? '']}
          reloadUsers={loadUsers}
        />
      </GraphiQL.Logo>
    </GraphiQL>
  );
}
