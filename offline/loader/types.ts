/**
 * The plain, typed description of a synthesized Gen 2 backend that every offline service is built
 * from. Produced by `loadCdkOut()` (offline/loader) from `.amplify/artifacts/cdk.out`; knows nothing
 * of how the services run. All strings are resolved (no CloudFormation intrinsics left).
 */

export type AuthMode = 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM' | 'API_KEY' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

/** Resolver or pipeline-function code: VTL mapping templates or an APPSYNC_JS module. */
export type ResolverCode =
  | { runtime: 'VTL'; request: string | undefined; response: string | undefined }
  | { runtime: 'APPSYNC_JS'; code: string };

export interface ApiDescription {
  /** Stable fake API id (26 lower-case alphanumerics), derived from the stack. */
  id: string;
  name: string;
  defaultAuthMode: AuthMode;
  additionalAuthModes: AuthMode[];
  /** The GraphQL schema as deployed (SDL with AppSync directives and scalars). */
  schema: string;
  /** `LogConfig.FieldLogLevel` if set. */
  fieldLogLevel?: string;
  /** API keys when API_KEY auth is configured. */
  apiKeys: string[];
  /** `QueryDepthLimit` (1–75) when set; AppSync's default (unset or 0) is no depth limit. */
  queryDepthLimit?: number;
  /** `ResolverCountLimit` (1–10,000) when set; unset or 0 means AppSync's default of 10,000 resolvers per request. */
  resolverCountLimit?: number;
  /** `IntrospectionConfig`; AppSync's default is ENABLED. */
  introspection?: 'ENABLED' | 'DISABLED';
}

export type DataSourceDescription =
  | { name: string; type: 'NONE' }
  | { name: string; type: 'AMAZON_DYNAMODB'; tableName: string }
  | { name: string; type: 'AWS_LAMBDA'; functionName: string };

export interface PipelineFunctionDescription {
  /** The FunctionConfiguration's logical id (what resolvers reference). */
  id: string;
  name: string;
  dataSourceName: string;
  code: ResolverCode;
}

export interface ResolverDescription {
  typeName: string;
  fieldName: string;
  kind: 'UNIT' | 'PIPELINE';
  /** UNIT resolvers only. */
  dataSourceName?: string;
  /** PIPELINE resolvers: pipeline function ids in order. */
  functions: string[];
  /** The resolver's own before/after (pipeline) or request/response (unit) code. */
  code: ResolverCode;
}

export interface KeyElement {
  attributeName: string;
  keyType: 'HASH' | 'RANGE';
}

export interface TableDescription {
  /** Resolved table name, e.g. `Message-<apiId>-NONE`. */
  name: string;
  /** The Amplify model the table stores, when known. */
  model?: string;
  keySchema: KeyElement[];
  attributeDefinitions: { attributeName: string; attributeType: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes: { indexName: string; keySchema: KeyElement[]; projectionType: string }[];
  localSecondaryIndexes: { indexName: string; keySchema: KeyElement[]; projectionType: string }[];
  timeToLiveAttribute?: string;
  streamViewType?: string;
}

export interface UserPoolDescription {
  id: string;
  name: string;
  clients: { id: string; name: string; explicitAuthFlows: string[] }[];
  /** e.g. ['email']: users sign in with these; the username is then a generated UUID (= sub). */
  usernameAttributes: string[];
  autoVerifiedAttributes: string[];
  passwordPolicy: {
    minimumLength: number;
    requireUppercase: boolean;
    requireLowercase: boolean;
    requireNumbers: boolean;
    requireSymbols: boolean;
    temporaryPasswordValidityDays: number;
  };
  /** Attributes declared in the pool schema (standard and custom). */
  attributes: { name: string; required: boolean; mutable: boolean }[];
  /** Trigger name (e.g. `PostConfirmation`) → function name (LambdaDescription.name). */
  triggers: Record<string, string>;
}

export interface LambdaDescription {
  /** Friendly name (the defineFunction name, e.g. `message-processor`), else the logical id. */
  name: string;
  logicalId: string;
  /** Absolute path of the code asset directory in cdk.out. */
  codeDirectory: string;
  /** e.g. `index.handler`. */
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMB: number;
  /** Environment variables after intrinsic resolution. */
  environment: Record<string, string>;
  /** Schedule expressions targeting this function (EventBridge Scheduler / Events rules). */
  schedules: string[];
  /** Whether this is one of the app's functions (has an `amplify:friendly-name` tag) or a deployment helper. */
  appFunction: boolean;
  /**
   * The identity-based policy of the function's execution role (read-role-policies.ts), for app functions. Deployment
   * helpers get an empty one (they never run offline). The sandbox evaluates it on the direct DynamoDB path.
   */
  policy: RolePolicyDescription;
}

/**
 * One statement of an identity-based IAM policy, intrinsics resolved and the string-or-list forms normalized to lists.
 * Exactly one of `actions` / `notActions` and one of `resources` / `notResources` is set.
 */
export interface IamStatement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  /** The `Condition` block as written. Not evaluated offline: an Allow with a condition grants nothing (offline/iam/policy.ts). */
  condition?: Record<string, unknown>;
  /** Where the statement comes from, e.g. `stack/PolicyLogicalId` or `stack/RoleLogicalId Policies[name]`. */
  source: string;
}

export interface RolePolicyDescription {
  /** The execution role's ARN (`Role` of the function), when it resolves. */
  roleArn?: string;
  /** Its name (the last path segment of the ARN): what AWS shows in `assumed-role/<role name>/<session>`. */
  roleName?: string;
  /**
   * Statements of the role's inline `Policies`, of the `AWS::IAM::Policy` / `AWS::IAM::RolePolicy` /
   * `AWS::IAM::ManagedPolicy` resources attached to it (any stack of the assembly), and of customer managed policies
   * of the assembly listed in `ManagedPolicyArns`.
   */
  statements: IamStatement[];
  /** `ManagedPolicyArns` not defined in the assembly (AWS managed, e.g. AWSLambdaBasicExecutionRole): not evaluated. */
  managedPolicyArns: string[];
  /**
   * The role's `PermissionsBoundary`, if any; `statements` only when it is a managed policy of the assembly. A boundary
   * whose statements are unknown allows nothing offline (the safe direction).
   */
  permissionsBoundary?: { arn: string; statements?: IamStatement[] };
  /** What could not be read (unresolvable statements, policies whose roles do not resolve), for diagnostics. */
  skipped: string[];
}

/**
 * The Cognito identity pool (`AWS::Cognito::IdentityPool`, which defineAuth adds) and the roles its
 * `AWS::Cognito::IdentityPoolRoleAttachment` gives authenticated and guest identities.
 */
export interface IdentityPoolDescription {
  /** `<region>:<uuid>`, as Amplify's client expects (it reads the region from it). */
  id: string;
  name: string;
  allowUnauthenticatedIdentities: boolean;
  /** The user pools whose ID tokens it accepts: provider name (`cognito-idp.<region>.amazonaws.com/<pool id>`) and app client. */
  providers: { providerName: string; clientId: string | undefined }[];
  /** The role of signed-in identities and its identity-based policy; undefined when the attachment names none. */
  authenticatedRole?: RolePolicyDescription;
  /** The role of guest identities. */
  unauthenticatedRole?: RolePolicyDescription;
}

/** One CORS rule of a bucket (`CorsConfiguration.CorsRules`). */
export interface BucketCorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAgeSeconds?: number;
}

/**
 * One enabled rule of a bucket's `LifecycleConfiguration` that the sandbox applies: expiring objects under a prefix
 * `ExpirationInDays` after their creation, and/or aborting multipart uploads `AbortIncompleteMultipartUpload.
 * DaysAfterInitiation` after they began. Rules filtered by tags or object size, or expiring at a date, are not
 * described (the sandbox keeps those objects: it never deletes what AWS might keep).
 */
export interface BucketLifecycleRule {
  id?: string;
  /** The key prefix the rule applies to (`''` for the whole bucket). */
  prefix: string;
  expirationDays?: number;
  abortIncompleteMultipartUploadDays?: number;
}

/** An app bucket (`defineStorage`), as opposed to the buckets that only receive deployment assets. */
export interface BucketDescription {
  /** The (fake, stable) bucket name: what its ARN and the policies name. */
  name: string;
  logicalId: string;
  /** defineStorage's `name` (the `amplify:friendly-name` tag), else the logical id. */
  friendlyName: string;
  arn: string;
  cors: BucketCorsRule[];
  /** The lifecycle rules the sandbox applies (read-buckets.ts says which); absent when there are none. */
  lifecycle?: BucketLifecycleRule[];
  /** The access paths Amplify publishes for the client (`buckets` stack output → outputs' `storage.buckets[].paths`). */
  paths?: Record<string, Record<string, string[]>>;
}

export interface BackendDescription {
  /** Absolute path of the cloud assembly it was loaded from. */
  cdkOut: string;
  stackName: string;
  region: string;
  accountId: string;
  api: ApiDescription;
  dataSources: Record<string, DataSourceDescription>;
  functions: Record<string, PipelineFunctionDescription>;
  resolvers: ResolverDescription[];
  tables: TableDescription[];
  userPool: UserPoolDescription;
  /** The identity pool, when the backend has one (defineAuth adds it). */
  identityPool?: IdentityPoolDescription;
  /** The app buckets (defineStorage); the first is the default bucket. Absent or empty: the backend has none. */
  buckets?: BucketDescription[];
  lambdas: LambdaDescription[];
  /** `modelIntrospectionSchema.json` (what amplify_outputs.json's data.model_introspection holds). */
  modelIntrospection: unknown;
  /**
   * `AWS::SSM::Parameter` name → value. Amplify functions with data access get `AMPLIFY_SSM_ENV_CONFIG` pointing at
   * `/amplify/resource_reference/...` parameters (their env values read "<value will be resolved during runtime>");
   * these are the values they would resolve to (fake AppSync URL, fake bucket name, object key, API name).
   */
  ssmParameters?: Record<string, string>;
  /** Resources the sandbox cannot emulate, each naming the resource and why (never silently skipped). */
  unsupported: { logicalId: string; type: string; reason: string }[];
}
