/**
 * Storage through the web app's one origin (offline/vite/plugin.ts): Vite's dev server with the project's config in
 * front of the chat's sandbox (its attachments bucket). The stock aws-amplify client, configured from exactly the
 * outputs module the browser receives, uploads (single and multipart) and downloads through the page's host; a URL
 * presigned for the storage endpoint's own host (as the message processor presigns) is fetched through
 * `/s3-presigned` after the rewrite `custom.storageUrlRewrite` names — while the proxy relaxes nothing: a forged or
 * re-hosted URL and another identity's request are refused by the sandbox as before.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { downloadData, list, uploadData } from 'aws-amplify/storage';
import { parseAmplifyConfig } from 'aws-amplify/utils';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsModule, PROXY_PATHS, readOfflineOutputs } from '../../offline/vite/plugin';
import { startAppDevServer, startTestSandbox, type TestSandbox } from '../offline/helpers';
import { PASSWORD, signUpEveryone } from '../offline/stock-client';
import { installFileReader } from './file-reader';

const ANN = 'ann.devstorage@example.com';
const BOB = 'bob.devstorage@example.com';

interface BrowserOutputs {
  storage: { bucket_name: string };
  custom: { userPoolEndpoint: string; identityPoolEndpoint: string; storageEndpoint: string; storageUrlRewrite: { from: string; to: string } };
}

let env: TestSandbox;
let vite: ViteDevServer;
let origin = '';
let outputs: BrowserOutputs;

/** The module the browser gets for `import outputs from '../amplify_outputs.json'`, evaluated on a page at `origin`. */
async function browserOutputs(): Promise<BrowserOutputs> {
  const code = outputsModule(readOfflineOutputs(join(env.dataDirectory, 'amplify_outputs.json'))!);
  const global = globalThis as { location?: { origin: string; host: string } };
  global.location = { origin, host: new URL(origin).host };
  try {
    return ((await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)) as { default: BrowserOutputs }).default;
  } finally {
    delete global.location;
  }
}

async function signInAs(email: string) {
  await signOut();
  await signIn({ username: email, password: PASSWORD });
  const session = await fetchAuthSession();
  return { identityId: session.identityId!, credentials: session.credentials! };
}

/** A Storage call's options through the page's host (`custom.storageEndpoint` of the browser's outputs). */
const viaPage = <T extends object>(options?: T): T => ({ ...options, customEndpoint: outputs.custom.storageEndpoint }) as T;

const errorName = async (promise: PromiseLike<unknown>): Promise<string> => {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return (error as Error).name;
  }
};

beforeAll(async () => {
  installFileReader();
  env = await startTestSandbox();
  vite = await startAppDevServer(env.dataDirectory);
  origin = new URL(vite.resolvedUrls!.local[0]!).origin;
  outputs = await browserOutputs();
  const config = parseAmplifyConfig(outputs as unknown as Parameters<typeof parseAmplifyConfig>[0]);
  config.Auth!.Cognito.userPoolEndpoint = outputs.custom.userPoolEndpoint;
  config.Auth!.Cognito.identityPoolEndpoint = outputs.custom.identityPoolEndpoint;
  Amplify.configure(config);
  await signUpEveryone(env, { ann: ANN, bob: BOB });
});

afterAll(async () => {
  await signOut().catch(() => undefined);
  await vite?.close();
  await env?.sandbox.close();
});

describe('the outputs module the browser receives, with a bucket', () => {
  it("names the page's host as the storage endpoint, and the rewrite from the storage endpoint to /s3-presigned", () => {
    expect(env.sandbox.urls.storage).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(env.outputs.custom['storageEndpoint']).toBe(new URL(env.sandbox.urls.storage!).host);
    expect(outputs.custom.storageEndpoint).toBe(new URL(origin).host);
    expect(outputs.custom.storageUrlRewrite).toEqual({ from: env.sandbox.urls.storage, to: `${origin}${PROXY_PATHS.storagePresigned}` });
    expect(outputs.custom.identityPoolEndpoint).toBe(`${origin}${PROXY_PATHS.cognito}`);
    expect(outputs.storage.bucket_name).toBe(env.outputs.storage!.bucket_name);
  });
});

describe('Storage through the page origin', () => {
  const big = Buffer.alloc(5 * 1024 * 1024 + 4321, 7);

  it('uploads (single and multipart), lists and downloads with requests signed for the page host', async () => {
    const { identityId } = await signInAs(ANN);
    const folder = `uploads/${identityId}/${randomUUID()}`;
    await uploadData({ path: `${folder}/note.txt`, data: 'through the page', options: viaPage({ contentType: 'text/plain' }) }).result;
    const multipart = await uploadData({ path: `${folder}/big.bin`, data: big, options: viaPage() }).result;
    expect(multipart.eTag).toMatch(/-2"?$/);
    const listed = await list({ path: `${folder}/`, options: viaPage() });
    expect(listed.items.map((item) => [item.path, item.size]).sort()).toEqual([
      [`${folder}/big.bin`, big.length],
      [`${folder}/note.txt`, 16],
    ]);
    expect(await (await downloadData({ path: `${folder}/note.txt`, options: viaPage() }).result).body.text()).toBe('through the page');
  });

  it('serves a URL presigned for the storage endpoint through /s3-presigned, and refuses it forged or on another host', async () => {
    const ann = await signInAs(ANN);
    const key = `uploads/${ann.identityId}/${randomUUID()}/photo.png`;
    await uploadData({ path: key, data: 'png bytes', options: viaPage({ contentType: 'image/png' }) }).result;
    // Presigned as the message processor presigns: for the storage endpoint's own host, with response overrides.
    const storage = new URL(env.sandbox.urls.storage!);
    const signer = new SignatureV4({ credentials: ann.credentials, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
    const presigned = await signer.presign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: storage.hostname,
        port: Number(storage.port),
        path: `/${outputs.storage.bucket_name}/${key}`,
        query: { 'response-content-disposition': 'inline', 'response-content-type': 'image/png' },
        headers: { host: storage.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      { expiresIn: 300 },
    );
    const url = `${env.sandbox.urls.storage}${presigned.path}?${new URLSearchParams(presigned.query as Record<string, string>).toString()}`;
    const { from, to } = outputs.custom.storageUrlRewrite;
    expect(url.startsWith(from)).toBe(true);
    const rewritten = `${to}${url.slice(from.length)}`;
    expect(rewritten.startsWith(`${origin}/s3-presigned/`)).toBe(true);

    const fetched = await fetch(rewritten);
    expect(fetched.status).toBe(200);
    expect([fetched.headers.get('content-type'), fetched.headers.get('content-disposition'), await fetched.text()]).toEqual(['image/png', 'inline', 'png bytes']);

    const forged = new URL(rewritten);
    forged.searchParams.set('response-content-type', 'text/html');
    const refused = await fetch(forged);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    // The same URL on the bucket path keeps the page's Host, for which it was not signed.
    const rehosted = await fetch(`${origin}${url.slice(from.length)}`);
    expect(rehosted.status).toBe(403);
    expect(await rehosted.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it("relaxes nothing: another identity's request through the page is refused by its role policy", async () => {
    const ann = await signInAs(ANN);
    const key = `uploads/${ann.identityId}/${randomUUID()}/private.txt`;
    await uploadData({ path: key, data: 'ann only', options: viaPage() }).result;
    await signInAs(BOB);
    expect(await errorName(downloadData({ path: key, options: viaPage() }).result)).toBe('AccessDenied');
    expect(await errorName(uploadData({ path: `uploads/${ann.identityId}/x/from-bob.txt`, data: 'x', options: viaPage() }).result)).toBe('AccessDenied');
    expect(await errorName(downloadData({ path: 'conversations/c/m/file.txt', options: viaPage() }).result)).toBe('AccessDenied');
  });
});
