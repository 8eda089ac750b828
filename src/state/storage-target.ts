/**
 * Where the app's attachments bucket is reached, from the outputs file (set once by `configureAmplify`):
 *
 * - `enabled`: the outputs configure a bucket (`storage`); without one the composer offers no attachments.
 * - `customEndpoint`: the offline sandbox's storage endpoint (`custom.storageEndpoint`, `host:port`), passed as each
 *   Storage call's `options.customEndpoint` (aws-amplify 6.22 has no configuration setting that reaches a local
 *   endpoint: offline/s3/README.md). Absent for a deployed backend: plain Amplify Storage.
 * - `urlRewrite`: `custom.storageUrlRewrite = { from, to }`: the presigned URLs getAttachmentUrls returns name the
 *   storage endpoint's own origin (`from`); in the browser the sandbox's dev server serves them under the page's origin
 *   (`to`). Absent for a deployed backend: URLs are used as they come.
 */
export interface StorageTarget {
  readonly enabled: boolean;
  readonly customEndpoint?: string;
  readonly urlRewrite?: { readonly from: string; readonly to: string };
}

const DISABLED: StorageTarget = { enabled: false };
let current: StorageTarget = DISABLED;

export function setStorageTarget(target: StorageTarget): void {
  current = target;
}

export function storageTarget(): StorageTarget {
  return current;
}

interface OutputsWithStorage {
  storage?: { bucket_name?: unknown } | null;
  custom?: { storageEndpoint?: unknown; storageUrlRewrite?: unknown } | null;
}

/** The storage target an outputs object describes. */
export function storageTargetOf(outputs: OutputsWithStorage): StorageTarget {
  if (typeof outputs.storage?.bucket_name !== 'string') return DISABLED;
  const endpoint = outputs.custom?.storageEndpoint;
  const rewrite = outputs.custom?.storageUrlRewrite as { from?: unknown; to?: unknown } | null | undefined;
  return {
    enabled: true,
    ...(typeof endpoint === 'string' && endpoint !== '' ? { customEndpoint: endpoint } : {}),
    ...(typeof rewrite?.from === 'string' && typeof rewrite.to === 'string' && rewrite.from !== '' ? { urlRewrite: { from: rewrite.from, to: rewrite.to } } : {}),
  };
}

/**
 * The options every Storage call of the app adds: `{ customEndpoint }` on the offline sandbox, nothing otherwise.
 * (`customEndpoint` is honoured at run time by aws-amplify 6.22 but typed only on its internal APIs, hence the cast
 * at the call site.)
 */
export function storageCallOptions(target: StorageTarget = current): { customEndpoint?: string } {
  return target.customEndpoint ? { customEndpoint: target.customEndpoint } : {};
}

/**
 * A URL from getAttachmentUrls as the page must use it: with `urlRewrite`, a URL starting with `from` gets `to` in its
 * place (the rest — path and signed query — unchanged, so the signature still matches); any other URL as it is.
 */
export function attachmentUrlForPage(url: string, target: StorageTarget = current): string {
  const rewrite = target.urlRewrite;
  if (!rewrite) return url;
  const from = rewrite.from.replace(/\/+$/, '');
  if (url !== from && !url.startsWith(`${from}/`) && !url.startsWith(`${from}?`)) return url;
  return rewrite.to.replace(/\/+$/, '') + url.slice(from.length);
}
