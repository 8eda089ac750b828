/**
 * The sandbox's Lambda service: the backend's app functions, each in its own worker-thread execution environment,
 * pointed at the local AWS endpoints with its own credentials. A reload gives changed functions a cold start.
 */
import { lambdaEnvironment, type AwsEndpointsApi } from '../aws-endpoints/index.js';
import type { ServiceDefinition } from '../sandbox/service.js';
import { LambdaRunner, type FunctionChanges } from './runner.js';

export const lambdaService: ServiceDefinition<'lambda', LambdaRunner, { awsEndpoints: AwsEndpointsApi }, FunctionChanges> = {
  name: 'lambda',
  label: 'Lambda functions',
  dependsOn: ['awsEndpoints'],
  async start({ awsEndpoints }, context) {
    const { accountId } = context.description;
    const appFunctions = context.description.lambdas.filter((fn) => fn.appFunction);
    const lambdas = new LambdaRunner(appFunctions, {
      environment: (fn) =>
        lambdaEnvironment(fn, { endpointUrl: awsEndpoints.url, dynamoDbEndpointUrl: awsEndpoints.url, accountId, scratchDirectory: context.data.lambda }),
      logger: context.log,
      events: context.events,
    });
    return {
      api: lambdas,
      urls: {},
      summary: `${appFunctions.map((fn) => fn.name).join(', ') || 'none'}; SSM/S3 at ${awsEndpoints.url}`,
      prepareReload: async (next) => () => lambdas.replaceFunctions(next.lambdas.filter((fn) => fn.appFunction)),
      close: () => lambdas.close(),
    };
  },
};
