/**
 * Users of a sandbox that runs in another process, made through its Cognito HTTP endpoint as the app makes them:
 * SignUp, ConfirmSignUp with the code the pool printed (the offline stand-in for the e-mail; it runs the
 * PostConfirmation Lambda, which writes the user's profile) and a USER_SRP_AUTH sign-in — the client half of SRP is
 * `srpSignIn` from offline/cognito/srp-sign-in.ts, here over HTTP instead of in-process.
 */
import type { UserPool } from '../../offline/cognito/pool';
import { srpSignIn } from '../../offline/cognito/srp-sign-in';
import { mapLimit } from '../../bench/harness/http';
import { PASSWORD } from '../security/support';
import type { ReadySandbox } from './sandbox-process';

export { PASSWORD };

export interface RemoteUser {
  email: string;
  sub: string;
  /** The access token (what AppSync takes as `Authorization`). */
  token: string;
}

/**
 * The `Authorization` of an operator's admin call. The offline pool checks the SigV4 shape, not the signature (no IAM
 * offline; offline/cognito/README.md), as scripts/create-test-users.sh relies on.
 */
const OPERATOR_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=AKIAOPERATOR00000001/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-target, Signature=0';

/** A Cognito JSON API call over HTTP; throws with Cognito's `__type` and message on an error answer. */
export async function cognitoCall(sandbox: Pick<ReadySandbox, 'urls'>, operation: string, input: Record<string, unknown>, options: { admin?: boolean } = {}): Promise<Record<string, unknown>> {
  const response = await fetch(sandbox.urls.cognito, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      ...(options.admin ? { authorization: OPERATOR_AUTHORIZATION } : {}),
    },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`${operation}: HTTP ${response.status} ${String(body['__type'])}: ${String(body['message'])}`);
  return body;
}

/**
 * `srpSignIn` needs only `call`, `id` and `now` of a pool: this is that much of a pool, answered over HTTP. (The
 * clock only fills the TIMESTAMP field, which the pool checks for format, not skew.)
 */
function poolOverHttp(sandbox: Pick<ReadySandbox, 'urls' | 'poolId'>): UserPool {
  const remote: Pick<UserPool, 'call' | 'id' | 'now'> = {
    id: sandbox.poolId,
    now: () => Date.now(),
    call: (operation, input) => cognitoCall(sandbox, operation, input as Record<string, unknown>),
  };
  return remote as UserPool;
}

/** USER_SRP_AUTH over HTTP with the shared test password; returns the access token and the sub. */
export async function signInRemote(sandbox: Pick<ReadySandbox, 'urls' | 'poolId' | 'clientId'>, email: string, password = PASSWORD): Promise<RemoteUser> {
  const out = await srpSignIn(poolOverHttp(sandbox), email, password, { clientId: sandbox.clientId });
  const token = (out.AuthenticationResult as { AccessToken: string }).AccessToken;
  const sub = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string }).sub;
  return { email, sub, token };
}

/** Self sign-up and confirmation with the logged code (PostConfirmation runs), then a sign-in. */
export async function createRemoteUser(sandbox: ReadySandbox, email: string): Promise<RemoteUser> {
  await cognitoCall(sandbox, 'SignUp', { ClientId: sandbox.clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] });
  const code = await sandbox.confirmationCode(email);
  await cognitoCall(sandbox, 'ConfirmSignUp', { ClientId: sandbox.clientId, Username: email, ConfirmationCode: code });
  return signInRemote(sandbox, email);
}

/**
 * An operator-created user (AdminCreateUser without an invitation, AdminSetUserPassword permanent), then a sign-in.
 * No PostConfirmation runs, so the user has no directory profile — which nothing in the message path reads — and
 * the pool's work per user is two password hashes and one SRP sign-in instead of a hash, a Lambda and a sign-in.
 */
export async function adminCreateRemoteUser(sandbox: ReadySandbox, email: string): Promise<RemoteUser> {
  const pool = { UserPoolId: sandbox.poolId, Username: email };
  await cognitoCall(sandbox, 'AdminCreateUser', { ...pool, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] }, { admin: true });
  await cognitoCall(sandbox, 'AdminSetUserPassword', { ...pool, Password: PASSWORD, Permanent: true }, { admin: true });
  return signInRemote(sandbox, email);
}

/** `count` users named `<prefix>-<i>@example.com`, at most `concurrency` being made at a time. */
export function createRemoteUsers(sandbox: ReadySandbox, prefix: string, count: number, options: { concurrency?: number; how?: 'sign-up' | 'admin' } = {}): Promise<RemoteUser[]> {
  const emails = Array.from({ length: count }, (_, index) => `${prefix}-${index}@example.com`);
  const create = options.how === 'admin' ? adminCreateRemoteUser : createRemoteUser;
  return mapLimit(emails, options.concurrency ?? 8, (email) => create(sandbox, email));
}
