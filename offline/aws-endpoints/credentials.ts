/**
 * Per-function fake AWS credentials and the environment that points a Lambda's bundled AWS SDK at the local
 * endpoints. Each app function gets its own access key, so the AppSync emulator can tell callers apart (IAM auth).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { LambdaDescription, RolePolicyDescription } from '../loader/index.js';

export interface FunctionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** The assumed-role ARN AWS would report for the function's execution role. */
  principal: string;
}

export const LOCAL_REGION = 'us-east-1';

/** Stable credentials for a function (the same across restarts, distinct per function). */
export function functionCredentials(functionName: string, accountId: string): FunctionCredentials {
  const digest = createHash('sha256').update(`offline-sandbox:${functionName}`).digest('hex');
  return {
    // Real temporary keys start with ASIA and are 20 upper-case alphanumerics.
    accessKeyId: `ASIA${digest.slice(0, 16).toUpperCase()}`,
    secretAccessKey: createHash('sha256').update(`offline-sandbox-secret:${functionName}`).digest('base64').slice(0, 40),
    principal: `arn:aws:sts::${accountId}:assumed-role/${functionName}-role/${functionName}`,
  };
}

/** Access key id → credentials of every app function (what the AppSync server's `iamCredentials` takes). */
export function credentialsByAccessKey(
  functions: LambdaDescription[],
  accountId: string,
): Map<string, { secretAccessKey: string; principal: string; functionName: string; policy: RolePolicyDescription }> {
  const map = new Map<string, { secretAccessKey: string; principal: string; functionName: string; policy: RolePolicyDescription }>();
  for (const fn of functions) {
    if (!fn.appFunction) continue;
    const { accessKeyId, secretAccessKey, principal } = functionCredentials(fn.name, accountId);
    // The execution role's policy: the AppSync emulator evaluates appsync:GraphQL with it.
    map.set(accessKeyId, { secretAccessKey, principal, functionName: fn.name, policy: fn.policy });
  }
  return map;
}

export interface LambdaEnvironmentOptions {
  /** Base URL of the local SSM + S3 endpoint (`startAwsEndpoints().url`). */
  endpointUrl: string;
  /**
   * Where functions that call DynamoDB directly (the send rate limiter) send it: the aws-endpoints URL when it was
   * started with `dynamoDbEndpoint`, so each request is checked against the function's role policy before it reaches
   * dynalite. Unset: no `AWS_ENDPOINT_URL_DYNAMODB` (the SDK would go to AWS, and fail for lack of real credentials).
   */
  dynamoDbEndpointUrl?: string;
  accountId: string;
  /** A directory that exists; the SDK's config/credentials file paths point inside it at files that do not. */
  scratchDirectory: string;
  /**
   * The storage endpoint (offline/s3, https), when the backend has buckets: then `AWS_ENDPOINT_URL_S3`, so a function
   * with storage access reaches the buckets (and the introspection schema, which that endpoint serves to functions too).
   */
  storageEndpointUrl?: string;
  /**
   * Synthesized bucket name → the name the storage endpoint serves it under (offline/s3/bucket-names.ts): a template
   * environment variable holding a bucket's name gets the local one. (Amplify's `<NAME>_BUCKET_NAME` comes through SSM
   * at cold start instead; the SSM endpoint answers the local name there.)
   */
  localBucketNames?: ReadonlyMap<string, string>;
}

/**
 * The variables the sandbox sets for a function, over its template environment. The LambdaRunner gives each worker
 * only the template environment plus these, so nothing from the developer's shell (AWS_PROFILE, …) leaks in; the
 * file paths and IMDS switch make sure the SDK's default chain cannot find anything else either.
 */
export function lambdaEnvironment(fn: LambdaDescription, options: LambdaEnvironmentOptions): Record<string, string> {
  const credentials = functionCredentials(fn.name, options.accountId);
  const missing = join(options.scratchDirectory, 'no-such-aws-config');
  const bucketNames = Object.entries(fn.environment).flatMap(([name, value]) => {
    const local = options.localBucketNames?.get(value);
    return local === undefined ? [] : [[name, local] as const];
  });
  return {
    ...Object.fromEntries(bucketNames),
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMB),
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_SSM: options.endpointUrl,
    AWS_ENDPOINT_URL_S3: options.storageEndpointUrl ?? options.endpointUrl,
    ...(options.dynamoDbEndpointUrl ? { AWS_ENDPOINT_URL_DYNAMODB: options.dynamoDbEndpointUrl } : {}),
    AWS_CONFIG_FILE: missing,
    AWS_SHARED_CREDENTIALS_FILE: missing,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
