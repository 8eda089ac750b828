import { Validations, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { PasswordPolicyConfig } from '../config';

/**
 * cdk-nag (AwsSolutions) acknowledgements, each with the reason it does not apply or is accepted.
 * `tests/backend/cdk-nag.test.ts` runs the rule pack on the synthesized app and fails on any
 * finding that is neither fixed nor acknowledged here. Fixed in backend.ts instead: identity pool
 * guest access (COG7), TLS-only bucket policies (S10), the latest Lambda runtime for our
 * functions (L1).
 *
 * Rules with one finding per resource are acknowledged on the construct (CDK `Validations`).
 * IAM5 reports one finding per wildcard, named after tokens that only exist once nested-stack
 * references are resolved (after every aspect has run), so those are listed as patterns in
 * IAM5_WILDCARD_ACKNOWLEDGEMENTS and applied to the cdk-nag report by the test; any other wildcard
 * fails it.
 */

function isWithin(node: IConstruct, scope: IConstruct): boolean {
  return node === scope || node.node.path.startsWith(`${scope.node.path}/`);
}

function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** The outermost constructs whose path contains one of the fragments. */
function findByPath(root: IConstruct, ...fragments: string[]): IConstruct[] {
  const matches = root.node.findAll().filter((c) => fragments.some((fragment) => c.node.path.includes(fragment)));
  return matches.filter((c) => !matches.some((other) => other !== c && isWithin(c, other)));
}

export interface NagScopes {
  root: Stack;
  data: IConstruct;
  /** The attachments bucket (defineStorage). */
  attachmentsBucket: IConstruct;
  userPool: IConstruct;
  ourFunctions: IConstruct[];
  passwordPolicy: PasswordPolicyConfig;
}

const LAMBDA_BASIC_EXECUTION =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
const APPSYNC_LOGS_POLICY =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs]';

export interface WildcardAcknowledgement {
  /** Construct paths (below the root stack) the acknowledgement covers. */
  path: RegExp;
  /** The IAM5 finding, e.g. `Resource::<...Arn>:*`. */
  finding: RegExp;
  reason: string;
}

const MANAGED_REASON =
  'Generated and managed by Amplify/CDK for deployment-time custom resources (table manager, branch linker, log retention, asset deployment); not application code.';

const MANAGED_PATHS = /\/(AmplifyBranchLinker|AmplifyTableManager|LogRetention[0-9a-f]+|Custom::CDKBucketDeployment[^/]*|AmplifyCodegenAssets)\//;

export const IAM5_WILDCARD_ACKNOWLEDGEMENTS: readonly WildcardAcknowledgement[] = [
  { path: MANAGED_PATHS, finding: /.*/, reason: MANAGED_REASON },
  {
    path: /\/(data\/GraphqlAccessPolicy\d+|auth\/GraphqlAccessPolicy\d+)\//,
    finding: /^Resource::<[^>]*GraphQLAPI[^>]*>\/types\/(Query|Mutation|Subscription)\/\*$/,
    reason:
      "allow.resource(fn) grants appsync:GraphQL on this API's Query/Mutation/Subscription fields (Amplify does not narrow per field); each function sends only the documents in amplify/functions/shared/documents.ts.",
  },
  {
    path: /\/data\/(amplifyData\/FunctionDirectiveStack\/Fn\w+LambdaDataSource\/ServiceRole|SchedulerRoleForTarget-\w+)\//,
    finding: /^Resource::<[^>]*lambda[^>]*>:\*$/i,
    reason: 'AppSync Lambda data sources and the scheduler invoke <function-arn>:*, i.e. the versions and aliases of that one function.',
  },
  {
    path: /\/data\/amplifyData\/(Conversation|Message|Reaction|ReadReceipt|UserPresence|UserProfile)\/\w+IAMRole\//,
    finding: /^Resource::\["arn:\$\{AWS::Partition\}:dynamodb:\$\{AWS::Region\}:\$\{AWS::AccountId\}:table\/\$\{tablename\}\/\*"/,
    reason: 'Model data-source roles need table/<model table>/* for the secondary indexes of that one table.',
  },
  {
    path: /^\/storage\/[\w-]+storageAccess\d+\/Resource$/,
    finding: /^Resource::<chatAttachmentsBucket\w+\.Arn>\/(uploads\/<cognito-identity\.amazonaws\.com:sub>\/\*|uploads\/\*|conversations\/\*)$/,
    reason:
      "defineStorage's path grants (amplify/storage/resource.ts): each identity's own staged uploads (uploads/<its identity id>/*); the message processor's uploads/* and conversations/* (object keys are per upload and per message, so a path prefix is the narrowest grant).",
  },
];

export function addNagSuppressions({ root, data, attachmentsBucket, userPool, ourFunctions, passwordPolicy }: NagScopes): void {
  // Infrastructure generated and managed by Amplify and CDK for deployment time.
  const managed = [
    ...findByPath(root, '/AmplifyBranchLinker'),
    ...findByPath(data, '/AmplifyTableManager', '/LogRetention', '/Custom::CDKBucketDeployment', '/AmplifyCodegenAssets'),
  ];
  for (const scope of managed) acknowledge(scope, 'AwsSolutions-L1', `${MANAGED_REASON} Its runtime is chosen by the owning construct.`);
  for (const bucket of findByPath(data, '/AmplifyCodegenAssetsBucket/', '/modelIntrospectionSchemaBucket/')) {
    acknowledge(
      bucket,
      'AwsSolutions-S1',
      'Amplify codegen bucket holding the generated schema and model introspection file (no user data), written once per deployment; access logs would add cost without audit value.',
    );
  }

  acknowledge(
    attachmentsBucket,
    'AwsSolutions-S1',
    'Every object operation of the app goes through the message processor (move, sign, delete), whose logs and metrics record it; clients only stage uploads under their own identity. Server access logs (or CloudTrail S3 data events) can be turned on where an audit trail of every request is required: docs/security.md.',
  );

  for (const scope of managed) acknowledge(scope, LAMBDA_BASIC_EXECUTION, MANAGED_REASON);
  for (const scope of [...ourFunctions, data]) {
    acknowledge(scope, LAMBDA_BASIC_EXECUTION, 'AWSLambdaBasicExecutionRole only lets a function write its own logs; it is the Amplify default execution policy.');
  }
  acknowledge(data, APPSYNC_LOGS_POLICY, "AWSAppSyncPushToCloudWatchLogs only lets AppSync write the API's own logs (field logging is on).");
  acknowledge(
    data,
    'AwsSolutions-ASC3',
    'Request-level logging is on (field logs at ERROR, ALL in sandboxes); verbose content stays excluded so message text, variables and tokens do not land in CloudWatch Logs.',
  );

  // Cognito
  if (!passwordPolicy.requireSymbols) {
    acknowledge(
      userPool,
      'AwsSolutions-COG1',
      'The default password policy (min 8, upper, lower, digits) does not require symbols; set CHAT_APP_PASSWORD_REQUIRE_SYMBOLS=true to require them.',
    );
  }
  acknowledge(
    userPool,
    'AwsSolutions-COG2',
    'MFA is not required at chat sign-up; the password policy and e-mail verification apply. Enable defineAuth multifactor where required.',
  );
  acknowledge(
    userPool,
    'AwsSolutions-COG8',
    'Cognito Plus (threat protection) is a paid feature plan; documented as an option for production in docs/operations.md.',
  );
}
