import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AttachmentUrlStore, GET_ATTACHMENT_URLS_BATCH, MIN_ASSUMED_LIFETIME_MS, REFRESH_BEFORE_EXPIRY_MS, type AttachmentUrlAnswer } from './attachment-urls';

const TTL_MS = 15 * 60_000;

/** A getAttachmentUrls stand-in recording its requests; `refuse` ids get no URL, `fail` makes the next call fail. */
function fakeApi() {
  const calls: { conversationId: string; ids: string[] }[] = [];
  const state = { refuse: new Set<string>(), fail: false, version: 0 };
  const fetchUrls = (conversationId: string, ids: readonly string[]): Promise<AttachmentUrlAnswer[]> => {
    calls.push({ conversationId, ids: [...ids] });
    if (state.fail) {
      state.fail = false;
      return Promise.reject(new Error('Network error'));
    }
    state.version += 1;
    const expiresAt = new Date(Date.now() + TTL_MS).toISOString();
    return Promise.resolve(
      ids.filter((id) => !state.refuse.has(id)).map((id) => ({ messageId: id, url: `https://s3.local/${id}?v=${state.version}`, downloadUrl: `https://s3.local/${id}?dl&v=${state.version}`, expiresAt })),
    );
  };
  return { calls, state, fetchUrls };
}

/** Lets the batch timer fire and the answer's promise chain settle (each turn runs the timers the last one set). */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 3; turn += 1) await vi.advanceTimersByTimeAsync(1);
}

describe('AttachmentUrlStore', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-07T08:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('asks for the files wanted in one tick in one request per conversation, and rewrites the URLs for the page', async () => {
    const api = fakeApi();
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls, toPage: (url) => url.replace('https://s3.local', 'https://app/s3-presigned') });
    store.want('c1', 'm1');
    store.want('c1', 'm2');
    store.want('c2', 'm3');
    expect(store.entry('m1')).toEqual({ status: 'loading' });
    await settle();
    expect(api.calls).toEqual([
      { conversationId: 'c1', ids: ['m1', 'm2'] },
      { conversationId: 'c2', ids: ['m3'] },
    ]);
    expect(store.entry('m1')).toMatchObject({ status: 'ready', url: 'https://app/s3-presigned/m1?v=1', downloadUrl: 'https://app/s3-presigned/m1?dl&v=1' });
  });

  it('splits more than 50 ids into requests of at most 50', async () => {
    const api = fakeApi();
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls });
    for (let i = 0; i < GET_ATTACHMENT_URLS_BATCH + 7; i += 1) store.want('c1', `m${i}`);
    await settle();
    expect(api.calls.map((call) => call.ids.length)).toEqual([50, 7]);
  });

  it('serves held URLs from the cache while fresh, without asking again', async () => {
    const api = fakeApi();
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls });
    const release = store.want('c1', 'm1');
    await settle();
    release();
    await vi.advanceTimersByTimeAsync(TTL_MS - REFRESH_BEFORE_EXPIRY_MS - 1000);
    store.want('c1', 'm1');
    await settle();
    expect(api.calls).toHaveLength(1);
  });

  it('asks again shortly before expiry while the file is still shown, keeping the old URL meanwhile', async () => {
    const api = fakeApi();
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls });
    store.want('c1', 'm1');
    await settle();
    const first = store.entry('m1');
    const seen: unknown[] = [];
    store.subscribe(() => seen.push(store.entry('m1')));
    await vi.advanceTimersByTimeAsync(TTL_MS - REFRESH_BEFORE_EXPIRY_MS);
    await settle();
    expect(api.calls).toHaveLength(2);
    // No 'loading' in between: the still-valid URL stayed until the new one came.
    expect(seen).toEqual([expect.objectContaining({ status: 'ready', url: 'https://s3.local/m1?v=2' })]);
    expect(store.entry('m1')).not.toBe(first);
  });

  it('does not refresh URLs nobody shows any more; an expired one is loading again when wanted', async () => {
    const api = fakeApi();
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls });
    store.want('c1', 'm1')();
    await settle();
    await vi.advanceTimersByTimeAsync(TTL_MS + 1000);
    expect(api.calls).toHaveLength(1);
    store.want('c1', 'm1');
    expect(store.entry('m1')).toEqual({ status: 'loading' });
    await settle();
    expect(api.calls).toHaveLength(2);
    expect(store.entry('m1')).toMatchObject({ status: 'ready', url: 'https://s3.local/m1?v=2' });
  });

  it('marks ids the API leaves out unavailable, and does not ask for them again', async () => {
    const api = fakeApi();
    api.state.refuse.add('gone');
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls });
    store.want('c1', 'gone');
    await settle();
    expect(store.entry('gone')).toEqual({ status: 'unavailable' });
    store.want('c1', 'gone');
    await settle();
    expect(api.calls).toHaveLength(1);
  });

  it('keeps a failure until retried', async () => {
    const api = fakeApi();
    api.state.fail = true;
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls, errorText: () => 'Couldn’t reach the chat service.' });
    store.want('c1', 'm1');
    await settle();
    expect(store.entry('m1')).toEqual({ status: 'error', error: 'Couldn’t reach the chat service.' });
    store.want('c1', 'm1');
    await settle();
    expect(api.calls).toHaveLength(1);
    store.retry('m1');
    await settle();
    expect(store.entry('m1')).toMatchObject({ status: 'ready' });
  });

  it('asks again when a URL stopped working (invalidate)', async () => {
    const api = fakeApi();
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls });
    store.want('c1', 'm1');
    await settle();
    store.invalidate('m1');
    await settle();
    expect(api.calls).toHaveLength(2);
    expect(store.entry('m1')).toMatchObject({ url: 'https://s3.local/m1?v=2' });
  });

  it('forgets a removed message’s URLs, including an answer still on its way', async () => {
    const api = fakeApi();
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls });
    store.want('c1', 'm1');
    await vi.advanceTimersByTimeAsync(0).then(() => undefined);
    store.want('c1', 'm2');
    store.drop('m2');
    await settle();
    expect(store.entry('m2')).toEqual({ status: 'unavailable' });
    store.drop('m1');
    expect(store.entry('m1')).toEqual({ status: 'unavailable' });
    store.invalidate('m1');
    await settle();
    expect(api.calls.flatMap((call) => call.ids)).toEqual(['m1']);
  });

  it('does not loop on a device whose clock runs ahead of the server: an answer counts as valid for two minutes at least', async () => {
    const api = fakeApi();
    // The server's clock is 20 minutes behind: its expiresAt is already past here.
    const store = new AttachmentUrlStore({ fetchUrls: api.fetchUrls, now: () => Date.now() + 20 * 60_000 });
    store.want('c1', 'm1');
    await settle();
    expect(store.entry('m1')).toMatchObject({ status: 'ready' });
    await vi.advanceTimersByTimeAsync(MIN_ASSUMED_LIFETIME_MS - REFRESH_BEFORE_EXPIRY_MS - 1000);
    expect(api.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    // Then once a minute at most while shown.
    expect(api.calls).toHaveLength(2);
  });
});
