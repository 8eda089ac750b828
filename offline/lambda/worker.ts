/**
 * Lambda execution environment (one per function, in a worker thread): imports the function's
 * bundle once (cold start), then handles one invocation at a time, like a Lambda instance.
 * Messages: {type:'invoke', id, event, deadline} → {type:'result', id, ok, value | error}.
 * The function's console (log, info, debug: stdout; warn, error: stderr) is sent as {type:'log', id, stream, text}
 * messages, in order with the result, so that each line is known to belong to the invocation that wrote it.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

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

const config = workerData as WorkerConfig;
trustCertificates(config.trustedCertificates ?? [], config.processExtraCaFile);

/**
 * Makes this worker's TLS connections that name no CA of their own (the AWS SDK's, fetch's) trust `extra` as well as
 * Node's default store. Builtin modules are per thread, so this changes nothing outside the worker. The process's own
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
const [moduleName, exportName] = splitHandler(config.handler);

function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`Bad handler "${handler}": expected <module>.<export>`);
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

async function loadHandler(): Promise<(event: unknown, context: unknown) => unknown> {
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
    parentPort!.postMessage({ type: 'log', id: currentInvocation, stream, text: format(...args) });
console.log = console.info = console.debug = forward('stdout');
console.warn = console.error = forward('stderr');

const handlerPromise = loadHandler();

function serializeError(error: unknown) {
  if (error instanceof Error) {
    return { errorType: error.name || 'Error', errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: 'Error', errorMessage: typeof error === 'string' ? error : JSON.stringify(error) };
}

parentPort!.on('message', async (message: { type: 'invoke'; id: string; event: unknown; requestId: string }) => {
  if (message.type !== 'invoke') return;
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
  try {
    const handler = await handlerPromise;
    // The invocation timeout runs from here: Lambda times the init phase separately.
    parentPort!.postMessage({ type: 'started', id: message.id, deadline: Date.now() + config.timeoutSeconds * 1000 });
    // Lambda serializes the result to JSON; do the same so callers never share objects with the function.
    const value = await handler(message.event, context);
    parentPort!.postMessage({ type: 'result', id: message.id, ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)) });
  } catch (error) {
    parentPort!.postMessage({ type: 'result', id: message.id, ok: false, error: serializeError(error) });
  }
});
