/** The backend's Lambda functions, run locally from their cdk.out bundles. See README.md. */
export { lambdaService } from './service.js';
export { DEFAULT_FUNCTION_CONCURRENCY, defaultFunctionConcurrency, LambdaInvocationError, LambdaRunner, type FunctionChanges, type LambdaError, type LambdaRunnerOptions } from './runner.js';
export { nodeForRuntime, type NodeRuntime } from './node-runtime.js';
