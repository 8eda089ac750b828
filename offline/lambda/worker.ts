/**
 * Lambda execution environment (a child process on the Node its runtime names, see node-runtime.ts): imports the
 * function's bundle once (cold start), then handles one invocation at a time, like a Lambda instance.
 * Runs on every Node the sandbox may start it with (20 and 24): only builtins common to both (and idle-memory.ts, which
 * uses nothing else but the optional koffi, loaded on its first release).
 * Messages over the IPC channel (JSON): first {type:'init', config}, then {type:'invoke', id, event, requestId} →
 * {type:'started', id}, then {type:'result', id, ok, value | error}.
 * The function's console (log, info, debug: stdout; warn, error: stderr) is sent as {type:'log', id, stream, text}
 * messages, in order with the result, so that each line is known to belong to the invocation that wrote it.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { releaseMemoryWhenIdle } from '../sandbox/idle-memory.ts';

interface WorkerConfig {
  codeDirectory: string;
  handler: string;
  functionName: string;
  memoryMB: number;
  timeoutSeconds: number;
  /** PEM certificates to trust besides the default store (the sandbox's CA). */
  trustedCertificates?: string[];
  /** The sandbox process's NODE_EXTRA_CA_CERTS (the worker's environment is the function's), kept trusted too. */
  processExtraCaFile?: string;
}

/** Sends a message to the sandbox over the IPC channel (the process was started with one). */
const send = (message: object): void => void process.send!(message);

// The sandbox gone (its end of the IPC channel closed): this environment goes too.
process.on('disconnect', () => process.exit(0));

// A warm environment waiting for its next invocation gives back what its last burst left resident (idle-memory.ts).
releaseMemoryWhenIdle();

/** The function this environment runs, from the first message (the environment variables are the function's own). */
let config: WorkerConfig;
let configured: (value: WorkerConfig) => void;
const ready = new Promise<WorkerConfig>((resolve) => (configured = resolve));

/**
 * Makes this worker's TLS connections that name no CA of their own (the AWS SDK's, fetch's) trust `extra` as well as
 * Node's default store. The environment is a process of its own, so this changes nothing outside it. The process's own
 * NODE_EXTRA_CA_CERTS stays trusted (an explicit `ca` would otherwise replace it).
 */
function trustCertificates(extra: readonly string[], processExtraCaFile: string | undefined): void {
  if (extra.length === 0) return;
  const ca = [...tls.rootCertificates, ...(processExtraCaFile ? readPem(processExtraCaFile) : []), ...extra];
  const connect = tls.connect;
  tls.connect = function (this: unknown, ...args: unknown[]) {
    const options = args.find((arg): arg is tls.ConnectionOptions => typeof arg === 'object' && arg !== null);
    if (options && options.ca === undefined && options.secureContext === undefined) options.ca = ca;
    return (connect as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
  } as typeof tls.connect;
}

function readPem(file: string): string[] {
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return [];
  }
}

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`Bad handler "${handler}": expected <module>.<export>`);
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

async function loadHandler(): Promise<(event: unknown, context: unknown) => unknown> {
  const [moduleName, exportName] = splitHandler(config.handler);
  for (const extension of ['.mjs', '.js', '.cjs']) {
    const file = join(config.codeDirectory, `${moduleName}${extension}`);
    try {
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const handler = module[exportName];
      if (typeof handler !== 'function') throw new Error(`${file} does not export a function named ${exportName}`);
      return handler as (event: unknown, context: unknown) => unknown;
    } catch (error) {
      // Only "this file does not exist" moves on to the next extension; a dependency the bundle imports but nobody
      // provides (e.g. `Cannot find package '@aws-sdk/…' imported from <file>`) is the error to report.
      if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).startsWith(`Cannot find module '${file}'`)) continue;
      throw error;
    }
  }
  throw new Error(`Cannot find module ${moduleName} in ${config.codeDirectory}`);
}

/** The invocation being handled (one at a time), which console lines belong to. */
let currentInvocation: string | undefined;
const forward =
  (stream: 'stdout' | 'stderr') =>
  (...args: unknown[]): void =>
    send({ type: 'log', id: currentInvocation, stream, text: format(...args) });
console.log = console.info = console.debug = forward('stdout');
console.warn = console.error = forward('stderr');

/**
 * Set by worker-entry.mjs (the tsx loader, for a Node that does not run TypeScript itself): settles once the loader is
 * deactivated, so that the bundle is imported by Node's own loader, as on Lambda. Absent when Node runs this file itself.
 */
const loaderDone = (globalThis as Record<symbol, Promise<void> | undefined>)[Symbol.for('amplify-gen2-offline.lambda.loader-done')];

/** The init phase: trust the sandbox's CA, import the bundle (its top-level code runs once). */
const handlerPromise = ready.then(async (value) => {
  config = value;
  trustCertificates(config.trustedCertificates ?? [], config.processExtraCaFile);
  await loaderDone;
  return loadHandler();
});
// Unhandled here; each invocation awaits it and reports its failure.
handlerPromise.catch(() => undefined);

function serializeError(error: unknown) {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: 'Error', errorMessage: typeof error === 'string' ? error : JSON.stringify(error) };
}

process.on('message', (message: { type: string; config?: WorkerConfig; id: string; event: unknown; requestId: string }) => {
  if (message.type === 'init' && message.config) configured(message.config);
  else if (message.type === 'invoke') void invoke(message);
});

async function invoke(message: { id: string; event: unknown; requestId: string }): Promise<void> {
  await ready.catch(() => undefined);
  currentInvocation = message.id;
  const startedAt = Date.now();
  const context = {
    functionName: config.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${config.functionName}`,
    memoryLimitInMB: String(config.memoryMB),
    awsRequestId: message.requestId,
    logGroupName: `/aws/lambda/${config.functionName}`,
    logStreamName: 'offline',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, startedAt + config.timeoutSeconds * 1000 - Date.now()),
  };
  let handler: (event: unknown, context: unknown) => unknown;
  try {
    handler = await handlerPromise;
  } catch (error) {
    // A bundle that cannot be loaded: Lambda's Runtime.ImportModuleError (the sandbox then discards this environment).
    send({ type: 'result', id: message.id, ok: false, error: { ...serializeError(error), errorType: 'Runtime.ImportModuleError' } });
    return;
  }
  try {
    // The invocation timeout runs from here: Lambda times the init phase separately.
    send({ type: 'started', id: message.id, deadline: Date.now() + config.timeoutSeconds * 1000 });
    // Lambda serializes the result to JSON; do the same so callers never share objects with the function.
    const value = await handler(message.event, context);
    send({ type: 'result', id: message.id, ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
  } catch (error) {
    send({ type: 'result', id: message.id, ok: false, error: serializeError(error) });
  }
}
