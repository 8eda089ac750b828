/**
 * The offline sandbox: the synthesized backend (cdk.out) served on this machine, as an ordered list of services
 * (offline/sandbox/service.ts): the TLS certificate, DynamoDB on disk, the local AWS endpoints the functions call,
 * the S3 buckets (when the backend has them; also the functions' S3 endpoint then), the Lambda functions, the Cognito
 * user pool, its identity pool, the AppSync GraphQL + real-time server, the schedules, and the console
 * (unless `console: false`). They start
 * in that order, reload in that order (two phases: a refusal changes nothing) and close in reverse.
 */
import { realpathSync } from 'node:fs';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { appSyncService, type StartAppSyncServer } from '../appsync/index.js';
import { awsEndpointsService } from '../aws-endpoints/index.js';
import { cognitoService, type UserPool } from '../cognito/index.js';
import { cognitoIdentityService } from '../cognito-identity/index.js';
import { consoleService, type ConsoleApi } from '../console/index.js';
import { dynamoDbService } from '../dynamodb/index.js';
import { lambdaService, type FunctionChanges, type LambdaRunner } from '../lambda/index.js';
import { loadCdkOut } from '../loader/index.js';
import type { BackendDescription } from '../loader/index.js';
import { storageService, type StorageApi } from '../s3/index.js';
import { schedulerService, type Scheduler } from '../scheduler/index.js';
import { tlsService } from '../tls/index.js';
import { prepareDataDirectory } from './data-directory.js';
import { createEventFeed } from './events.js';
import { releaseMemoryWhenIdle } from './idle-memory.js';
import { createLogFeed, type LineLogger } from './log.js';
import { DEFAULT_PORTS } from './ports.js';
import { startServices } from './service.js';

export type { StartAppSyncServer };

export { DEFAULT_PORTS };

export interface SandboxOptions {
  cdkOut: string;
  dataDirectory: string;
  /** Empty the data directory first (all users, items and signing keys are made anew; the local CA is kept). */
  reset?: boolean;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  /** Fixed ports keep token issuers and URLs stable across restarts; 0 picks free ones. */
  ports?: { appsync?: number; cognito?: number; console?: number; s3?: number };
  /** Serve the console (offline/console; default true): on its own loopback port, behind a per-run secret. */
  console?: boolean;
  /**
   * The console's address: only when given is it anything but loopback (default: `host` when that is a loopback
   * address, else 127.0.0.1), since the console exposes everything the sandbox holds to whoever has its secret.
   */
  consoleHost?: string;
  /** Every line with its level (offline/sandbox/log.ts); default: console.log of every line. */
  logger?: LineLogger;
  /** Where DynamoDB keeps its data: `disk` (default, `<data>/dynamodb`) or `memory` (lost on close; the benchmarks use it). */
  storage?: 'disk' | 'memory';
  /** The AppSync server to start (default: `startAppSyncServer` from offline/appsync; tests pass a fake). */
  startAppSyncServer?: StartAppSyncServer;
}

export interface Sandbox {
  description: BackendDescription;
  urls: {
    graphql: string;
    realtime: string;
    cognito: string;
    /** The identity pool's endpoint (the Cognito endpoint), when the backend has an identity pool. */
    identityPool?: string;
    /** The S3 storage endpoint (https), when the backend declares a bucket. */
    storage?: string;
  };
  /** The identity pool served, when the backend has one. */
  identityPoolId: string | undefined;
  /** `<data>/ca.pem`: trust it (NODE_EXTRA_CA_CERTS for Node, the browser's store for the web app). */
  caPath: string;
  caFingerprint256: string;
  /** The console's URL (with this run's secret) and origin, when it is served. */
  console: ConsoleApi | undefined;
  userPool: UserPool;
  dynamodb: DynamoDBClient;
  lambdas: LambdaRunner;
  /** The buckets served and their objects (none when the backend declares no bucket). */
  storage: StorageApi;
  /** The schedules of the backend being served (replaced by a reload that changes them). */
  readonly scheduler: Scheduler;
  /**
   * Serves a new synthesis (`cdkOut`, default the one started with) without a restart and without losing data:
   * tables created or re-indexed, changed functions cold-start with their new bundle, schema/resolvers/auth rules
   * swapped, live subscriptions prepared again, schedules re-armed. Throws — and keeps serving the previous backend —
   * when the new one cannot be loaded or its tables' keys changed. User-pool changes need a restart (reported).
   */
  reload(cdkOut?: string): Promise<ReloadReport>;
  /** Stops everything in reverse start order; idempotent. */
  close(): Promise<void>;
}

export interface ReloadReport {
  description: BackendDescription;
  tables: string;
  functions: FunctionChanges;
  subscriptions: { kept: number; ended: number };
  schedulesChanged: boolean;
  /** True when the user pool's configuration changed: applied at the next start only. */
  userPoolNeedsRestart: boolean;
  /** True when an identity pool appeared, disappeared or changed id: applied at the next start only. */
  identityPoolNeedsRestart: boolean;
  /** True when the backend got its first bucket: served from the next start. */
  storageNeedsRestart: boolean;
}

/** The services of a sandbox, in start order (each one's dependencies come before it). */
export function sandboxServices(options: Pick<SandboxOptions, 'ports' | 'storage' | 'startAppSyncServer' | 'consoleHost'> = {}) {
  return [
    ...coreServices(options),
    consoleService({ port: options.ports?.console ?? DEFAULT_PORTS.console, ...(options.consoleHost ? { host: options.consoleHost } : {}) }),
  ] as const;
}

/** The services that serve the backend itself (every sandbox service but the console). */
function coreServices(options: Pick<SandboxOptions, 'ports' | 'storage' | 'startAppSyncServer'>) {
  return [
    tlsService,
    dynamoDbService({ storage: options.storage }),
    awsEndpointsService,
    // Before the functions: with buckets, it is their S3 endpoint.
    storageService({ port: options.ports?.s3 ?? DEFAULT_PORTS.s3 }),
    lambdaService,
    cognitoService({ port: options.ports?.cognito ?? DEFAULT_PORTS.cognito }),
    cognitoIdentityService,
    appSyncService({ port: options.ports?.appsync ?? DEFAULT_PORTS.appsync, startServer: options.startAppSyncServer }),
    schedulerService,
  ] as const;
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const { log, feed } = createLogFeed(options.logger ?? ((line: string) => console.log(line)));
  const step = async <T>(label: string, run: () => Promise<T> | T, summary: (value: T) => string): Promise<T> => {
    const value = await run();
    log(`[sandbox] ${label}… ok (${summary(value)})`);
    return value;
  };

  let description = await step('loading cdk.out', () => loadCdkOut(options.cdkOut), (d) => {
    const apps = d.lambdas.filter((l) => l.appFunction).length;
    return `${d.tables.length} tables, ${apps} functions`;
  });
  for (const item of description.unsupported) log(`[sandbox] not emulated: ${item.type} ${item.logicalId}: ${item.reason}`);

  const data = await step(options.reset ? 'resetting the data directory' : 'opening the data directory', () =>
    prepareDataDirectory(options.dataDirectory, options.reset ?? false),
    (d) => d.root,
  );
  const events = createEventFeed();
  const context = { description, data, host: options.host ?? '127.0.0.1', log, logs: feed, events };
  const services = await (options.console === false ? startServices(coreServices(options), context) : startServices(sandboxServices(options), context));
  const { tls, dynamodb, lambda, cognito, cognitoIdentity, storage, appsync, scheduler } = services.apis;
  const consoleApi = 'console' in services.apis ? (services.apis.console as ConsoleApi) : undefined;
  // What a burst of work left resident (V8's pooled pages, glibc's free pages, the pages of DynamoDB's table files it
  // read) goes back to the system once the sandbox is idle.
  const idleMemory = releaseMemoryWhenIdle({
    mappedFilesUnder: options.storage === 'memory' ? [] : [realDirectory(data.dynamodb)],
    onRelease: (before, after) => log(`[sandbox] idle: gave ${mebibytes(before - after)} MiB back to the system (RSS ${mebibytes(before)} → ${mebibytes(after)} MiB)`, 'debug'),
  });

  return {
    get description() {
      return description;
    },
    urls: { graphql: appsync.url, realtime: appsync.realtimeUrl, cognito: cognito.url, ...(cognitoIdentity.url ? { identityPool: cognitoIdentity.url } : {}), ...(storage.url ? { storage: storage.url } : {}) },
    identityPoolId: cognitoIdentity.identityPoolId,
    caPath: tls.caPath,
    caFingerprint256: tls.caFingerprint256,
    console: consoleApi,
    userPool: cognito.pool,
    dynamodb: dynamodb.client,
    lambdas: lambda,
    storage,
    get scheduler() {
      return scheduler.current;
    },
    reload: async (cdkOut = options.cdkOut) => {
      const started = Date.now();
      try {
        const next = loadCdkOut(cdkOut);
        const reports = await services.reload(next);
        description = next;
        const report: ReloadReport = {
          description: next,
          tables: reports.dynamodb,
          functions: reports.lambda,
          subscriptions: reports.appsync,
          schedulesChanged: reports.scheduler.changed,
          userPoolNeedsRestart: reports.cognito.needsRestart,
          identityPoolNeedsRestart: reports.cognitoIdentity.needsRestart,
          storageNeedsRestart: reports.storage.needsRestart,
        };
        events.emit({ kind: 'reload', outcome: 'ok', changes: reloadChanges(report), durationMs: Date.now() - started });
        return report;
      } catch (error) {
        events.emit({ kind: 'reload', outcome: 'failed', changes: [], error: error instanceof Error ? error.message : String(error), durationMs: Date.now() - started });
        throw error;
      }
    },
    close: () => {
      idleMemory.stop();
      return services.close();
    },
  };
}

const mebibytes = (bytes: number): number => Math.round(bytes / 1048576);

/** What a reload changed, one phrase each (for the console's Live page). */
function reloadChanges(report: ReloadReport): string[] {
  const changes: string[] = [];
  if (report.tables) changes.push(`tables: ${report.tables}`);
  const { added, changed, removed } = report.functions;
  for (const [what, names] of [['added', added], ['changed', changed], ['removed', removed]] as const) {
    if (names.length > 0) changes.push(`functions ${what}: ${names.join(', ')}`);
  }
  const { kept, ended } = report.subscriptions;
  if (kept + ended > 0) changes.push(`subscriptions: ${kept} kept, ${ended} ended`);
  if (report.schedulesChanged) changes.push('schedules re-armed');
  if (report.userPoolNeedsRestart) changes.push('user pool changed: restart to apply');
  if (report.identityPoolNeedsRestart) changes.push('identity pool changed: restart to apply');
  if (report.storageNeedsRestart) changes.push('storage added: restart to serve it');
  return changes;
}

/** `directory` as /proc/self/maps names the files under it (symbolic links resolved), or as given if it cannot be resolved. */
function realDirectory(directory: string): string {
  try {
    return realpathSync(directory);
  } catch {
    return directory;
  }
}
