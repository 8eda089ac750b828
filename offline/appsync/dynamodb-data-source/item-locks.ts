/**
 * Per-item mutual exclusion among the writes this data source issues through one client. DynamoDB
 * serialises a transaction against every other write to its items; dynalite has no transactions, so
 * TransactWriteItems is emulated (check, then write) and single writes take the same item locks to
 * keep that emulation isolated from them. Locks are taken in sorted order, so no deadlock.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export class ItemLocks {
  readonly #tails = new Map<string, Promise<void>>();

  async acquire(ids: readonly string[]): Promise<() => void> {
    const releases: (() => void)[] = [];
    for (const id of [...new Set(ids)].sort()) {
      const previous = this.#tails.get(id) ?? Promise.resolve();
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = previous.then(() => held);
      this.#tails.set(id, tail);
      await previous;
      releases.push(() => {
        release();
        if (this.#tails.get(id) === tail) this.#tails.delete(id);
      });
    }
    return () => {
      for (const release of releases) release();
    };
  }

  async with<T>(ids: readonly string[], action: () => Promise<T>): Promise<T> {
    const release = await this.acquire(ids);
    try {
      return await action();
    } finally {
      release();
    }
  }
}

const locksByClient = new WeakMap<DynamoDBClient, ItemLocks>();

export function itemLocksFor(client: DynamoDBClient): ItemLocks {
  let locks = locksByClient.get(client);
  if (!locks) {
    locks = new ItemLocks();
    locksByClient.set(client, locks);
  }
  return locks;
}
