/** What the live stream sends (the sandbox's own types: offline/sandbox/events.ts and log.ts). */
export type {
  CallerSummary,
  DeliveryEvent,
  EventError,
  LambdaEvent,
  LambdaInvoker,
  ReloadEvent,
  RequestEvent,
  RequestTrace,
  SandboxEvent,
  ScheduleEvent,
  SubscriptionStartedEvent,
  SubscriptionStoppedEvent,
  TraceResolver,
  TraceStep,
} from '../../../sandbox/events';
export type { LogEntry, LogLevel } from '../../../sandbox/log';

import type { SandboxEvent } from '../../../sandbox/events';
import type { LogEntry } from '../../../sandbox/log';

/** One row of the Live page: a log line or an event. */
export type LiveItem = { key: string; time: string; type: 'log'; entry: LogEntry } | { key: string; time: string; type: 'event'; event: SandboxEvent };

/** The live stream's messages. */
export type LiveMessage =
  | { type: 'recent'; entries: LogEntry[]; events?: SandboxEvent[] }
  | { type: 'log'; entry: LogEntry }
  | { type: 'event'; event: SandboxEvent };

/** The filters of the list, by what a row is about. */
export type ItemGroup = 'requests' | 'subscriptions' | 'lambda' | 'schedules' | 'reloads' | 'log';

export const GROUPS: { id: ItemGroup; label: string }[] = [
  { id: 'requests', label: 'Requests' },
  { id: 'subscriptions', label: 'Subscriptions' },
  { id: 'lambda', label: 'Lambda' },
  { id: 'schedules', label: 'Schedules' },
  { id: 'reloads', label: 'Reloads' },
  { id: 'log', label: 'Log' },
];

export interface Schedule {
  functionName: string;
  expression: string;
  nextRun?: string;
}

export type RunOutcome = { status: 'ok'; result: unknown } | { status: 'failed'; error: string } | { status: 'skipped'; reason: string };
