/**
 * The Live page: what the sandbox does as it happens — requests (operation, caller, duration, errors, resolver trace
 * on demand), subscriptions and deliveries, Lambda invocations with their console output, schedule runs, reloads and
 * the log — newest first, filtered by kind, level and text; and the schedules with "Run now".
 */
import { useDeferredValue, useMemo, useState } from 'react';
import { groupOf, levelOf, LEVELS, searchTextOf, type Level } from './classify';
import { LiveRow } from './LiveRow';
import { UserNames, useUserNames } from './user-names';
import { SchedulesPanel } from './SchedulesPanel';
import { GROUPS, type ItemGroup, type LiveItem } from './types';
import { MAX_ITEMS, useLiveStream } from './useLiveStream';
import './live.css';

/** Rows drawn at once (the rest are kept, and shown by narrowing the filters). */
const SHOWN = 500;

const LEVEL_LABELS: Record<Level, string> = { debug: 'All levels', info: 'Info and above', warn: 'Warnings and errors', error: 'Errors only' };

// Each row's search text, computed once per row.
const searchTexts = new WeakMap<LiveItem, string>();
const searchText = (item: LiveItem) => {
  let text = searchTexts.get(item);
  if (text === undefined) searchTexts.set(item, (text = searchTextOf(item)));
  return text;
};

export function LivePage() {
  const stream = useLiveStream();
  const userNames = useUserNames(stream.items);
  const [groups, setGroups] = useState<ReadonlySet<ItemGroup>>(() => new Set(GROUPS.map((g) => g.id)));
  const [minLevel, setMinLevel] = useState<Level>('debug');
  const [search, setSearch] = useState('');
  const query = useDeferredValue(search.trim().toLowerCase());

  const visible = useMemo(() => {
    const least = LEVELS.indexOf(minLevel);
    return stream.items.filter((item) => groups.has(groupOf(item)) && LEVELS.indexOf(levelOf(item)) >= least && (query === '' || searchText(item).includes(query)));
  }, [stream.items, groups, minLevel, query]);

  const toggle = (group: ItemGroup) =>
    setGroups((current) => {
      const next = new Set(current);
      if (next.has(group)) next.delete(group);
      else next.add(group);
      return next;
    });

  return (
    <div className="live-page">
      <SchedulesPanel />
      <section className="live-stream" aria-labelledby="live-heading">
        <div className="row">
          <h2 id="live-heading">Activity</h2>
          <span className={`stream-state stream-${stream.state}`} role="status">
            {stream.state === 'open' ? (stream.paused ? `Paused (${stream.waiting} new)` : 'Live') : stream.state === 'connecting' ? 'Connecting…' : 'Disconnected'}
          </span>
          {stream.state === 'closed' && (
            <button type="button" onClick={stream.reconnect}>
              Reconnect
            </button>
          )}
        </div>
        <div className="live-toolbar" role="toolbar" aria-label="Filters">
          <fieldset>
            <legend>Show</legend>
            {GROUPS.map((group) => (
              <label key={group.id}>
                <input type="checkbox" checked={groups.has(group.id)} onChange={() => toggle(group.id)} /> {group.label}
              </label>
            ))}
          </fieldset>
          <label>
            Level{' '}
            <select value={minLevel} onChange={(e) => setMinLevel(e.target.value as Level)}>
              {LEVELS.map((level) => (
                <option key={level} value={level}>
                  {LEVEL_LABELS[level]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Search <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="operation, user, function, text…" />
          </label>
          <button type="button" onClick={() => stream.setPaused(!stream.paused)}>
            {stream.paused ? 'Resume' : 'Pause'}
          </button>
          <button type="button" onClick={stream.clear}>
            Clear
          </button>
        </div>
        <p className="muted live-count">
          {visible.length === stream.items.length ? `${visible.length} rows` : `${visible.length} of ${stream.items.length} rows`}
          {visible.length > SHOWN && `, the latest ${SHOWN} shown`} (the latest {MAX_ITEMS} are kept)
        </p>
        {stream.items.length === 0 && <p className="muted">Nothing yet: use the app, the GraphQL explorer or "Run now" and it appears here.</p>}
        <UserNames.Provider value={userNames}>
          <ol className="live-list" aria-label="Live activity">
            {visible.slice(0, SHOWN).map((item) => (
              <LiveRow key={item.key} item={item} />
            ))}
          </ol>
        </UserNames.Provider>
      </section>
    </div>
  );
}
