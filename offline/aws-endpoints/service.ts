/**
 * The sandbox's local AWS endpoints for the functions: SSM parameters, the S3 objects they name, and DynamoDB behind
 * each function's role policy; plus the access keys the functions sign with (the AppSync service authenticates IAM
 * callers with the same map).
 */
import type { LocalDynamoDb } from '../dynamodb/index.js';
import type { ServiceDefinition } from '../sandbox/service.js';
import { credentialsByAccessKey } from './credentials.js';
import { startAwsEndpoints } from './server.js';

export interface AwsEndpointsApi {
  /** The base URL functions use for SSM, S3 and DynamoDB. */
  url: string;
  /** Access key id → the function it belongs to, its secret and role policy; replaced in place by a reload. */
  credentials: ReturnType<typeof credentialsByAccessKey>;
}

export const awsEndpointsService: ServiceDefinition<'awsEndpoints', AwsEndpointsApi, { dynamodb: LocalDynamoDb }> = {
  name: 'awsEndpoints',
  label: 'SSM/S3/DynamoDB endpoint for the functions',
  dependsOn: ['dynamodb'],
  async start({ dynamodb }, context) {
    const credentials = credentialsByAccessKey(context.description.lambdas, context.description.accountId);
    // The functions read the GraphQL URL at cold start, which happens only once the AppSync service runs.
    const appsync = context.later<{ internalUrl: string }>('appsync');
    const endpoints = await startAwsEndpoints({
      description: context.description,
      host: '127.0.0.1',
      graphqlEndpoint: () => appsync()?.internalUrl,
      accessKeyIds: () => credentials.keys(),
      // Functions reach DynamoDB through the endpoint, which applies their role policy before passing on to dynalite.
      dynamoDbEndpoint: dynamodb.endpoint,
      logger: context.log,
    });
    return {
      api: { url: endpoints.url, credentials },
      urls: { endpoint: endpoints.url },
      summary: endpoints.url,
      prepareReload: async (next) => {
        const nextCredentials = credentialsByAccessKey(next.lambdas, next.accountId);
        return () => {
          credentials.clear();
          for (const [key, value] of nextCredentials) credentials.set(key, value);
          endpoints.setDescription(next);
        };
      },
      close: () => endpoints.close(),
    };
  },
};
