/**
 * dynalite keeps an in-memory table in memory-level, which stores each key and value as the Buffer its encoder made: a
 * slice of Node's shared 8 KiB allocation pool. A stored item of a few hundred bytes then keeps a whole 8 KiB slab
 * alive, so a sandbox in memory grew by about 24 KiB of ArrayBuffers per `sendMessage` (366 MiB after 15,000 messages)
 * for data that weighs a few hundred bytes. Here every key and value is copied into a buffer of its own size when it is
 * stored. Still Buffers, so keys compare by their bytes as before (DynamoDB orders strings by their UTF-8 bytes).
 *
 * dynalite takes `MemoryLevel` from memory-level when its db module loads, so this module replaces it first: it is
 * imported before dynalite (transaction-endpoint.ts).
 */
import { createRequire } from 'node:module';

type Level = new (location?: unknown, options?: unknown) => object;
/** The two storage methods of memory-level this module wraps. */
type LevelBase = new (...args: unknown[]) => { _put(...args: unknown[]): Promise<void>; _batch(...args: unknown[]): Promise<void> };
interface BatchOperation {
  type: 'put' | 'del';
  key: unknown;
  value?: unknown;
}

/** `value` itself when it owns its memory, else a copy that does (a slice of a shared pool keeps the whole pool). */
export function ownedBuffer<T>(value: T): T {
  if (!(value instanceof Uint8Array) || value.byteLength === value.buffer.byteLength) return value;
  const copy = Buffer.allocUnsafeSlow(value.byteLength);
  copy.set(value);
  return copy as unknown as T;
}

const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite/package.json'));
const memoryLevel = fromDynalite('memory-level') as { MemoryLevel: Level };
const Original = memoryLevel.MemoryLevel;

/** memory-level storing each key and value in a buffer of its own. */
export const OwnedBuffersMemoryLevel: Level = (Original as { ownedBuffers?: true }).ownedBuffers
  ? Original
  : class OwnedBuffersMemoryLevel extends (Original as unknown as LevelBase) {
      static ownedBuffers = true as const;

      override _put(key: unknown, value: unknown, options: unknown): Promise<void> {
        return super._put(ownedBuffer(key), ownedBuffer(value), options);
      }

      override _batch(operations: BatchOperation[], options: unknown): Promise<void> {
        const owned = operations.map((op) => (op.type === 'put' ? { ...op, key: ownedBuffer(op.key), value: ownedBuffer(op.value) } : op));
        return super._batch(owned, options);
      }
    };
memoryLevel.MemoryLevel = OwnedBuffersMemoryLevel;
