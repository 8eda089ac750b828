/**
 * `npm run search:backfill -- [options]`: indexes the messages the MessageSearchIndex table does not hold (those sent
 * before search existed), with the message processor's own code (amplify/functions/message-processor/search-backfill.ts).
 * Idempotent and resumable; `--dry-run` counts what it would write. docs/deploy.md ("Search backfill").
 *
 * Targets:
 * - the offline sandbox (default): table names from the synthesized backend (.amplify/artifacts/cdk.out, as the
 *   sandbox names them); DynamoDB either the running sandbox's (`--endpoint`, the URL it prints on the
 *   "[sandbox] DynamoDB… ok (http://127.0.0.1:…)" line) or, with the sandbox stopped, its data directory opened here;
 * - AWS (`--region`): `--message-table` and `--search-index-table` name the deployed tables; credentials come from the
 *   AWS SDK's default chain (environment, profile, SSO, instance role).
 *
 * Exit codes: 0 done (or nothing to do), 1 the backfill failed (the cursor to resume from is printed), 2 usage error.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createLocalDynamoDbClient, loadCdkOut, startDynamoDb } from 'amplify-gen2-offline';
import { projectPaths } from 'amplify-gen2-offline/project';
import { backfillSearchIndex, DEFAULT_PAGE_SIZE, type BackfillProgress, type BackfillTables } from '../amplify/functions/message-processor/search-backfill';
import { PROJECT_ROOT } from './lib/paths.mjs';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const project = projectPaths(PROJECT_ROOT) as { cdkOut: string; dataDirectory: string };

const HELP = `Usage: npm run search:backfill -- [options]

Writes the search index entries of every message that lacks them (messages sent before search existed), as the
message processor writes them on send. Running it again writes nothing new.

Target (default: the offline sandbox):
  --endpoint URL             the running offline sandbox's DynamoDB (the URL on its "[sandbox] DynamoDB… ok" line);
                             without it, the sandbox data directory is opened here (stop the sandbox first)
  --data DIR                 the offline sandbox data directory (default: .amplify/offline)
  --cdk-out DIR              the synthesized backend whose table names the sandbox uses (default: .amplify/artifacts/cdk.out)
  --region REGION            AWS instead: the deployed tables in REGION, credentials from the default chain;
                             needs --message-table and --search-index-table
  --message-table NAME       the Message table (Message-<apiId>-<env>)
  --search-index-table NAME  the MessageSearchIndex table

Run:
  --dry-run                  count what would be written; write nothing
  --start-after ID           resume after this message id (the cursor a run prints)
  --page-size N              messages read per page (1-1000, default ${DEFAULT_PAGE_SIZE})
  -h, --help                 this help`;

function usage(message: string): never {
  console.error(`[search-backfill] ${message}. Run with --help for the options.`);
  process.exit(EXIT_USAGE);
}

let values: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      endpoint: { type: 'string' },
      data: { type: 'string', default: project.dataDirectory },
      'cdk-out': { type: 'string', default: project.cdkOut },
      region: { type: 'string' },
      'message-table': { type: 'string' },
      'search-index-table': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'start-after': { type: 'string' },
      'page-size': { type: 'string', default: String(DEFAULT_PAGE_SIZE) },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
}
try {
  values = parse();
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const pageSize = Number(values['page-size']);
if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) usage('--page-size must be a whole number from 1 to 1000');
if (values.region && values.endpoint) usage('--region (AWS) and --endpoint (the offline sandbox) exclude each other');
if (values.region && (!values['message-table'] || !values['search-index-table'])) {
  usage('with --region, name the deployed tables: --message-table and --search-index-table (docs/deploy.md says where to find them)');
}

/** The offline sandbox's table names, as it creates them from the synthesized backend. */
function offlineTables(cdkOut: string): BackfillTables {
  if (!existsSync(cdkOut)) usage(`no synthesized backend at ${cdkOut}: run npm run synth first`);
  const tables = loadCdkOut(cdkOut).tables;
  const message = tables.find((t) => t.model === 'Message')?.name;
  const searchIndex = tables.find((t) => t.name.includes('MessageSearchIndexTable'))?.name;
  if (!message || !searchIndex) usage(`the backend in ${cdkOut} has no Message or MessageSearchIndex table`);
  return { message, searchIndex };
}

interface Target {
  label: string;
  client: DynamoDBClient;
  tables: BackfillTables;
  close(): Promise<void>;
}

async function target(): Promise<Target> {
  if (values.region) {
    const client = new DynamoDBClient({ region: values.region });
    const tables = { message: values['message-table']!, searchIndex: values['search-index-table']! };
    return { label: `AWS ${values.region}`, client, tables, close: async () => client.destroy() };
  }
  const found = offlineTables(resolve(values['cdk-out']));
  const tables = { message: values['message-table'] ?? found.message, searchIndex: values['search-index-table'] ?? found.searchIndex };
  if (values.endpoint) {
    const client = createLocalDynamoDbClient(values.endpoint);
    return { label: `offline sandbox at ${values.endpoint}`, client, tables, close: async () => client.destroy() };
  }
  const directory = join(resolve(values.data), 'dynamodb');
  if (!existsSync(directory)) usage(`no offline sandbox data in ${directory}: start the sandbox once (npm run dev), or pass --data`);
  let dynamo;
  try {
    dynamo = await startDynamoDb({ dataDirectory: directory });
  } catch (error) {
    usage(`${error instanceof Error ? error.message : String(error)} (while the sandbox runs, pass --endpoint with its DynamoDB URL)`);
  }
  return { label: `offline sandbox data ${directory}`, client: dynamo.client, tables, close: () => dynamo.close() };
}

const line = (p: BackfillProgress, dryRun: boolean) =>
  `page ${p.pages}: ${p.scanned} messages read, ${p.indexed} ${dryRun ? 'to index' : 'indexed'} (${p.entries} entries${dryRun ? ' to write' : ' written'}), ` +
  `${p.complete} already indexed, ${p.system} system${p.corrected > 0 ? `, ${p.corrected} corrected after an edit meanwhile` : ''}; cursor ${p.cursor ?? '(end)'}`;

const dryRun = values['dry-run'];
const { label, client, tables, close } = await target();
console.log(`[search-backfill] ${label}: ${tables.message} → ${tables.searchIndex}${dryRun ? ' (dry run: nothing is written)' : ''}`);
let last: BackfillProgress | undefined;
let exitCode = 0;
try {
  const done = await backfillSearchIndex({
    client,
    tables,
    pageSize,
    dryRun,
    startAfter: values['start-after'] ?? null,
    onPage: (progress) => {
      last = progress;
      console.log(`[search-backfill] ${line(progress, dryRun)}`);
    },
  });
  console.log(`[search-backfill] done: ${done.indexed} messages ${dryRun ? 'to index' : 'indexed'}, ${done.entries} entries${dryRun ? ' to write' : ' written'}, ${done.complete} already indexed, ${done.system} system messages skipped.`);
} catch (error) {
  const cursor = last?.cursor ?? values['start-after'];
  console.error(`[search-backfill] failed: ${error instanceof Error ? error.message : String(error)}`);
  console.error(cursor ? `[search-backfill] resume with: npm run search:backfill -- --start-after ${cursor} (plus the same target options)` : '[search-backfill] nothing was completed: run it again.');
  exitCode = EXIT_FAILED;
} finally {
  await close();
}
process.exit(exitCode);
