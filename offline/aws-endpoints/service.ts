/**
 * The sandbox's local AWS endpoints for the functions: SSM parameters, the S3 objects they name, and DynamoDB behind
 * each function's role policy; plus the access keys the functions sign with (the AppSync service authenticates IAM
 * callers with the same map).
 */
import type { LocalDynamoDb } from '../dynamodb/index.js';
import type { IamContext } from '../iam/index.js';
import type { RolePolicyDescription } from '../loader/index.js';
import type { ServiceDefinition } from '../sandbox/service.js';
import { credentialsByAccessKey } from './credentials.js';
import { startAwsEndpoints } from './server.js';

/** An IAM caller's key: its secret, the principal AWS would report and its identity policy. */
export interface CallerCredential {
  secretAccessKey: string;
  principal: string;
  policy: RolePolicyDescription;
  /** The app function the key belongs to; absent for a caller of the sandbox's own (the console) or an identity's. */
  functionName?: string;
  /** Temporary credentials (an identity pool's): the session token every request must carry, and when they expire (epoch ms). */
  sessionToken?: string;
  expiresAt?: number;
  /** The request context the role's policy is evaluated with (an identity's `cognito-identity.amazonaws.com:sub`, …). */
  context?: IamContext;
}

export interface AwsEndpointsApi {
  /** The base URL functions use for SSM, S3 and DynamoDB. */
  url: string;
  /**
   * Access key id → the function it belongs to, its secret and role policy (what AppSync authenticates IAM callers
   * with); the functions' keys are replaced in place by a reload, registered callers stay.
   */
  credentials: Map<string, CallerCredential>;
  /**
   * Registers (or replaces) a key of the sandbox's own (the console's caller, an identity pool's temporary credentials)
   * for the IAM-evaluating endpoints (AppSync, the storage bucket), kept across reloads; the functions' endpoints (SSM,
   * the introspection object, DynamoDB) do not accept it. Answers its removal.
   */
  registerCaller(accessKeyId: string, credential: CallerCredential): () => void;
}

export const awsEndpointsService: ServiceDefinition<'awsEndpoints', AwsEndpointsApi, { dynamodb: LocalDynamoDb }> = {
  name: 'awsEndpoints',
  label: 'SSM/S3/DynamoDB endpoint for the functions',
  dependsOn: ['dynamodb'],
  async start({ dynamodb }, context) {
    const credentials: Map<string, CallerCredential> = credentialsByAccessKey(context.description.lambdas, context.description.accountId);
    const callers = new Map<string, CallerCredential>();
    let functionKeys = new Set(credentials.keys());
    // The functions read the GraphQL URL at cold start, which happens only once the AppSync service runs.
    const appsync = context.later<{ internalUrl: string }>('appsync');
    const endpoints = await startAwsEndpoints({
      description: context.description,
      host: '127.0.0.1',
      graphqlEndpoint: () => appsync()?.internalUrl,
      accessKeyIds: () => functionKeys,
      // Functions reach DynamoDB through the endpoint, which applies their role policy before passing on to dynalite.
      dynamoDb: dynamodb,
      logger: context.log,
    });
    return {
      api: {
        url: endpoints.url,
        credentials,
        registerCaller: (accessKeyId, credential) => {
          if (functionKeys.has(accessKeyId)) throw new Error(`${accessKeyId} is an app function's access key`);
          callers.set(accessKeyId, credential);
          credentials.set(accessKeyId, credential);
          return () => {
            callers.delete(accessKeyId);
            credentials.delete(accessKeyId);
          };
        },
      },
      urls: { endpoint: endpoints.url },
      summary: endpoints.url,
      prepareReload: async (next) => {
        const nextCredentials = credentialsByAccessKey(next.lambdas, next.accountId);
        return () => {
          credentials.clear();
          for (const [key, value] of nextCredentials) credentials.set(key, value);
          functionKeys = new Set(nextCredentials.keys());
          for (const [key, value] of callers) if (!functionKeys.has(key)) credentials.set(key, value);
          endpoints.setDescription(next);
        };
      },
      close: () => endpoints.close(),
    };
  },
};
