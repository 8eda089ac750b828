/**
 * GraphiQL's tabs as the explorer follows them through GraphiQL's own props: `onTabChange` (a tab added, chosen,
 * closed, moved or edited) and the tab state GraphiQL keeps in its storage, which the explorer hands it (`storage`) over
 * the browser's localStorage and so sees as it is written (on start, a moment after GraphiQL has made its tabs).
 */
import type { ComponentProps } from 'react';
import type { GraphiQL } from 'graphiql';

export type TabsState = Parameters<NonNullable<ComponentProps<typeof GraphiQL>['onTabChange']>>[0];
type GraphiQLStorage = NonNullable<ComponentProps<typeof GraphiQL>['storage']>;

/** Where GraphiQL keeps its tabs (its namespace and key). */
const TABS_KEY = 'graphiql:tabState';

function parseTabs(value: string | null): TabsState | undefined {
  if (value === null) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<TabsState>;
    return Array.isArray(parsed.tabs) && typeof parsed.activeTabIndex === 'number' ? (parsed as TabsState) : undefined;
  } catch {
    return undefined;
  }
}

/** The tabs GraphiQL will open with when it starts without an initial query (its stored ones). */
export function storedTabs(): TabsState | undefined {
  try {
    return parseTabs(window.localStorage.getItem(TABS_KEY));
  } catch {
    return undefined;
  }
}

/** The active tab's id. */
export function activeTabId(state: TabsState | undefined): string | undefined {
  return state?.tabs[state.activeTabIndex]?.id;
}

/** The browser's localStorage for GraphiQL, telling `onTabs` each time GraphiQL stores its tabs. */
export function watchedStorage(onTabs: (state: TabsState) => void): GraphiQLStorage {
  const local = window.localStorage;
  return {
    getItem: (key) => local.getItem(key),
    setItem: (key, value) => {
      local.setItem(key, value);
      if (key !== TABS_KEY) return;
      const state = parseTabs(value);
      if (state) onTabs(state);
    },
    removeItem: (key) => local.removeItem(key),
    clear: () => local.clear(),
    get length() {
      return local.length;
    },
  };
}
