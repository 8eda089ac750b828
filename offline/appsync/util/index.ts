/** Shared `$util` semantics for the VTL and APPSYNC_JS engines. */
export * from './context.js';
export * from './values.js';
export * from './general.js';
export * from './time.js';
export * from './util-dynamodb.js';
export * from './filter-expression.js';
export * from './subscription-filter.js';
export * from './collections.js';
export * from './effects.js';
export * from './util-object.js';
export { javaRegex, javaMatches, javaSplit } from './java-regex.js';
