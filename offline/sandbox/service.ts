/**
 * The contract every emulated service fulfils, and the runner that starts an ordered list of them.
 *
 * A service is a folder under `offline/` whose `index.ts` exports a `ServiceDefinition`: a name, the names of the
 * services it needs (started before it), and `start`, which receives their APIs and the shared context and returns a
 * `RunningService`: its API for the services after it, the URLs it serves, a two-phase reload and `close`.
 *
 * Order follows from the list: services start in list order (a service naming one that is not started before it is
 * refused at start), reload in list order, and close in reverse. A reload has two phases so that a refusal changes
 * nothing: every service first prepares the new backend description (building what it needs, throwing to refuse),
 * and only when all have prepared does each switch over, in order. Late binding (a service needing something of a
 * service that starts after it, like the SSM endpoint serving the AppSync URL that the functions read at cold start)
 * goes through `ServiceContext.later`, which answers once that service runs.
 */
import type { BackendDescription } from '../loader/index.js';
import type { DataDirectory } from './data-directory.js';
import { createEventFeed, type SandboxEvents } from './events.js';
import type { LineLogger, LogFeed } from './log.js';

export interface ServiceContext {
  /** The backend being started. Services keep their own current description across reloads. */
  readonly description: BackendDescription;
  /** The sandbox's data directory and the folders services keep their state in. */
  readonly data: DataDirectory;
  /** The loopback address client-facing servers bind. */
  readonly host: string;
  readonly log: LineLogger;
  /** Every line logged through `log`, by any service, for those that show them (the console's live stream). */
  readonly logs: LogFeed;
  /** What the services do as structured events (requests, subscriptions, Lambdas, schedules, reloads), ./events.ts. */
  readonly events: SandboxEvents;
  /** The API of a service later in the list, once it has started (undefined before). */
  later<Api>(name: string): () => Api | undefined;
}

/** Phase two of a reload: switches over to the prepared description. It cannot refuse. */
export type CommitReload<Report> = () => Report | Promise<Report>;

export interface RunningService<Api, Report = undefined> {
  /** What the services after this one receive (by this service's name). */
  readonly api: Api;
  /** The URLs this service serves (empty when it serves none). */
  readonly urls: Readonly<Record<string, string>>;
  /** One line for the start-up log: `[sandbox] <label>… ok (<summary>)`. */
  readonly summary: string;
  /**
   * Phase one of a reload: checks that `next` can be served and prepares it, without changing what clients see;
   * throws to refuse (the sandbox then keeps serving the previous backend).
   */
  prepareReload(next: BackendDescription): Promise<CommitReload<Report>>;
  /** Stops the service; called once, in reverse start order. */
  close(): Promise<void> | void;
}

export interface ServiceDefinition<Name extends string = string, Api = unknown, Deps extends object = object, Report = unknown> {
  readonly name: Name;
  /** How log lines name it. */
  readonly label: string;
  /** The services whose APIs `start` receives; each must come earlier in the list. */
  readonly dependsOn: readonly (keyof Deps & string)[];
  start(deps: Deps, context: ServiceContext): Promise<RunningService<Api, Report>>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- matching any definition, whatever its dependencies */
type AnyService = ServiceDefinition<string, any, any, any>;
export type ApiOf<S> = S extends ServiceDefinition<string, infer Api, any, any> ? Api : never;
export type ReportOf<S> = S extends ServiceDefinition<string, any, any, infer Report> ? Awaited<Report> : never;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The APIs of a list of services, by name. */
export type ApisOf<List extends readonly AnyService[]> = { [S in List[number] as S['name']]: ApiOf<S> };
/** What a reload reports, by service name. */
export type ReloadReportsOf<List extends readonly AnyService[]> = { [S in List[number] as S['name']]: ReportOf<S> };

export interface RunningServices<List extends readonly AnyService[]> {
  readonly apis: ApisOf<List>;
  /** Every service's URLs, by service name. */
  readonly urls: { readonly [S in List[number] as S['name']]: Readonly<Record<string, string>> };
  /** Both phases over every service, in list order; throws (having switched nothing) when one refuses. */
  reload(next: BackendDescription): Promise<ReloadReportsOf<List>>;
  /** Closes every service in reverse start order; a failure is logged and the others still close. Idempotent. */
  close(): Promise<void>;
}

/** Starts `services` in order; when one fails, those already started are closed and the error is thrown. */
export async function startServices<const List extends readonly AnyService[]>(
  services: List,
  context: Omit<ServiceContext, 'later' | 'events'> & { events?: SandboxEvents },
): Promise<RunningServices<List>> {
  const apis: Record<string, unknown> = {};
  const urls: Record<string, Readonly<Record<string, string>>> = {};
  const running: { definition: AnyService; service: RunningService<unknown, unknown> }[] = [];
  const names = services.map((s) => s.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`Two services are named ${duplicate}`);
  const fullContext: ServiceContext = {
    ...context,
    events: context.events ?? createEventFeed(),
    later: <Api>(name: string) => {
      if (!names.includes(name)) throw new Error(`No service named ${name} in this sandbox`);
      return () => apis[name] as Api | undefined;
    },
  };

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const { definition, service } of [...running].reverse()) {
        try {
          await service.close();
        } catch (error) {
          context.log(`[sandbox] closing ${definition.label} failed: ${String(error)}`, 'warn');
        }
      }
    })());

  try {
    for (const definition of services) {
      const missing = definition.dependsOn.filter((name) => !(name in apis));
      if (missing.length > 0) {
        throw new Error(`The ${definition.name} service needs ${missing.join(', ')} started before it: reorder the services`);
      }
      const deps = Object.fromEntries(definition.dependsOn.map((name) => [name, apis[name]]));
      const service = (await definition.start(deps, fullContext)) as RunningService<unknown, unknown>;
      running.push({ definition, service });
      apis[definition.name] = service.api;
      urls[definition.name] = service.urls;
      context.log(`[sandbox] ${definition.label}… ok${service.summary ? ` (${service.summary})` : ''}`);
    }
  } catch (error) {
    await close();
    throw error;
  }

  let reloading: Promise<unknown> = Promise.resolve();
  const reloadAll = async (next: BackendDescription) => {
    const commits: [string, CommitReload<unknown>][] = [];
    for (const { definition, service } of running) commits.push([definition.name, await service.prepareReload(next)]);
    const reports: Record<string, unknown> = {};
    for (const [name, commit] of commits) reports[name] = await commit();
    return reports as ReloadReportsOf<List>;
  };

  return {
    apis: apis as ApisOf<List>,
    urls: urls as RunningServices<List>['urls'],
    reload: (next) => {
      // One reload at a time, in order.
      const result = reloading.then(() => reloadAll(next));
      reloading = result.catch(() => undefined);
      return result;
    },
    close,
  };
}

/** Phase two of a reload for a service that has nothing to switch. */
export const nothingToReload = async (): Promise<CommitReload<undefined>> => () => undefined;
