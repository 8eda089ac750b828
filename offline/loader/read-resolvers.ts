/**
 * AppSync data sources, pipeline functions (`AWS::AppSync::FunctionConfiguration`) and resolvers of the API.
 *
 * AppSync semantics the description relies on:
 * - A resolver is UNIT (one data source, request/response templates) or PIPELINE (before/after templates around an
 *   ordered list of functions, each with its own data source). `Kind` defaults to UNIT.
 * - Code is VTL (`Request/ResponseMappingTemplate` inline or `…S3Location` asset) unless `Runtime.Name` is
 *   `APPSYNC_JS`, in which case `Code` / `CodeS3Location` is one ES module exporting `request` and `response`.
 * - Pipelines reference functions by `FunctionId` (a GetAtt); we map those fake ids back to logical ids.
 * - Amplify's top-level resolver templates are `Fn::Join` strings that embed the API id, table names and auth role
 *   ARNs into `$ctx.stash`; they arrive here fully resolved.
 */
import type { LambdaIndex } from './read-lambdas';
import {
  assetTextProperty,
  flagUnsupported,
  recordProperty,
  requiredString,
  resourcesOfType,
  stringProperty,
  asString,
  type LoaderContext,
  byKey,
} from './resource-properties';
import type { StackResource } from './stack-tree';
import type { DataSourceDescription, PipelineFunctionDescription, ResolverCode, ResolverDescription } from './types';

export interface AppSyncResolvers {
  dataSources: Record<string, DataSourceDescription>;
  functions: Record<string, PipelineFunctionDescription>;
  resolvers: ResolverDescription[];
}

export function readResolvers(context: LoaderContext, apiId: string, lambdas: LambdaIndex): AppSyncResolvers {
  const ofApi = (type: string): StackResource[] =>
    resourcesOfType(context, type).filter((resource) => stringProperty(resource, 'ApiId') === apiId);

  const dataSources: Record<string, DataSourceDescription> = {};
  for (const resource of ofApi('AWS::AppSync::DataSource')) {
    const dataSource = readDataSource(context, resource, lambdas);
    if (dataSource) dataSources[dataSource.name] = dataSource;
  }

  const functions: Record<string, PipelineFunctionDescription> = {};
  const idByFunctionId = new Map<string, string>();
  for (const resource of ofApi('AWS::AppSync::FunctionConfiguration')) {
    const code = readCode(context, resource);
    if (!code) {
      flagUnsupported(context, resource, 'pipeline function has no code this sandbox can run');
      continue;
    }
    // Logical ids are unique per stack only; qualify the rare duplicate across nested stacks.
    const id = functions[resource.logicalId] ? `${resource.stack.stackName}/${resource.logicalId}` : resource.logicalId;
    idByFunctionId.set(String(resource.stack.resourceAttribute(resource.logicalId, 'FunctionId')), id);
    functions[id] = {
      id,
      name: requiredString(resource, 'Name'),
      dataSourceName: requiredString(resource, 'DataSourceName'),
      code,
    };
  }

  const resolvers: ResolverDescription[] = [];
  for (const resource of ofApi('AWS::AppSync::Resolver')) {
    const resolver = readResolver(context, resource, idByFunctionId);
    if (resolver) resolvers.push(resolver);
  }
  resolvers.sort(byKey((r) => `${r.typeName}.${r.fieldName}`));
  return { dataSources, functions, resolvers };
}

function readDataSource(
  context: LoaderContext,
  resource: StackResource,
  lambdas: LambdaIndex,
): DataSourceDescription | undefined {
  const name = requiredString(resource, 'Name');
  const type = requiredString(resource, 'Type');
  switch (type) {
    case 'NONE':
      return { name, type };
    case 'AMAZON_DYNAMODB': {
      const config = recordProperty(resource, 'DynamoDBConfig');
      const tableName = asString(config?.['TableName'], resource, ['DynamoDBConfig', 'TableName']);
      if (!tableName)
        resource.stack.fail(['Resources', resource.logicalId, 'Properties', 'DynamoDBConfig'], 'no TableName');
      return { name, type, tableName };
    }
    case 'AWS_LAMBDA': {
      const config = recordProperty(resource, 'LambdaConfig');
      const arn = asString(config?.['LambdaFunctionArn'], resource, ['LambdaConfig', 'LambdaFunctionArn']) ?? '';
      const functionName = lambdas.nameFor(arn);
      if (!functionName) {
        flagUnsupported(
          context,
          resource,
          `Lambda data source ${name} invokes ${arn}, which is not a function of this backend`,
        );
        return undefined;
      }
      return { name, type, functionName };
    }
    default:
      flagUnsupported(context, resource, `AppSync data source ${name} of type ${type} is not emulated`);
      return undefined;
  }
}

function readResolver(
  context: LoaderContext,
  resource: StackResource,
  idByFunctionId: Map<string, string>,
): ResolverDescription | undefined {
  const typeName = requiredString(resource, 'TypeName');
  const fieldName = requiredString(resource, 'FieldName');
  const kind = stringProperty(resource, 'Kind') ?? 'UNIT';
  if (kind !== 'UNIT' && kind !== 'PIPELINE') {
    flagUnsupported(context, resource, `resolver ${typeName}.${fieldName} has unknown kind ${kind}`);
    return undefined;
  }
  const code = readCode(context, resource);
  if (!code) {
    flagUnsupported(context, resource, `resolver ${typeName}.${fieldName} has no code this sandbox can run`);
    return undefined;
  }
  if (recordProperty(resource, 'SyncConfig')) {
    flagUnsupported(context, resource, `conflict detection (SyncConfig) of ${typeName}.${fieldName} is not emulated`);
  }

  const pipeline = recordProperty(resource, 'PipelineConfig')?.['Functions'];
  const functions =
    kind === 'PIPELINE' && Array.isArray(pipeline)
      ? pipeline.map((functionId, index) => {
          const id = idByFunctionId.get(String(functionId));
          if (!id) {
            resource.stack.fail(
              ['Resources', resource.logicalId, 'Properties', 'PipelineConfig', 'Functions', String(index)],
              `pipeline function ${String(functionId)} is not a function of this API`,
            );
          }
          return id;
        })
      : [];
  const dataSourceName = kind === 'UNIT' ? stringProperty(resource, 'DataSourceName') : undefined;

  return {
    typeName,
    fieldName,
    kind,
    ...(dataSourceName !== undefined ? { dataSourceName } : {}),
    functions,
    code,
  };
}

/** VTL or APPSYNC_JS code of a resolver or function; `undefined` for a runtime we do not know. */
function readCode(context: LoaderContext, resource: StackResource): ResolverCode | undefined {
  const runtime = asString(recordProperty(resource, 'Runtime')?.['Name'], resource, ['Runtime', 'Name']);
  if (runtime === 'APPSYNC_JS') {
    const code = stringProperty(resource, 'Code') ?? assetTextProperty(context, resource, 'CodeS3Location');
    return code === undefined ? undefined : { runtime: 'APPSYNC_JS', code };
  }
  if (runtime !== undefined) return undefined;
  return {
    runtime: 'VTL',
    request:
      stringProperty(resource, 'RequestMappingTemplate') ??
      assetTextProperty(context, resource, 'RequestMappingTemplateS3Location'),
    response:
      stringProperty(resource, 'ResponseMappingTemplate') ??
      assetTextProperty(context, resource, 'ResponseMappingTemplateS3Location'),
  };
}
