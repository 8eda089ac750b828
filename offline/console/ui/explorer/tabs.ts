/**
 * What the explorer keeps in the browser: GraphiQL's tabs as it follows them through GraphiQL's own props
 * (`onTabChange`: a tab added, chosen, closed, moved or edited; and the tab state GraphiQL keeps in its storage, which
 * the explorer hands it as `storage` over the browser's localStorage and so sees as it is written: on start, a moment
 * after GraphiQL has made its tabs), and the caller chosen for each tab, by the tab's id, so that it survives a reload
 * as the tabs do.
 */
import type { ComponentProps } from 'react';
import type { GraphiQL } from 'graphiql';
import { isChoice, type CallerChoice } from './callers';

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

const STORAGE_KEY = 'amplify-gen2-offline:explorer-callers';

/** The stored choices by tab id (an unreadable store is an empty one). */
export function loadChoices(): Map<string, CallerChoice> {
  try {
    const stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, unknown>;
    return new Map(Object.entries(stored).filter((entry): entry is [string, CallerChoice] => isChoice(entry[1])));
  } catch {
    return new Map();
  }
}

export function saveChoices(choices: ReadonlyMap<string, CallerChoice>): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(Object.fromEntries(choices)));
  } catch {
    // Storage full or refused: the choices last as long as the page.
  }
}
