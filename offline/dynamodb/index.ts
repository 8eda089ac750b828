export { createLocalDynamoDbClient, LOCAL_CREDENTIALS, LOCAL_REGION } from './client.js';
export { startDynamoDb, type ForwardedDynamoDbRequest, type LocalDynamoDb, type StartDynamoDbOptions } from './server.js';
export {
  describeTable,
  ensureTables,
  rebuildTable,
  resetTable,
  STAGING_SUFFIX,
  TableSchemaMismatchError,
  type EnsureTablesOptions,
  type EnsureTablesReport,
  type TableMismatch,
} from './tables.js';
export { diffTableSchema, toCreateTableInput } from './table-schema.js';
export { dynamoDbService, type DynamoDbServiceOptions } from './service.js';
export { checkTransactionRequest } from './transactions.js';
