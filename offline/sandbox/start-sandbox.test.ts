import { ListTablesCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppSyncServerOptions } from '../appsync/server';
import { loadCdkOut } from '../loader/index';
import { startSandbox, type Sandbox, type SandboxOptions, type StartAppSyncServer } from './start-sandbox';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');
/** The backend's tables (the loader's own tests pin which they are). */
const TABLES = existsSync(CDK_OUT) ? loadCdkOut(CDK_OUT).tables.length : 0;
const dirs: string[] = [];
const running: Sandbox[] = [];

afterEach(async () => {
  for (const sandbox of running.splice(0)) await sandbox.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fakeAppSync() {
  const calls: AppSyncServerOptions[] = [];
  let closed = 0;
  const start: StartAppSyncServer = async (options) => {
    calls.push(options);
    return {
      url: 'https://127.0.0.1:1/graphql',
      realtimeUrl: 'wss://127.0.0.1:1/graphql/realtime',
      internalUrl: 'http://127.0.0.1:2/graphql',
      reload: async () => ({ kept: 0, ended: 0 }),
      prepareReload: () => async () => ({ kept: 0, ended: 0 }),
      close: async () => {
        closed++;
      },
    };
  };
  return { start, calls, closed: () => closed };
}

async function start(dataDirectory: string, extra: Partial<SandboxOptions> = {}) {
  const log: string[] = [];
  const appsync = fakeAppSync();
  const sandbox = await startSandbox({
    cdkOut: CDK_OUT,
    dataDirectory,
    ports: { appsync: 0, cognito: 0, console: 0, s3: 0 },
    logger: (line) => log.push(line),
    startAppSyncServer: appsync.start,
    ...extra,
  });
  running.push(sandbox);
  return { sandbox, log, appsync };
}

function tempData(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-'));
  dirs.push(dir);
  return join(dir, 'data');
}

describe('startSandbox', () => {
  it('starts every service, reports progress, and closes everything once', async () => {
    const data = tempData();
    const { sandbox, log, appsync } = await start(data);
    expect(log[0]).toBe(`[sandbox] loading cdk.out… ok (${TABLES} tables, 4 functions)`);
    expect(log.some((l) => l.startsWith(`[sandbox] tables… ok (${TABLES} created, 0 kept, 0 rebuilt)`))).toBe(true);
    expect(log.some((l) => l === '[sandbox] schedules… ok (presence-sweeper cron(*/1 * * * ? *))')).toBe(true);
    expect(sandbox.urls).toEqual({
      graphql: 'https://127.0.0.1:1/graphql',
      realtime: 'wss://127.0.0.1:1/graphql/realtime',
      cognito: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      identityPool: sandbox.urls.cognito,
      // The chat's attachments bucket (defineStorage).
      storage: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/),
    });
    // defineAuth's identity pool is answered on the Cognito endpoint.
    expect(sandbox.identityPoolId).toBe(sandbox.description.identityPool?.id);
    expect(log.some((l) => l === `[sandbox] Cognito identity pool… ok (identity pool ${sandbox.identityPoolId} at ${sandbox.urls.cognito})`)).toBe(true);
    // The chat's pool allows no guests: GetId without a login is refused, as Cognito refuses it.
    const getId = await fetch(sandbox.urls.cognito, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityService.GetId' },
      body: JSON.stringify({ IdentityPoolId: sandbox.identityPoolId }),
    });
    expect([getId.status, await getId.json()]).toEqual([400, { __type: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this identity pool.' }]);
    expect(sandbox.caPath).toBe(join(data, 'ca.pem'));

    // The AppSync server got the live pieces.
    const options = appsync.calls[0]!;
    expect(options.description.api.id).toBe(sandbox.description.api.id);
    expect(options.lambdas).toBe(sandbox.lambdas);
    // The functions' keys, and the console's own IAM caller (its explorer's "IAM").
    expect([...options.iamCredentials.values()].map((c) => c.principal).sort()).toEqual([
      'arn:aws:sts::123456789012:assumed-role/amplify-gen2-offline-console/console',
      'arn:aws:sts::123456789012:assumed-role/message-processor-role/message-processor',
      'arn:aws:sts::123456789012:assumed-role/post-confirmation-role/post-confirmation',
      'arn:aws:sts::123456789012:assumed-role/presence-role/presence',
      'arn:aws:sts::123456789012:assumed-role/presence-sweeper-role/presence-sweeper',
    ]);
    expect(options.tls.cert).toContain('BEGIN CERTIFICATE');
    await expect(options.verifyUserPoolToken('not-a-token')).rejects.toThrow();

    const tables = await sandbox.dynamodb.send(new ListTablesCommand({}));
    expect(tables.TableNames?.sort()).toEqual(sandbox.description.tables.map((t) => t.name).sort());
    const cognitoHealth = await fetch(sandbox.urls.cognito, { method: 'POST', headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.Nope' }, body: '{}' });
    expect(cognitoHealth.status).toBe(400);

    const closing = [sandbox.close(), sandbox.close()];
    await Promise.all(closing);
    expect(appsync.closed()).toBe(1);
    await expect(fetch(sandbox.urls.cognito, { method: 'POST', body: '{}' })).rejects.toThrow();
    await expect(fetch(sandbox.urls.storage!)).rejects.toThrow();
    await expect(sandbox.dynamodb.send(new ListTablesCommand({}))).rejects.toThrow();
  });

  it('reuses the data directory (same CA, same signing key, items kept) and --reset empties it but keeps the CA', async () => {
    const data = tempData();
    const first = await start(data);
    const table = first.sandbox.description.tables.find((t) => t.model === 'UserProfile')!;
    const hashKey = table.keySchema.find((k) => k.keyType === 'HASH')!.attributeName;
    await first.sandbox.dynamodb.send(new PutItemCommand({ TableName: table.name, Item: { [hashKey]: { S: 'kept-1' }, __typename: { S: 'UserProfile' } } }));
    const ca = first.sandbox.caFingerprint256;
    const jwks = JSON.stringify(first.sandbox.userPool.jwks());
    await first.sandbox.close();

    const second = await start(data);
    expect(second.sandbox.caFingerprint256).toBe(ca);
    expect(JSON.stringify(second.sandbox.userPool.jwks())).toBe(jwks);
    expect(second.log.some((l) => l.startsWith(`[sandbox] tables… ok (0 created, ${TABLES} kept, 0 rebuilt)`))).toBe(true);
    const kept = await second.sandbox.dynamodb.send(new GetItemCommand({ TableName: table.name, Key: { [hashKey]: { S: 'kept-1' } } }));
    expect(kept.Item?.[hashKey]?.S).toBe('kept-1');
    await second.sandbox.close();

    const third = await start(data, { reset: true });
    // The CA a person trusted (amplify-gen2-offline trust) survives a reset; the data and the pool's signing key do not.
    expect(third.sandbox.caFingerprint256).toBe(ca);
    expect(JSON.stringify(third.sandbox.userPool.jwks())).not.toBe(jwks);
    const gone = await third.sandbox.dynamodb.send(new GetItemCommand({ TableName: table.name, Key: { [hashKey]: { S: 'kept-1' } } }));
    expect(gone.Item).toBeUndefined();
  });

  it('refuses to reset a directory holding files it did not create, and cleans up after a failed start', async () => {
    const data = tempData();
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, 'thesis.tex'), 'precious');
    await expect(start(data, { reset: true })).rejects.toThrow(/Refusing to reset/);
    expect(existsSync(join(data, 'thesis.tex'))).toBe(true);

    const other = tempData();
    const failing: StartAppSyncServer = () => Promise.reject(new Error('appsync exploded'));
    await expect(start(other, { startAppSyncServer: failing })).rejects.toThrow('appsync exploded');
    // Everything started before the failure was closed: the directory can be opened again at once.
    const again = await start(other);
    expect(again.sandbox.urls.graphql).toBe('https://127.0.0.1:1/graphql');
  });

  it('wires the real AppSync server: a scheduled function reaches it through SSM, S3 and IAM', async () => {
    const log: string[] = [];
    const sandbox = await startSandbox({ cdkOut: CDK_OUT, dataDirectory: tempData(), ports: { appsync: 0, cognito: 0, console: 0, s3: 0 }, logger: (line) => log.push(line) });
    running.push(sandbox);
    expect(sandbox.urls.graphql).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    // The chat has a bucket, so the functions' S3 endpoint is the storage endpoint (https): it serves them the
    // deployment bucket's introspection schema too, under their role policy.
    expect(sandbox.urls.storage).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const outcome = await sandbox.scheduler.runNow('presence-sweeper');
    expect(outcome).toMatchObject({ status: 'ok' });
    expect(log.filter((l) => l.startsWith('[aws] ') || l.startsWith('[s3] '))).toEqual([
      expect.stringMatching(/^\[aws\] SSM GetParameters \(ASIA[0-9A-F]{16}\) → 200$/),
      expect.stringMatching(/^\[s3\] GET \/.+\/modelIntrospectionSchema\.json \(deployment object, presence-sweeper\) → 200$/),
    ]);
  });
});
