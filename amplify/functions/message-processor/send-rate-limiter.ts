import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { ChatError } from '../../shared/errors';

/**
 * Per-user limit on sendMessage: at most `messages` per fixed window of `windowSeconds`, counted in one
 * DynamoDB item per user (the SendRateLimit table, backend.ts), so every Lambda instance shares the
 * count. Each check is one conditional UpdateItem in the common case, two when a new window starts.
 *
 * Item: { userId, windowStart (epoch s), sent, expiresAt (TTL: dormant users' items go away) }.
 */

export interface SendRateLimit {
  /** Messages per window; 0 means no limit. */
  messages: number;
  windowSeconds: number;
}

export interface SendRateLimiter {
  /** Counts one send by the user, or throws ChatError('RateLimited') when the window is full. */
  consume(userId: string, now: Date): Promise<void>;
}

export const unlimited: SendRateLimiter = { consume: async () => undefined };

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

export function dynamoDbSendRateLimiter(client: DynamoDBClient, tableName: string, limit: SendRateLimit): SendRateLimiter {
  if (limit.messages <= 0) return unlimited;

  /** Resolves false when the condition does not hold; other DynamoDB errors propagate (the send fails). */
  const conditionalUpdate = async (input: Omit<ConstructorParameters<typeof UpdateItemCommand>[0], 'TableName'>) => {
    try {
      await client.send(new UpdateItemCommand({ TableName: tableName, ...input }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException') {
        return false;
      }
      throw error;
    }
  };

  return {
    async consume(userId, now) {
      const windowStart = windowStartOf(now, limit.windowSeconds);
      const key = { userId: { S: userId } };
      const expiresAt = { N: String(windowStart + limit.windowSeconds + EXPIRY_AFTER_WINDOW_SECONDS) };
      // `>=`, not `=`: an instance whose clock is slightly behind counts into the newer window
      // another instance opened, instead of failing both conditions.
      const countInCurrentWindow = () =>
        conditionalUpdate({
          Key: key,
          UpdateExpression: 'ADD sent :one',
          ConditionExpression: 'windowStart >= :windowStart AND sent < :limit',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':windowStart': { N: String(windowStart) }, ':limit': { N: String(limit.messages) } },
        });
      const startNewWindow = () =>
        conditionalUpdate({
          Key: key,
          UpdateExpression: 'SET windowStart = :windowStart, sent = :one, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(windowStart) OR windowStart < :windowStart',
          ExpressionAttributeValues: { ':one': { N: '1' }, ':windowStart': { N: String(windowStart) }, ':expiresAt': expiresAt },
        });

      if (await countInCurrentWindow()) return;
      if (await startNewWindow()) return;
      // Both conditions failed: either the window is full, or another send opened the window between
      // the two updates. Counting once more tells them apart.
      if (await countInCurrentWindow()) return;
      throw rateLimitedError(limit, windowStart, now);
    },
  };
}

/** The limiter the handler uses, configured by the function's environment (backend.ts sets it). */
export function sendRateLimiterFromEnvironment(env: Readonly<Record<string, string | undefined>>, client: () => DynamoDBClient): SendRateLimiter {
  const messages = Number(env['SEND_RATE_LIMIT_MESSAGES'] ?? '0');
  const windowSeconds = Number(env['SEND_RATE_LIMIT_WINDOW_SECONDS'] ?? '0');
  const tableName = env['SEND_RATE_LIMIT_TABLE'];
  if (!Number.isInteger(messages) || messages < 0 || !Number.isInteger(windowSeconds)) {
    throw new Error('SEND_RATE_LIMIT_MESSAGES and SEND_RATE_LIMIT_WINDOW_SECONDS must be whole numbers');
  }
  if (messages === 0) return unlimited;
  // A configured limit without its table is a deployment error: refuse to run unlimited silently.
  if (!tableName || windowSeconds < 1) throw new Error('SEND_RATE_LIMIT_TABLE and a window of at least 1 s are required when a send rate limit is set');
  return dynamoDbSendRateLimiter(client(), tableName, { messages, windowSeconds });
}
