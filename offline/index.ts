/**
 * amplify-gen2-offline: runs a synthesized AWS Amplify Gen 2 backend on one machine. See README.md.
 *
 * The public API: `startSandbox` (every service, as `amplify-gen2-offline start` runs them), the service contract and
 * the services themselves (to start a different list with `startServices`), the cdk.out loader, the client
 * configuration it writes, the sandbox state's export and import, the log feed, and the local CA. The Vite plugin is `amplify-gen2-offline/vite`; the synthesis,
 * project paths and command-line helpers (plain JavaScript) are `amplify-gen2-offline/synth`, `/project` and
 * `/command-line`.
 */
export { startSandbox, sandboxServices, DEFAULT_PORTS, type Sandbox, type SandboxOptions, type ReloadReport, type StartAppSyncServer } from './sandbox/start-sandbox.js';
export {
  startServices,
  nothingToReload,
  type ServiceDefinition,
  type ServiceContext,
  type RunningService,
  type RunningServices,
  type CommitReload,
  type ApisOf,
  type ReloadReportsOf,
} from './sandbox/service.js';
export { prepareDataDirectory, resetDataDirectory, DATA_LAYOUT, type DataDirectory } from './sandbox/data-directory.js';
export { createLogFeed, type LineLogger, type LogLevel, type LogEntry, type LogFeed } from './sandbox/log.js';
export { lastResortCollection, releaseMemoryNow, releaseMemoryWhenIdle, trimNativeHeap, type IdleMemoryOptions, type IdleMemoryRelease } from './sandbox/idle-memory.js';
export { createEventFeed, type SandboxEvent, type SandboxEventKind, type SandboxEvents, type RequestTrace } from './sandbox/events.js';
export { exportState, importState, readStateDirectory, writeStateDirectory, checkState, STATE_FORMAT, STATE_VERSION, type SandboxState, type StateSource, type ImportReport } from './sandbox/state.js';
export { buildOutputs, writeOutputs, isReplaceable, OUTPUTS_SCHEMA, OUTPUTS_VERSION, type AmplifyOutputs, type OfflineEndpoints, type WriteOutcome } from './sandbox/outputs.js';
export { watchAndReload, synthesizeWith, describeReload, type ReloadWatcher, type ReloadWatcherOptions, type SynthesisOutcome } from './sandbox/reload-watcher.js';
export { loadCdkOut, CloudAssembly, LoadedStack, type BackendDescription, type ResolverCode } from './loader/index.js';
export { appSyncService, startAppSyncServer, type AppSyncServer, type AppSyncServerOptions, type AppSyncServiceOptions } from './appsync/index.js';
export { awsEndpointsService, type AwsEndpointsApi } from './aws-endpoints/index.js';
export { cognitoService, UserPool, type CognitoApi, type CognitoServiceOptions } from './cognito/index.js';
export { srpSignIn, type SrpSignInOptions } from './cognito/index.js';
export { cognitoIdentityService, type CognitoIdentityApi } from './cognito-identity/index.js';
export { storageService, startStorageServer, type StorageApi, type StorageServiceOptions } from './s3/index.js';
export {
  dynamoDbService,
  startDynamoDb,
  ensureTables,
  createLocalDynamoDbClient,
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type DynamoDbServiceOptions,
  type LocalDynamoDb,
} from './dynamodb/index.js';
export { lambdaService, LambdaRunner, LambdaInvocationError, type FunctionChanges } from './lambda/index.js';
export { schedulerService, Scheduler, type SchedulerApi } from './scheduler/index.js';
export { tlsService, loadOrCreateCertificate, trustingBrowserHome, CA_FILE, type LocalCertificate } from './tls/index.js';
export { consoleService, type ConsoleApi, type ConsoleServiceOptions } from './console/index.js';
