import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildAppSyncSchema } from '../appsync/schema/build-schema';
import { CloudAssembly } from './cloud-assembly';
import { loadCdkOut } from './load-cdk-out';
import { readGraphqlApi } from './read-graphql-api';
import { LoadedStack } from './stack-tree';
import type { BackendDescription, ResolverCode } from './types';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');

describe('loadCdkOut on the synthesized chat backend', () => {
  let backend: BackendDescription;

  beforeAll(() => {
    if (!existsSync(join(CDK_OUT, 'manifest.json'))) {
      throw new Error(`No synthesized backend at ${CDK_OUT}; run \`npm run synth\` before these tests.`);
    }
    backend = loadCdkOut(CDK_OUT);
  });

  const resolver = (typeName: string, fieldName: string) => {
    const found = backend.resolvers.find((r) => r.typeName === typeName && r.fieldName === fieldName);
    if (!found) throw new Error(`no resolver ${typeName}.${fieldName}`);
    return found;
  };
  const pipelineFunctions = (typeName: string, fieldName: string) =>
    resolver(typeName, fieldName).functions.map((id) => {
      const fn = backend.functions[id];
      if (!fn) throw new Error(`resolver ${typeName}.${fieldName} references unknown function ${id}`);
      return fn;
    });
  const codeTexts = (code: ResolverCode): string[] =>
    code.runtime === 'VTL' ? [code.request ?? '', code.response ?? ''] : [code.code];

  it('describes the API: stable id, Cognito default + IAM, deployed schema, log level', () => {
    expect(backend.api.id).toMatch(/^[a-z0-9]{26}$/);
    expect(backend.api.defaultAuthMode).toBe('AMAZON_COGNITO_USER_POOLS');
    expect(backend.api.additionalAuthModes).toEqual(['AWS_IAM']);
    expect(backend.api.schema).toContain('sendMessage(input: SendMessageInputInput!): SentMessage');
    expect(backend.api.schema).toMatch(/@aws_subscribe/);
    expect(backend.api.fieldLogLevel).toBe('ALL');
    expect(backend.api.apiKeys).toEqual([]);
  });

  it('reads the six Amplify tables with keys, GSIs and names derived from the API id', () => {
    const modelTables = backend.tables.filter((t) => t.model);
    expect(modelTables.map((t) => t.model)).toEqual(['Conversation', 'Message', 'Reaction', 'ReadReceipt', 'UserPresence', 'UserProfile']);
    for (const table of modelTables) {
      expect(table.name).toBe(`${table.model}-${backend.api.id}-NONE`);
      // Reaction's identifier is (messageId, reactionKey), ReadReceipt's (conversationId, userId); every other model's is id.
      expect(table.keySchema).toEqual(
        table.model === 'Reaction'
          ? [
              { attributeName: 'messageId', keyType: 'HASH' },
              { attributeName: 'reactionKey', keyType: 'RANGE' },
            ]
          : table.model === 'ReadReceipt'
            ? [
                { attributeName: 'conversationId', keyType: 'HASH' },
                { attributeName: 'userId', keyType: 'RANGE' },
              ]
            : [{ attributeName: 'id', keyType: 'HASH' }],
      );
      expect(table.streamViewType).toBe('NEW_AND_OLD_IMAGES');
    }
    const reaction = backend.tables.find((t) => t.model === 'Reaction');
    expect(reaction?.globalSecondaryIndexes.map((i) => i.indexName)).toEqual(['reactionsByConversationIdAndMessageCreatedAt']);
    expect(backend.tables.find((t) => t.model === 'ReadReceipt')?.globalSecondaryIndexes.map((i) => i.indexName)).toEqual(['readReceiptsByUserId']);
    const message = backend.tables.find((t) => t.model === 'Message');
    expect(message?.globalSecondaryIndexes).toContainEqual({
      indexName: 'messagesByConversationIdAndCreatedAt',
      keySchema: [
        { attributeName: 'conversationId', keyType: 'HASH' },
        { attributeName: 'createdAt', keyType: 'RANGE' },
      ],
      projectionType: 'ALL',
    });
    expect(message?.attributeDefinitions).toContainEqual({ attributeName: 'createdAt', attributeType: 'S' });
    const presence = backend.tables.find((t) => t.model === 'UserPresence');
    expect(presence?.globalSecondaryIndexes.map((i) => i.indexName)).toContain('userPresencesByStatusAndLastSeen');
  });

  it('reads the plain CDK table of send-rate counters, with the physical name the function environment resolves to', () => {
    const others = backend.tables.filter((t) => !t.model && !/MessageSearchIndexTable/.test(t.name));
    expect(others).toHaveLength(1);
    const [counters] = others;
    expect(counters?.keySchema).toEqual([
      { attributeName: 'userId', keyType: 'HASH' },
      { attributeName: 'windowStart', keyType: 'RANGE' },
    ]);
    expect(counters?.attributeDefinitions).toContainEqual({ attributeName: 'windowStart', attributeType: 'N' });
    expect(counters?.name).toMatch(/SendRateLimitTable/);
    const messageProcessor = backend.lambdas.find((fn) => fn.name === 'message-processor');
    expect(messageProcessor?.environment['SEND_RATE_LIMIT_TABLE']).toBe(counters?.name);
    expect(messageProcessor?.environment).toMatchObject({ SEND_RATE_LIMIT_MESSAGES: '30', SEND_RATE_LIMIT_WINDOW_SECONDS: '10' });
  });

  it('reads the plain CDK table of the message search index (word and position), named in the function environment', () => {
    const index = backend.tables.filter((t) => /MessageSearchIndexTable/.test(t.name));
    expect(index).toHaveLength(1);
    expect(index[0]?.model).toBeFalsy();
    expect(index[0]?.keySchema).toEqual([
      { attributeName: 'term', keyType: 'HASH' },
      { attributeName: 'position', keyType: 'RANGE' },
    ]);
    expect(backend.lambdas.find((fn) => fn.name === 'message-processor')?.environment['SEARCH_INDEX_TABLE_NAME']).toBe(index[0]?.name);
  });

  it('maps data sources: NONE, DynamoDB tables by resolved name, Lambda by function name', () => {
    const byType = (type: string) => Object.values(backend.dataSources).filter((d) => d.type === type);
    expect(byType('NONE')).toHaveLength(1);
    const tableNames = byType('AMAZON_DYNAMODB').map((d) => (d.type === 'AMAZON_DYNAMODB' ? d.tableName : ''));
    expect(tableNames.sort()).toEqual(backend.tables.filter((t) => t.model).map((t) => t.name).sort());
    const lambdaTargets = new Set(byType('AWS_LAMBDA').map((d) => (d.type === 'AWS_LAMBDA' ? d.functionName : '')));
    expect(lambdaTargets).toEqual(new Set(['message-processor', 'presence']));
  });

  it('has a resolver for every root field and the owner fields, each wired to existing pipeline functions, each function to an existing data source', () => {
    const schema = buildAppSyncSchema(backend.api.schema);
    const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}).map((field) => `${type!.name}.${field}`),
    );
    const resolved = backend.resolvers.map((r) => `${r.typeName}.${r.fieldName}`);
    expect(rootFields.length).toBeGreaterThan(30);
    expect(new Set(resolved)).toEqual(new Set([...rootFields, 'Conversation.participants', 'Message.participants', 'Reaction.participants', 'ReadReceipt.participants', 'UserPresence.owner', 'UserProfile.owner']));
    expect(resolved).toHaveLength(new Set(resolved).size);
    for (const r of backend.resolvers) {
      if (r.kind === 'PIPELINE') expect(r.functions.length).toBeGreaterThan(0);
      for (const id of r.functions) expect(backend.functions[id], `${r.typeName}.${r.fieldName} → ${id}`).toBeDefined();
    }
    for (const fn of Object.values(backend.functions)) {
      expect(backend.dataSources[fn.dataSourceName], `${fn.id} → ${fn.dataSourceName}`).toBeDefined();
    }
  });

  it.each(['createConversation', 'sendMessage'])('resolves Mutation.%s to a pipeline invoking the message-processor Lambda', (field) => {
    expect(resolver('Mutation', field).kind).toBe('PIPELINE');
    const lambdaSources = pipelineFunctions('Mutation', field)
      .map((fn) => backend.dataSources[fn.dataSourceName])
      .filter((ds) => ds?.type === 'AWS_LAMBDA');
    expect(lambdaSources).toHaveLength(1);
    expect(lambdaSources[0]).toMatchObject({ functionName: 'message-processor' });
  });

  it('reads VTL auth templates from assets (Query.listConversations filters on participants)', () => {
    const functions = pipelineFunctions('Query', 'listConversations');
    const auth = functions.find(
      (fn) => fn.code.runtime === 'VTL' && codeTexts(fn.code).some((t) => t.includes('"participants": { "contains"')),
    );
    expect(auth, 'an auth function filtering on participants').toBeDefined();
    expect(functions.some((fn) => backend.dataSources[fn.dataSourceName]?.type === 'AMAZON_DYNAMODB')).toBe(true);
  });

  it('reads APPSYNC_JS code (Subscription.onMessageSent sets a subscription filter)', () => {
    const resolverCode = resolver('Subscription', 'onMessageSent').code;
    expect(resolverCode.runtime).toBe('APPSYNC_JS');
    const js = pipelineFunctions('Subscription', 'onMessageSent').filter((fn) => fn.code.runtime === 'APPSYNC_JS');
    expect(js.some((fn) => codeTexts(fn.code).some((text) => text.includes('setSubscriptionFilter')))).toBe(true);
  });

  it('embeds resolved values in inline templates (API id in the stash) and leaves no intrinsics behind', () => {
    const getConversation = resolver('Query', 'getConversation').code;
    expect(getConversation.runtime).toBe('VTL');
    expect(codeTexts(getConversation).join('')).toContain(`"apiId", "${backend.api.id}"`);
    expect(codeTexts(getConversation).join('')).toContain(`"tableName", "Conversation-${backend.api.id}-NONE"`);

    const texts = [
      ...backend.resolvers.flatMap((r) => codeTexts(r.code)),
      ...Object.values(backend.functions).flatMap((fn) => codeTexts(fn.code)),
      JSON.stringify(backend.lambdas),
      JSON.stringify(backend.dataSources),
    ];
    for (const text of texts) {
      expect(text).not.toMatch(/\{"Ref"|Fn::|\$\{AWS::/);
    }
  });

  it('reads the user pool: password policy, sign-in attributes, client, trigger by function name', () => {
    const pool = backend.userPool;
    expect(pool.id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool.passwordPolicy).toMatchObject({ minimumLength: 8, requireSymbols: false, requireNumbers: true });
    expect(pool.usernameAttributes).toEqual(['email']);
    expect(pool.autoVerifiedAttributes).toEqual(['email']);
    expect(pool.attributes).toContainEqual({ name: 'email', required: true, mutable: true });
    expect(pool.triggers).toEqual({ PostConfirmation: 'post-confirmation' });
    expect(pool.clients).toHaveLength(1);
    expect(pool.clients[0]?.id).toMatch(/^[a-z0-9]{26}$/);
    expect(pool.clients[0]?.explicitAuthFlows).toContain('ALLOW_USER_SRP_AUTH');
  });

  it("reads defineAuth's identity pool: id, the user pool it trusts, no guests, and its authenticated role's ARN", () => {
    const pool = backend.identityPool;
    expect(pool?.id).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(pool?.allowUnauthenticatedIdentities).toBe(false);
    expect(pool?.providers).toEqual([{ providerName: `cognito-idp.us-east-1.amazonaws.com/${backend.userPool.id}`, clientId: backend.userPool.clients[0]?.id }]);
    expect(pool?.authenticatedRole?.roleArn).toMatch(/^arn:aws:iam::123456789012:role\/.*authenticatedUse/);
    expect(pool?.unauthenticatedRole?.roleArn).toMatch(/^arn:aws:iam::123456789012:role\/.*unauthenticated/);
  });

  it('lists the app functions by friendly name, with code, handler and resolved environment', () => {
    const app = backend.lambdas.filter((l) => l.appFunction);
    expect(app.map((l) => l.name)).toEqual(['message-processor', 'post-confirmation', 'presence', 'presence-sweeper']);
    for (const lambda of app) {
      expect(existsSync(join(lambda.codeDirectory, 'index.mjs')), lambda.codeDirectory).toBe(true);
      expect(lambda.handler).toBe('index.handler');
      expect(lambda.runtime).toMatch(/^nodejs/);
      expect(lambda.environment).toHaveProperty('CHAT_APP_ENVIRONMENT');
    }
    expect(backend.lambdas.find((l) => l.name === 'message-processor')).toMatchObject({
      timeoutSeconds: 10,
      memoryMB: 512,
    });
    // Deployment helpers (table manager, bucket deployment, log retention) are listed but never app functions, even the
    // table-manager functions that carry the data construct's friendly-name tag.
    const helpers = backend.lambdas.filter((l) => !l.appFunction);
    expect(helpers.length).toBeGreaterThan(0);
    expect(helpers.some((l) => l.logicalId.startsWith('TableManagerCustomProvider'))).toBe(true);
    expect(new Set(backend.lambdas.map((l) => l.name)).size).toBe(backend.lambdas.length);
  });

  it('attaches the EventBridge Scheduler schedule to presence-sweeper only', () => {
    const withSchedules = backend.lambdas.filter((l) => l.schedules.length > 0);
    expect(withSchedules.map((l) => [l.name, l.schedules])).toEqual([['presence-sweeper', ['cron(*/1 * * * ? *)']]]);
  });

  it('loads the model introspection schema and the SSM values of the data resource references', () => {
    const introspection = backend.modelIntrospection as { models: Record<string, unknown> };
    expect(Object.keys(introspection.models).sort()).toEqual([
      'Conversation',
      'Message',
      'Reaction',
      'ReadReceipt',
      'UserPresence',
      'UserProfile',
    ]);
    const ssm = Object.entries(backend.ssmParameters ?? {});
    const endpoint = ssm.find(([name]) => name.endsWith('/AMPLIFY_DATA_GRAPHQL_ENDPOINT'));
    expect(endpoint?.[1]).toBe(`https://${backend.api.id}.appsync-api.us-east-1.amazonaws.com/graphql`);
    expect(ssm.find(([name]) => name.endsWith('/AMPLIFY_DATA_MODEL_INTROSPECTION_SCHEMA_KEY'))?.[1]).toBe(
      'modelIntrospectionSchema.json',
    );
  });

  it('finds nothing unsupported in this app and reports the assembly identity', () => {
    expect(backend.unsupported).toEqual([]);
    expect(backend.stackName).toMatch(/^amplify-realtimechat-/);
    expect(backend).toMatchObject({ region: 'us-east-1', accountId: '123456789012', cdkOut: CDK_OUT });
  });

  it('is deterministic: a second load gives an identical description', () => {
    expect(loadCdkOut(CDK_OUT)).toEqual(backend);
  });
});

describe('loadCdkOut errors and nested stacks (synthetic assemblies)', () => {
  const withAssembly = (files: Record<string, unknown>, test: (dir: string) => void) => {
    const dir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
    try {
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content));
      test(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const manifest = {
    artifacts: { Root: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Root.template.json' } } },
  };
  const assets = {
    files: {
      child: {
        source: { path: 'RootChild.nested.template.json', packaging: 'file' },
        destinations: { d: { bucketName: 'cdk-assets-${AWS::AccountId}-${AWS::Region}', objectKey: 'abc123.json' } },
      },
    },
  };
  const templateUrl = {
    'Fn::Join': [
      '',
      [
        'https://s3.',
        { Ref: 'AWS::Region' },
        '.',
        { Ref: 'AWS::URLSuffix' },
        '/',
        { 'Fn::Sub': 'cdk-assets-${AWS::AccountId}-${AWS::Region}' },
        '/abc123.json',
      ],
    ],
  };

  it('tells the user to synthesize when cdk.out or its manifest is missing', () => {
    expect(() => loadCdkOut(join(tmpdir(), 'does-not-exist-cdk-out'))).toThrow(/amplify-gen2-offline synth/);
    withAssembly({}, (dir) => expect(() => loadCdkOut(dir)).toThrow(/manifest\.json is missing.*amplify-gen2-offline synth/));
  });

  it('passes parameters into nested stacks, applies defaults and reads nested outputs via GetAtt', () => {
    withAssembly(
      {
        'manifest.json': manifest,
        'Root.assets.json': assets,
        'Root.template.json': {
          Resources: {
            Child: {
              Type: 'AWS::CloudFormation::Stack',
              Properties: { TemplateURL: templateUrl, Parameters: { Env: 'prod' } },
            },
            Thing: {
              Type: 'AWS::SSM::Parameter',
              Properties: { Name: 'n', Value: { 'Fn::GetAtt': ['Child', 'Outputs.Summary'] } },
            },
          },
        },
        'RootChild.nested.template.json': {
          Parameters: {
            Env: { Type: 'String' },
            Size: { Type: 'Number', Default: 5 },
            Zones: { Type: 'CommaDelimitedList', Default: 'a,b' },
          },
          Conditions: { IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
          Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: {} } },
          Outputs: {
            Summary: {
              Value: {
                'Fn::Join': [
                  '|',
                  [
                    { Ref: 'AWS::StackName' },
                    { 'Fn::If': ['IsProd', 'P', 'D'] },
                    { Ref: 'Size' },
                    { 'Fn::Select': [1, { Ref: 'Zones' }] },
                    { 'Fn::GetAtt': ['Fn', 'Arn'] },
                  ],
                ],
              },
            },
          },
        },
      },
      (dir) => {
        const root = LoadedStack.loadRoot(CloudAssembly.open(dir));
        expect(root.children.get('Child')?.stackName).toBe('Root-Child');
        expect(root.property('Thing', 'Value')).toBe(
          'Root-Child|P|5|b|arn:aws:lambda:us-east-1:123456789012:function:Root-Child-Fn',
        );
      },
    );
  });

  it("reads the API's execution limits; the chat backend sets none (AppSync's defaults apply)", () => {
    const api = (properties: Record<string, unknown>) => {
      let read: ReturnType<typeof readGraphqlApi> | undefined;
      withAssembly(
        {
          'manifest.json': manifest,
          'Root.assets.json': { files: {} },
          'Root.template.json': {
            Resources: {
              Api: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'api', AuthenticationType: 'API_KEY', ...properties } },
              Schema: { Type: 'AWS::AppSync::GraphQLSchema', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Definition: 'type Query { a: String }' } },
            },
          },
        },
        (dir) => {
          const assembly = CloudAssembly.open(dir);
          const root = LoadedStack.loadRoot(assembly);
          read = readGraphqlApi({ assembly, root, resources: root.allStacks().flatMap((stack) => stack.resources()), unsupported: [] });
        },
      );
      return read!;
    };
    expect(api({ QueryDepthLimit: 5, ResolverCountLimit: 100, IntrospectionConfig: 'DISABLED' })).toMatchObject({ queryDepthLimit: 5, resolverCountLimit: 100, introspection: 'DISABLED' });
    const defaults = api({ QueryDepthLimit: 0, ResolverCountLimit: 0 });
    expect([defaults.queryDepthLimit, defaults.resolverCountLimit, defaults.introspection]).toEqual([undefined, undefined, undefined]);
    expect(() => api({ IntrospectionConfig: 'SOMETIMES' })).toThrow(/IntrospectionConfig SOMETIMES/);
    const chat = loadCdkOut(CDK_OUT).api;
    expect([chat.queryDepthLimit, chat.resolverCountLimit, chat.introspection]).toEqual([undefined, undefined, undefined]);
  });

  it('names the stack, logical id and property path of an unresolvable intrinsic', () => {
    withAssembly(
      {
        'manifest.json': manifest,
        'Root.assets.json': { files: {} },
        'Root.template.json': {
          Resources: {
            Api: {
              Type: 'AWS::AppSync::GraphQLApi',
              Properties: { Name: { 'Fn::ImportValue': 'SharedName' }, AuthenticationType: 'API_KEY' },
            },
          },
        },
      },
      (dir) => {
        expect(() => loadCdkOut(dir)).toThrow(
          /Fn::ImportValue "SharedName" is not supported offline.*stack Root, resource Api, property path Properties\.Name\.Fn::ImportValue/,
        );
      },
    );
  });
});
