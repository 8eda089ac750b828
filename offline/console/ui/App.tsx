/**
 * The console's shell: one page per part of the sandbox, chosen by the URL's hash (#/data, #/auth, #/storage,
 * #/explorer, #/live, #/state), so that a page can be linked to and survives a reload. The explorer (GraphiQL and its editor) is
 * loaded only when opened.
 */
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { DataPage } from './data/DataPage';
import { UsersPage } from './auth/UsersPage';
import { LivePage } from './live/LivePage';
import { StatePage } from './state/StatePage';
import { StoragePage } from './storage/StoragePage';

const ExplorerPage = lazy(() => import('./explorer/ExplorerPage').then((module) => ({ default: module.ExplorerPage })));

interface Page {
  id: string;
  label: string;
  render: () => ReactNode;
}

const PAGES: Page[] = [
  { id: 'data', label: 'Data', render: () => <DataPage /> },
  { id: 'auth', label: 'Auth', render: () => <UsersPage /> },
  { id: 'storage', label: 'Storage', render: () => <StoragePage /> },
  { id: 'explorer', label: 'GraphQL', render: () => <ExplorerPage /> },
  { id: 'live', label: 'Live', render: () => <LivePage /> },
  { id: 'state', label: 'State', render: () => <StatePage /> },
];

function pageFromHash(): string {
  const id = window.location.hash.replace(/^#\/?/, '').split('/')[0] ?? '';
  return PAGES.some((page) => page.id === id) ? id : 'data';
}

export function App() {
  const [current, setCurrent] = useState(pageFromHash);
  useEffect(() => {
    const onHash = () => setCurrent(pageFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const page = PAGES.find((p) => p.id === current) ?? PAGES[0]!;
  return (
    <div className="shell">
      <header className="shell-header">
        <span className="brand">Sandbox console</span>
        <nav aria-label="Console pages">
          {PAGES.map((p) => (
            <a key={p.id} href={`#/${p.id}`} aria-current={p.id === current ? 'page' : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
      </header>
      <main className={`page page-${page.id}`}>
        <Suspense fallback={<p className="muted">Loading…</p>}>{page.render()}</Suspense>
      </main>
    </div>
  );
}
