/**
 * The sandbox's DynamoDB service: dynalite on disk (or in memory), with the backend's tables created, re-indexed
 * (data kept) or refused (key changes) at start and at every reload.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BackendDescription } from '../loader/index.js';
import type { LineLogger } from '../sandbox/log.js';
import type { ServiceDefinition } from '../sandbox/service.js';
import { startDynamoDb, type LocalDynamoDb } from './server.js';
import { ensureTables, rebuildTable } from './tables.js';

export interface DynamoDbServiceOptions {
  /** `disk` (default, `<data>/dynamodb`) or `memory` (lost on close; the benchmarks use it). */
  storage?: 'disk' | 'memory';
}

export function dynamoDbService(options: DynamoDbServiceOptions = {}): ServiceDefinition<'dynamodb', LocalDynamoDb, object, string> {
  return {
    name: 'dynamodb',
    label: 'DynamoDB',
    dependsOn: [],
    async start(_deps, context) {
      const dynamo = await startDynamoDb({ dataDirectory: options.storage === 'memory' ? undefined : context.data.dynamodb });
      try {
        context.log(`[sandbox] tables… ok (${await prepareTables(dynamo.client, context.description, context.log)})`);
        return {
          api: dynamo,
          urls: { endpoint: dynamo.endpoint },
          summary: dynamo.endpoint,
          // Tables are the first check of a reload: a key change refuses it before anything else is prepared. New
          // tables and index rebuilds are applied here already (they only add; items are kept).
          prepareReload: async (next) => {
            const report = await prepareTables(dynamo.client, next, context.log);
            return () => report;
          },
          close: () => dynamo.close(),
        };
      } catch (error) {
        await dynamo.close();
        throw error;
      }
    },
  };
}

/** Creates missing tables; applies index-only changes (data kept); refuses key changes with a way out. */
async function prepareTables(client: DynamoDBClient, description: BackendDescription, log: LineLogger): Promise<string> {
  const report = await ensureTables(client, description.tables, { onMismatch: 'report' });
  const replacements = report.mismatched.filter((m) => m.requiresReplacement);
  if (replacements.length > 0) {
    throw new Error(
      'The local tables no longer match the backend and cannot be migrated (their keys changed):\n' +
        replacements.map((m) => `  ${m.table}: ${m.differences.join('; ')}`).join('\n') +
        '\nRestart with --reset to start from empty data.',
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
