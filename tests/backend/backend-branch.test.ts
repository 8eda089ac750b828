/**
 * The synthesized backend of a branch deployment (what `ampx pipeline-deploy` deploys), with an
 * alarm e-mail configured: resources, settings and the generated authorization code.
 */
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphqlSchema, pipelineFunction, typeFields, typeHeader } from '../helpers/assembly';
import { synthBackend } from '../helpers/synth-backend';

type Synth = Awaited<ReturnType<typeof synthBackend>>;
let synth: Synth;
let assemblyDir: string;
let root: Template;
let auth: Template;
let data: Template;
let monitoring: Template;
let sdl: string;

const MODELS = ['Conversation', 'Message', 'UserPresence', 'UserProfile'] as const;
const FUNCTIONS = ['message-processor', 'presence', 'presence-sweeper', 'post-confirmation'] as const;

function modelTemplate(model: (typeof MODELS)[number]): Template {
  return Template.fromStack(Stack.of(synth.backend.data.resources.tables[model]!));
}

beforeAll(async () => {
  synth = await synthBackend({
    backendType: 'branch',
    backendName: 'main',
    env: { CHAT_APP_ALARM_EMAIL: 'alerts@example.com', CHAT_APP_ENVIRONMENT: 'prod', CHAT_APP_PREFIX: 'acme-chat' },
  });
  assemblyDir = synth.app.synth().directory;
  root = Template.fromStack(synth.backend.stack);
  auth = Template.fromStack(synth.backend.auth.stack);
  data = Template.fromStack(synth.backend.data.stack);
  monitoring = Template.fromStack(Stack.of(synth.monitoring.dashboard));
  sdl = graphqlSchema(assemblyDir);
});

describe('stacks', () => {
  it('nests auth, data and monitoring under the root stack, and one stack per model under data', () => {
    root.resourceCountIs('AWS::CloudFormation::Stack', 3);
    const nested = synth.backend.data.resources.nestedStacks;
    for (const model of MODELS) expect(Object.keys(nested)).toContain(model);
  });
});

describe('auth (Cognito)', () => {
  it('signs in with e-mail and applies the brief\'s password policy', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
        },
      },
    });
  });

  it('has a mutable preferred_username attribute for display names', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([{ Name: 'preferred_username', Mutable: true, Required: false }]),
    });
  });

  it('runs the post-confirmation trigger that fills the user directory', () => {
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: { PostConfirmation: { 'Fn::GetAtt': [Match.stringLikeRegexp('^postconfirmationlambda'), 'Arn'] } },
    });
  });

  it('allows no guest identities', () => {
    auth.hasResourceProperties('AWS::Cognito::IdentityPool', { AllowUnauthenticatedIdentities: false });
  });
});

describe('GraphQL API', () => {
  it('authorizes with the user pool by default and IAM for the Lambdas, and logs errors with verbose content excluded', () => {
    data.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      AuthenticationType: 'AMAZON_COGNITO_USER_POOLS',
      AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }],
      LogConfig: { FieldLogLevel: 'ERROR', ExcludeVerboseContent: true, CloudWatchLogsRoleArn: Match.anyValue() },
    });
  });

  it('keeps AppSync logs for the prod retention (90 days)', () => {
    data.hasResourceProperties('Custom::LogRetention', {
      LogGroupName: { 'Fn::Join': ['', ['/aws/appsync/apis/', Match.anyValue()]] },
      RetentionInDays: 90,
    });
  });

  it('has the brief\'s operations with their names', () => {
    const mutations = typeFields(sdl, 'Mutation').join('\n');
    expect(mutations).toMatch(/^createConversation\(input: CreateConversationInput!, condition: ModelConversationConditionInput\): Conversation/m);
    expect(mutations).toMatch(/^sendMessage\(input: SendMessageInputInput!\): SentMessage @aws_iam @aws_cognito_user_pools$/m);
    expect(mutations).toMatch(/^editMessage\(messageId: ID!, content: String!\): Message /m);
    expect(mutations).toMatch(/^removeMessage\(messageId: ID!\): Message /m);
    expect(mutations).toMatch(/^heartbeat\(status: PresenceStatus\): UserPresence /m);
    const subscriptions = typeFields(sdl, 'Subscription').join('\n');
    // Every event subscription listens to the backend's publish, never to a client's own mutation.
    for (const field of ['onMessageSent(conversationId: ID!)', 'onTyping(conversationId: ID!)', 'onConversationEvent(conversationId: ID!)', 'onMyConversations']) {
      const escaped = field.replace(/[()!]/g, '\\$&');
      expect(subscriptions).toMatch(new RegExp(`^${escaped}: ConversationEvent @aws_subscribe\\(mutations: \\["publishConversationEvent"\\]\\) @aws_cognito_user_pools @aws_iam$`, 'm'));
    }
    expect(subscriptions).not.toMatch(/mutations: \["(sendMessage|sendTyping)"\]/);
    expect(mutations).toMatch(/^sendTyping\(conversationId: ID!, typing: Boolean!\): TypingEvent @aws_iam @aws_cognito_user_pools$/m);
    // The publish: IAM for the Lambdas; for user-pool callers only a group nobody is in.
    expect(mutations).toMatch(
      /^publishConversationEvent\(event: ConversationEventInput!\): ConversationEvent @aws_cognito_user_pools\(cognito_groups: \["ChatEventPublishers"\]\) @aws_iam$/m,
    );
    expect(typeFields(sdl, 'TypingEvent')).toEqual(['conversationId: ID!', 'userId: String!', 'typing: Boolean!', 'at: AWSDateTime!']);
    expect(typeFields(sdl, 'ConversationEvent')).toEqual(
      expect.arrayContaining(['conversationId: ID!', 'type: ConversationEventType!', 'userId: String!', 'messageId: ID', 'content: String', 'createdAt: AWSDateTime', 'participants: [String!]!']),
    );
    expect(typeFields(sdl, 'ConversationEventType')).toEqual(['MESSAGE_SENT', 'MESSAGE_EDITED', 'MESSAGE_DELETED', 'TYPING']);
    expect(typeFields(sdl, 'SendMessageInputInput')).toEqual([
      'conversationId: ID!',
      'content: String!',
      'messageType: MessageType',
      'clientMessageId: String',
    ]);
    expect(typeFields(sdl, 'SentMessage')).toEqual(
      expect.arrayContaining(['messageId: ID!', 'conversationId: ID!', 'userId: String!', 'content: String!', 'createdAt: AWSDateTime!', 'participants: [String!]!']),
    );
    expect(typeFields(sdl, 'MessageType')).toEqual(['TEXT', 'IMAGE', 'FILE', 'SYSTEM']);
    expect(typeFields(sdl, 'PresenceStatus')).toEqual(['ONLINE', 'AWAY', 'OFFLINE']);
  });

  it('serves message history newest-first from the conversation index with pagination', () => {
    const queries = typeFields(sdl, 'Query').join('\n');
    expect(queries).toMatch(
      /^listMessagesByConversation\(conversationId: ID!, createdAt: ModelStringKeyConditionInput, sortDirection: ModelSortDirection, filter: ModelMessageFilterInput, limit: Int, nextToken: String\): ModelMessageConnection/m,
    );
  });

  it('marks every model readable only through user-pool or IAM auth (no API key, no guests)', () => {
    for (const model of [...MODELS, 'SentMessage', 'TypingEvent']) {
      expect(typeHeader(sdl, model)).not.toMatch(/@aws_api_key|@aws_oidc|@aws_lambda/);
    }
  });
});

describe('generated authorization (VTL)', () => {
  const USER_POOL_BLOCK_EMPTY = /#if\( \$util\.authType\(\) == "User Pool Authorization" \)\s*#end/;

  it('gives signed-in users no way to create, update or delete messages directly', () => {
    for (const op of ['createMessage', 'updateMessage', 'deleteMessage']) {
      const fn = pipelineFunction(assemblyDir, `Mutation${op}auth0Function`);
      expect(`${fn.request}${fn.response}`, op).toMatch(USER_POOL_BLOCK_EMPTY);
    }
  });

  it('gives signed-in users no way to write presence or create/delete profiles or delete conversations', () => {
    for (const op of ['createUserPresence', 'updateUserPresence', 'deleteUserPresence', 'createUserProfile', 'deleteUserProfile', 'deleteConversation']) {
      const fn = pipelineFunction(assemblyDir, `Mutation${op}auth0Function`);
      expect(`${fn.request}${fn.response}`, op).toMatch(USER_POOL_BLOCK_EMPTY);
    }
  });

  it('lets participants update only the conversation name, never its participants or last-message fields', () => {
    const fn = pipelineFunction(assemblyDir, 'MutationupdateConversationauth0Function');
    expect(fn.response).toContain('#set( $ownerEntity0 = $util.defaultIfNull($ctx.result.participants, []) )');
    expect(fn.response).toContain('#set( $ownerAllowedFields0 = ["name","createdAt","id"] )');
  });

  it('lets profile owners change only their display name', () => {
    const fn = pipelineFunction(assemblyDir, 'MutationupdateUserProfileauth0Function');
    expect(`${fn.request}${fn.response}`).toContain('#set( $ownerAllowedFields0 = ["id","displayName"] )');
  });

  it('filters message and conversation lists and index queries by participants', () => {
    for (const op of ['QuerylistMessagesByConversation', 'QuerylistMessages', 'QuerylistConversations']) {
      const fn = pipelineFunction(assemblyDir, `${op}auth0Function`);
      expect(fn.request, op).toContain('$util.qr($authFilter.add({"participants": { "contains": $ownerClaim0 }}))');
    }
  });

  it('restricts message and conversation subscriptions to participants with an enhanced filter', () => {
    for (const op of ['onCreateMessage', 'onUpdateMessage', 'onDeleteMessage', 'onCreateConversation', 'onUpdateConversation']) {
      const fn = pipelineFunction(assemblyDir, `Subscription${op}auth0Function`);
      expect(fn.request, op).toContain('$util.qr($authOwnerRuntimeFilter.add({ "participants": { "contains": $currentClaim1 } }))');
    }
  });

  it.each([
    ['Subscription', 'onMessageSent', 'FnSubscriptiononMessageSent1'],
    ['Subscription', 'onTyping', 'FnSubscriptiononTyping1'],
    ['Subscription', 'onConversationEvent', 'FnSubscriptiononConversationEvent1'],
  ])('authorizes %s.%s at subscribe time with one APPSYNC_JS function reading the conversation', (typeName, fieldName, functionId) => {
    expectOneJsFunction(typeName, fieldName, functionId, 'ConversationTable');
    const fn = pipelineFunction(assemblyDir, `Fn_${typeName}_${fieldName}_1`);
    expect(fn.code).toContain("operation: 'GetItem'");
    expect(fn.code).toContain('util.unauthorized()');
    expect(fn.code).toContain('extensions.setSubscriptionFilter');
  });

  it.each([
    ['Mutation', 'publishConversationEvent', 'FnMutationpublishConversationEvent1'],
    ['Subscription', 'onMyConversations', 'FnSubscriptiononMyConversations1'],
  ])('resolves %s.%s with one APPSYNC_JS function on the NONE data source (nothing read or stored)', (typeName, fieldName, functionId) => {
    expectOneJsFunction(typeName, fieldName, functionId, 'NONE_DS');
  });

  /** `typeName.fieldName` is a pipeline of exactly `functionId`, an APPSYNC_JS function on `dataSource`. */
  function expectOneJsFunction(typeName: string, fieldName: string, functionId: string, dataSource: string): void {
    data.hasResourceProperties('AWS::AppSync::Resolver', {
      TypeName: typeName,
      FieldName: fieldName,
      Kind: 'PIPELINE',
      PipelineConfig: { Functions: [{ 'Fn::GetAtt': [functionId, 'FunctionId'] }] },
    });
    const functions = data.findResources('AWS::AppSync::FunctionConfiguration');
    expect(functions[functionId]?.Properties).toMatchObject({
      Name: `Fn_${typeName}_${fieldName}_1`,
      DataSourceName: dataSource,
      Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
    });
  }

  it('names as ConversationTable the DynamoDB data source of the Conversation model\'s table', () => {
    const sources = Object.values(modelTemplate('Conversation').findResources('AWS::AppSync::DataSource', { Properties: { Name: 'ConversationTable' } }));
    expect(sources).toHaveLength(1);
    expect(sources[0]!.Properties.Type).toBe('AMAZON_DYNAMODB');
    expect(JSON.stringify(sources[0]!.Properties.DynamoDBConfig)).toContain('"Fn::GetAtt":["ConversationTable","TableArn"]');
  });
});

describe('tables', () => {
  it('keys every model table by id, with point-in-time recovery and the AWS-owned encryption key', () => {
    for (const model of MODELS) {
      modelTemplate(model).hasResourceProperties('Custom::AmplifyDynamoDBTable', {
        keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        sseSpecification: { sseEnabled: false },
      });
    }
  });

  it('indexes messages by conversation and time, and presence by status and last seen', () => {
    modelTemplate('Message').hasResourceProperties('Custom::AmplifyDynamoDBTable', {
      globalSecondaryIndexes: [
        Match.objectLike({
          indexName: 'messagesByConversationIdAndCreatedAt',
          keySchema: [
            { attributeName: 'conversationId', keyType: 'HASH' },
            { attributeName: 'createdAt', keyType: 'RANGE' },
          ],
          projection: { projectionType: 'ALL' },
        }),
      ],
    });
    modelTemplate('UserPresence').hasResourceProperties('Custom::AmplifyDynamoDBTable', {
      globalSecondaryIndexes: [
        Match.objectLike({
          indexName: 'userPresencesByStatusAndLastSeen',
          keySchema: [
            { attributeName: 'status', keyType: 'HASH' },
            { attributeName: 'lastSeen', keyType: 'RANGE' },
          ],
        }),
      ],
    });
  });
});

describe('functions', () => {
  it('run on Node.js 24 with the app environment and the data API endpoint', () => {
    for (const [template, names] of [
      [data, ['message-processor', 'presence', 'presence-sweeper']],
      [auth, ['post-confirmation']],
    ] as const) {
      for (const name of names) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          Runtime: 'nodejs24.x',
          Tags: Match.arrayWith([{ Key: 'amplify:friendly-name', Value: name }]),
          Environment: {
            Variables: Match.objectLike({
              CHAT_APP_ENVIRONMENT: 'prod',
              CHAT_APP_PREFIX: 'acme-chat',
              AMPLIFY_SSM_ENV_CONFIG: Match.stringLikeRegexp('AMPLIFY_DATA_GRAPHQL_ENDPOINT'),
            }),
          },
        });
      }
    }
  });

  it('give the message processor its send rate limit and UpdateItem, nothing else, on the counters table', () => {
    const tables = data.findResources('AWS::DynamoDB::Table');
    const [tableId, ...others] = Object.keys(tables);
    expect(others).toEqual([]);
    expect(tables[tableId!]?.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    data.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'amplify:friendly-name', Value: 'message-processor' }]),
      Environment: {
        Variables: Match.objectLike({
          SEND_RATE_LIMIT_MESSAGES: '30',
          SEND_RATE_LIMIT_WINDOW_SECONDS: '10',
          SEND_RATE_LIMIT_TABLE: { Ref: tableId },
        }),
      },
    });
    // Exactly one statement names the table: UpdateItem on it (no index, no other action).
    const statements = Object.values(data.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => (policy.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]),
    );
    const onTable = statements.filter((statement) => JSON.stringify(statement.Resource).includes(tableId!));
    expect(onTable).toEqual([
      expect.objectContaining({ Action: 'dynamodb:UpdateItem', Effect: 'Allow', Resource: [{ 'Fn::GetAtt': [tableId, 'Arn'] }] }),
    ]);
  });

  it('keep every function log group for the configured retention', () => {
    const logGroups = { ...data.findResources('AWS::Logs::LogGroup'), ...auth.findResources('AWS::Logs::LogGroup') };
    const retained = Object.entries(logGroups).filter(([id]) => FUNCTIONS.some((fn) => id.startsWith(fn.replace(/-/g, ''))));
    expect(retained).toHaveLength(FUNCTIONS.length);
    for (const [, group] of retained) expect(group.Properties.RetentionInDays).toBe(90);
  });

  it('sweeps presence every minute through EventBridge Scheduler', () => {
    data.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(*/1 * * * ? *)',
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^presencesweeperlambda'), 'Arn'] } },
    });
  });

  it('resolve sendMessage, editMessage, removeMessage and sendTyping with the message processor and heartbeat with presence', () => {
    const directive = Template.fromStack(synth.backend.data.resources.nestedStacks['FunctionDirectiveStack']!);
    for (const field of ['sendMessage', 'editMessage', 'removeMessage', 'sendTyping', 'heartbeat']) {
      directive.hasResourceProperties('AWS::AppSync::Resolver', { TypeName: 'Mutation', FieldName: field, Kind: 'PIPELINE' });
    }
    expect(JSON.stringify(directive.findResources('AWS::AppSync::DataSource'))).toMatch(/messageprocessorlambda/);
  });
});

describe('monitoring', () => {
  const alarms = () => Object.values(monitoring.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);

  it('alarms on AppSync 5XX errors and p99 latency for this API', () => {
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'acme-chat-prod-main-appsync-5xx-errors',
      Namespace: 'AWS/AppSync',
      MetricName: '5XXError',
      Dimensions: [{ Name: 'GraphQLAPIId', Value: Match.anyValue() }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'acme-chat-prod-main-appsync-latency-p99',
      Namespace: 'AWS/AppSync',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: 1000,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms on throttled requests and system errors of every model table and the send-rate table', () => {
    for (const model of [...MODELS, 'SendRateLimit']) {
      for (const [kind, metric] of [
        ['throttles', 'ThrottledRequests'],
        ['system-errors', 'SystemErrors'],
      ] as const) {
        const alarm = alarms().find((a) => a.AlarmName === `acme-chat-prod-main-${model.toLowerCase()}-table-${kind}`);
        expect(alarm, `${model} ${kind}`).toBeDefined();
        const metrics = alarm.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string }[] } } }[];
        const stats = metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat!.Metric);
        expect(stats.length).toBeGreaterThan(0);
        for (const stat of stats) {
          expect(stat.MetricName).toBe(metric);
          expect(stat.Dimensions.map((d) => d.Name).sort()).toEqual(['Operation', 'TableName']);
        }
        expect(alarm.Threshold).toBe(1);
      }
    }
  });

  it('alarms on errors and throttles of every function', () => {
    for (const fn of FUNCTIONS) {
      for (const [kind, metric] of [
        ['errors', 'Errors'],
        ['throttles', 'Throttles'],
      ] as const) {
        monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `acme-chat-prod-main-${fn}-${kind}`,
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: Match.anyValue() }],
          Threshold: 1,
        });
      }
    }
    expect(alarms()).toHaveLength(2 + (MODELS.length + 1) * 2 + FUNCTIONS.length * 2);
  });

  it('notifies the configured address through an encrypted, TLS-only SNS topic on alarm and recovery', () => {
    monitoring.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    monitoring.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alerts@example.com' });
    monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions, alarm.AlarmName).toHaveLength(1);
      expect(alarm.OKActions, alarm.AlarmName).toHaveLength(1);
    }
  });

  it('has a dashboard with the same metrics', () => {
    const dashboards = Object.values(monitoring.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const dashboard = dashboards[0]!;
    expect(dashboard.Properties.DashboardName).toBe('acme-chat-prod-main');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of ['5XXError', 'Latency', 'ThrottledRequests', 'SystemErrors', 'Errors', 'Throttles']) {
      expect(body).toContain(`\\"${metric}\\"`);
    }
  });
});

describe('tags', () => {
  it('tags resources with Project, Environment and Owner', () => {
    const expected = Match.arrayWith([
      { Key: 'Environment', Value: 'prod' },
      { Key: 'Owner', Value: 'DevOps Team' },
      { Key: 'Project', Value: 'RealTimeChat' },
    ]);
    data.hasResourceProperties('AWS::AppSync::GraphQLApi', { Tags: expected });
    data.hasResourceProperties('AWS::Lambda::Function', { Tags: expected });
    modelTemplate('Message').hasResourceProperties('AWS::IAM::Role', { Tags: expected });
    auth.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTags: Match.objectLike({ Environment: 'prod', Owner: 'DevOps Team', Project: 'RealTimeChat' }),
    });
    root.hasResource('AWS::CloudFormation::Stack', { Properties: Match.objectLike({ Tags: expected }) });
  });
});

describe('log retention on every Lambda function', () => {
  it('wires each function of every stack (ours, Amplify\'s and CDK\'s) to a log group with the configured retention', () => {
    const stacks = synth.app.node.findAll().filter((c): c is Stack => Stack.isStack(c));
    let functions = 0;
    for (const stack of stacks) {
      const template = Template.fromStack(stack);
      const groups = template.findResources('AWS::Logs::LogGroup');
      for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
        functions += 1;
        const ref = fn.Properties?.LoggingConfig?.LogGroup?.Ref as string | undefined;
        expect(ref, `${stack.node.path}/${id} has a log group`).toBeDefined();
        expect(groups[ref!]?.Properties?.RetentionInDays, `${stack.node.path}/${id} retention`).toBe(90);
      }
    }
    // ours (4) plus Amplify/CDK deployment functions
    expect(functions).toBeGreaterThan(4);
  });
});
