/**
 * Creating the backend's tables in the local DynamoDB and keeping them in line with later
 * syntheses — without ever dropping data silently.
 *
 * - Missing tables are created (keys, GSIs, LSIs, on-demand billing).
 * - Existing tables with the declared schema are left untouched, data included.
 * - Existing tables whose key schema or indexes differ are left untouched and reported (thrown by
 *   default); the dev command may then call `rebuildTable` (index-only changes: data kept and the
 *   new index backfilled, like Amplify's table manager updating GSIs in place) or `resetTable`
 *   (primary-key/LSI changes: the table is replaced and its data dropped, as a sandbox deployment
 *   with `allowDestructiveGraphqlSchemaUpdates` does).
 * - TTL and streams: dynalite implements neither. The declared settings are recorded as table tags
 *   (so a change is noticed across restarts) and listed in `divergences`.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ListTagsOfResourceCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  type DynamoDBClient,
  type TableDescription as DynamoTableDescription,
} from '@aws-sdk/client-dynamodb';
import type { TableDescription } from '../loader/index.js';
import { copyAllItems } from './table-copy.js';
import { diffTableSchema, STREAM_TAG, toCreateTableInput, TTL_TAG } from './table-schema.js';

export interface TableMismatch {
  table: string;
  /** True when the primary key or an LSI changed: only `resetTable` (data loss) can apply it. */
  requiresReplacement: boolean;
  differences: string[];
}

export interface EnsureTablesReport {
  created: string[];
  unchanged: string[];
  /** Tables whose schema differs from the declaration; left as they are. */
  mismatched: TableMismatch[];
  /** Interrupted `rebuildTable` runs: the staging table holds data; call `rebuildTable` again. */
  interruptedRebuilds: string[];
  /** Declared features the local DynamoDB does not emulate (TTL expiry, streams). */
  divergences: string[];
}

export class TableSchemaMismatchError extends Error {
  constructor(readonly mismatches: TableMismatch[]) {
    super(
      'Local DynamoDB tables differ from the synthesized backend (left untouched):\n' +
        mismatches
          .map(
            (m) =>
              `  ${m.table}: ${m.differences.join('; ')} → ` +
              (m.requiresReplacement ? 'resetTable() replaces it (its data is dropped)' : 'rebuildTable() migrates it (data kept)'),
          )
          .join('\n'),
    );
    this.name = 'TableSchemaMismatchError';
  }
}

export interface EnsureTablesOptions {
  /** `throw` (default): a TableSchemaMismatchError after creating what is missing; `report`: only report. */
  onMismatch?: 'throw' | 'report';
}

export const STAGING_SUFFIX = '.offline-rebuild';

export async function describeTable(client: DynamoDBClient, name: string): Promise<DynamoTableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function createTable(client: DynamoDBClient, table: TableDescription, name = table.name): Promise<void> {
  await client.send(new CreateTableCommand(toCreateTableInput(table, name)));
}

function wantedTags(table: TableDescription): Map<string, string> {
  const tags = new Map<string, string>();
  if (table.timeToLiveAttribute) tags.set(TTL_TAG, table.timeToLiveAttribute);
  if (table.streamViewType) tags.set(STREAM_TAG, table.streamViewType);
  return tags;
}

/** Records TTL/stream settings as tags (metadata only: no data is affected). */
async function syncMetadataTags(client: DynamoDBClient, arn: string, table: TableDescription): Promise<void> {
  const existing = (await client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags ?? [];
  const wanted = wantedTags(table);
  const stale = existing
    .map((t) => t.Key ?? '')
    .filter((key) => (key === TTL_TAG || key === STREAM_TAG) && !wanted.has(key));
  if (stale.length > 0) await client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: stale }));
  const changed = [...wanted].filter(([key, value]) => !existing.some((t) => t.Key === key && t.Value === value));
  if (changed.length > 0) {
    await client.send(
      new TagResourceCommand({ ResourceArn: arn, Tags: changed.map(([Key, Value]) => ({ Key, Value })) }),
    );
  }
}

function divergencesOf(table: TableDescription): string[] {
  const notes: string[] = [];
  if (table.timeToLiveAttribute) {
    notes.push(
      `${table.name}: TTL on "${table.timeToLiveAttribute}" is recorded but not enforced (dynalite has no TTL); expired items stay until deleted.`,
    );
  }
  if (table.streamViewType) {
    notes.push(`${table.name}: stream ${table.streamViewType} is recorded but not emitted (dynalite has no streams).`);
  }
  return notes;
}

export async function ensureTables(
  client: DynamoDBClient,
  tables: TableDescription[],
  options: EnsureTablesOptions = {},
): Promise<EnsureTablesReport> {
  const report: EnsureTablesReport = { created: [], unchanged: [], mismatched: [], interruptedRebuilds: [], divergences: [] };
  for (const table of tables) {
    report.divergences.push(...divergencesOf(table));
    if (await describeTable(client, table.name + STAGING_SUFFIX)) report.interruptedRebuilds.push(table.name);
    const existing = await describeTable(client, table.name);
    if (!existing) {
      await createTable(client, table);
      report.created.push(table.name);
    } else {
      const differences = diffTableSchema(table, existing);
      if (differences.keySchema.length > 0 || differences.indexes.length > 0) {
        report.mismatched.push({
          table: table.name,
          requiresReplacement: differences.keySchema.length > 0,
          differences: [...differences.keySchema, ...differences.indexes],
        });
        continue;
      }
      report.unchanged.push(table.name);
    }
    const arn = (await describeTable(client, table.name))?.TableArn;
    if (arn) await syncMetadataTags(client, arn, table);
  }
  if ((options.onMismatch ?? 'throw') === 'throw' && report.mismatched.length > 0) {
    throw new TableSchemaMismatchError(report.mismatched);
  }
  return report;
}

/** Replaces the table with one of the declared schema. Drops its data: call it only on request. */
export async function resetTable(client: DynamoDBClient, table: TableDescription): Promise<void> {
  for (const name of [table.name, table.name + STAGING_SUFFIX]) {
    if (await describeTable(client, name)) await client.send(new DeleteTableCommand({ TableName: name }));
  }
  await createTable(client, table);
  const arn = (await describeTable(client, table.name))?.TableArn;
  if (arn) await syncMetadataTags(client, arn, table);
}

/**
 * Applies index changes (GSIs added, removed or redefined) while keeping every item, and fills the
 * new indexes — what Amplify's table manager achieves with in-place GSI updates. Goes through a
 * staging table `<name>.offline-rebuild`, so a crash never loses data; calling it again resumes.
 * Refuses primary-key/LSI changes (those need `resetTable`).
 */
export async function rebuildTable(client: DynamoDBClient, table: TableDescription): Promise<{ items: number }> {
  const stagingName = table.name + STAGING_SUFFIX;
  const existing = await describeTable(client, table.name);
  const existingDiff = existing ? diffTableSchema(table, existing) : undefined;
  if (existingDiff && existingDiff.keySchema.length > 0) {
    throw new Error(`${table.name}: ${existingDiff.keySchema.join('; ')}; only resetTable() can apply this (data is dropped).`);
  }
  const staging = await describeTable(client, stagingName);
  if (!staging) await createTable(client, table, stagingName);
  // Still the old table (not yet deleted): (re)copy it into the staging table; puts are idempotent.
  if (existing && existingDiff && existingDiff.indexes.length > 0) {
    await copyAllItems(client, table.name, stagingName);
    await client.send(new DeleteTableCommand({ TableName: table.name }));
  }
  if (!existing || (existingDiff && existingDiff.indexes.length > 0)) await createTable(client, table);
  const items = await copyAllItems(client, stagingName, table.name);
  await client.send(new DeleteTableCommand({ TableName: stagingName }));
  const arn = (await describeTable(client, table.name))?.TableArn;
  if (arn) await syncMetadataTags(client, arn, table);
  return { items };
}
