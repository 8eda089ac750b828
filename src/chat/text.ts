import { MAX_MESSAGE_LENGTH } from '../../amplify/shared/limits';

/**
 * Message text for display and for the composer.
 *
 * Links: render `segments` as React text nodes and <a href={segment.href}> elements — never as HTML.
 * Only http(s) URLs written out with their scheme become links; the href is re-serialized by the URL
 * parser and its scheme checked, so no `javascript:` (or any other scheme) link can come out.
 */

export type TextSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'link'; readonly text: string; readonly href: string };

export { MAX_MESSAGE_LENGTH };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/giu;
/** Punctuation that ends a sentence rather than a URL when it is the URL's last character. */
const TRAILING_PUNCTUATION = /[.,;:!?…。，、！？]$/u;
const CLOSING_TO_OPENING: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** Splits text into plain text and http(s) link segments (adjacent text never split in two). */
export function linkify(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let textStart = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const candidate = trimUrl(match[0]);
    const href = safeHref(candidate);
    if (href === null) continue;
    const start = match.index;
    if (start > textStart) segments.push({ kind: 'text', text: text.slice(textStart, start) });
    segments.push({ kind: 'link', text: candidate, href });
    textStart = start + candidate.length;
  }
  if (textStart < text.length) segments.push({ kind: 'text', text: text.slice(textStart) });
  return segments;
}

/** The href for a URL written in a message, or null unless it parses as http(s) with a host. */
export function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
  return url.href;
}

/** Drops trailing sentence punctuation and closing brackets that have no opening one in the URL. */
function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.slice(-1);
    const opening = CLOSING_TO_OPENING[last];
    if (TRAILING_PUNCTUATION.test(url)) {
      url = url.slice(0, -1);
    } else if (opening !== undefined && count(url, last) > count(url, opening)) {
      url = url.slice(0, -1);
    } else {
      return url;
    }
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** Characters as the limit counts them: Unicode code points (an emoji such as 👍 is 1, not 2). */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

export interface DraftCheck {
  /** Code points after trimming, as sendMessage counts them. */
  readonly length: number;
  /** MAX_MESSAGE_LENGTH − length; negative when over the limit. */
  readonly remaining: number;
  readonly empty: boolean;
  readonly tooLong: boolean;
  readonly canSend: boolean;
}

/** Checks a composer draft the way sendMessage / editMessage will (trimmed, code points). */
export function checkDraft(draft: string, limit: number = MAX_MESSAGE_LENGTH): DraftCheck {
  const length = codePointLength(draft.trim());
  const empty = length === 0;
  const tooLong = length > limit;
  return { length, remaining: limit - length, empty, tooLong, canSend: !empty && !tooLong };
}
