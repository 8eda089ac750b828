/**
 * An acknowledged write survives the process being killed: a child process writes items and prints
 * `ACK <id>` after each PutItem returned success; the parent SIGKILLs it after some acknowledgements
 * (synchronised on those lines, not on time), reopens the directory and finds every acknowledged
 * item — by key and through the GSI.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDb } from './server.js';
import { ensureTables } from './tables.js';
import { tableFor } from '../../tests/helpers/chat-tables.js';

const KILL_AFTER_ACKS = 40;
const directories: string[] = [];

afterEach(() => {
  for (const d of directories.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LevelDB durability of acknowledged writes', () => {
  it('keeps every acknowledged item after SIGKILL and restart', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ddb-durability-'));
    directories.push(directory);
    const writer = fileURLToPath(new URL('../../tests/helpers/durability-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--no-warnings', '--import', 'tsx', writer, directory], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const acknowledged: string[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) {
      if (!line.startsWith('ACK ')) continue;
      acknowledged.push(line.slice(4));
      if (acknowledged.length === KILL_AFTER_ACKS) child.kill('SIGKILL');
    }
    // The loop ends when stdout closes; lines already written before the kill are all counted.
    expect(await exited, stderr).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);

    const db = await startDynamoDb({ dataDirectory: directory });
    try {
      const table = tableFor('Message');
      const report = await ensureTables(db.client, [table]);
      expect(report.unchanged).toEqual([table.name]);
      const missing: string[] = [];
      for (const id of acknowledged) {
        const { Item } = await db.client.send(new GetItemCommand({ TableName: table.name, Key: { id: { S: id } }, ConsistentRead: true }));
        if (!Item) missing.push(id);
      }
      expect(missing).toEqual([]);
      const indexed = new Set<string>();
      let ExclusiveStartKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
      do {
        const page = await db.client.send(
          new QueryCommand({
            TableName: table.name,
            IndexName: 'messagesByConversationIdAndCreatedAt',
            KeyConditionExpression: 'conversationId = :c',
            ExpressionAttributeValues: { ':c': { S: 'c1' } },
            ExclusiveStartKey,
          }),
        );
        for (const item of page.Items ?? []) indexed.add(item.id?.S ?? '');
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      expect(acknowledged.filter((id) => !indexed.has(id))).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
