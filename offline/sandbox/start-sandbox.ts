/**
 * The offline sandbox: the synthesized backend (cdk.out) served on this machine — DynamoDB on disk, the Cognito user
 * pool, the Lambda functions (with local SSM/S3 endpoints), the AppSync GraphQL + real-time server, and the schedules.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startAppSyncServer, type AppSyncServer, type AppSyncServerOptions } from '../appsync/server';
import { credentialsByAccessKey, lambdaEnvironment, startAwsEndpoints, type AwsEndpoints } from '../aws-endpoints/index';
import { createUserPool, startCognitoServer, TriggerInvocationError, type RunningCognitoServer, type UserPool } from '../cognito/index';
import { ensureTables, rebuildTable, startDynamoDb, type LocalDynamoDb } from '../dynamodb/index';
import { LambdaInvocationError, LambdaRunner, type FunctionChanges } from '../lambda/runner';
import { listenWithFallback } from './listen-fallback';
import type { LineLogger } from './log';
import { DEFAULT_PORTS } from './ports';
import { loadCdkOut } from '../loader/load-cdk-out';
import type { BackendDescription } from '../loader/types';
import { prepareDataDirectory } from './data-directory';
import { Scheduler } from '../scheduler/scheduler';
import { loadOrCreateCertificate } from '../tls/certificate';

export type StartAppSyncServer = (options: AppSyncServerOptions) => Promise<AppSyncServer>;

export { DEFAULT_PORTS };

export interface SandboxOptions {
  cdkOut: string;
  dataDirectory: string;
  /** Empty the data directory first (all users, items and signing keys are made anew; the local CA is kept). */
  reset?: boolean;
  /** Loopback address to bind (default 127.0.0.1). */
  host?: string;
  /** Fixed ports keep token issuers and URLs stable across restarts; 0 picks free ones. */
  ports?: { appsync?: number; cognito?: number };
  /** Every line with its level (offline/sandbox/log.ts); default: console.log of every line. */
  logger?: LineLogger;
  /** Where DynamoDB keeps its data: `disk` (default, `<data>/dynamodb`) or `memory` (lost on close; the benchmarks use it). */
  storage?: 'disk' | 'memory';
  /** The AppSync server to start (default: `startAppSyncServer` from `./appsync/server`; tests pass a fake). */
  startAppSyncServer?: StartAppSyncServer;
}

export interface Sandbox {
  description: BackendDescription;
  urls: { graphql: string; realtime: string; cognito: string };
  /** `<data>/ca.pem`: trust it (NODE_EXTRA_CA_CERTS for Node, the browser's store for the web app). */
  caPath: string;
  caFingerprint256: string;
  userPool: UserPool;
  dynamodb: DynamoDBClient;
  lambdas: LambdaRunner;
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
}

const LAMBDA_FAILURES_THAT_ARE_NOT_THE_HANDLER = new Set(['Sandbox.Timedout', 'Runtime.ExitError', 'Runtime.ImportModuleError']);

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const log: LineLogger = options.logger ?? ((line: string) => console.log(line));
  const host = options.host ?? '127.0.0.1';
  const cleanups: { name: string; close: () => Promise<void> | void }[] = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      for (const { name, close: stop } of cleanups.reverse()) {
        try {
          await stop();
        } catch (error) {
          log(`[sandbox] closing ${name} failed: ${String(error)}`, 'warn');
        }
      }
    })());

  try {
    const step = async <T>(label: string, run: () => Promise<T> | T, summary?: (value: T) => string): Promise<T> => {
      const value = await run();
      log(`[sandbox] ${label}… ok${summary ? ` (${summary(value)})` : ''}`);
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
    const tls = await step('TLS certificate', () => loadOrCreateCertificate(data.root), (c) => `${c.outcome}, CA ${c.caPath}`);

    const dynamo: LocalDynamoDb = await step('starting DynamoDB', () => startDynamoDb({ dataDirectory: options.storage === 'memory' ? undefined : data.dynamodb }), (d) => d.endpoint);
    cleanups.push({ name: 'DynamoDB', close: () => dynamo.close() });
    await step('tables', () => prepareTables(dynamo.client, description, log), (s) => s);

    // Lambdas: each gets its own credentials and the local SSM/S3 endpoint; the GraphQL URL is filled in once
    // the AppSync server listens (functions read it at cold start, which only happens after that).
    let appsync: AppSyncServer | undefined = undefined;
    const iamCredentials = credentialsByAccessKey(description.lambdas, description.accountId);
    const endpoints: AwsEndpoints = await startAwsEndpoints({
      description,
      host: '127.0.0.1',
      graphqlEndpoint: () => appsync?.internalUrl,
      accessKeyIds: () => iamCredentials.keys(),
      // Functions reach DynamoDB through the endpoint, which applies their role policy before passing on to dynalite.
      dynamoDbEndpoint: dynamo.endpoint,
      logger: log,
    });
    cleanups.push({ name: 'SSM/S3 endpoint', close: () => endpoints.close() });
    const appFunctions = description.lambdas.filter((fn) => fn.appFunction);
    const lambdas = new LambdaRunner(appFunctions, {
      environment: (fn) =>
        lambdaEnvironment(fn, { endpointUrl: endpoints.url, dynamoDbEndpointUrl: endpoints.url, accountId: description.accountId, scratchDirectory: data.lambda }),
      logger: log,
    });
    cleanups.push({ name: 'Lambda runner', close: () => lambdas.close() });
    log(`[sandbox] Lambda functions… ok (${appFunctions.map((fn) => fn.name).join(', ')}; SSM/S3 at ${endpoints.url})`);

    const userPool = await step(
      'Cognito user pool',
      () =>
        createUserPool({
          description: description.userPool,
          dataDir: data.cognito,
          logger: { info: (m) => log(`[cognito] ${m}`), warn: (m) => log(`[cognito] warning: ${m}`, 'warn'), code: (m) => log(`[cognito] ${m}`, 'code') },
          invokeTrigger: (triggerName, event) => invokeTrigger(lambdas, description, triggerName, event),
        }),
      (p) => p.id,
    );
    cleanups.push({ name: 'user pool', close: () => userPool.close() });
    const cognito: RunningCognitoServer = await listenWithFallback(
      'Cognito',
      options.ports?.cognito ?? DEFAULT_PORTS.cognito,
      (port) => startCognitoServer({ pool: userPool, host, port }),
      log,
      'Tokens issued before this start will not verify (their issuer names the old port).',
    );
    cleanups.push({ name: 'Cognito server', close: () => cognito.close() });
    log(`[sandbox] Cognito server… ok (${cognito.url})`);

    const startAppSync = options.startAppSyncServer ?? startAppSyncServer;
    appsync = await listenWithFallback(
      'AppSync',
      options.ports?.appsync ?? DEFAULT_PORTS.appsync,
      (port) =>
        startAppSync({
          description,
          dynamodb: dynamo.client,
          lambdas,
          verifyUserPoolToken: (token) => userPool.verifyUserPoolToken(token) as Promise<Record<string, unknown>>,
          iamCredentials,
          tls: { key: tls.key, cert: tls.cert },
          host,
          port,
          logger: log,
        }),
      log,
      'Rewrite amplify_outputs.json (the sandbox CLI does) and reload the web app.',
    );
    const runningAppSync = appsync;
    cleanups.push({ name: 'AppSync server', close: () => runningAppSync.close() });
    log(`[sandbox] AppSync server… ok (${appsync.url})`);

    const startScheduler = (d: BackendDescription): Scheduler => {
      const started = new Scheduler({
        functions: d.lambdas.filter((fn) => fn.appFunction && fn.schedules.length > 0),
        invoke: (name, event) => lambdas.invoke(name, event),
        region: d.region,
        accountId: d.accountId,
        logger: log,
      });
      started.start();
      return started;
    };
    let scheduler = startScheduler(description);
    cleanups.push({ name: 'scheduler', close: () => scheduler.close() });
    const describeSchedules = (s: Scheduler) => s.schedules.map((e) => `${e.functionName} ${e.expression}`).join(', ') || 'none';
    log(`[sandbox] schedules… ok (${describeSchedules(scheduler)})`);

    let reloading: Promise<unknown> = Promise.resolve();
    const reload = async (cdkOut: string): Promise<ReloadReport> => {
      const next = loadCdkOut(cdkOut);
      // Tables first: a key change refuses the reload before anything else is swapped.
      const tables = await prepareTables(dynamo.client, next, log);
      const userPoolNeedsRestart = JSON.stringify(next.userPool) !== JSON.stringify(description.userPool);
      // AppSync next: it refuses (changing nothing) a schema or resolver it cannot build.
      const subscriptions = await runningAppSync.reload(next);
      const functions = lambdas.replaceFunctions(next.lambdas.filter((fn) => fn.appFunction));
      iamCredentials.clear();
      for (const [key, value] of credentialsByAccessKey(next.lambdas, next.accountId)) iamCredentials.set(key, value);
      endpoints.setDescription(next);
      const schedulesChanged = JSON.stringify(next.lambdas.map((fn) => [fn.name, fn.schedules])) !== JSON.stringify(description.lambdas.map((fn) => [fn.name, fn.schedules]));
      if (schedulesChanged) {
        scheduler.close();
        scheduler = startScheduler(next);
      }
      description = next;
      return { description: next, tables, functions, subscriptions, schedulesChanged, userPoolNeedsRestart };
    };

    return {
      get description() {
        return description;
      },
      urls: { graphql: appsync.url, realtime: appsync.realtimeUrl, cognito: cognito.url },
      caPath: tls.caPath,
      caFingerprint256: tls.caFingerprint256,
      userPool,
      dynamodb: dynamo.client,
      lambdas,
      get scheduler() {
        return scheduler;
      },
      reload: (cdkOut = options.cdkOut) => {
        // One reload at a time, in order.
        const result = reloading.then(() => reload(cdkOut));
        reloading = result.catch(() => undefined);
        return result;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Creates missing tables; applies index-only changes (data kept); refuses key changes with a way out. */
async function prepareTables(client: DynamoDBClient, description: BackendDescription, log: LineLogger): Promise<string> {
  const report = await ensureTables(client, description.tables, { onMismatch: 'report' });
  const replacements = report.mismatched.filter((m) => m.requiresReplacement);
  if (replacements.length > 0) {
    throw new Error(
      'The local tables no longer match the backend and cannot be migrated (their keys changed):\n' +
        replacements.map((m) => `  ${m.table}: ${m.differences.join('; ')}`).join('\n') +
        '\nRestart with --reset (npm run dev -- --reset) to start from empty data.',
    );
  }
  const rebuild = new Set([...report.mismatched.map((m) => m.table), ...report.interruptedRebuilds]);
  for (const table of description.tables.filter((t) => rebuild.has(t.name))) {
    const { items } = await rebuildTable(client, table);
    log(`[sandbox] ${table.name}: indexes changed, rebuilt (${items} items kept)`);
  }
  if (report.divergences.length > 0) log(`[sandbox] not emulated: ${summarizeDivergences(report.divergences)}`);
  return `${report.created.length} created, ${report.unchanged.length} kept, ${rebuild.size} rebuilt`;
}

/** Runs a Cognito trigger's function; maps runner failures to what Cognito reports (see offline/cognito/README.md). */
async function invokeTrigger(lambdas: LambdaRunner, description: BackendDescription, triggerName: string, event: unknown): Promise<unknown> {
  const functionName = description.userPool.triggers[triggerName];
  if (!functionName) throw new TriggerInvocationError('unexpected', `no function is configured for ${triggerName}`);
  try {
    return await lambdas.invoke(functionName, event);
  } catch (error) {
    if (error instanceof LambdaInvocationError && LAMBDA_FAILURES_THAT_ARE_NOT_THE_HANDLER.has(error.lambdaError.errorType)) {
      throw new TriggerInvocationError('unexpected', error.message);
    }
    throw error;
  }
}

/** "T1: stream X is recorded but not emitted (…)" × n → one line. */
function summarizeDivergences(notes: string[]): string {
  const byText = new Map<string, string[]>();
  for (const note of notes) {
    const colon = note.indexOf(': ');
    const [table, text] = colon > 0 ? [note.slice(0, colon).replace(/-[a-z0-9]{26}-NONE$/, ''), note.slice(colon + 2)] : ['', note];
    byText.set(text, [...(byText.get(text) ?? []), table]);
  }
  return [...byText].map(([text, tables]) => `${text} [${tables.filter(Boolean).join(', ')}]`).join('; ');
}
