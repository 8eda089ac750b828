/**
 * The caller of each GraphiQL tab: the tabs as GraphiQL last reported them, the caller chosen for each (by tab id), and
 * a caller waiting for the active tab to be known (GraphiQL reports a tab it opens a moment later, e.g. the one a
 * "use as" opens). Pure: the explorer page keeps it in a reducer.
 */
import { defaultChoice, type ApiCallers, type CallerChoice } from './callers';

/** What the explorer needs of GraphiQL's tab state. */
export interface TabIds {
  tabs: readonly { id: string }[];
  activeTabIndex: number;
}

export interface TabCallers {
  tabs: TabIds | undefined;
  choices: ReadonlyMap<string, CallerChoice>;
  unassigned: CallerChoice | undefined;
}

export type TabCallersAction =
  /** GraphiQL's tabs changed (or were first reported). */
  | { type: 'tabs'; tabs: TabIds }
  /** A caller chosen for the active tab. */
  | { type: 'choose'; caller: CallerChoice }
  /** A new GraphiQL session whose first tab is `username`'s. */
  | { type: 'open'; username: string };

export function activeTabId(state: TabIds | undefined): string | undefined {
  return state?.tabs[state.activeTabIndex]?.id;
}

/** The active tab's caller: chosen, waiting, or the API's default for a new tab. */
export function activeCaller(state: TabCallers, api: ApiCallers | undefined): CallerChoice {
  const id = activeTabId(state.tabs);
  return (id === undefined ? state.unassigned : state.choices.get(id)) ?? defaultChoice(api);
}

export function tabCallers(state: TabCallers, action: TabCallersAction): TabCallers {
  switch (action.type) {
    case 'tabs': {
      const id = activeTabId(action.tabs);
      const ids = new Set(action.tabs.tabs.map((tab) => tab.id));
      // The waiting caller goes to the active tab; the callers of closed tabs are forgotten.
      const choices = new Map([...state.choices].filter(([tabId]) => ids.has(tabId)));
      if (id !== undefined && state.unassigned) choices.set(id, state.unassigned);
      const unchanged = choices.size === state.choices.size && [...choices].every(([tabId, caller]) => state.choices.get(tabId) === caller);
      return { tabs: action.tabs, choices: unchanged ? state.choices : choices, unassigned: id === undefined ? state.unassigned : undefined };
    }
    case 'choose': {
      const id = activeTabId(state.tabs);
      return id === undefined ? { ...state, unassigned: action.caller } : { ...state, choices: new Map(state.choices).set(id, action.caller) };
    }
    case 'open':
      return { ...state, tabs: undefined, unassigned: { kind: 'user', username: action.username } };
  }
}
