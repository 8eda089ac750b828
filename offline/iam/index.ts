/**
 * IAM policy evaluation for the sandbox: identity-based policies of the functions' execution roles, as the local AWS
 * endpoints (DynamoDB, SSM, S3) and the AppSync emulator (appsync:GraphQL for IAM callers) apply them.
 */
export { evaluateAll, evaluateRolePolicy, evaluateStatements, wildcardRegExp, type IamContext, type IamDecision, type IamRequest } from './policy.js';
