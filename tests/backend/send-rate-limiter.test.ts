import { GetItemCommand, QueryCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDb } from '../../offline/dynamodb/index';
import { startDynamoDbWithTables } from '../helpers/message-processor-tables';
import { chatErrorCode } from '../../amplify/shared/errors';
import {
  countSend,
  countSendUpdate,
  rateLimitedError,
  sendRateLimitFromEnvironment,
  sendRefused,
  windowStartOf,
  type SendRateLimitConfig,
} from '../../amplify/functions/message-processor/send-rate-limiter';
import { failureOf } from '../helpers/sdk-failure';

/**
 * The send rate limit against a real DynamoDB implementation (dynalite) with the synthesized table's key schema
 * (userId HASH, windowStart NUMBER RANGE): one item per user and window, conditions, atomicity, expiry.
 */

let dynamo: LocalDynamoDb;
const TABLE = 'SendRateLimit-test';

beforeAll(async () => {
  dynamo = await startDynamoDbWithTables({ sendRateLimit: TABLE });
});

afterAll(async () => {
  await dynamo?.close();
});

/** `seconds` after 2026-11-25T10:00:00Z, which starts a window of 10 and of 60 seconds. */
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, 0) + seconds * 1000);
const BASE = Date.UTC(2026, 10, 25, 10, 0, 0) / 1000;

const config = (messages: number, windowSeconds: number): SendRateLimitConfig => ({ tableName: TABLE, limit: { messages, windowSeconds } });

async function outcome(promise: Promise<void>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return chatErrorCode((error as Error).message) ?? `unexpected: ${(error as Error).message}`;
  }
}

/** The counter items of a user, oldest window first. */
async function itemsOf(userId: string) {
  const answer = await dynamo.client.send(
    new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: userId } }, ConsistentRead: true }),
  );
  return answer.Items ?? [];
}

describe('windowStartOf and the RateLimited error', () => {
  it('puts an instant into its fixed window (epoch seconds, a multiple of the window)', () => {
    expect(windowStartOf(at(0), 10)).toBe(BASE);
    expect(windowStartOf(at(9.999), 10)).toBe(BASE);
    expect(windowStartOf(at(10), 10)).toBe(BASE + 10);
    expect(windowStartOf(at(59), 60)).toBe(BASE);
    expect(windowStartOf(at(-0.001), 10)).toBe(BASE - 10);
  });

  it('says when to retry, in whole seconds, at least 1', () => {
    const limit = { messages: 3, windowSeconds: 10 };
    expect(rateLimitedError(limit, BASE, at(4)).message).toBe('RateLimited: you sent 3 messages in the last 10 s, the most allowed; try again in 6 s');
    expect(rateLimitedError(limit, BASE, at(8.2)).message).toMatch(/try again in 2 s$/);
    expect(rateLimitedError(limit, BASE, at(9.999)).message).toMatch(/try again in 1 s$/);
    expect(sendRefused(config(3, 10), at(0)).message).toMatch(/try again in 10 s$/);
    expect(sendRefused(config(3, 10), at(4)).code).toBe('RateLimited');
  });
});

describe('countSend', () => {
  it('allows the configured number of sends per window, then refuses with RateLimited and when to retry', async () => {
    const limit = config(3, 10);
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await outcome(countSend(dynamo.client, limit, 'user-a', at(3))));
    expect(results).toEqual(['ok', 'ok', 'ok']);
    const refused = await countSend(dynamo.client, limit, 'user-a', at(4)).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(refused?.message).toBe('RateLimited: you sent 3 messages in the last 10 s, the most allowed; try again in 6 s');
    // A refused send is not counted: the window stays at the limit.
    expect(await itemsOf('user-a')).toEqual([
      { userId: { S: 'user-a' }, windowStart: { N: String(BASE) }, sent: { N: '3' }, expiresAt: { N: String(BASE + 10 + 86_400) } },
    ]);
    // Another user has a count of their own.
    expect(await outcome(countSend(dynamo.client, limit, 'user-b', at(4)))).toBe('ok');
    expect(await outcome(countSend(dynamo.client, limit, 'user-a', at(5)))).toBe('RateLimited');
  });

  it('starts counting again in the next window, in an item of its own that expires a day after the window', async () => {
    const limit = config(2, 10);
    expect(await outcome(countSend(dynamo.client, limit, 'user-c', at(1)))).toBe('ok');
    expect(await outcome(countSend(dynamo.client, limit, 'user-c', at(2)))).toBe('ok');
    expect(await outcome(countSend(dynamo.client, limit, 'user-c', at(9)))).toBe('RateLimited');
    expect(await outcome(countSend(dynamo.client, limit, 'user-c', at(10)))).toBe('ok');
    expect(await outcome(countSend(dynamo.client, limit, 'user-c', at(11)))).toBe('ok');
    expect(await outcome(countSend(dynamo.client, limit, 'user-c', at(12)))).toBe('RateLimited');
    expect(await outcome(countSend(dynamo.client, limit, 'user-c', at(25)))).toBe('ok');

    expect(await itemsOf('user-c')).toEqual(
      [BASE, BASE + 10, BASE + 20].map((windowStart, i) => ({
        userId: { S: 'user-c' },
        windowStart: { N: String(windowStart) },
        sent: { N: i < 2 ? '2' : '1' },
        expiresAt: { N: String(windowStart + 10 + 86_400) },
      })),
    );
  });

  it('lets exactly the limit through when many sends race for the same window (the count is atomic)', async () => {
    const limit = config(7, 60);
    const results = await Promise.all(Array.from({ length: 25 }, () => outcome(countSend(dynamo.client, limit, 'user-d', at(30)))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(7);
    expect(results.filter((r) => r === 'RateLimited')).toHaveLength(18);
    const item = await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { userId: { S: 'user-d' }, windowStart: { N: String(BASE) } }, ConsistentRead: true }),
    );
    expect(item.Item?.['sent']).toEqual({ N: '7' });
  });

  it('lets exactly the limit through when the first sends of a new window race (two instances opening it)', async () => {
    const limit = config(4, 10);
    expect(await outcome(countSend(dynamo.client, limit, 'user-e', at(0)))).toBe('ok');
    const results = await Promise.all(Array.from({ length: 12 }, () => outcome(countSend(dynamo.client, limit, 'user-e', at(20)))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(4);
    expect(results.filter((r) => r === 'RateLimited')).toHaveLength(8);
  });

  it('counts by the window of the instant given (instances with different clocks count in their own windows)', async () => {
    const limit = config(1, 10);
    expect(await outcome(countSend(dynamo.client, limit, 'user-f', at(20)))).toBe('ok');
    expect(await outcome(countSend(dynamo.client, limit, 'user-f', at(19)))).toBe('ok');
    expect(await outcome(countSend(dynamo.client, limit, 'user-f', at(21)))).toBe('RateLimited');
    expect((await itemsOf('user-f')).map((item) => [item['windowStart']?.N, item['sent']?.N])).toEqual([
      [String(BASE + 10), '1'],
      [String(BASE + 20), '1'],
    ]);
  });

  it('passes DynamoDB errors other than a failed condition through (a send is not allowed blindly)', async () => {
    const error = await failureOf(countSend(dynamo.client, { tableName: 'no-such-table', limit: { messages: 2, windowSeconds: 10 } }, 'user-g', at(0)));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(chatErrorCode(error.message)).toBeUndefined();
  });
});

describe('countSendUpdate inside a transaction', () => {
  it('counts with the transaction, and cancels it when the window is full', async () => {
    const limit = config(1, 10);
    await dynamo.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: countSendUpdate(limit, 'user-t', at(1)) }] }));
    const error = await failureOf(
      dynamo.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: countSendUpdate(limit, 'user-t', at(2)) }] })),
    );
    expect(error.name).toBe('TransactionCanceledException');
    expect(error.CancellationReasons?.map((reason) => reason.Code)).toEqual(['ConditionalCheckFailed']);
    expect((await itemsOf('user-t')).map((item) => item['sent'])).toEqual([{ N: '1' }]);
  });

  it('is the same update countSend makes: the item key, the condition and the expiry', () => {
    expect(countSendUpdate(config(5, 60), 'user-u', at(75))).toEqual({
      TableName: TABLE,
      Key: { userId: { S: 'user-u' }, windowStart: { N: String(BASE + 60) } },
      UpdateExpression: 'ADD sent :one SET expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(sent) OR sent < :limit',
      ExpressionAttributeValues: { ':one': { N: '1' }, ':limit': { N: '5' }, ':expiresAt': { N: String(BASE + 120 + 86_400) } },
    });
  });
});

describe('sendRateLimitFromEnvironment', () => {
  it('is null (unlimited) when the limit is 0 or unset', () => {
    expect(sendRateLimitFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: '0', SEND_RATE_LIMIT_TABLE: TABLE })).toBeNull();
    expect(sendRateLimitFromEnvironment({ SEND_RATE_LIMIT_TABLE: TABLE })).toBeNull();
    expect(sendRateLimitFromEnvironment({})).toBeNull();
  });

  it('returns the table and the limit when configured', async () => {
    const configured = sendRateLimitFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: '1', SEND_RATE_LIMIT_WINDOW_SECONDS: '10', SEND_RATE_LIMIT_TABLE: TABLE });
    expect(configured).toEqual({ tableName: TABLE, limit: { messages: 1, windowSeconds: 10 } });
    if (!configured) throw new Error('unreachable');
    expect(await outcome(countSend(dynamo.client, configured, 'user-h', at(0)))).toBe('ok');
    expect(await outcome(countSend(dynamo.client, configured, 'user-h', at(1)))).toBe('RateLimited');
  });

  it('refuses a limit without its table or without a window of at least 1 s', () => {
    const required = 'SEND_RATE_LIMIT_TABLE and a window of at least 1 s are required when a send rate limit is set';
    expect(() => sendRateLimitFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: '5', SEND_RATE_LIMIT_WINDOW_SECONDS: '10' })).toThrow(required);
    expect(() => sendRateLimitFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: '5', SEND_RATE_LIMIT_WINDOW_SECONDS: '10', SEND_RATE_LIMIT_TABLE: '' })).toThrow(required);
    expect(() => sendRateLimitFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: '5', SEND_RATE_LIMIT_TABLE: TABLE })).toThrow(required);
    expect(() => sendRateLimitFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: '5', SEND_RATE_LIMIT_WINDOW_SECONDS: '0', SEND_RATE_LIMIT_TABLE: TABLE })).toThrow(required);
    expect(() => sendRateLimitFromEnvironment({ SEND_RATE_LIMIT_MESSAGES: '5', SEND_RATE_LIMIT_WINDOW_SECONDS: '-10', SEND_RATE_LIMIT_TABLE: TABLE })).toThrow(required);
  });

  it.each([
    ['SEND_RATE_LIMIT_MESSAGES', 'five'],
    ['SEND_RATE_LIMIT_MESSAGES', '-1'],
    ['SEND_RATE_LIMIT_MESSAGES', '2.5'],
    ['SEND_RATE_LIMIT_WINDOW_SECONDS', 'ten'],
    ['SEND_RATE_LIMIT_WINDOW_SECONDS', '1.5'],
  ])('refuses %s=%s', (name, value) => {
    const env = { SEND_RATE_LIMIT_MESSAGES: '5', SEND_RATE_LIMIT_WINDOW_SECONDS: '10', SEND_RATE_LIMIT_TABLE: TABLE, [name]: value };
    expect(() => sendRateLimitFromEnvironment(env)).toThrow('SEND_RATE_LIMIT_MESSAGES and SEND_RATE_LIMIT_WINDOW_SECONDS must be whole numbers');
  });
});
