/**
 * The URLs of message files (getAttachmentUrls), for every attachment on screen: asked for in batches (the ids wanted
 * in one tick, per conversation, at most GET_ATTACHMENT_URLS_BATCH per request), kept until shortly before they expire
 * and asked for again then while still wanted, dropped when their message is removed.
 *
 * A component that shows an attachment calls `want(conversationId, messageId)` while it is visible (the returned
 * function releases it) and reads `entry(messageId)` (stable objects, for useSyncExternalStore). The URLs are used as
 * the backend signed them, rewritten for the page by `toPage` (state/storage-target.ts: the offline sandbox's proxy).
 */

/** One message's URLs as getAttachmentUrls answers them. */
export interface AttachmentUrlAnswer {
  readonly messageId: string;
  readonly url: string;
  readonly downloadUrl: string;
  readonly expiresAt: string;
}

export type UrlEntry =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly url: string; readonly downloadUrl: string; readonly expiresAt: number }
  /** The API gave no URL for it (not a participant any more, the message removed, no file). */
  | { readonly status: 'unavailable' }
  | { readonly status: 'error'; readonly error: string };

export interface AttachmentUrlDeps {
  /** getAttachmentUrls for at most GET_ATTACHMENT_URLS_BATCH ids of one conversation. */
  readonly fetchUrls: (conversationId: string, messageIds: readonly string[]) => Promise<readonly AttachmentUrlAnswer[]>;
  /** The URL as the page uses it (default: as it is). */
  readonly toPage?: (url: string) => string;
  /** Error text for a failed request. */
  readonly errorText?: (error: unknown) => string;
  readonly now?: () => number;
}

/** getAttachmentUrls takes at most this many ids. */
export const GET_ATTACHMENT_URLS_BATCH = 50;
/** URLs are asked for again this long before they expire (they stay in use meanwhile). */
export const REFRESH_BEFORE_EXPIRY_MS = 60_000;
/**
 * The shortest lifetime assumed for an answer: `expiresAt` is the server's clock, and a device whose clock runs ahead
 * would otherwise see fresh URLs as expired and ask again at once, in a loop. (The backend signs for 15 minutes.)
 */
export const MIN_ASSUMED_LIFETIME_MS = 2 * REFRESH_BEFORE_EXPIRY_MS;

const LOADING: UrlEntry = { status: 'loading' };
const UNAVAILABLE: UrlEntry = { status: 'unavailable' };

export class AttachmentUrlStore {
  private readonly entries = new Map<string, UrlEntry>();
  /** messageId → conversationId and how many components want it. */
  private readonly wanted = new Map<string, { conversationId: string; count: number }>();
  private readonly queued = new Map<string, Set<string>>();
  private readonly inFlight = new Set<string>();
  private readonly dropped = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private flushScheduled = false;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  private readonly now: () => number;

  constructor(private readonly deps: AttachmentUrlDeps) {
    this.now = deps.now ?? Date.now;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  entry(messageId: string): UrlEntry | undefined {
    return this.entries.get(messageId);
  }

  /** Marks a message's file as shown; fetches its URLs (batched) unless fresh ones are held. Returns the release. */
  want(conversationId: string, messageId: string): () => void {
    const current = this.wanted.get(messageId);
    this.wanted.set(messageId, { conversationId, count: (current?.count ?? 0) + 1 });
    this.ensure(conversationId, messageId);
    this.scheduleRefresh();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const held = this.wanted.get(messageId);
      if (!held) return;
      if (held.count <= 1) this.wanted.delete(messageId);
      else this.wanted.set(messageId, { ...held, count: held.count - 1 });
    };
  }

  /** The URL stopped working before its time (an image failed to load): ask again if it is wanted. */
  invalidate(messageId: string): void {
    if (this.dropped.has(messageId)) return;
    this.set(messageId, undefined);
    const held = this.wanted.get(messageId);
    if (held) this.ensure(held.conversationId, messageId);
  }

  /** Tries again after an error. */
  retry(messageId: string): void {
    this.invalidate(messageId);
  }

  /** The message was removed: its URLs are forgotten and never asked for again. */
  drop(messageId: string): void {
    this.dropped.add(messageId);
    for (const ids of this.queued.values()) ids.delete(messageId);
    this.set(messageId, UNAVAILABLE);
  }

  /** Stops its timers (signed out); `activate` starts them again (React runs effects twice in development). */
  dispose(): void {
    this.disposed = true;
    if (this.refreshTimer !== null) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
  }

  activate(): void {
    if (!this.disposed) return;
    this.disposed = false;
    for (const [id, held] of this.wanted) this.ensure(held.conversationId, id);
    this.scheduleFlush();
    this.scheduleRefresh();
  }

  private ensure(conversationId: string, messageId: string): void {
    if (this.dropped.has(messageId) || this.inFlight.has(messageId)) return;
    const entry = this.entries.get(messageId);
    if (entry?.status === 'unavailable' || entry?.status === 'error') return;
    if (entry?.status === 'ready') {
      const now = this.now();
      if (now < entry.expiresAt - REFRESH_BEFORE_EXPIRY_MS) return;
      // Stale: still usable until it expires while the new one is fetched; expired: loading again.
      if (now >= entry.expiresAt) this.set(messageId, LOADING);
    } else if (!entry) {
      this.set(messageId, LOADING);
    }
    let ids = this.queued.get(conversationId);
    if (!ids) this.queued.set(conversationId, (ids = new Set()));
    ids.add(messageId);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.disposed) return;
    this.flushScheduled = true;
    // One tick: every attachment rendered in the same pass joins one request.
    setTimeout(() => {
      this.flushScheduled = false;
      this.flush();
    }, 0);
  }

  private flush(): void {
    if (this.disposed) return;
    const batches = [...this.queued.entries()];
    this.queued.clear();
    for (const [conversationId, idSet] of batches) {
      const ids = [...idSet].filter((id) => !this.inFlight.has(id) && !this.dropped.has(id));
      for (let start = 0; start < ids.length; start += GET_ATTACHMENT_URLS_BATCH) {
        this.request(conversationId, ids.slice(start, start + GET_ATTACHMENT_URLS_BATCH));
      }
    }
  }

  private request(conversationId: string, ids: readonly string[]): void {
    for (const id of ids) this.inFlight.add(id);
    const toPage = this.deps.toPage ?? ((url: string) => url);
    this.deps
      .fetchUrls(conversationId, ids)
      .then((answers) => {
        const byId = new Map(answers.map((answer) => [answer.messageId, answer]));
        const now = this.now();
        for (const id of ids) {
          this.inFlight.delete(id);
          if (this.dropped.has(id)) continue;
          const answer = byId.get(id);
          const expiresAt = answer ? Math.max(Date.parse(answer.expiresAt), now + MIN_ASSUMED_LIFETIME_MS) : Number.NaN;
          this.set(
            id,
            answer && Number.isFinite(expiresAt)
              ? { status: 'ready', url: toPage(answer.url), downloadUrl: toPage(answer.downloadUrl), expiresAt }
              : UNAVAILABLE,
          );
        }
      })
      .catch((error: unknown) => {
        const text = this.deps.errorText?.(error) ?? (error instanceof Error ? error.message : String(error));
        for (const id of ids) {
          this.inFlight.delete(id);
          if (!this.dropped.has(id)) this.set(id, { status: 'error', error: text });
        }
      })
      .finally(() => this.scheduleRefresh());
  }

  /** A timer for the first wanted URL that turns stale; it asks again for every stale wanted one. */
  private scheduleRefresh(): void {
    if (this.disposed) return;
    if (this.refreshTimer !== null) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    let first = Number.POSITIVE_INFINITY;
    for (const [id, entry] of this.entries) {
      if (entry.status === 'ready' && this.wanted.has(id) && !this.inFlight.has(id) && !this.isQueued(id)) {
        first = Math.min(first, entry.expiresAt - REFRESH_BEFORE_EXPIRY_MS);
      }
    }
    if (!Number.isFinite(first)) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      // The answers schedule the next one.
      for (const [id, held] of this.wanted) this.ensure(held.conversationId, id);
    }, Math.max(0, first - this.now()));
  }

  private isQueued(messageId: string): boolean {
    for (const ids of this.queued.values()) if (ids.has(messageId)) return true;
    return false;
  }

  private set(messageId: string, entry: UrlEntry | undefined): void {
    if (this.entries.get(messageId) === entry) return;
    if (entry) this.entries.set(messageId, entry);
    else this.entries.delete(messageId);
    for (const listener of [...this.listeners]) listener();
  }
}
