import { termsOf } from '../../amplify/shared/search-terms';

/** A snippet cut into plain and matched parts: a part matches when its folded word is one of the query's terms. */
export interface SnippetPart {
  readonly text: string;
  readonly match: boolean;
}

/** Splits a snippet on word boundaries and marks the words searchMessages matched (whole words, folded alike). */
export function highlightParts(snippet: string, terms: readonly string[]): SnippetPart[] {
  const wanted = new Set(terms);
  const parts: SnippetPart[] = [];
  for (const piece of snippet.split(/([\p{L}\p{N}\p{M}]+)/u)) {
    if (piece === '') continue;
    const match = wanted.has(termsOf(piece, 1)[0] ?? '');
    const last = parts.at(-1);
    if (last && !last.match && !match) parts[parts.length - 1] = { text: last.text + piece, match: false };
    else parts.push({ text: piece, match });
  }
  return parts;
}
