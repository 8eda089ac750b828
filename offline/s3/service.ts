/**
 * The sandbox's storage service: the backend's buckets (defineStorage) on an S3-compatible HTTPS endpoint
 * (server.ts), their objects on disk under `<data>/s3/<bucket>/` (bucket-store.ts). Callers sign with the keys the
 * local AWS endpoint knows — an identity pool's temporary credentials (offline/cognito-identity), the functions' keys —
 * and every request is evaluated against that caller's role policy.
 *
 * With a bucket, it is also the app functions' S3 endpoint (`AWS_ENDPOINT_URL_S3`, offline/lambda): a function with
 * storage access (`allow.resource(fn)`) signs with its own keys and its execution role's policy is evaluated; the
 * deployment bucket's introspection schema the functions read at cold start is served here to them as well.
 *
 * The buckets' lifecycle rules (expiration by prefix, aborting stale multipart uploads) are applied at start and then
 * hourly (lifecycle.ts).
 *
 * It serves only when the synthesized backend declares a bucket. A reload serves the new bucket list (a new bucket is
 * empty, a removed one keeps its files on disk); a backend that had none at start needs a restart to get one.
 */
import { join } from 'node:path';
import { introspectionObjects, type AwsEndpointsApi, type S3Objects } from '../aws-endpoints/index.js';
import type { BackendDescription, BucketDescription } from '../loader/index.js';
import { serviceFolder } from '../sandbox/data-directory.js';
import { listenWithFallback } from '../sandbox/listen-fallback.js';
import { DEFAULT_PORTS } from '../sandbox/ports.js';
import type { RunningService, ServiceDefinition } from '../sandbox/service.js';
import type { LocalCertificate } from '../tls/index.js';
import { BucketStore } from './bucket-store.js';
import { applyLifecycle, LIFECYCLE_SWEEP_MS } from './lifecycle.js';
import { startStorageServer } from './server.js';

export interface StorageApi {
  /** The endpoint's URL (`https://127.0.0.1:20005`), when a bucket is served. */
  url: string | undefined;
  /** The buckets served now. */
  buckets(): readonly BucketDescription[];
  /** A served bucket's objects (the console's Storage page, the state export/import); undefined when none is served. */
  store(bucket: BucketDescription): BucketStore | undefined;
}

export interface StorageServiceOptions {
  /** The preferred port (a taken one falls back to a free port, with a warning); 0 picks a free one. */
  port?: number;
  /** The clock the lifecycle rules are applied with (tests). */
  now?: () => number;
}

export function storageService(options: StorageServiceOptions = {}): ServiceDefinition<'storage', StorageApi, { tls: LocalCertificate; awsEndpoints: AwsEndpointsApi }, { needsRestart: boolean }> {
  return {
    name: 'storage',
    label: 'S3 storage',
    dependsOn: ['tls', 'awsEndpoints'],
    async start({ tls, awsEndpoints }, context): Promise<RunningService<StorageApi, { needsRestart: boolean }>> {
      let description: BackendDescription = context.description;
      const now = options.now ?? Date.now;
      const current = () => description.buckets ?? [];
      if (current().length === 0) {
        return {
          api: { url: undefined, buckets: () => [], store: () => undefined },
          urls: {} as Record<string, string>,
          summary: 'none in this backend',
          prepareReload: async (next) => () => ({ needsRestart: (next.buckets ?? []).length > 0 }),
          close: () => undefined,
        };
      }
      let deployment: S3Objects | undefined;
      const root = serviceFolder(context.data, 's3');
      const stores = new Map<string, BucketStore>();
      const store = (bucket: BucketDescription) => {
        let found = stores.get(bucket.name);
        if (!found) {
          found = new BucketStore(bucket.name, join(root, bucket.name));
          stores.set(bucket.name, found);
        }
        return found;
      };
      for (const bucket of current()) store(bucket);
      // The buckets' lifecycle rules: at start, then every LIFECYCLE_SWEEP_MS.
      const sweep = () => {
        for (const bucket of current()) {
          if (!bucket.lifecycle) continue;
          try {
            const { expired, aborted } = applyLifecycle(store(bucket), bucket.lifecycle, now());
            if (expired.length + aborted.length > 0) context.log(`[s3] lifecycle of ${bucket.friendlyName}: ${expired.length} objects expired, ${aborted.length} multipart uploads aborted`);
          } catch (error) {
            context.log(`[s3] lifecycle of ${bucket.friendlyName} failed: ${(error as Error).message}`, 'warn');
          }
        }
      };
      sweep();
      const sweeper = setInterval(sweep, LIFECYCLE_SWEEP_MS);
      sweeper.unref();
      const server = await listenWithFallback(
        'S3 storage',
        options.port ?? DEFAULT_PORTS.s3,
        (port) =>
          startStorageServer({
            buckets: current,
            store,
            credentials: awsEndpoints.credentials,
            // The functions' S3 endpoint is this one (offline/lambda): their cold-start read of the introspection schema too.
            deploymentObjects: () => (deployment ??= introspectionObjects(description)),
            tls,
            host: context.host,
            port,
            log: context.log,
          }),
        context.log,
        'amplify_outputs.json names the new port; a page loaded before keeps the old one.',
      );
      return {
        api: { url: server.url, buckets: current, store },
        urls: { storage: server.url },
        summary: `${current()
          .map((bucket) => bucket.friendlyName)
          .join(', ')} at ${server.url}`,
        prepareReload: async (next) => () => {
          description = next;
          deployment = undefined;
          return { needsRestart: false };
        },
        close: () => {
          clearInterval(sweeper);
          return server.close();
        },
      };
    },
  };
}
