import { CreateTableCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDb, type LocalDynamoDb } from '../../offline/dynamodb/index';
import { chatErrorCode } from '../../amplify/shared/errors';
import { dynamoDbSendRateLimiter, sendRateLimiterFromEnvironment, unlimited, windowStartOf } from '../../amplify/functions/message-processor/send-rate-limiter';

/** The limiter against a real DynamoDB implementation (dynalite): conditions, atomicity, windows. */

let dynamo: LocalDynamoDb;
const TABLE = 'SendRateLimit-test';

beforeAll(async () => {
  dynamo = await startDynamoDb({});
  await dynamo.client.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

afterAll(async () => {
  await dynamo?.close();
});

/** A fixed instant inside a 10-second window: 2026-11-25T10:00:03Z (window starts at :00). */
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, 0) + seconds * 1000);

async function outcome(promise: Promise<void>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return chatErrorCode((error as Error).message) ?? `unexpected: ${(error as Error).message}`;
  }
}

describe('dynamoDbSendRateLimiter', () => {
  it('allows the configured number of sends per window, then refuses with RateLimited and when to retry', async () => {
    const limiter = dynamoDbSendRateLimiter(dynamo.client, TABLE, { messages: 3, windowSeconds: 10 });
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await outcome(limiter.consume('user-a', at(3))));
    expect(results).toEqual(['ok', 'ok', 'ok']);
    const refused = await limiter.consume('user-a', at(4)).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(refused?.message).toBe('RateLimited: you sent 3 messages in the last 10 s, the most allowed; try again in 6 s');
    // Another user has a count of their own.
    expect(await outcome(limiter.consume('user-b', at(4)))).toBe('ok');
  });

  it('starts counting again in the next window, and keeps one item per user', async () => {
    const limiter = dynamoDbSendRateLimiter(dynamo.client, TABLE, { messages: 2, windowSeconds: 10 });
    expect(await outcome(limiter.consume('user-c', at(1)))).toBe('ok');
    expect(await outcome(limiter.consume('user-c', at(2)))).toBe('ok');
    expect(await outcome(limiter.consume('user-c', at(9)))).toBe('RateLimited');
    expect(await outcome(limiter.consume('user-c', at(10)))).toBe('ok');
    expect(await outcome(limiter.consume('user-c', at(11)))).toBe('ok');
    expect(await outcome(limiter.consume('user-c', at(12)))).toBe('RateLimited');

    const item = await dynamo.client.send(new GetItemCommand({ TableName: TABLE, Key: { userId: { S: 'user-c' } } }));
    expect(item.Item).toEqual({
      userId: { S: 'user-c' },
      windowStart: { N: String(windowStartOf(at(10), 10)) },
      sent: { N: '2' },
      expiresAt: { N: String(windowStartOf(at(10), 10) + 10 + 86_400) },
    });
  });

  it('lets exactly the limit through when many sends race for the same window (the count is atomic)', async () => {
    const limiter = dynamoDbSendRateLimiter(dynamo.client, TABLE, { messages: 7, windowSeconds: 60 });
    const results = await Promise.all(Array.from({ length: 25 }, () => outcome(limiter.consume('user-d', at(30)))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(7);
    expect(results.filter((r) => r === 'RateLimited')).toHaveLength(18);
  });

  it('lets exactly the limit through when the first sends of a new window race (two instances opening it)', async () => {
    const limiter = dynamoDbSendRateLimiter(dynamo.client, TABLE, { messages: 4, windowSeconds: 10 });
    expect(await outcome(limiter.consume('user-e', at(0)))).toBe('ok');
    const results = await Promise.all(Array.from({ length: 12 }, () => outcome(limiter.consume('user-e', at(20)))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(4);
  });

  it('counts a send from an instance whose clock is behind into the newer window', async () => {
    const limiter = dynamoDbSendRateLimiter(dynamo.client, TABLE, { messages: 2, windowSeconds: 10 });
    expect(await outcome(limiter.consume('user-f', at(20)))).toBe('ok');
    // 19 s is in the previous window by this instance's clock; the item already says window 20.
    expect(await outcome(limiter.consume('user-f', at(19)))).toBe('ok');
    expect(await outcome(limiter.consume('user-f', at(19)))).toBe('RateLimited');
  });

  it('passes DynamoDB errors other than a failed condition through (a send is not allowed blindly)', async () => {
    const limiter = dynamoDbSendRateLimiter(dynamo.client, 'no-such-table', { messages: 2, windowSeconds: 10 });
    await expect(limiter.consume('user-g', at(0))).rejects.toThrow(/ResourceNotFoundException|not found/i);
  });
});

describe('sendRateLimiterFromEnvironment', () => {
  const noClient = () => {
    throw new Error('no DynamoDB client expected');
  };

  it('is unlimited when the limit is 0 or unset', () => {
    expect(sendRateLimiterFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: '0' }, noClient)).toBe(unlimited);
    expect(sendRateLimiterFromEnvironment({}, noClient)).toBe(unlimited);
  });

  it('refuses a limit without its table, and malformed numbers', () => {
    expect(() => sendRateLimiterFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: '5', SEND_RATE_LIMIT_WINDOW_SECONDS: '10' }, noClient)).toThrow(
      /SEND_RATE_LIMIT_TABLE/,
    );
    expect(() => sendRateLimiterFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: 'five' }, noClient)).toThrow(/whole numbers/);
  });

  it('builds a DynamoDB limiter when configured', async () => {
    const limiter = sendRateLimiterFromEnvironment(
      { SEND_RATE_LIMIT_MESSAGES: '1', SEND_RATE_LIMIT_WINDOW_SECONDS: '10', SEND_RATE_LIMIT_TABLE: TABLE },
      () => dynamo.client,
    );
    expect(await outcome(limiter.consume('user-h', at(0)))).toBe('ok');
    expect(await outcome(limiter.consume('user-h', at(1)))).toBe('RateLimited');
  });
});
