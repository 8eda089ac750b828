/**
 * A bounded map that forgets its least recently used entries: a JavaScript `Map` keeps insertion order, so a hit is
 * moved to the end (delete + set) and eviction takes from the front. Bounded by entry count and, optionally, by a
 * total weight (e.g. the characters of the keys), so callers cannot grow it without limit.
 */
export class LruMap<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private totalWeight = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value`; an entry heavier than the whole budget is not stored at all. */
  set(key: K, value: V, weight = 0): void {
    if (weight > this.maxWeight) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.totalWeight -= previous.weight;
    }
    this.entries.set(key, { value, weight });
    this.totalWeight += weight;
    while (this.entries.size > this.maxEntries || this.totalWeight > this.maxWeight) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.totalWeight -= this.entries.get(oldest.value)?.weight ?? 0;
      this.entries.delete(oldest.value);
    }
  }

  clear(): void {
    this.entries.clear();
    this.totalWeight = 0;
  }
}
