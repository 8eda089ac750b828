/**
 * The sandbox's Lambda service: the backend's app functions, each with a pool of execution environments (processes on
 * the Node its runtime names), pointed at the local AWS endpoints with its own credentials. A reload gives changed
 * functions cold starts.
 */
import { lambdaEnvironment, type AwsEndpointsApi } from '../aws-endpoints/index.js';
import type { BackendDescription } from '../loader/index.js';
// The leaf module, not the s3 service's index (which leads back here through the AppSync verifier it shares).
import { localBucketName } from '../s3/bucket-names.js';
import type { ServiceDefinition } from '../sandbox/service.js';
import type { LocalCertificate } from '../tls/index.js';
import { defaultFunctionConcurrency, LambdaRunner, type FunctionChanges } from './runner.js';

/** Synthesized bucket name → the name the storage endpoint serves it under. */
const localBucketNames = (description: BackendDescription) => new Map((description.buckets ?? []).map((bucket) => [bucket.name, localBucketName(bucket.name)]));

/**
 * Environments per function: OFFLINE_SANDBOX_LAMBDA_CONCURRENCY (a whole number from 1; 1 runs a function's invocations
 * one after another, as one instance would) or defaultFunctionConcurrency() (4, or fewer on fewer cores).
 */
export function functionConcurrency(setting: string | undefined): number {
  if (setting === undefined || setting === '') return defaultFunctionConcurrency();
  const value = Number(setting);
  if (!Number.isInteger(value) || value < 1) throw new Error(`OFFLINE_SANDBOX_LAMBDA_CONCURRENCY must be a whole number from 1, not "${setting}"`);
  return value;
}

/** What the functions need of the storage service (offline/s3's StorageApi): its URL, when it serves a bucket. */
interface StorageEndpoint {
  url: string | undefined;
}

export const lambdaService: ServiceDefinition<'lambda', LambdaRunner, { tls: LocalCertificate; awsEndpoints: AwsEndpointsApi; storage: StorageEndpoint }, FunctionChanges> = {
  name: 'lambda',
  label: 'Lambda functions',
  dependsOn: ['tls', 'awsEndpoints', 'storage'],
  async start({ tls, awsEndpoints, storage }, context) {
    const { accountId } = context.description;
    let buckets = localBucketNames(context.description);
    const appFunctions = context.description.lambdas.filter((fn) => fn.appFunction);
    const concurrency = functionConcurrency(process.env['OFFLINE_SANDBOX_LAMBDA_CONCURRENCY']);
    const lambdas = new LambdaRunner(appFunctions, {
      environment: (fn) =>
        lambdaEnvironment(fn, {
          endpointUrl: awsEndpoints.url,
          dynamoDbEndpointUrl: awsEndpoints.url,
          // With buckets, S3 is the storage endpoint (https, the sandbox's certificate, which the workers trust).
          ...(storage.url ? { storageEndpointUrl: storage.url, localBucketNames: buckets } : {}),
          accountId,
          scratchDirectory: context.data.lambda,
        }),
      trustedCertificates: [tls.ca],
      concurrency: () => concurrency,
      logger: context.log,
      events: context.events,
    });
    return {
      api: lambdas,
      urls: {},
      // Which Node runs which runtime (a missing one has already been warned about, once, by the runner).
      summary: `${appFunctions.map((fn) => fn.name).join(', ') || 'none'}; ${[...lambdas.runtimes(), `up to ${concurrency} concurrent invocations per function`].join('; ')}; SSM at ${awsEndpoints.url}, S3 at ${storage.url ?? awsEndpoints.url}`,
      prepareReload: async (next) => () => {
        buckets = localBucketNames(next);
        return lambdas.replaceFunctions(next.lambdas.filter((fn) => fn.appFunction));
      },
      close: () => lambdas.close(),
    };
  },
};
