/** GraphQL execution against the synthesized backend (AppSync semantics). */
export { GraphQLExecutor, fragmentsOf, rootFieldNodes, MAX_INVALIDATIONS_PER_REQUEST, type ExecutionOutcome, type GraphQLRequest, type ParsedOperation, type PublishedEvent } from './executor.js';
export { FieldFailure, type AppSyncErrorEntry, type AppSyncLocation } from './errors.js';
export { ResolverRunner, type ResolverRun, type ResolverCallContext } from './pipeline.js';
export { invokeDataSource, type DataSourceDependencies, type DataSourceOutcome } from './data-sources.js';
export { selectionSetGraphQL, selectionSetList } from './selection.js';
