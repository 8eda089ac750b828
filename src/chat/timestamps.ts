/**
 * ISO-8601 timestamps as the API returns them (AWSDateTime strings), compared by instant rather than
 * by text so that `...:00Z` and `...:00.000Z` are equal and other offsets order correctly.
 */

/** Milliseconds since the epoch, or NaN for a missing or unparsable timestamp. */
export function toMillis(timestamp: string | null | undefined): number {
  return timestamp ? Date.parse(timestamp) : Number.NaN;
}

/**
 * Orders two timestamps by instant (negative when `a` is earlier). Unparsable or missing timestamps
 * sort before every valid one and among themselves by text, so sorting stays total and deterministic.
 */
export function compareTimestamps(a: string | null | undefined, b: string | null | undefined): number {
  const ma = toMillis(a);
  const mb = toMillis(b);
  const aValid = !Number.isNaN(ma);
  const bValid = !Number.isNaN(mb);
  if (aValid && bValid) return ma - mb;
  if (aValid !== bValid) return aValid ? 1 : -1;
  return compareText(a ?? '', b ?? '');
}

/** The later of two timestamps (by instant); `null` only when both are missing. */
export function laterTimestamp(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return compareTimestamps(a, b) >= 0 ? a : b;
}

/** Plain code-unit comparison (locale-independent), for deterministic tie-breaks on ids. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
