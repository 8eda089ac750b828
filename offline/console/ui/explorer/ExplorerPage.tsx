import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';

const fetcher = async (params: unknown) => {
  const response = await fetch('/api/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  return ((await response.json()) as { body: unknown }).body as never;
};

export function ExplorerPage() {
  return <GraphiQL fetcher={fetcher} />;
}
