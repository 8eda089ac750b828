/**
 * Which AppSync authorization mode a request uses, and who the caller is
 * (https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html; the identity objects are those of
 * https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html).
 *
 * - `Authorization: AWS4-HMAC-SHA256 …` → AWS_IAM, verified by recomputing the SigV4 signature (sigv4.ts).
 * - any other `Authorization` value → AMAZON_COGNITO_USER_POOLS: the raw JWT (no `Bearer `), verified by the pool;
 *   its `cognito:groups` claim becomes `ctx.identity.groups` and the caller's `groups` (schema `cognito_groups`).
 * - otherwise `x-api-key` → API_KEY, only when the API enables it and the key exists.
 * - The mode must be the API's default or one of its additional modes; anything else is 401
 *   `UnauthorizedException` "Valid authorization header not provided." (AppSync's answer to a missing or invalid
 *   token). IAM signature failures are 403 with the SigV4 error type (sigv4.ts).
 * OIDC and Lambda authorizers are not supported by this sandbox (the app does not use them): such requests are refused.
 */
import { identityFromClaims, type UserPoolClaims } from '../../cognito/index.js';
import type { AuthMode, BackendDescription } from '../../loader/index.js';
import type { AuthTypeName, JsonObject } from '../util/context.js';
import { verifySigV4, type IamCredential } from './sigv4.js';
import { evaluateRolePolicy } from '../../iam/index.js';
import { UNAUTHORIZED_REQUEST } from '../../errors.js';

export interface AuthenticatedCaller {
  mode: AuthMode;
  authType: AuthTypeName;
  /** `ctx.identity`; null for API keys (AppSync gives API-key callers no identity). */
  identity: JsonObject | null;
  /**
   * User pools only: the verified token's `cognito:groups` claim (the same list as `ctx.identity.groups`), which the
   * schema's `cognito_groups` directive arguments are checked against. Absent or empty: no group.
   */
  groups?: readonly string[];
  /** A stable key of who the caller is (used to group subscribers; never shown to clients). */
  principalKey: string;
  /**
   * IAM callers whose identity policy is known: whether it allows `appsync:GraphQL` on a top-level field
   * (`arn:aws:appsync:<region>:<account>:apis/<apiId>/types/<Type>/fields/<field>`). AppSync evaluates the caller's
   * policy on the root fields of a request (the IAM section of
   * https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html); a refused one is the usual
   * `Unauthorized` field error. Absent: not evaluated.
   */
  mayAccessRootField?: (typeName: string, fieldName: string) => boolean;
}

export interface AuthFailure {
  status: 401 | 403;
  errorType: string;
  message: string;
}

export type AuthOutcome = { ok: true; caller: AuthenticatedCaller } | ({ ok: false } & AuthFailure);

/** What is being authenticated: an HTTP request, or a real-time header object with the request it stands for
 * (real-time clients send the auth headers of each mode as a JSON object, at connect and in every `start`). */
export interface AuthInput {
  headers: Record<string, string | undefined>;
  method: string;
  path: string;
  query: string;
  body: string | Buffer;
  sourceIp: string;
}

export interface AuthenticatorOptions {
  description: BackendDescription;
  verifyUserPoolToken: (token: string) => Promise<Record<string, unknown>>;
  iamCredentials: ReadonlyMap<string, IamCredential>;
  now?: () => number;
}

export const AUTH_TYPE_NAMES: Record<AuthMode, AuthTypeName> = {
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  AWS_IAM: 'IAM Authorization',
  API_KEY: 'API Key Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  AWS_LAMBDA: 'Lambda Authorization',
};

export const NOT_AUTHORIZED: AuthFailure = UNAUTHORIZED_REQUEST;

/** Lower-cases header names and flattens array values (Node gives arrays only for a few headers). */
export function normalizeHeaders(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
    else if (Array.isArray(value)) out[name.toLowerCase()] = value.join(', ');
    else if (typeof value === 'number' || typeof value === 'boolean') out[name.toLowerCase()] = String(value);
  }
  return out;
}

export class Authenticator {
  private readonly enabled: ReadonlySet<AuthMode>;

  constructor(private readonly options: AuthenticatorOptions) {
    this.enabled = new Set([options.description.api.defaultAuthMode, ...options.description.api.additionalAuthModes]);
  }

  modeEnabled(mode: AuthMode): boolean {
    return this.enabled.has(mode);
  }

  async authenticate(input: AuthInput): Promise<AuthOutcome> {
    const headers = normalizeHeaders(input.headers);
    const authorization = headers['authorization'];
    if (authorization !== undefined && authorization.trim() !== '') {
      if (/^AWS4-HMAC-SHA256\s/.test(authorization.trim())) return this.iam(input, headers);
      return this.userPool(authorization.trim(), input.sourceIp);
    }
    const apiKey = headers['x-api-key'];
    if (apiKey !== undefined && this.enabled.has('API_KEY') && this.options.description.api.apiKeys.includes(apiKey)) {
      return { ok: true, caller: { mode: 'API_KEY', authType: AUTH_TYPE_NAMES.API_KEY, identity: null, principalKey: `API_KEY:${apiKey}` } };
    }
    return { ok: false, ...NOT_AUTHORIZED };
  }

  private async userPool(token: string, sourceIp: string): Promise<AuthOutcome> {
    if (!this.enabled.has('AMAZON_COGNITO_USER_POOLS')) return { ok: false, ...NOT_AUTHORIZED };
    let claims: Record<string, unknown>;
    try {
      claims = await this.options.verifyUserPoolToken(token);
    } catch {
      // Invalid, expired, forged, revoked: AppSync does not say which (one 401 UnauthorizedException for all).
      return { ok: false, ...NOT_AUTHORIZED };
    }
    const cognito = identityFromClaims(claims as UserPoolClaims, { sourceIp: [sourceIp] });
    // Only strings count as group names (Cognito's claim is a list of them); the identity keeps the claim as given.
    const groups = Object.freeze((cognito.groups ?? []).filter((g): g is string => typeof g === 'string'));
    const identity = cognito as unknown as JsonObject;
    return {
      ok: true,
      caller: { mode: 'AMAZON_COGNITO_USER_POOLS', authType: AUTH_TYPE_NAMES.AMAZON_COGNITO_USER_POOLS, identity, groups, principalKey: `USER_POOL:${String(claims['sub'])}` },
    };
  }

  private iam(input: AuthInput, headers: Record<string, string>): AuthOutcome {
    if (!this.enabled.has('AWS_IAM')) return { ok: false, ...NOT_AUTHORIZED };
    const verified = verifySigV4({ method: input.method, path: input.path, query: input.query, headers, body: input.body }, this.options.iamCredentials, this.options.now?.() ?? Date.now());
    if (!verified.ok) return { ok: false, status: verified.status, errorType: verified.errorType, message: verified.message };
    const account = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(verified.principal)?.[1] ?? this.options.description.accountId;
    // The IAM identity (accountId, userArn, username, cognito* fields, sourceIp). Without a Cognito identity pool the
    // cognito* fields are null, which is what the Amplify-generated templates test to let backend IAM callers (Lambdas)
    // through.
    const identity: JsonObject = {
      accountId: account,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp: [input.sourceIp],
      username: verified.accessKeyId,
      userArn: verified.principal,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    };
    const policy = this.options.iamCredentials.get(verified.accessKeyId)?.policy;
    const { description } = this.options;
    const fieldArn = (typeName: string, fieldName: string) =>
      `arn:aws:appsync:${description.region}:${description.accountId}:apis/${description.api.id}/types/${typeName}/fields/${fieldName}`;
    const mayAccessRootField = policy
      ? (typeName: string, fieldName: string) => evaluateRolePolicy(policy, { action: 'appsync:GraphQL', resource: fieldArn(typeName, fieldName) }).allowed
      : undefined;
    return {
      ok: true,
      caller: { mode: 'AWS_IAM', authType: AUTH_TYPE_NAMES.AWS_IAM, identity, principalKey: `IAM:${verified.principal}`, ...(mayAccessRootField ? { mayAccessRootField } : {}) },
    };
  }
}
