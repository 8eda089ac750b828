/**
 * One origin for the browser: a Vite plugin that serves the web app over HTTPS with the offline sandbox's own
 * server certificate and proxies the sandbox's endpoints under the app's origin, so the page, GraphQL, the
 * real-time WebSocket and Cognito all live on one host the browser is asked about at most once.
 *
 *   https://<app origin>/                   the app (Vite)
 *   https://<app origin>/graphql            → the sandbox's AppSync GraphQL endpoint
 *   wss://<app origin>/graphql/realtime     → the sandbox's real-time endpoint (WebSocket upgrade)
 *   https://<app origin>/cognito            → the sandbox's Cognito endpoint (prefix removed)
 *   https://<app origin>/<bucket>.local/…   → the storage endpoint, Host kept (uploads/downloads signed for the page)
 *   https://<app origin>/s3-presigned/…     → the storage endpoint, prefix removed and Host set to the endpoint's
 *                                             (URLs the functions presigned for the endpoint's own host)
 *
 * Why: aws-amplify v6 always opens `wss://` for subscriptions, so a page cannot reach the sandbox without trusting
 * its certificate; serving the page from the same host:port means the one warning a browser shows for the page (or
 * none after `amplify-gen2-offline trust`) covers every request the app makes.
 *
 * The app's `amplify_outputs.json` import is answered with the same file, its `data.url` and
 * `custom.userPoolEndpoint` rewritten to the page's own origin at run time (so any port or host name works). Only
 * files the offline sandbox wrote (`custom.offline`) are touched; outputs of a deployed backend pass through as they
 * are, and `vite build` is not affected. The proxy keeps the Host header (no `changeOrigin`): the real-time
 * handshake names the app's host, and the sandbox checks the socket's Host against it as AppSync does.
 *
 * Storage (when the outputs have a bucket): `custom.storageEndpoint` becomes the page's host, so aws-amplify's Storage
 * calls (`options.customEndpoint`) sign for the page's host and go through the bucket paths above with that Host, and
 * SigV4 verifies as signed. A URL presigned by a function names the storage endpoint itself (`https://127.0.0.1:20005/
 * <bucket>.local/<key>?X-Amz-…`): `custom.storageUrlRewrite = { from, to }` tells the app to replace that origin `from`
 * by `to` (`<page origin>/s3-presigned`), whose proxy removes the prefix and sends the endpoint's own Host, so the
 * signature is checked exactly as it was made.
 *
 * Node clients, tests and `npm run sandbox:offline` keep using the direct URLs in the file on disk.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Plugin, ProxyOptions, ViteDevServer } from 'vite';
import { CA_FILE, SERVER_CERT_FILE, SERVER_KEY_FILE } from '../tls/index.js';
import { browserTrustsCa, currentHost, readLocalCa } from '../tls/index.js';
import { xmlEscape } from '../s3/xml.js';

/** Paths under the app's origin that lead to the sandbox. */
export const PROXY_PATHS = { graphql: '/graphql', cognito: '/cognito', storagePresigned: '/s3-presigned' } as const;

export interface OfflineSandboxPluginOptions {
  /** The outputs file the app imports (default `$OFFLINE_SANDBOX_OUTPUTS`, else `<root>/amplify_outputs.json`). */
  outputsFile?: string;
  /** The sandbox's data directory with its certificates (default `$OFFLINE_SANDBOX_DATA`, else `<root>/.amplify/offline`). */
  dataDirectory?: string;
  /** Print whether the browser store trusts the CA when the server starts (default true). */
  reportTrust?: boolean;
}

interface OfflineOutputs {
  data: { url: string } & Record<string, unknown>;
  storage?: { buckets?: { bucket_name: string }[] } & Record<string, unknown>;
  custom: { offline: true; userPoolEndpoint: string; storageEndpoint?: unknown } & Record<string, unknown>;
}

/** Where the app replaces the origin of a presigned URL (`custom.storageUrlRewrite`). */
export interface StorageUrlRewrite {
  /** The origin presigned URLs name: the storage endpoint's (`https://<custom.storageEndpoint of the file>`). */
  from: string;
  /** `<page origin>/s3-presigned`. */
  to: string;
}

const VIRTUAL_OUTPUTS = '\0offline-sandbox:amplify_outputs';

/** The offline outputs in `file`, or undefined when it is missing, not JSON, or written for a deployed backend. */
export function readOfflineOutputs(file: string): OfflineOutputs | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const outputs = JSON.parse(readFileSync(file, 'utf8')) as Partial<OfflineOutputs> | null;
    if (outputs?.custom?.offline !== true || typeof outputs.data?.url !== 'string' || typeof outputs.custom.userPoolEndpoint !== 'string') return undefined;
    return outputs as OfflineOutputs;
  } catch {
    return undefined;
  }
}

/** The module the browser gets for amplify_outputs.json: the file, pointed at the page's own origin. */
export function outputsModule(outputs: OfflineOutputs): string {
  return [
    `const outputs = ${JSON.stringify(outputs)};`,
    'const origin = globalThis.location.origin;',
    `outputs.data = { ...outputs.data, url: origin + ${JSON.stringify(PROXY_PATHS.graphql)} };`,
    `outputs.custom = { ...outputs.custom, userPoolEndpoint: origin + ${JSON.stringify(PROXY_PATHS.cognito)} };`,
    // The identity pool is answered on the Cognito endpoint (offline/cognito-identity), so behind the same path.
    `if (typeof outputs.custom.identityPoolEndpoint === 'string') outputs.custom.identityPoolEndpoint = origin + ${JSON.stringify(PROXY_PATHS.cognito)};`,
    // Storage calls through the page's host; presigned URLs (signed for the endpoint's host) through /s3-presigned.
    'if (typeof outputs.custom.storageEndpoint === "string") {',
    `  outputs.custom.storageUrlRewrite = { from: "https://" + outputs.custom.storageEndpoint, to: origin + ${JSON.stringify(PROXY_PATHS.storagePresigned)} };`,
    '  outputs.custom.storageEndpoint = globalThis.location.host;',
    '}',
    'export default outputs;',
    '',
  ].join('\n');
}

/**
 * The storage endpoint's paths under the page's origin: each bucket's (`/<local bucket name>/…`, Host kept: requests
 * signed for the page's host) and `/s3-presigned/…` (prefix removed, Host the endpoint's: URLs presigned for it).
 */
export function storageProxies(storageTarget: string, outputs: Pick<OfflineOutputs, 'storage'>, ca: string): Record<string, ProxyOptions> {
  const options = (extra: ProxyOptions): ProxyOptions => ({
    target: storageTarget,
    ca,
    secure: true,
    configure: (server) => void server.on('error', unreachable(storageTarget, 's3')),
    ...extra,
  });
  const proxies: Record<string, ProxyOptions> = {
    [`^${PROXY_PATHS.storagePresigned}/`]: options({ changeOrigin: true, rewrite: (path) => path.slice(PROXY_PATHS.storagePresigned.length) }),
  };
  for (const bucket of outputs.storage?.buckets ?? []) {
    proxies[`^/${bucket.bucket_name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|\\?|$)`] = options({ changeOrigin: false });
  }
  return proxies;
}

/** An AppSync-shaped answer when the sandbox behind the proxy does not answer (instead of a bare 500). */
function unreachable(target: string, shape: 'graphql' | 's3' = 'graphql') {
  return (error: Error, _request: IncomingMessage, response: ServerResponse | import('node:net').Socket) => {
    if (!('writeHead' in response) || response.headersSent || response.writableEnded) return;
    const message = `The offline sandbox at ${new URL(target).host} is not answering (${(error as NodeJS.ErrnoException).code ?? error.message}). Is \`npm run dev\` still running?`;
    if (shape === 's3') {
      // S3's error document, which the Storage client reads.
      response.writeHead(502, { 'content-type': 'application/xml' });
      response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SandboxUnreachable</Code><Message>${xmlEscape(message)}</Message></Error>`);
      return;
    }
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ errors: [{ errorType: 'SandboxUnreachable', message }] }));
  };
}

export function offlineSandbox(options: OfflineSandboxPluginOptions = {}): Plugin {
  let outputsFile = '';
  let active = false;
  let caFile = '';
  return {
    name: 'offline-sandbox',
    apply: 'serve',
    enforce: 'pre',

    config(config) {
      const root = resolve(config.root ?? process.cwd());
      outputsFile = resolve(root, options.outputsFile ?? process.env['OFFLINE_SANDBOX_OUTPUTS'] ?? 'amplify_outputs.json');
      const dataDirectory = resolve(root, options.dataDirectory ?? process.env['OFFLINE_SANDBOX_DATA'] ?? join('.amplify', 'offline'));
      const outputs = readOfflineOutputs(outputsFile);
      if (!outputs) return undefined;
      caFile = join(dataDirectory, CA_FILE);
      const [cert, key, ca] = [SERVER_CERT_FILE, SERVER_KEY_FILE, CA_FILE].map((file) => {
        const path = join(dataDirectory, file);
        if (!existsSync(path)) throw new Error(`${outputsFile} describes an offline sandbox, but ${path} is missing: start the sandbox (amplify-gen2-offline start)`);
        return readFileSync(path, 'utf8');
      });
      active = true;
      const graphqlTarget = new URL(outputs.data.url).origin;
      const cognitoTarget = new URL(outputs.custom.userPoolEndpoint).origin;
      const proxy: Record<string, ProxyOptions> = {
        [PROXY_PATHS.graphql]: {
          target: graphqlTarget,
          ws: true,
          ca,
          secure: true,
          changeOrigin: false,
          configure: (server) => void server.on('error', unreachable(graphqlTarget)),
        },
        [PROXY_PATHS.cognito]: {
          target: cognitoTarget,
          ca,
          secure: true,
          changeOrigin: false,
          rewrite: (path) => path.slice(PROXY_PATHS.cognito.length) || '/',
          configure: (server) => void server.on('error', unreachable(cognitoTarget)),
        },
      };
      if (typeof outputs.custom.storageEndpoint === 'string') Object.assign(proxy, storageProxies(`https://${outputs.custom.storageEndpoint}`, outputs, ca!));
      return { server: { https: { cert, key }, proxy } };
    },

    // Every import of amplify_outputs.json gets the sandbox's outputs file (the one in the project root by default).
    resolveId(source) {
      return active && /(^|[/\\])amplify_outputs\.json$/.test(source) ? VIRTUAL_OUTPUTS : null;
    },

    load(id) {
      if (id !== VIRTUAL_OUTPUTS) return null;
      const outputs = readOfflineOutputs(outputsFile);
      if (!outputs) throw new Error(`${outputsFile} no longer describes an offline sandbox: restart the dev server`);
      return outputsModule(outputs);
    },

    configureServer(server: ViteDevServer) {
      if (!active) return;
      // The sandbox rewrites the outputs on a reload: serve the new file and reload the page, as for any import.
      server.watcher.add(outputsFile);
      server.watcher.on('change', (file) => {
        if (resolve(file) !== outputsFile) return;
        const module = server.moduleGraph.getModuleById(VIRTUAL_OUTPUTS);
        if (module) server.moduleGraph.invalidateModule(module);
        server.ws.send({ type: 'full-reload' });
      });
      if (options.reportTrust === false) return;
      const printUrls = server.printUrls.bind(server);
      server.printUrls = () => {
        printUrls();
        server.config.logger.info(trustLine(caFile));
      };
    },
  };
}

/** The one line `npm run dev` prints about the certificate. */
export function trustLine(caFile: string, env: NodeJS.ProcessEnv = process.env): string {
  let trusted: boolean;
  try {
    trusted = browserTrustsCa(readLocalCa(caFile), currentHost(env), env);
  } catch {
    trusted = false;
  }
  return trusted
    ? "  ➜  Certificate: trusted by this machine's browser store (npm run untrust removes it)"
    : '  ➜  Certificate: your browser will warn once on this URL: choose Advanced → Proceed; or run npx amplify-gen2-offline trust';
}
