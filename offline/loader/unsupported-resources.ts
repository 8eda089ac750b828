/**
 * Resources the loader neither maps nor may ignore end up in `unsupported`, so a backend feature the sandbox cannot run
 * is visible instead of silently missing.
 */
import { isDeploymentHelper } from './read-lambdas';
import { flagUnsupported, type LoaderContext } from './resource-properties';

/** Types the readers map (they flag their own unsupported variants, e.g. an HTTP data source). */
const MAPPED_TYPES = new Set([
  'AWS::CloudFormation::Stack',
  'AWS::AppSync::GraphQLApi',
  'AWS::AppSync::GraphQLSchema',
  'AWS::AppSync::DataSource',
  'AWS::AppSync::FunctionConfiguration',
  'AWS::AppSync::Resolver',
  'AWS::AppSync::ApiKey',
  'Custom::AmplifyDynamoDBTable',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Lambda::Function',
  'AWS::Scheduler::Schedule',
  'AWS::Events::Rule',
  'AWS::Cognito::IdentityPool',
  'AWS::Cognito::IdentityPoolRoleAttachment',
  // Every bucket: app buckets (defineStorage) are read by read-buckets.ts and served by offline/s3; deployment buckets
  // only receive assets at deploy time.
  'AWS::S3::Bucket',
]);

/**
 * Types irrelevant to running the backend locally, ignored silently:
 * - permissions: IAM roles / policies / instance profiles, `AWS::Lambda::Permission`, `AWS::S3::BucketPolicy`,
 *   `AWS::Lambda::LayerVersionPermission` (the sandbox does not enforce IAM between services);
 * - observability: CloudWatch alarms / composite alarms / dashboards, log groups, log streams, metric and subscription
 *   filters, log resource policies;
 * - deployment plumbing: SSM parameters (their values are exported separately as `ssmParameters`), CDK metadata, Lambda
 *   layers, versions and aliases, wait conditions, Scheduler schedule groups, KMS keys and aliases;
 * - Cognito hosted-UI domains and UI customization;
 * - AppSync custom domains and API caches;
 * - every `Custom::*` resource except `Custom::AmplifyDynamoDBTable` (table manager, bucket deployment, log retention,
 *   auto-delete objects, branch linker: they act on the deployment, not on requests), and
 *   `AWS::CloudFormation::CustomResource`;
 * - any resource under a CDK/Amplify deployment-helper construct path (e.g. the table manager's state machine).
 */
const IGNORED_TYPES = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::InstanceProfile',
  'AWS::Lambda::Permission',
  'AWS::Lambda::LayerVersion',
  'AWS::Lambda::LayerVersionPermission',
  'AWS::Lambda::Version',
  'AWS::Lambda::Alias',
  'AWS::S3::BucketPolicy',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::Logs::LogGroup',
  'AWS::Logs::LogStream',
  'AWS::Logs::MetricFilter',
  'AWS::Logs::SubscriptionFilter',
  'AWS::Logs::ResourcePolicy',
  'AWS::SSM::Parameter',
  'AWS::CDK::Metadata',
  'AWS::CloudFormation::WaitCondition',
  'AWS::CloudFormation::WaitConditionHandle',
  'AWS::CloudFormation::CustomResource',
  'AWS::Scheduler::ScheduleGroup',
  'AWS::KMS::Key',
  'AWS::KMS::Alias',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolUICustomizationAttachment',
  'AWS::AppSync::DomainName',
  'AWS::AppSync::DomainNameApiAssociation',
  'AWS::AppSync::ApiCache',
]);

export function flagUnmappedResources(context: LoaderContext): void {
  for (const resource of context.resources) {
    if (MAPPED_TYPES.has(resource.type) || IGNORED_TYPES.has(resource.type)) continue;
    if (resource.type.startsWith('Custom::') || isDeploymentHelper(resource)) continue;
    flagUnsupported(context, resource, `${resource.type} is not emulated by the offline sandbox`);
  }
}
