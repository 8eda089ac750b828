import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalDynamoDbClient, LOCAL_CREDENTIALS } from './client.js';
import { startDynamoDb, type LocalDynamoDb } from './server.js';
import { ensureTables } from './tables.js';
import { tableFor } from '../../tests/helpers/chat-tables.js';

const opened: LocalDynamoDb[] = [];
const directories: string[] = [];

async function start(dataDirectory?: string): Promise<LocalDynamoDb> {
  const db = await startDynamoDb({ dataDirectory });
  opened.push(db);
  return db;
}

function tempDirectory(): string {
  const d = mkdtempSync(join(tmpdir(), 'ddb-server-'));
  directories.push(d);
  return d;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
  for (const d of directories.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('startDynamoDb', () => {
  it('listens on 127.0.0.1 with an OS-assigned port', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    for (const db of [a, b]) expect(db.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.endpoint).not.toBe(b.endpoint);
    expect(Number(new URL(a.endpoint).port)).toBeGreaterThan(0);
    expect((await a.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('close() is idempotent and later requests fail instead of hanging', async () => {
    const db = await start();
    const first = db.close();
    expect(db.close()).toBe(first);
    await expect(db.client.send(new ListTablesCommand({}))).rejects.toThrow(/is closed/);
    await first;
    await expect(db.client.send(new ListTablesCommand({}))).rejects.toThrow(/is closed/);
  });

  it('close() while writes are in flight: they complete and are persisted', async () => {
    const directory = tempDirectory();
    const db = await start(directory);
    const table = tableFor('UserProfile');
    await ensureTables(db.client, [table]);
    const writes = Array.from({ length: 30 }, (_, i) =>
      db.client.send(new PutItemCommand({ TableName: table.name, Item: { id: { S: `u${i}` } } })),
    );
    const closed = db.close();
    const outcomes = await Promise.allSettled(writes);
    await closed;
    expect(outcomes.map((o) => o.status)).toEqual(outcomes.map(() => 'fulfilled'));

    const reopened = await start(directory);
    for (const id of writes.map((_, i) => `u${i}`)) {
      const { Item } = await reopened.client.send(new GetItemCommand({ TableName: table.name, Key: { id: { S: id } }, ConsistentRead: true }));
      expect(Item?.id?.S, id).toBe(id);
    }
  });

  it('refuses a data directory that is already open, and reopens it after close', async () => {
    const directory = tempDirectory();
    const db = await start(directory);
    await expect(startDynamoDb({ dataDirectory: directory })).rejects.toThrow(/already open/);
    await db.close();
    const again = await start(directory);
    expect((await again.client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });

  it('refuses a directory held by another live process', async () => {
    const directory = tempDirectory();
    writeFileSync(join(directory, 'offline-sandbox.lock'), String(process.ppid));
    await expect(startDynamoDb({ dataDirectory: directory })).rejects.toThrow(new RegExp(`in use by process ${process.ppid}`));
  });
});

describe('createLocalDynamoDbClient', () => {
  it('signs with the fake credentials in us-east-1 and never consults the AWS environment', async () => {
    const metadataHits: string[] = [];
    const metadata = createServer((request: IncomingMessage, response) => {
      metadataHits.push(request.url ?? '');
      response.end('{}');
    });
    await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
    const directory = tempDirectory();
    const configFile = join(directory, 'config');
    writeFileSync(configFile, '[default]\nregion = eu-west-3\ndefaults_mode = auto\ncredential_process = /bin/false\n');
    const hostile: Record<string, string> = {
      AWS_ACCESS_KEY_ID: 'AKIAREALLOOKINGKEY',
      AWS_SECRET_ACCESS_KEY: 'real-secret',
      AWS_REGION: 'eu-west-3',
      AWS_DEFAULTS_MODE: 'auto',
      AWS_CONFIG_FILE: configFile,
      AWS_SHARED_CREDENTIALS_FILE: configFile,
      AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${(metadata.address() as AddressInfo).port}/creds`,
    };
    const saved = Object.fromEntries(Object.keys(hostile).map((name) => [name, process.env[name]]));
    Object.assign(process.env, hostile);
    try {
      const db = await start();
      const client = createLocalDynamoDbClient(db.endpoint);
      const authorizations: string[] = [];
      client.middlewareStack.add(
        (next) => async (args) => {
          const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
          authorizations.push(headers.authorization ?? '');
          return next(args);
        },
        { step: 'finalizeRequest', priority: 'low' },
      );
      await client.send(new ListTablesCommand({}));
      client.destroy();
      expect(await client.config.region()).toBe('us-east-1');
      expect(await client.config.credentials()).toMatchObject(LOCAL_CREDENTIALS);
      expect(authorizations).toHaveLength(1);
      expect(authorizations[0]).toContain(`Credential=${LOCAL_CREDENTIALS.accessKeyId}/`);
      expect(authorizations[0]).toContain('/us-east-1/dynamodb/aws4_request');
      expect(metadataHits).toEqual([]);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await new Promise((resolve) => metadata.close(resolve));
    }
  });

  it('refuses a non-loopback endpoint', () => {
    expect(() => createLocalDynamoDbClient('https://dynamodb.us-east-1.amazonaws.com')).toThrow(/non-loopback/);
  });
});
