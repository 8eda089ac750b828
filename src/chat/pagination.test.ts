import { describe, expect, it } from 'vitest';
import { canLoadMore, emptyPagedList, failLoad, receivePage, startLoad, type PagedList } from './pagination';

interface Item {
  id: string;
}
const item = (id: string): Item => ({ id });
const keyOf = (i: Item) => i.id;
const ids = (s: PagedList<Item>) => s.items.map(keyOf);

describe('paged loading', () => {
  it('starts empty, idle and not exhausted', () => {
    const s = emptyPagedList<Item>();
    expect(s).toEqual({ items: [], nextToken: null, loading: false, exhausted: false, requestId: null, error: null });
    expect(canLoadMore(s)).toBe(true);
  });

  it('loads pages in order and keeps the token of the last one', () => {
    let s = startLoad(emptyPagedList<Item>(), 'r1');
    expect(s.loading).toBe(true);
    expect(canLoadMore(s)).toBe(false);
    s = receivePage(s, 'r1', { items: [item('a'), item('b')], nextToken: 't1' });
    expect(s).toMatchObject({ loading: false, nextToken: 't1', exhausted: false, requestId: null });
    s = receivePage(startLoad(s, 'r2'), 'r2', { items: [item('c')], nextToken: 't2' });
    expect(ids(s)).toEqual(['a', 'b', 'c']);
    expect(s.nextToken).toBe('t2');
  });

  it('is exhausted when a page has no nextToken (null or absent)', () => {
    const a = receivePage(startLoad(emptyPagedList<Item>(), 'r1'), 'r1', { items: [item('a')], nextToken: null });
    expect(a.exhausted).toBe(true);
    expect(canLoadMore(a)).toBe(false);
    expect(startLoad(a, 'r2')).toBe(a);
    const b = receivePage(startLoad(emptyPagedList<Item>(), 'r1'), 'r1', { items: [] });
    expect(b.exhausted).toBe(true);
  });

  it('an empty page with a nextToken is not the end (post-filter pagination)', () => {
    const s = receivePage(startLoad(emptyPagedList<Item>(), 'r1'), 'r1', { items: [], nextToken: 't1' });
    expect(s).toMatchObject({ items: [], exhausted: false, nextToken: 't1' });
    expect(canLoadMore(s)).toBe(true);
  });

  it('does not start a second load while one is in flight', () => {
    const s = startLoad(emptyPagedList<Item>(), 'r1');
    expect(startLoad(s, 'r2')).toBe(s);
  });

  it('ignores an answer for another request id', () => {
    const s = startLoad(emptyPagedList<Item>(), 'r2');
    expect(receivePage(s, 'r1', { items: [item('stale')], nextToken: 'old' })).toBe(s);
    expect(failLoad(s, 'r1', 'boom')).toBe(s);
  });

  it('ignores a second delivery of the same answer', () => {
    let s = startLoad(emptyPagedList<Item>(), 'r1');
    s = receivePage(s, 'r1', { items: [item('a')], nextToken: 't1' });
    expect(receivePage(s, 'r1', { items: [item('a')], nextToken: 't1' })).toBe(s);
  });

  it('ignores answers after a reset (conversation switched)', () => {
    const loading = startLoad(emptyPagedList<Item>(), 'r1');
    const reset = emptyPagedList<Item>();
    expect(receivePage(reset, 'r1', { items: [item('a')], nextToken: 't' })).toBe(reset);
    expect(loading.loading).toBe(true);
  });

  it('with keyOf, skips items already loaded and duplicates inside a page', () => {
    let s = receivePage(startLoad(emptyPagedList<Item>(), 'r1'), 'r1', { items: [item('a'), item('b')], nextToken: 't' }, keyOf);
    s = receivePage(startLoad(s, 'r2'), 'r2', { items: [item('b'), item('c'), item('c')], nextToken: null }, keyOf);
    expect(ids(s)).toEqual(['a', 'b', 'c']);
  });

  it('without keyOf, appends pages as they are', () => {
    let s = receivePage(startLoad(emptyPagedList<Item>(), 'r1'), 'r1', { items: [item('a')], nextToken: 't' });
    s = receivePage(startLoad(s, 'r2'), 'r2', { items: [item('a')], nextToken: null });
    expect(ids(s)).toEqual(['a', 'a']);
  });

  it('a failed load keeps items and token so the same page can be retried', () => {
    let s = receivePage(startLoad(emptyPagedList<Item>(), 'r1'), 'r1', { items: [item('a')], nextToken: 't1' });
    s = failLoad(startLoad(s, 'r2'), 'r2', 'Network error');
    expect(s).toMatchObject({ loading: false, error: 'Network error', nextToken: 't1', exhausted: false, requestId: null });
    expect(ids(s)).toEqual(['a']);
    s = startLoad(s, 'r3');
    expect(s.error).toBeNull();
    s = receivePage(s, 'r3', { items: [item('b')], nextToken: null });
    expect(ids(s)).toEqual(['a', 'b']);
  });

  it('does not mutate the previous state', () => {
    const first = receivePage(startLoad(emptyPagedList<Item>(), 'r1'), 'r1', { items: [item('a')], nextToken: 't' });
    const items = first.items;
    receivePage(startLoad(first, 'r2'), 'r2', { items: [item('b')], nextToken: null });
    expect(first.items).toBe(items);
    expect(ids(first)).toEqual(['a']);
  });
});
