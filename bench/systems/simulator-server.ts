/**
 * SIMULATOR — the stock `@aws-amplify/amplify-appsync-simulator` (pinned in package.json) running the SAME
 * generated backend (schema, VTL pipeline resolvers and functions from cdk.out via offline/loader), with
 * DynamoDB data sources on an in-memory dynalite, HTTPS with the bench certificate.
 *
 * What it cannot run, and what this file does about it (docs/benchmarks.md, "The stock simulator"):
 * - APPSYNC_JS resolvers (the event publish and subscriptions) are not supported by the simulator: left out.
 * - AWS_LAMBDA data sources (createConversation/sendMessage/editMessage/removeMessage/sendTyping/heartbeat) would
 *   need the message-processor bundle's DynamoDB transaction and its publish back into AppSync with IAM, the SSM/S3
 *   endpoints and Amplify's runtime config: left out, so `sendMessage` does not exist here. Nothing of the chat's
 *   message path can run: the message processor writes DynamoDB directly (GetItem + TransactWriteItems) and publishes
 *   through `publishConversationEvent` (APPSYNC_JS), and the Conversation and Message models have no mutations or
 *   subscriptions any more (no createMessage/onCreateMessage in the schema). The closest workload it runs is a
 *   generated model mutation with IAM — `createUserProfile`: a VTL pipeline and one DynamoDB PutItem, where a send
 *   costs a GetItem and a three-item TransactWriteItems — and that model's onCreate subscription for signed-in users
 *   (`onCreateUserProfile`), a model subscription where the sandbox delivers the backend's event publish. So the
 *   comparison sets the sandbox's whole `sendMessage` path (Lambda, DynamoDB, publish) against one model mutation on
 *   the simulator, which favours the simulator. Not UserPresence,
 *   the other model with IAM create/update: it has no free-text field to carry the harness's marker (status is an
 *   enum, lastSeen a date); UserProfile's `displayName` does (bounded to MAX_DISPLAY_NAME_LENGTH characters). See the
 *   comment in setup() for the subscription's auth.
 * - IAM is not verified by the simulator (it reads the access key id from `Credential=`); the harness sends a
 *   well-formed but unsigned SigV4 header. The real-time handshake uses the `?header=` form (the simulator
 *   does not read the `header-` subprotocol Amplify ≥ 6.6 sends).
 * - No shim of the simulator's code is applied. The simulator does not filter subscriptions (every event goes to every
 *   subscriber), so only one-room workloads are meaningful; the harness counts any cross-room delivery as "foreign".
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  AmplifyAppSyncSimulator,
  AmplifyAppSyncSimulatorAuthenticationType,
  RESOLVER_KIND,
  type AmplifyAppSyncSimulatorConfig,
  type AppSyncSimulatorDataSourceConfig,
  type AppSyncSimulatorFunctionsConfig,
  type AppSyncSimulatorPipelineResolverConfig,
  type AppSyncSimulatorUnitResolverConfig,
} from '@aws-amplify/amplify-appsync-simulator';
import { ensureTables, loadCdkOut, LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDb, type ResolverCode } from 'amplify-gen2-offline';
import { runChild, type SystemChild } from './child-runtime';

const CDK_OUT = join(import.meta.dirname, '..', '..', '.amplify', 'artifacts', 'cdk.out');
const ACCESS_KEY_ID = 'AKIABENCHSIMULATOR01';
const SUBSCRIBER = 'bench-subscriber';
const SUBSCRIBER_JWT = [
  { alg: 'none', typ: 'JWT' },
  { iss: `https://cognito-idp.us-east-1.amazonaws.com/us-east-1_bench`, sub: SUBSCRIBER, username: SUBSCRIBER, token_use: 'access', exp: 4102444800 },
]
  .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
  .join('.') + '.unsigned';
const DEFAULT_REQUEST = '$util.toJson({})';
const DEFAULT_RESPONSE = '$util.toJson($ctx.prev.result)';

async function start(): Promise<SystemChild> {
  const tlsDirectory = process.env['BENCH_TLS_DIR'];
  if (!tlsDirectory) throw new Error('BENCH_TLS_DIR is not set');
  const description = loadCdkOut(CDK_OUT);
  // The simulator spreads `config` into an SDK v3 DynamoDBClient, which ignores top-level accessKeyId/secretAccessKey
  // ("Could not load credentials from any providers"): give it the local credentials through the environment.
  process.env['AWS_ACCESS_KEY_ID'] = LOCAL_CREDENTIALS.accessKeyId;
  process.env['AWS_SECRET_ACCESS_KEY'] = LOCAL_CREDENTIALS.secretAccessKey;
  process.env['AWS_REGION'] = LOCAL_REGION;
  const dynamo = await startDynamoDb();
  await ensureTables(dynamo.client, description.tables);

  const skipped: string[] = [];
  const mappingTemplates: { path: string; content: string }[] = [];
  const template = (path: string, content: string | undefined, fallback: string): string => {
    mappingTemplates.push({ path, content: content ?? fallback });
    return path;
  };
  const dataSources: AppSyncSimulatorDataSourceConfig[] = [];
  const usable = new Set<string>();
  for (const source of Object.values(description.dataSources)) {
    if (source.type === 'NONE') {
      dataSources.push({ name: source.name, type: 'NONE' });
      usable.add(source.name);
    } else if (source.type === 'AMAZON_DYNAMODB') {
      dataSources.push({
        name: source.name,
        type: 'AMAZON_DYNAMODB',
        config: { endpoint: dynamo.endpoint, region: LOCAL_REGION, accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey, tableName: source.tableName },
      });
      usable.add(source.name);
    }
  }
  const isVtl = (code: ResolverCode): code is Extract<ResolverCode, { runtime: 'VTL' }> => code.runtime === 'VTL';
  const functions: AppSyncSimulatorFunctionsConfig[] = [];
  const usableFunctions = new Set<string>();
  for (const fn of Object.values(description.functions)) {
    if (!isVtl(fn.code) || !usable.has(fn.dataSourceName)) continue;
    functions.push({
      name: fn.id,
      dataSourceName: fn.dataSourceName,
      requestMappingTemplateLocation: template(`fn/${fn.id}.req.vtl`, fn.code.request, DEFAULT_REQUEST),
      responseMappingTemplateLocation: template(`fn/${fn.id}.res.vtl`, fn.code.response, '$util.toJson($ctx.result)'),
    });
    usableFunctions.add(fn.id);
  }
  const resolvers: (AppSyncSimulatorUnitResolverConfig | AppSyncSimulatorPipelineResolverConfig)[] = [];
  for (const resolver of description.resolvers) {
    const name = `${resolver.typeName}.${resolver.fieldName}`;
    if (!isVtl(resolver.code) || !resolver.functions.every((id) => usableFunctions.has(id)) || (resolver.kind === 'UNIT' && !usable.has(resolver.dataSourceName ?? ''))) {
      skipped.push(name);
      continue;
    }
    const request = template(`resolver/${name}.req.vtl`, resolver.code.request, DEFAULT_REQUEST);
    const response = template(`resolver/${name}.res.vtl`, resolver.code.response, DEFAULT_RESPONSE);
    if (resolver.kind === 'PIPELINE') {
      resolvers.push({ kind: RESOLVER_KIND.PIPELINE, typeName: resolver.typeName, fieldName: resolver.fieldName, functions: resolver.functions, requestMappingTemplateLocation: request, responseMappingTemplateLocation: response });
    } else {
      resolvers.push({ kind: RESOLVER_KIND.UNIT, typeName: resolver.typeName, fieldName: resolver.fieldName, dataSourceName: resolver.dataSourceName ?? '', requestMappingTemplateLocation: request, responseMappingTemplateLocation: response });
    }
  }

  const config: AmplifyAppSyncSimulatorConfig = {
    schema: { content: description.api.schema },
    resolvers,
    functions,
    dataSources,
    mappingTemplates,
    appSync: {
      name: description.api.name,
      defaultAuthenticationType: { authenticationType: AmplifyAppSyncSimulatorAuthenticationType.AWS_IAM },
      additionalAuthenticationProviders: [{ authenticationType: AmplifyAppSyncSimulatorAuthenticationType.AMAZON_COGNITO_USER_POOLS, cognitoUserPoolConfig: {} }],
      authAccessKeyId: ACCESS_KEY_ID,
      accountId: description.accountId,
      authRoleName: 'assumed-role/bench-message-processor-role/bench',
      unAuthRoleName: 'assumed-role/bench-unauth-role/bench',
    },
  };
  const simulator = new AmplifyAppSyncSimulator({
    port: 0,
    httpsConfig: { sslKeyPath: join(tlsDirectory, 'server-key.pem'), sslCertPath: join(tlsDirectory, 'server.pem') },
  });
  await simulator.start();
  simulator.init(config);
  const server = (simulator as unknown as { _server?: { _httpServer?: { address(): AddressInfo } } })._server;
  const port = server?._httpServer?.address().port ?? Number(new URL(simulator.url).port);

  return {
    async setup(request) {
      const conversationIds = Array.from({ length: request.conversations }, (_, index) => `sim-conversation-${index}`);
      const date = '20260101T000000Z';
      const authorization = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20260101/${LOCAL_REGION}/appsync/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
      const host = `127.0.0.1:${port}`;
      return {
        graphqlUrl: `https://127.0.0.1:${port}/graphql`,
        realtimeUrl: `wss://127.0.0.1:${port}/graphql/realtime`,
        publishPath: 'createUserProfile',
        conversationIds,
        tokens: conversationIds.map(() => [authorization]),
        publishHeaders: { authorization, 'x-amz-date': date },
        // The simulator's real-time path has no IAM identity ("Cannot read properties of undefined (reading
        // 'username')" in VelocityTemplate.buildRenderContext), so subscribers use a user-pool JWT. The simulator
        // never verifies JWTs (it only decodes them), so an unsigned token with a cognito-idp issuer is accepted as it would
        // accept a real one. The subscription must build no enhanced filter: owner-list auth (as the chat models had
        // on their former onCreateMessage) always calls `$extensions.setSubscriptionFilter`, which the simulator
        // cannot render (it has no `$extensions`). UserProfile's authenticated-read rule builds none for signed-in users.
        realtimeAuth: { Authorization: SUBSCRIBER_JWT, host },
        realtimeQueryHeader: true,
        subscription: 'onCreateUserProfile',
        notes: [
          `stock amplify-appsync-simulator: createUserProfile (IAM) → onCreateUserProfile (user pool); resolvers left out (APPSYNC_JS or Lambda): ${skipped.join(', ')}`,
        ],
      };
    },
    async close() {
      await simulator.stop();
      await dynamo.close();
    },
  };
}

runChild(start);
