import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';

/**
 * BatchWriteItem with DynamoDB's rules: at most 25 requests a call, and what a call leaves unprocessed (throttling,
 * internal limits; not an error) is sent again with exponential backoff until nothing is left or the attempts are spent.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
 */

/** BatchWriteItem's limit. */
export const WRITE_BATCH = 25;

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** How to wait between attempts (tests pass one that does not wait). */
  sleep?(ms: number): Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 50, maxDelayMs: 5_000 };

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
}

/**
 * Sends `first`, then what each answer leaves over (`leftOf`) until nothing is, waiting with backoff between attempts;
 * throws when the attempts are spent. `send` returns what was left unprocessed (null/empty: nothing).
 */
export async function untilProcessed<T>(first: T, send: (request: T) => Promise<T | null>, policy: RetryPolicy = DEFAULT_RETRY): Promise<number> {
  let request: T | null = first;
  let attempt = 0;
  while (request !== null) {
    if (attempt >= policy.attempts) throw new Error(`DynamoDB left items unprocessed after ${policy.attempts} attempts; run again with the reported cursor`);
    if (attempt > 0) await (policy.sleep ?? wait)(backoffMs(attempt, policy));
    request = await send(request);
    attempt += 1;
  }
  return attempt;
}

/** Writes `requests` (puts and deletes of one table) in BatchWriteItem calls of 25, sent together; unprocessed ones again. */
export async function writeInBatches(client: DynamoDBClient, table: string, requests: WriteRequest[], policy: RetryPolicy = DEFAULT_RETRY): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += WRITE_BATCH) batches.push(requests.slice(i, i + WRITE_BATCH));
  await Promise.all(
    batches.map((batch) =>
      untilProcessed(
        batch,
        async (request) => {
          const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: request } }));
          const left = answer.UnprocessedItems?.[table] ?? [];
          return left.length > 0 ? left : null;
        },
        policy,
      ),
    ),
  );
}
