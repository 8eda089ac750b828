/**
 * A DynamoDB client for the local dynalite endpoint that can never reach AWS or read the machine's
 * AWS setup: static fake credentials (so `@aws-sdk/credential-provider-node`'s chain — env, ini
 * files, SSO, process, ECS/IMDS — is never invoked), a fixed region, and every setting the Node
 * runtime config would otherwise load from env/`~/.aws/config` given explicitly. In particular
 * `defaultsMode: 'standard'` avoids the `auto` mode's IMDS probe and `endpointDiscoveryEnabled:
 * false` avoids DescribeEndpoints.
 */
import { Agent } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const LOCAL_REGION = 'us-east-1';
/** What dynalite accepts (it does not verify signatures); never real credentials. */
export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'offlineSandbox', secretAccessKey: 'offlineSandbox' });

export function createLocalDynamoDbClient(endpoint: string): DynamoDBClient {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`Refusing a non-loopback DynamoDB endpoint for the offline sandbox: ${endpoint}`);
  }
  return new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { ...LOCAL_CREDENTIALS },
    defaultsMode: 'standard',
    // One attempt: dynalite never throttles, and a retried non-idempotent write would hide errors.
    maxAttempts: 1,
    retryMode: 'standard',
    useDualstackEndpoint: false,
    useFipsEndpoint: false,
    endpointDiscoveryEnabled: false,
    accountIdEndpointMode: 'disabled',
    userAgentAppId: 'offline-sandbox',
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) },
  });
}
