/**
 * `loadCdkOut(dir)`: turn a synthesized Amplify Gen 2 cloud assembly into a {@link BackendDescription} without
 * CloudFormation. Walks the root stack and all nested stacks (stack-tree.ts), evaluates intrinsics with fake but stable
 * ids (intrinsics.ts, resource-identity.ts), maps S3 asset locations back to files, and reads the resources the offline
 * services need. Synchronous and deterministic: the same cdk.out always gives the same description.
 */
import { resolve } from 'node:path';
import { CloudAssembly } from './cloud-assembly';
import { readBuckets } from './read-buckets';
import { readGraphqlApi } from './read-graphql-api';
import { readIdentityPool } from './read-identity-pool';
import { attachSchedules, readLambdas } from './read-lambdas';
import { readModelIntrospection } from './read-model-introspection';
import { readResolvers } from './read-resolvers';
import { createRolePolicyReaders } from './read-role-policies';
import { readTables } from './read-tables';
import { readUserPool } from './read-user-pool';
import { byKey, requiredString, resourcesOfType, stringProperty, type LoaderContext } from './resource-properties';
import { LoadedStack } from './stack-tree';
import type { BackendDescription } from './types';
import { flagUnmappedResources } from './unsupported-resources';

export function loadCdkOut(cdkOutDir: string): BackendDescription {
  const assembly = CloudAssembly.open(resolve(cdkOutDir));
  const root = LoadedStack.loadRoot(assembly);
  const context: LoaderContext = {
    assembly,
    root,
    resources: root.allStacks().flatMap((stack) => stack.resources()),
    unsupported: [],
  };

  const { lambdas, index } = readLambdas(context);
  attachSchedules(context, lambdas, index);
  const api = readGraphqlApi(context);
  const { dataSources, functions, resolvers } = readResolvers(context, api.id, index);
  const tables = readTables(context, api.id);
  const userPool = readUserPool(context, index);
  const identityPool = readIdentityPool(context, createRolePolicyReaders(context));
  const buckets = readBuckets(context);
  const modelIntrospection = readModelIntrospection(context);
  flagUnmappedResources(context);

  return {
    cdkOut: assembly.directory,
    stackName: root.stackName,
    region: root.pseudo.region,
    accountId: root.pseudo.accountId,
    api,
    dataSources,
    functions,
    resolvers,
    tables,
    userPool,
    ...(identityPool ? { identityPool } : {}),
    buckets,
    lambdas: lambdas.sort(byKey((lambda) => lambda.name)),
    modelIntrospection,
    ssmParameters: readSsmParameters(context),
    unsupported: context.unsupported,
  };
}

function readSsmParameters(context: LoaderContext): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const parameter of resourcesOfType(context, 'AWS::SSM::Parameter')) {
    const name = String(parameter.stack.resourceRef(parameter.logicalId));
    parameters[name] = stringProperty(parameter, 'Value') ?? requiredString(parameter, 'Value');
  }
  return parameters;
}
