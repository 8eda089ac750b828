/**
 * The AppSync API: `AWS::AppSync::GraphQLApi` (auth modes, log level), its `AWS::AppSync::GraphQLSchema` (SDL inline in
 * `Definition` or, as Amplify does, an asset referenced by `DefinitionS3Location`) and `AWS::AppSync::ApiKey`s.
 */
import {
  asString,
  assetTextProperty,
  flagUnsupported,
  isRecord,
  listProperty,
  numberProperty,
  recordProperty,
  requiredString,
  resourcesOfType,
  stringProperty,
  type LoaderContext,
} from './resource-properties';
import type { StackResource } from './stack-tree';
import type { ApiDescription, AuthMode } from './types';

const AUTH_MODES: readonly AuthMode[] = [
  'AMAZON_COGNITO_USER_POOLS',
  'AWS_IAM',
  'API_KEY',
  'OPENID_CONNECT',
  'AWS_LAMBDA',
];

export function readGraphqlApi(context: LoaderContext): ApiDescription {
  const [apiResource, ...extraApis] = resourcesOfType(context, 'AWS::AppSync::GraphQLApi');
  if (!apiResource) {
    throw new Error(
      `No AWS::AppSync::GraphQLApi in ${context.assembly.directory}: the offline sandbox needs a backend with defineData`,
    );
  }
  for (const extra of extraApis) flagUnsupported(context, extra, 'only one GraphQL API per backend is emulated');

  const id = String(apiResource.stack.resourceAttribute(apiResource.logicalId, 'ApiId'));
  const additional = listProperty(apiResource, 'AdditionalAuthenticationProviders').map((provider, index) =>
    authMode(apiResource, isRecord(provider) ? provider['AuthenticationType'] : undefined, [
      'AdditionalAuthenticationProviders',
      String(index),
      'AuthenticationType',
    ]),
  );
  const fieldLogLevel = asString(recordProperty(apiResource, 'LogConfig')?.['FieldLogLevel'], apiResource, [
    'LogConfig',
    'FieldLogLevel',
  ]);

  // Execution limits (reference: AppSync "configuration limits"); 0 or absent means AppSync's defaults.
  const queryDepthLimit = numberProperty(apiResource, 'QueryDepthLimit');
  const resolverCountLimit = numberProperty(apiResource, 'ResolverCountLimit');
  const introspection = stringProperty(apiResource, 'IntrospectionConfig');
  if (introspection !== undefined && introspection !== 'ENABLED' && introspection !== 'DISABLED') {
    apiResource.stack.fail(['Resources', apiResource.logicalId, 'Properties', 'IntrospectionConfig'], `unknown IntrospectionConfig ${introspection}`);
  }

  return {
    id,
    name: requiredString(apiResource, 'Name'),
    defaultAuthMode: authMode(apiResource, stringProperty(apiResource, 'AuthenticationType'), ['AuthenticationType']),
    additionalAuthModes: additional,
    schema: readSchema(context, id),
    ...(fieldLogLevel !== undefined ? { fieldLogLevel } : {}),
    apiKeys: resourcesOfType(context, 'AWS::AppSync::ApiKey')
      .filter((key) => stringProperty(key, 'ApiId') === id)
      .map((key) => String(key.stack.resourceAttribute(key.logicalId, 'ApiKey'))),
    ...(queryDepthLimit ? { queryDepthLimit } : {}),
    ...(resolverCountLimit ? { resolverCountLimit } : {}),
    ...(introspection !== undefined ? { introspection: introspection as 'ENABLED' | 'DISABLED' } : {}),
  };
}

function readSchema(context: LoaderContext, apiId: string): string {
  const schemas = resourcesOfType(context, 'AWS::AppSync::GraphQLSchema').filter(
    (schema) => stringProperty(schema, 'ApiId') === apiId,
  );
  const [schema] = schemas;
  if (!schema) throw new Error(`No AWS::AppSync::GraphQLSchema for the GraphQL API in ${context.assembly.directory}`);
  const text = stringProperty(schema, 'Definition') ?? assetTextProperty(context, schema, 'DefinitionS3Location');
  if (text === undefined) {
    return schema.stack.fail(
      ['Resources', schema.logicalId, 'Properties'],
      'schema has neither Definition nor DefinitionS3Location',
    );
  }
  return text;
}

function authMode(resource: StackResource, value: unknown, path: string[]): AuthMode {
  const mode = AUTH_MODES.find((candidate) => candidate === value);
  if (!mode) {
    resource.stack.fail(
      ['Resources', resource.logicalId, 'Properties', ...path],
      `unknown AppSync authentication type ${String(value)}`,
    );
  }
  return mode;
}
