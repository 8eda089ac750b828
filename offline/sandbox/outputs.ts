/**
 * `amplify_outputs.json` for a running offline sandbox: the real ids from the synthesized backend, the local
 * GraphQL URL, and `custom.userPoolEndpoint` (the local Cognito URL, which the outputs schema has no field for;
 * `src/amplify-config.ts` applies it). A file without `custom.offline` was written by ampx for a deployed backend
 * and is never overwritten unless forced.
 *
 * With storage (a bucket served by offline/s3): `auth.identity_pool_id` and `custom.identityPoolEndpoint` (the client's
 * `Auth.Cognito.identityPoolEndpoint`), and `storage` as ampx writes it, plus `custom.storageEndpoint`, the
 * `host:port` a Storage call takes as `options.customEndpoint` (see offline/s3/README.md for why no configuration
 * setting of aws-amplify 6.22 reaches a local endpoint). Without storage the identity pool is left out: a client given
 * `identity_pool_id` calls GetId in every fetchAuthSession, and one that did not apply `identityPoolEndpoint` would
 * call AWS and fail.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { STANDARD_ATTRIBUTES } from '../loader/index.js';
import type { BackendDescription } from '../loader/index.js';
import { localBucketName } from '../s3/index.js';

export const OUTPUTS_SCHEMA = 'https://amplify.aws/2024-02/outputs-schema.json';
export const OUTPUTS_VERSION = '1.4';

/** The sandbox's endpoints the outputs name (`Sandbox['urls']` is one). */
export interface OfflineEndpoints {
  /** The AppSync GraphQL URL (https). */
  graphql: string;
  /** The Cognito user pool endpoint. */
  cognito: string;
  /** The identity pool's endpoint (offline/cognito-identity), when it is served. */
  identityPool?: string;
  /** The storage endpoint's URL (offline/s3, https), when a bucket is served. */
  storage?: string;
}

export interface AmplifyOutputs {
  $schema: string;
  version: string;
  auth: Record<string, unknown> & { aws_region: string; user_pool_id: string; user_pool_client_id: string };
  data: Record<string, unknown> & { url: string; aws_region: string };
  storage?: { aws_region: string; bucket_name: string; buckets: { name: string; bucket_name: string; aws_region: string; paths?: Record<string, Record<string, string[]>> }[] };
  custom: { offline: true; userPoolEndpoint: string; connectionHelp: string } & Record<string, unknown>;
}

/** What the web app tells a person who cannot reach a local sandbox (read from `custom.connectionHelp`). */
export const CONNECTION_HELP =
  'This app uses a local offline sandbox. Is `npm run dev` still running? Open the app at the https:// URL it ' +
  'prints; if the browser warns about the certificate, choose Advanced → Proceed, or run `npx amplify-gen2-offline trust` once and ' +
  'restart the browser.';

export function buildOutputs(description: BackendDescription, endpoints: OfflineEndpoints): AmplifyOutputs {
  const pool = description.userPool;
  const client = pool.clients[0];
  if (!client) throw new Error(`user pool ${pool.id} has no app client: the web app cannot sign in`);
  const policy = pool.passwordPolicy;
  const identityPool = description.identityPool;
  const bucket = description.buckets?.[0];
  const withStorage = Boolean(bucket && endpoints.storage && identityPool && endpoints.identityPool);
  return {
    $schema: OUTPUTS_SCHEMA,
    version: OUTPUTS_VERSION,
    auth: {
      aws_region: description.region,
      user_pool_id: pool.id,
      user_pool_client_id: client.id,
      ...(withStorage ? { identity_pool_id: identityPool!.id } : {}),
      username_attributes: [...pool.usernameAttributes],
      standard_required_attributes: pool.attributes.filter((a) => a.required && STANDARD_ATTRIBUTES.has(a.name)).map((a) => a.name),
      user_verification_types: [...pool.autoVerifiedAttributes],
      unauthenticated_identities_enabled: withStorage ? identityPool!.allowUnauthenticatedIdentities : false,
      password_policy: {
        min_length: policy.minimumLength,
        require_numbers: policy.requireNumbers,
        require_lowercase: policy.requireLowercase,
        require_uppercase: policy.requireUppercase,
        require_symbols: policy.requireSymbols,
      },
    },
    data: {
      url: endpoints.graphql,
      aws_region: description.region,
      default_authorization_type: description.api.defaultAuthMode,
      authorization_types: [...description.api.additionalAuthModes],
      model_introspection: description.modelIntrospection,
      // As ampx writes it when the API has an API key mode: the client signs API_KEY requests with it.
      ...(description.api.apiKeys[0] ? { api_key: description.api.apiKeys[0] } : {}),
    },
    ...(withStorage
      ? {
          storage: {
            aws_region: description.region,
            bucket_name: localBucketName(bucket!.name),
            buckets: description.buckets!.map((each) => ({
              name: each.friendlyName,
              bucket_name: localBucketName(each.name),
              aws_region: description.region,
              ...(each.paths ? { paths: each.paths } : {}),
            })),
          },
        }
      : {}),
    custom: {
      offline: true,
      userPoolEndpoint: endpoints.cognito,
      connectionHelp: CONNECTION_HELP,
      ...(withStorage ? { identityPoolEndpoint: endpoints.identityPool!, storageEndpoint: new URL(endpoints.storage!).host } : {}),
    },
  };
}

export type WriteOutcome = 'written' | 'kept (written by ampx for a deployed backend)';

/** Whether the file at `path` may be replaced: missing, unreadable as JSON (never ampx's), or marked offline. */
export function isReplaceable(path: string): boolean {
  if (!existsSync(path)) return true;
  try {
    const current = JSON.parse(readFileSync(path, 'utf8')) as { custom?: { offline?: unknown } } | null;
    return Boolean(current?.custom?.offline);
  } catch {
    return false;
  }
}

export function writeOutputs(path: string, outputs: AmplifyOutputs, options: { force?: boolean } = {}): WriteOutcome {
  if (!options.force && !isReplaceable(path)) return 'kept (written by ampx for a deployed backend)';
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(outputs, null, 2)}\n`);
  // Rename, so Vite's watcher never reads a half-written file.
  renameSync(temporary, path);
  return 'written';
}
