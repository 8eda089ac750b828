/**
 * dynalite 4 reads LevelDB through streams over abstract-level iterators (Query, Scan, ListTables, DeleteTable's
 * cleanup…) and never closes them: at the end it just pushes `null`, and when a Query or Scan stops early (`Limit`, the
 * 1 MB page) its stream's `destroy` calls `iterator.return`, which abstract-level 3 iterators do not have. An
 * iterator that is not closed stays registered with its database until the database closes, and in LevelDB it pins
 * the memtables and table files of the moment it was made: a long-running sandbox kept every memtable since its start
 * (about 4 MiB each) and every table file that compaction had replaced, growing in memory and on disk with each Query.
 *
 * `closeIteratorsWhenDone` makes every iterator that the store's database hands out close itself when it reaches its
 * end or fails, and gives it the `return` that dynalite's streams call when they stop early. Nothing in dynalite seeks
 * an iterator after its end, which a closed iterator could no longer do.
 */

interface LevelIterator {
  next(...args: unknown[]): Promise<unknown>;
  nextv(...args: unknown[]): Promise<unknown[]>;
  close(): Promise<void>;
  return?: () => Promise<IteratorResult<unknown>>;
}

type IteratorFactory = (options?: unknown) => LevelIterator;

/** What is patched: the three ways abstract-level makes an iterator. */
const FACTORIES = ['iterator', 'keys', 'values'] as const;
const patched = new WeakSet<object>();

/** An iterator that closes once a read says it is at its end (`next`: undefined, `nextv`: no entries) or fails. */
function closingWhenDone(iterator: LevelIterator): LevelIterator {
  const close = (): Promise<void> => iterator.close().catch(() => undefined);
  const closingAtEnd = <T>(read: (...args: unknown[]) => Promise<T>, atEnd: (result: T) => boolean) => async (...args: unknown[]): Promise<T> => {
    let result: T;
    try {
      result = await read(...args);
    } catch (error) {
      await close();
      throw error;
    }
    if (atEnd(result)) await close();
    return result;
  };
  iterator.next = closingAtEnd(iterator.next.bind(iterator), (value) => value === undefined);
  iterator.nextv = closingAtEnd(iterator.nextv.bind(iterator), (entries) => entries.length === 0);
  iterator.return = async () => {
    await close();
    return { done: true, value: undefined };
  };
  return iterator;
}

/** Makes `db`'s iterators close themselves at their end, on an error, and through `return()`. Idempotent. */
export function closeIteratorsWhenDone(db: object): void {
  if (patched.has(db)) return;
  const target = db as Record<(typeof FACTORIES)[number], IteratorFactory>;
  for (const name of FACTORIES) {
    const make = target[name];
    if (typeof make !== 'function') throw new Error(`dynalite's database has no ${name}() (unsupported abstract-level version)`);
    target[name] = (options?: unknown) => closingWhenDone(make.call(db, options));
  }
  patched.add(db);
}
