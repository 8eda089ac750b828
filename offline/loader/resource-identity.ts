/**
 * What `Ref` and `Fn::GetAtt` return for each resource type, with fake but stable values (see physical-ids.ts).
 * Shapes follow the CloudFormation resource reference ("Return values" of each type); e.g. `Ref` of an
 * `AWS::Lambda::Function` is its name, `Ref` of an `AWS::AppSync::GraphQLApi` its ARN.
 *
 * An attribute not listed for a type is an error (the caller reports stack, logical id and property path): a wrong
 * guess would silently wire things together incorrectly.
 */
import { LOWER_ALNUM, MIXED_ALNUM, UPPER_ALNUM, arn, generatedName, stableToken, stableUuid } from './physical-ids';

/** The resource whose Ref/GetAtt is asked for; properties are resolved lazily, on demand. */
export interface ResourceHandle {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly region: string;
  readonly accountId: string;
  /** A top-level property after intrinsic evaluation (`undefined` when absent). */
  property(name: string): unknown;
  /** `Outputs.<name>` of a nested `AWS::CloudFormation::Stack`. */
  nestedStackOutput(outputName: string): unknown;
  /** Name of the nested stack created by an `AWS::CloudFormation::Stack` resource. */
  nestedStackName(): string;
}

interface TypeIdentity {
  ref(resource: ResourceHandle): string;
  attributes: Record<string, (resource: ResourceHandle) => unknown>;
}

/** AppSync API id: 26 lower-case alphanumerics, like the real ones. */
export function fakeAppSyncApiId(stackName: string, logicalId: string): string {
  return stableToken(LOWER_ALNUM, 26, 'appsync-api', stackName, logicalId);
}

const name = (r: ResourceHandle, property: string, maxLength = 64, lowerCase = false): string => {
  const explicit = r.property(property);
  return typeof explicit === 'string' && explicit !== ''
    ? explicit
    : generatedName(r.stackName, r.logicalId, maxLength, lowerCase);
};
const token = (r: ResourceHandle, kind: string, alphabet = LOWER_ALNUM, length = 26): string =>
  stableToken(alphabet, length, kind, r.stackName, r.logicalId);
const service = (r: ResourceHandle, svc: string, resource: string): string => arn(svc, r.region, r.accountId, resource);
const apiIdOf = (r: ResourceHandle): string => String(r.property('ApiId'));

const appSyncApi = (r: ResourceHandle): string => fakeAppSyncApiId(r.stackName, r.logicalId);
const appSyncHost = (r: ResourceHandle, kind: 'appsync-api' | 'appsync-realtime-api'): string =>
  `${appSyncApi(r)}.${kind}.${r.region}.amazonaws.com`;
const appSyncApiArn = (r: ResourceHandle): string => service(r, 'appsync', `apis/${appSyncApi(r)}`);

const dataSourceArn = (r: ResourceHandle): string =>
  service(r, 'appsync', `apis/${apiIdOf(r)}/datasources/${String(r.property('Name'))}`);
const functionId = (r: ResourceHandle): string => token(r, 'appsync-function');
const functionArn = (r: ResourceHandle): string =>
  service(r, 'appsync', `apis/${apiIdOf(r)}/functions/${functionId(r)}`);
const resolverArn = (r: ResourceHandle): string =>
  service(
    r,
    'appsync',
    `apis/${apiIdOf(r)}/types/${String(r.property('TypeName'))}/resolvers/${String(r.property('FieldName'))}`,
  );
const apiKey = (r: ResourceHandle): string => `da2-${token(r, 'appsync-api-key')}`;

// Amplify's table manager custom resource returns the table name as physical id and TableArn / TableStreamArn / TableName.
const tableName = (r: ResourceHandle): string =>
  name(r, r.type === 'Custom::AmplifyDynamoDBTable' ? 'tableName' : 'TableName', 255);
const tableArn = (r: ResourceHandle): string => service(r, 'dynamodb', `table/${tableName(r)}`);
const streamArn = (r: ResourceHandle): string => `${tableArn(r)}/stream/1970-01-01T00:00:00.000`;

const functionName = (r: ResourceHandle): string => name(r, 'FunctionName', 64);
const lambdaArn = (r: ResourceHandle): string => service(r, 'lambda', `function:${functionName(r)}`);

const userPoolId = (r: ResourceHandle): string => `${r.region}_${token(r, 'user-pool', MIXED_ALNUM, 9)}`;
const identityPoolId = (r: ResourceHandle): string =>
  `${r.region}:${stableUuid('identity-pool', r.stackName, r.logicalId)}`;

const roleName = (r: ResourceHandle): string => name(r, 'RoleName', 64);
const bucketName = (r: ResourceHandle): string => name(r, 'BucketName', 63, true);
const logGroupName = (r: ResourceHandle): string => name(r, 'LogGroupName', 512);
const stateMachineName = (r: ResourceHandle): string => name(r, 'StateMachineName', 80);

const IDENTITIES: Record<string, TypeIdentity> = {
  'AWS::AppSync::GraphQLApi': {
    ref: appSyncApiArn,
    attributes: {
      ApiId: appSyncApi,
      Arn: appSyncApiArn,
      GraphQLEndpointArn: appSyncApiArn,
      GraphQLUrl: (r) => `https://${appSyncHost(r, 'appsync-api')}/graphql`,
      GraphQLDns: (r) => appSyncHost(r, 'appsync-api'),
      RealtimeUrl: (r) => `wss://${appSyncHost(r, 'appsync-realtime-api')}/graphql`,
      RealtimeDns: (r) => appSyncHost(r, 'appsync-realtime-api'),
    },
  },
  'AWS::AppSync::GraphQLSchema': { ref: (r) => `${apiIdOf(r)}GraphQLSchema`, attributes: {} },
  'AWS::AppSync::DataSource': {
    ref: dataSourceArn,
    attributes: { DataSourceArn: dataSourceArn, Name: (r) => r.property('Name') },
  },
  'AWS::AppSync::FunctionConfiguration': {
    ref: functionArn,
    attributes: {
      FunctionId: functionId,
      FunctionArn: functionArn,
      Name: (r) => r.property('Name'),
      DataSourceName: (r) => r.property('DataSourceName'),
    },
  },
  'AWS::AppSync::Resolver': {
    ref: resolverArn,
    attributes: {
      ResolverArn: resolverArn,
      TypeName: (r) => r.property('TypeName'),
      FieldName: (r) => r.property('FieldName'),
    },
  },
  'AWS::AppSync::ApiKey': {
    ref: (r) => service(r, 'appsync', `apis/${apiIdOf(r)}/apikeys/${apiKey(r)}`),
    attributes: {
      ApiKey: apiKey,
      ApiKeyId: apiKey,
      Arn: (r) => service(r, 'appsync', `apis/${apiIdOf(r)}/apikeys/${apiKey(r)}`),
    },
  },
  'AWS::DynamoDB::Table': {
    ref: tableName,
    attributes: { Arn: tableArn, StreamArn: streamArn },
  },
  'AWS::DynamoDB::GlobalTable': {
    ref: tableName,
    attributes: { Arn: tableArn, StreamArn: streamArn, TableId: (r) => stableUuid('table', r.stackName, r.logicalId) },
  },
  'Custom::AmplifyDynamoDBTable': {
    ref: tableName,
    attributes: { TableArn: tableArn, TableStreamArn: streamArn, TableName: tableName },
  },
  'AWS::Lambda::Function': {
    ref: functionName,
    attributes: { Arn: lambdaArn },
  },
  'AWS::Lambda::LayerVersion': {
    ref: (r) => service(r, 'lambda', `layer:${name(r, 'LayerName', 64)}:1`),
    attributes: { LayerVersionArn: (r) => service(r, 'lambda', `layer:${name(r, 'LayerName', 64)}:1`) },
  },
  'AWS::Cognito::UserPool': {
    ref: userPoolId,
    attributes: {
      UserPoolId: userPoolId,
      Arn: (r) => service(r, 'cognito-idp', `userpool/${userPoolId(r)}`),
      ProviderName: (r) => `cognito-idp.${r.region}.amazonaws.com/${userPoolId(r)}`,
      ProviderURL: (r) => `https://cognito-idp.${r.region}.amazonaws.com/${userPoolId(r)}`,
    },
  },
  'AWS::Cognito::UserPoolClient': {
    // Real app client ids are 26 lower-case alphanumerics too.
    ref: (r) => token(r, 'user-pool-client'),
    attributes: {
      ClientId: (r) => token(r, 'user-pool-client'),
      Name: (r) => r.property('ClientName') ?? r.logicalId,
    },
  },
  'AWS::Cognito::IdentityPool': {
    ref: identityPoolId,
    attributes: { Id: identityPoolId, Name: (r) => r.property('IdentityPoolName') ?? r.logicalId },
  },
  'AWS::Cognito::UserPoolGroup': { ref: (r) => name(r, 'GroupName', 128), attributes: {} },
  'AWS::IAM::Role': {
    ref: roleName,
    attributes: {
      Arn: (r) => `arn:aws:iam::${r.accountId}:role/${roleName(r)}`,
      RoleId: (r) => `AROA${token(r, 'role-id', UPPER_ALNUM, 17)}`,
    },
  },
  'AWS::IAM::ManagedPolicy': {
    ref: (r) => `arn:aws:iam::${r.accountId}:policy/${name(r, 'ManagedPolicyName', 128)}`,
    attributes: { PolicyArn: (r) => `arn:aws:iam::${r.accountId}:policy/${name(r, 'ManagedPolicyName', 128)}` },
  },
  'AWS::S3::Bucket': {
    ref: bucketName,
    attributes: {
      Arn: (r) => `arn:aws:s3:::${bucketName(r)}`,
      DomainName: (r) => `${bucketName(r)}.s3.amazonaws.com`,
      RegionalDomainName: (r) => `${bucketName(r)}.s3.${r.region}.amazonaws.com`,
      DualStackDomainName: (r) => `${bucketName(r)}.s3.dualstack.${r.region}.amazonaws.com`,
      WebsiteURL: (r) => `http://${bucketName(r)}.s3-website-${r.region}.amazonaws.com`,
    },
  },
  'AWS::Logs::LogGroup': {
    ref: logGroupName,
    attributes: { Arn: (r) => service(r, 'logs', `log-group:${logGroupName(r)}:*`) },
  },
  'AWS::SSM::Parameter': {
    ref: (r) => name(r, 'Name', 2048),
    attributes: { Type: (r) => r.property('Type'), Value: (r) => r.property('Value') },
  },
  'AWS::StepFunctions::StateMachine': {
    ref: (r) => service(r, 'states', `stateMachine:${stateMachineName(r)}`),
    attributes: {
      Arn: (r) => service(r, 'states', `stateMachine:${stateMachineName(r)}`),
      Name: stateMachineName,
    },
  },
  'AWS::SQS::Queue': {
    ref: (r) => `https://sqs.${r.region}.amazonaws.com/${r.accountId}/${name(r, 'QueueName', 80)}`,
    attributes: {
      Arn: (r) => service(r, 'sqs', name(r, 'QueueName', 80)),
      QueueName: (r) => name(r, 'QueueName', 80),
      QueueUrl: (r) => `https://sqs.${r.region}.amazonaws.com/${r.accountId}/${name(r, 'QueueName', 80)}`,
    },
  },
  'AWS::SNS::Topic': {
    ref: (r) => service(r, 'sns', name(r, 'TopicName', 256)),
    attributes: {
      TopicArn: (r) => service(r, 'sns', name(r, 'TopicName', 256)),
      TopicName: (r) => name(r, 'TopicName', 256),
    },
  },
  'AWS::Events::Rule': {
    ref: (r) => name(r, 'Name', 64),
    attributes: { Arn: (r) => service(r, 'events', `rule/${name(r, 'Name', 64)}`) },
  },
  'AWS::Scheduler::Schedule': {
    ref: (r) => name(r, 'Name', 64),
    attributes: { Arn: (r) => service(r, 'scheduler', `schedule/default/${name(r, 'Name', 64)}`) },
  },
  'AWS::CloudFormation::Stack': {
    ref: (r) => stackArn(r.region, r.accountId, r.nestedStackName()),
    attributes: {},
  },
};

export function stackArn(region: string, accountId: string, stackName: string): string {
  return arn('cloudformation', region, accountId, `stack/${stackName}/${stableUuid('stack', stackName)}`);
}

/** `{"Ref": logicalId}`. Types without a specific model get their generated physical name. */
export function resourceRef(resource: ResourceHandle): string {
  const identity = IDENTITIES[resource.type];
  return identity ? identity.ref(resource) : generatedName(resource.stackName, resource.logicalId);
}

/** `{"Fn::GetAtt": [logicalId, attribute]}`; throws for attributes the offline model does not know. */
export function resourceAttribute(resource: ResourceHandle, attribute: string): unknown {
  if (resource.type === 'AWS::CloudFormation::Stack' && attribute.startsWith('Outputs.')) {
    return resource.nestedStackOutput(attribute.slice('Outputs.'.length));
  }
  const attributeOf = IDENTITIES[resource.type]?.attributes[attribute];
  if (attributeOf) return attributeOf(resource);
  // Generic AWS types: an `Arn` in the usual `arn:aws:<service>:<region>:<account>:<type>/<name>` shape.
  const awsType = /^AWS::([A-Za-z0-9]+)::([A-Za-z0-9]+)$/.exec(resource.type);
  if (attribute === 'Arn' && awsType && !IDENTITIES[resource.type]) {
    const [, serviceName = '', typeName = ''] = awsType;
    return arn(
      serviceName.toLowerCase(),
      resource.region,
      resource.accountId,
      `${typeName.toLowerCase()}/${resourceRef(resource)}`,
    );
  }
  throw new Error(`attribute ${attribute} of ${resource.type} ${resource.logicalId} is not known offline`);
}
