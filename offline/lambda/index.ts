/** The backend's Lambda functions, run locally from their cdk.out bundles. See README.md. */
export { lambdaService } from './service.js';
export { LambdaInvocationError, LambdaRunner, type FunctionChanges, type LambdaError, type LambdaRunnerOptions } from './runner.js';
