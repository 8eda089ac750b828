/** Local SSM + S3 endpoints for the bundled Lambdas, and the environment that points them there. See README.md. */
export { startAwsEndpoints, introspectionObjects, type AwsEndpoints, type AwsEndpointsOptions } from './server.js';
export {
  credentialsByAccessKey,
  functionCredentials,
  lambdaEnvironment,
  LOCAL_REGION,
  type FunctionCredentials,
  type LambdaEnvironmentOptions,
} from './credentials.js';
export { awsEndpointsService, type AwsEndpointsApi, type CallerCredential } from './service.js';
export { handleS3, type S3Objects } from './s3.js';
