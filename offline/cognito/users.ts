/**
 * Helpers the operations share to find app clients and users, save a changed user, describe a user as the
 * API returns it, and fire PostConfirmation.
 */
import { userDoesNotExist, userPoolClientNotFound, userPoolNotFound } from '../errors.js';
import type { AppClient, CallContext, PoolContext } from './context.js';
import type { StoredUser } from './store.js';
import { awsSdkVersionFrom, postConfirmationEvent, runTrigger } from './triggers.js';

/** The app client, or `ResourceNotFoundException` as Cognito answers for an unknown ClientId. */
export function appClient(pool: PoolContext, clientId: string): AppClient {
  const client = pool.clients.get(clientId);
  if (client === undefined) throw userPoolClientNotFound(clientId);
  return client;
}

export function assertPoolId(pool: PoolContext, userPoolId: string): void {
  if (userPoolId !== pool.id) throw userPoolNotFound(userPoolId);
}

/** A user by username, or (e-mail sign-in) by e-mail — Cognito accepts either where a Username is asked for. */
export function resolveUser(pool: PoolContext, name: string): StoredUser | undefined {
  const direct = pool.store.get(name);
  if (direct !== undefined) return direct;
  return pool.emailIsUsername ? pool.store.findByAttribute('email', name) : undefined;
}

/** For admin APIs: the user or `UserNotFoundException` "User does not exist.". */
export function requireUser(pool: PoolContext, name: string): StoredUser {
  const user = resolveUser(pool, name);
  if (user === undefined) throw userDoesNotExist();
  return user;
}

/** Stamps the user as modified now and saves it. */
export function touch(pool: PoolContext, user: StoredUser): void {
  user.updatedAt = pool.now();
  pool.store.put(user);
}

/** The user as AdminCreateUser / ListUsers return it (Cognito's `UserType`). */
export function userType(user: StoredUser, attributesToGet?: string[]): Record<string, unknown> {
  const attrs = Object.entries(user.attributes)
    .filter(([name]) => attributesToGet === undefined || attributesToGet.includes(name))
    .map(([Name, Value]) => ({ Name, Value }));
  return {
    Username: user.username,
    Attributes: attrs,
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** Fires PostConfirmation if configured. The confirmation is already stored (Cognito keeps it on failure). */
export async function postConfirmation(
  pool: PoolContext,
  user: StoredUser,
  triggerSource: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword',
  clientId: string,
  clientMetadata: Record<string, string> | undefined,
  ctx: CallContext,
): Promise<void> {
  if (pool.description.triggers.PostConfirmation === undefined || pool.invokeTrigger === undefined) return;
  const event = postConfirmationEvent({
    region: pool.region,
    userPoolId: pool.id,
    user,
    clientId,
    triggerSource,
    ...(clientMetadata === undefined ? {} : { clientMetadata }),
    awsSdkVersion: awsSdkVersionFrom(ctx.userAgent),
  });
  await runTrigger(pool.invokeTrigger, 'PostConfirmation', event);
}
