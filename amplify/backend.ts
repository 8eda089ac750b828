import { defineBackend } from '@aws-amplify/backend';
import { Aspects, Duration, Stack, Tags } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { auth } from './auth/resource';
import { data } from './data/resource';
import { messageProcessor } from './functions/message-processor/resource';
import { presence } from './functions/presence/resource';
import { presenceSweeper } from './functions/presence-sweeper/resource';
import { postConfirmation } from './functions/post-confirmation/resource';
import { storage } from './storage/resource';
import { ATTACHMENT_UPLOAD_EXPIRY_DAYS } from './shared/limits';
import { effectiveFieldLogLevel } from './config';
import { SendRateLimitTable } from './data/send-rate-limit-table';
import { MessageSearchIndexTable } from './data/message-search-index-table';
import { settings } from './settings';
import { ChatMonitoring } from './operations/monitoring';
import { RetainLambdaLogs } from './operations/lambda-log-retention';
import { addNagSuppressions } from './operations/nag-suppressions';

export const backend = defineBackend({
  auth,
  data,
  messageProcessor,
  presence,
  presenceSweeper,
  postConfirmation,
  storage,
});

const backendType = backend.stack.node.tryGetContext('amplify-backend-type') as string | undefined;
const backendName = String(backend.stack.node.tryGetContext('amplify-backend-name') ?? 'default')
  .toLowerCase()
  .replace(/[^a-z0-9-]/g, '-');

// Auth: the password policy (by default at least 8 characters with upper case, lower case and numbers; defineAuth
// does not expose it).
const { cfnUserPool } = backend.auth.resources.cfnResources;
cfnUserPool.policies = {
  passwordPolicy: {
    ...settings.passwordPolicy,
    temporaryPasswordValidityDays: 7,
  },
};

// Auth: no guest (unauthenticated) identities; every API call needs a signed-in user.
backend.auth.resources.cfnResources.cfnIdentityPool.allowUnauthenticatedIdentities = false;

// Data: field log level per deployment kind (everything in sandboxes, errors in branches).
const { cfnGraphqlApi, amplifyDynamoDbTables } = backend.data.resources.cfnResources;
const logConfig = cfnGraphqlApi.logConfig as appsync.CfnGraphQLApi.LogConfigProperty;
cfnGraphqlApi.logConfig = { ...logConfig, fieldLogLevel: effectiveFieldLogLevel(settings, backendType) };

// Data: the Amplify-generated buckets (schema, model introspection) accept TLS requests only.
for (const bucket of backend.data.stack.node.findAll().filter((c): c is s3.Bucket => c instanceof s3.Bucket)) {
  bucket.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyInsecureTransport',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:*'],
      resources: [bucket.bucketArn, bucket.arnForObjects('*')],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    }),
  );
}

// Attachments (amplify/storage/resource.ts): defineStorage already makes the bucket TLS-only (enforceSSL); public access
// is blocked and objects are encrypted at rest with S3-managed keys (S3's defaults for new buckets, stated here so a
// changed account default or a drift shows in the template). Staged uploads that were never sent expire after
// ATTACHMENT_UPLOAD_EXPIRY_DAYS, and multipart uploads left incomplete (a cancelled or broken upload keeps its parts,
// billed, until aborted) are aborted after a day anywhere in the bucket. Conversation files live as long as their message.
const attachmentsBucket = backend.storage.resources.bucket;
if (!(attachmentsBucket instanceof s3.Bucket)) throw new Error('the storage resource has no S3 Bucket');
const { cfnBucket: cfnAttachmentsBucket } = backend.storage.resources.cfnResources;
cfnAttachmentsBucket.bucketEncryption = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] };
cfnAttachmentsBucket.publicAccessBlockConfiguration = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
attachmentsBucket.addLifecycleRule({ id: 'ExpireStagedUploads', prefix: 'uploads/', expiration: Duration.days(ATTACHMENT_UPLOAD_EXPIRY_DAYS) });
attachmentsBucket.addLifecycleRule({ id: 'AbortIncompleteMultipartUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) });

// Tables: point-in-time recovery (encryption at rest with the AWS-owned key is always on).
for (const table of Object.values(amplifyDynamoDbTables)) {
  table.pointInTimeRecoveryEnabled = true;
}

// Data: the per-user send rate counters, in the data stack next to the message processor.
const sendRateLimits = new SendRateLimitTable(backend.data.stack, 'SendRateLimit', backend.messageProcessor.resources.lambda);
backend.messageProcessor.addEnvironment('SEND_RATE_LIMIT_TABLE', sendRateLimits.table.tableName);

// Data: the message processor writes conversations and messages directly (one transaction per send), with only the
// item actions it uses: no scans or batch operations, a query only on the Reaction table (the users of one emoji on
// one message); conversations are never deleted by it; read points are only moved (UpdateItem) and read back.
const conversationTable = backend.data.resources.tables['Conversation'];
const messageTable = backend.data.resources.tables['Message'];
const reactionTable = backend.data.resources.tables['Reaction'];
const readReceiptTable = backend.data.resources.tables['ReadReceipt'];
if (!conversationTable || !messageTable || !reactionTable || !readReceiptTable) {
  throw new Error('the data resource has no Conversation, Message, Reaction or ReadReceipt table');
}
const messageProcessorFunction = backend.messageProcessor.resources.lambda;
backend.messageProcessor.addEnvironment('CONVERSATION_TABLE_NAME', conversationTable.tableName);
backend.messageProcessor.addEnvironment('MESSAGE_TABLE_NAME', messageTable.tableName);
conversationTable.grant(messageProcessorFunction, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
messageTable.grant(messageProcessorFunction, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem');
backend.messageProcessor.addEnvironment('REACTION_TABLE_NAME', reactionTable.tableName);
reactionTable.grant(messageProcessorFunction, 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query');
backend.messageProcessor.addEnvironment('READ_RECEIPT_TABLE_NAME', readReceiptTable.tableName);
readReceiptTable.grant(messageProcessorFunction, 'dynamodb:GetItem', 'dynamodb:UpdateItem');

// Data: the message search index, written by the message processor on send/edit/remove and read by it for
// searchMessages (the table grants its item actions and key query; docs/data-model.md, "Message search").
const searchIndex = new MessageSearchIndexTable(backend.data.stack, 'MessageSearchIndex', messageProcessorFunction);
backend.messageProcessor.addEnvironment('SEARCH_INDEX_TABLE_NAME', searchIndex.table.tableName);

// Data: publishConversationEvent delivers to participants whatever it is given, so only the message processor may call
// it. Amplify's allow.resource grants each function every Mutation field; the other functions are denied this one, on
// any API of the account and region (naming the API's own ARN from the auth stack, where the post-confirmation trigger
// lives, would make the auth and data stacks depend on each other).
for (const fn of [backend.presence, backend.presenceSweeper, backend.postConfirmation]) {
  const publishField = Stack.of(fn.resources.lambda).formatArn({
    service: 'appsync',
    resource: 'apis',
    resourceName: '*/types/Mutation/fields/publishConversationEvent',
  });
  fn.resources.lambda.addToRolePolicy(
    new iam.PolicyStatement({ sid: 'NoConversationEvents', effect: iam.Effect.DENY, actions: ['appsync:GraphQL'], resources: [publishField] }),
  );
}

// Logs: a retention on every Lambda log group, including Amplify's and CDK's deployment functions.
Aspects.of(backend.stack).add(new RetainLambdaLogs(settings.logRetentionDays));

// Monitoring: alarms on AppSync, every table (models, send-rate counters, search index) and every function; a dashboard; optional e-mail.
const monitoringStack = backend.createStack('monitoring');
export const monitoring = new ChatMonitoring(monitoringStack, {
  namePrefix: `${settings.prefix}-${settings.environment}-${backendName}`,
  apiId: backend.data.resources.graphqlApi.apiId,
  tables: { ...backend.data.resources.tables, SendRateLimit: sendRateLimits.table, MessageSearchIndex: searchIndex.table },
  functions: {
    'message-processor': backend.messageProcessor.resources.lambda,
    presence: backend.presence.resources.lambda,
    'presence-sweeper': backend.presenceSweeper.resources.lambda,
    'post-confirmation': backend.postConfirmation.resources.lambda,
  },
  latencyP99ThresholdMs: settings.latencyP99ThresholdMs,
  alarmEmail: settings.alarmEmail,
});

// Project, Environment, Owner and AppPrefix tags on every resource.
Tags.of(backend.stack).add('Project', settings.project);
Tags.of(backend.stack).add('Environment', settings.environment);
Tags.of(backend.stack).add('Owner', settings.owner);
Tags.of(backend.stack).add('AppPrefix', settings.prefix);

addNagSuppressions({
  root: backend.stack,
  data: backend.data.stack,
  attachmentsBucket,
  userPool: cfnUserPool,
  ourFunctions: [backend.messageProcessor, backend.presence, backend.presenceSweeper, backend.postConfirmation].map(
    (fn) => fn.resources.lambda,
  ),
  passwordPolicy: settings.passwordPolicy,
});
