/** APPSYNC_JS engine: evaluates resolver / pipeline-function modules in a `node:vm` sandbox. */
export { evaluateJs, loadJsModule, type EvaluateOptions } from './evaluate.js';
export { UnsupportedCodeError, checkLanguage, type LanguageProblem } from './language-check.js';
export { dynamodbModule, operations } from './appsync-utils-dynamodb.js';
