import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand, type Update } from '@aws-sdk/client-dynamodb';
import { ChatError } from '../../shared/errors';

/**
 * Per-user limit on sendMessage: at most `messages` per fixed window of `windowSeconds`, counted in DynamoDB (the
 * SendRateLimit table, backend.ts) so every Lambda instance shares the count.
 *
 * One item per user and window — key { userId, windowStart (epoch s) }, attributes { sent, expiresAt (TTL) } — so a
 * send is counted by a single conditional update ("add one unless the window is full") whatever the window. That
 * update runs inside the send's transaction (dynamodb-store.ts), so a send is counted exactly when its message is
 * written; attempts that write nothing (refused, or a retry of a stored message) are counted by the same update alone.
 */

export interface SendRateLimit {
  /** Messages per window; 0 means no limit. */
  messages: number;
  windowSeconds: number;
}

/** Where and how sends are counted. */
export interface SendRateLimitConfig {
  tableName: string;
  limit: SendRateLimit;
}

/** Items of users who stopped sending are removed by DynamoDB TTL a day after their window ended. */
const EXPIRY_AFTER_WINDOW_SECONDS = 24 * 60 * 60;

export function windowStartOf(now: Date, windowSeconds: number): number {
  const seconds = Math.floor(now.getTime() / 1000);
  return seconds - (seconds % windowSeconds);
}

export function rateLimitedError(limit: SendRateLimit, windowStart: number, now: Date): ChatError {
  const retryAfter = Math.max(1, Math.ceil(windowStart + limit.windowSeconds - now.getTime() / 1000));
  return new ChatError(
    'RateLimited',
    `you sent ${limit.messages} messages in the last ${limit.windowSeconds} s, the most allowed; try again in ${retryAfter} s`,
  );
}

/**
 * The conditional update that counts one send by `userId` at `now`: usable as an UpdateItem request and as the Update
 * of a TransactWriteItems item. Its condition fails when the window is full.
 */
export function countSendUpdate(config: SendRateLimitConfig, userId: string, now: Date): Update {
  const windowStart = windowStartOf(now, config.limit.windowSeconds);
  return {
    TableName: config.tableName,
    Key: { userId: { S: userId }, windowStart: { N: String(windowStart) } },
    UpdateExpression: 'ADD sent :one SET expiresAt = :expiresAt',
    ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
    ExpressionAttributeValues: {
      ':one': { N: '1' },
      ':limit': { N: String(config.limit.messages) },
      ':expiresAt': { N: String(windowStart + config.limit.windowSeconds + EXPIRY_AFTER_WINDOW_SECONDS) },
    },
  };
}

/** The RateLimited error for a count refused at `now`. */
export function sendRefused(config: SendRateLimitConfig, now: Date): ChatError {
  return rateLimitedError(config.limit, windowStartOf(now, config.limit.windowSeconds), now);
}

export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
}

/** Counts one send on its own (one UpdateItem); throws ChatError('RateLimited') when the window is full. */
export async function countSend(client: DynamoDBClient, config: SendRateLimitConfig, userId: string, now: Date): Promise<void> {
  try {
    await client.send(new UpdateItemCommand(countSendUpdate(config, userId, now)));
  } catch (error) {
    if (isConditionalCheckFailed(error)) throw sendRefused(config, now);
    throw error;
  }
}

/** The limit configured by the function's environment (backend.ts sets it); null when sends are unlimited. */
export function sendRateLimitFromEnvironment(env: Readonly<Record<string, string | undefined>>): SendRateLimitConfig | null {
  const messages = Number(env['SEND_RATE_LIMIT_MESSAGES'] ?? '0');
  const windowSeconds = Number(env['SEND_RATE_LIMIT_WINDOW_SECONDS'] ?? '0');
  const tableName = env['SEND_RATE_LIMIT_TABLE'];
  if (!Number.isInteger(messages) || messages < 0 || !Number.isInteger(windowSeconds)) {
    throw new Error('SEND_RATE_LIMIT_MESSAGES and SEND_RATE_LIMIT_WINDOW_SECONDS must be whole numbers');
  }
  if (messages === 0) return null;
  // A configured limit without its table is a deployment error: refuse to run unlimited silently.
  if (!tableName || windowSeconds < 1) throw new Error('SEND_RATE_LIMIT_TABLE and a window of at least 1 s are required when a send rate limit is set');
  return { tableName, limit: { messages, windowSeconds } };
}
