/** Which filter group and level a row has, and the text the search looks in. */
import type { ItemGroup, LiveItem, SandboxEvent } from './types';

/** Levels, least to most severe (`code`: a code the pool sent, shown with the info lines). */
export const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type Level = (typeof LEVELS)[number];

export function groupOf(item: LiveItem): ItemGroup {
  if (item.type === 'log') return 'log';
  switch (item.event.kind) {
    case 'request':
      return 'requests';
    case 'subscription-started':
    case 'subscription-stopped':
    case 'delivery':
      return 'subscriptions';
    case 'lambda':
      return 'lambda';
    case 'schedule':
      return 'schedules';
    case 'reload':
      return 'reloads';
  }
}

function eventLevel(event: SandboxEvent): Level {
  switch (event.kind) {
    case 'request':
      return event.status >= 400 || event.errors.length > 0 ? 'error' : 'info';
    case 'lambda':
      return event.error ? 'error' : 'info';
    case 'schedule':
      return event.outcome === 'failed' ? 'error' : event.outcome === 'skipped' ? 'warn' : 'info';
    case 'reload':
      return event.outcome === 'failed' ? 'error' : 'info';
    default:
      return 'info';
  }
}

export function levelOf(item: LiveItem): Level {
  if (item.type === 'event') return eventLevel(item.event);
  return item.entry.level === 'code' ? 'info' : item.entry.level;
}

/** The words a search matches in a row (built once per row). */
export function searchTextOf(item: LiveItem): string {
  if (item.type === 'log') return item.entry.line.toLowerCase();
  const event = item.event;
  const parts: (string | undefined)[] = [event.kind];
  switch (event.kind) {
    case 'request':
      parts.push(event.requestId, event.operationType, event.operationName, ...event.rootFields, event.caller?.who, event.caller?.username, event.caller?.sub, event.caller?.authType, String(event.status), ...event.errors.map((e) => `${e.type ?? ''} ${e.message}`));
      break;
    case 'subscription-started':
      parts.push(event.field, event.caller?.who, event.caller?.sub, event.connectionId, event.subscriptionId);
      break;
    case 'subscription-stopped':
      parts.push(event.reason, event.connectionId, ...event.subscriptions.flatMap((s) => [s.field, s.subscriptionId]));
      break;
    case 'delivery':
      parts.push(event.mutationField, event.requestId, ...event.subscriptionFields);
      break;
    case 'lambda':
      parts.push(event.functionName, event.invoker.kind, event.error?.message, ...event.output);
      break;
    case 'schedule':
      parts.push(event.functionName, event.expression, event.outcome, event.detail);
      break;
    case 'reload':
      parts.push(event.outcome, event.error, ...event.changes);
      break;
  }
  return parts.filter(Boolean).join(' ').toLowerCase();
}
