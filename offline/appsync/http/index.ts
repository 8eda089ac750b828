/** The AppSync GraphQL HTTP endpoint. */
export { createGraphQLHttpHandler, DEFAULT_MAX_BODY_BYTES, type GraphQLHttpHandlerOptions } from './handler.js';
export { ALLOWED_HEADERS } from './cors.js';
