/**
 * The in-memory store keeps each key and value in a buffer of its own (memory-store.ts): no stored item holds on to a
 * shared 8 KiB allocation pool, and keys still sort by their bytes.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ownedBuffer, OwnedBuffersMemoryLevel } from './memory-store.js';
import { startDynaliteWithTransactions } from './transaction-endpoint.js';

describe('ownedBuffer', () => {
  it('copies a slice of a shared pool into a buffer of its own size, and keeps what already owns its memory', () => {
    const pooled = Buffer.from('conversation#42', 'utf8'); // small: a slice of Node's pool
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    const owned = ownedBuffer(pooled);
    expect(owned.buffer.byteLength).toBe(pooled.byteLength);
    expect(owned.equals(pooled)).toBe(true);
    const already = Buffer.allocUnsafeSlow(4);
    expect(ownedBuffer(already)).toBe(already);
    expect(ownedBuffer('text')).toBe('text');
  });
});

describe("dynalite's in-memory store", () => {
  it('is the owned-buffers store, whose stored values own their memory and whose keys sort by their UTF-8 bytes', async () => {
    const { store } = startDynaliteWithTransactions({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    const db = store.db as unknown as { put(k: string, v: unknown): Promise<void>; get(k: string): Promise<unknown>; keys(): AsyncIterable<string> };
    expect(db).toBeInstanceOf(OwnedBuffersMemoryLevel);
    // U+FF01 sorts before U+1F600 by UTF-8 bytes (as DynamoDB orders strings) though not by UTF-16 code units.
    for (const key of ['b', '😀', '！', 'a']) await db.put(key, { key });
    const keys: string[] = [];
    for await (const key of db.keys()) keys.push(key);
    expect(keys).toEqual(['a', 'b', '！', '😀']);
    expect(await db.get('😀')).toEqual({ key: '😀' });
  });

  it('is installed before dynalite loads memory-level (the same module instance dynalite uses)', () => {
    const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite/package.json'));
    expect((fromDynalite('memory-level') as { MemoryLevel: unknown }).MemoryLevel).toBe(OwnedBuffersMemoryLevel);
  });
});
