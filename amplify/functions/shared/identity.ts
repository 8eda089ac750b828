import type { CallerIdentity } from '../../shared/owner';
import { ChatError } from '../../shared/errors';

/**
 * The Cognito user behind an AppSync Lambda event. Only user-pool callers may use the chat
 * mutations; an IAM or API-key identity has no `sub` and is refused.
 */
export function userPoolCaller(identity: unknown): CallerIdentity {
  const id = (identity ?? {}) as { sub?: unknown; username?: unknown; claims?: Record<string, unknown> };
  const sub = typeof id.sub === 'string' ? id.sub : undefined;
  const username =
    typeof id.username === 'string'
      ? id.username
      : typeof id.claims?.['cognito:username'] === 'string'
        ? (id.claims['cognito:username'] as string)
        : typeof id.claims?.['username'] === 'string'
          ? (id.claims['username'] as string)
          : undefined;
  if (!sub || !username) {
    throw new ChatError('Unauthorized', 'this operation requires a signed-in user (Cognito user pool token)');
  }
  return { sub, username };
}
