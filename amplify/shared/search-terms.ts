/**
 * The words of a message as the search index stores them, and of a search query: Unicode-aware (letters and digits of
 * any script), lower-cased, diacritics folded (NFKD, combining marks dropped: "Café" and "cafe" are one word). Whole
 * words only (no prefixes, no stemming, no stop words: every word of 2+ characters counts), so a query matches a message
 * holding all its words. docs/data-model.md ("Message search").
 */

/** Distinct words indexed per message (the first ones in the text); words past it are not searchable. */
export const MAX_TERMS_PER_MESSAGE = 64;
/** A word is cut to this many characters (index and query alike). */
export const MAX_TERM_LENGTH = 32;
/** A word shorter than this is not indexed or searched. */
export const MIN_TERM_LENGTH = 2;
/** Words of a query used (distinct, in order); more are refused. */
export const MAX_QUERY_TERMS = 5;

/** The normalized words of a text, each once, in order of first appearance, at most `max`. */
export function termsOf(text: string, max = MAX_TERMS_PER_MESSAGE): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const terms = new Set<string>();
  for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
    if ([...word].length < MIN_TERM_LENGTH) continue;
    terms.add([...word].slice(0, MAX_TERM_LENGTH).join(''));
    if (terms.size >= max) break;
  }
  return [...terms];
}
