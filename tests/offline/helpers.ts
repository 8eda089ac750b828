/**
 * Starting the offline sandbox for integration tests: ephemeral ports, a fresh data directory that
 * reuses the test CA (trusted by the test process, see tests/setup/offline-ca.ts), and a log kept
 * in memory.
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hub } from 'aws-amplify/utils';
import { createServer, type ViteDevServer } from 'vite';
import WebSocket from 'ws';
import { startSandbox, type Sandbox } from '../../offline/sandbox/start-sandbox';
import { writeOutputs, buildOutputs } from '../../offline/sandbox/outputs';
import { TEST_TLS_DIRECTORY } from '../setup/offline-ca';

export const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');

export interface TestSandbox {
  sandbox: Sandbox;
  dataDirectory: string;
  outputs: ReturnType<typeof buildOutputs>;
  log: string[];
}

export function newDataDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'chat-sandbox-'));
  for (const file of ['ca.pem', 'ca-key.pem', 'server.pem', 'server-key.pem']) {
    copyFileSync(join(TEST_TLS_DIRECTORY, file), join(directory, file));
  }
  return directory;
}

export async function startTestSandbox(dataDirectory = newDataDirectory(), cdkOut = CDK_OUT): Promise<TestSandbox> {
  const log: string[] = [];
  const sandbox = await startSandbox({
    cdkOut,
    dataDirectory,
    // Free ports for every service (the storage endpoint too), so sandboxes of parallel test files never collide.
    ports: { appsync: 0, cognito: 0, console: 0, s3: 0 },
    logger: (line) => log.push(line),
  });
  // As the command line writes them: with a bucket, the identity pool and storage too.
  const outputs = buildOutputs(sandbox.description, sandbox.urls);
  writeOutputs(join(dataDirectory, 'amplify_outputs.json'), outputs, { force: true });
  return { sandbox, dataDirectory, outputs, log };
}

/**
 * The web app's dev server as `npm run dev` starts it (the project's vite.config.ts, so the offline-sandbox plugin:
 * HTTPS, /graphql and /cognito on the app's origin), for the sandbox whose outputs `startTestSandbox` wrote into
 * `dataDirectory`. Ephemeral port; the developer's own amplify_outputs.json is not read.
 */
export async function startAppDevServer(dataDirectory: string): Promise<ViteDevServer> {
  // Read by the plugin when vite.config.ts is loaded.
  process.env['OFFLINE_SANDBOX_OUTPUTS'] = join(dataDirectory, 'amplify_outputs.json');
  process.env['OFFLINE_SANDBOX_DATA'] = dataDirectory;
  const vite = await createServer({
    root: join(import.meta.dirname, '..', '..'),
    configFile: join(import.meta.dirname, '..', '..', 'vite.config.ts'),
    server: { host: '127.0.0.1', port: 0, strictPort: false, watch: null },
    logLevel: 'warn',
    clearScreen: false,
  });
  await vite.listen();
  return vite;
}

/** Node 20 has no global WebSocket; aws-amplify needs one for subscriptions. */
export function installWebSocket(): void {
  (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
}

/** Amplify's Hub event for a start_ack (`CONTROL_MSG.SUBSCRIPTION_ACK` in @aws-amplify/api-graphql). */
const SUBSCRIPTION_ACK = 'Subscription ack';

/** Resolves once Amplify reports `count` subscription acknowledgements (start_ack) on its Hub. */
export function subscriptionAcks(count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const stop = Hub.listen('api', ({ payload }) => {
      if (payload.event === SUBSCRIPTION_ACK && ++seen === count) {
        stop();
        resolve();
      }
    });
  });
}

/** The DynamoDB table the sandbox created for `model` (Amplify's `<Model>-<apiId>-NONE`). */
export function modelTable(env: TestSandbox, model: string): string {
  const table = env.sandbox.description.tables.find((t) => t.model === model);
  if (!table) throw new Error(`no table for the ${model} model`);
  return table.name;
}

/** Every item of `model`'s table, read page by page with strongly consistent reads. */
export async function scanModel(env: TestSandbox, model: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let key: Record<string, AttributeValue> | undefined;
  do {
    const page = await env.sandbox.dynamodb.send(new ScanCommand({ TableName: modelTable(env, model), ExclusiveStartKey: key, ConsistentRead: true }));
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    key = page.LastEvaluatedKey;
  } while (key);
  return items;
}
