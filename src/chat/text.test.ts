import { describe, expect, it } from 'vitest';
import { validateContent } from '../../amplify/functions/message-processor/logic';
import { MAX_MESSAGE_LENGTH as SHARED_LIMIT } from '../../amplify/shared/limits';
import { MAX_MESSAGE_LENGTH, checkDraft, codePointLength, linkify, safeHref, type TextSegment } from './text';

const link = (text: string, href = text): TextSegment => ({ kind: 'link', text, href });
const plain = (text: string): TextSegment => ({ kind: 'text', text });

describe('linkify', () => {
  it('returns one text segment for text without links, none for empty text', () => {
    expect(linkify('hello world')).toEqual([plain('hello world')]);
    expect(linkify('')).toEqual([]);
  });

  it('splits text around http and https links', () => {
    expect(linkify('see https://example.com/a?b=1#c and http://x.org/ now')).toEqual([
      plain('see '),
      link('https://example.com/a?b=1#c'),
      plain(' and '),
      link('http://x.org/'),
      plain(' now'),
    ]);
  });

  it('a link alone is one link segment; adjacent links are separate', () => {
    expect(linkify('https://a.example/')).toEqual([link('https://a.example/')]);
    expect(linkify('https://a.example/\nhttps://b.example/')).toEqual([
      link('https://a.example/'),
      plain('\n'),
      link('https://b.example/'),
    ]);
  });

  it.each([
    ['Go to https://example.com/page.', 'https://example.com/page', '.'],
    ['https://example.com/a, then', 'https://example.com/a', ', then'],
    ['https://example.com/a; b', 'https://example.com/a', '; b'],
    ['is it https://example.com/a?', 'https://example.com/a', '?'],
    ['wow https://example.com/a!!!', 'https://example.com/a', '!!!'],
    ['https://example.com/a...', 'https://example.com/a', '...'],
    ['https://example.com/a:', 'https://example.com/a', ':'],
    ['https://example.com/a…', 'https://example.com/a', '…'],
  ])('keeps trailing punctuation out of the URL: %s', (input, url, after) => {
    const segments = linkify(input);
    expect(segments).toContainEqual(link(url));
    expect(segments.at(-1)).toEqual(plain(after));
  });

  it('keeps a closing parenthesis out unless the URL opened one', () => {
    expect(linkify('(see https://example.com/a)')).toEqual([plain('(see '), link('https://example.com/a'), plain(')')]);
    expect(linkify('https://en.wikipedia.org/wiki/Foo_(bar)')).toEqual([
      link('https://en.wikipedia.org/wiki/Foo_(bar)'),
    ]);
    expect(linkify('(https://en.wikipedia.org/wiki/Foo_(bar)).')).toEqual([
      plain('('),
      link('https://en.wikipedia.org/wiki/Foo_(bar)'),
      plain(').'),
    ]);
    expect(linkify('[https://example.com/x]')).toEqual([plain('['), link('https://example.com/x'), plain(']')]);
  });

  it('keeps punctuation inside the URL', () => {
    expect(linkify('https://example.com/a.b,c;d?e=f.g')).toEqual([link('https://example.com/a.b,c;d?e=f.g')]);
  });

  it('stops at quotes and angle brackets', () => {
    expect(linkify('"https://example.com/a" <https://example.com/b>')).toEqual([
      plain('"'),
      link('https://example.com/a'),
      plain('" <'),
      link('https://example.com/b'),
      plain('>'),
    ]);
  });

  it('never links other schemes or scheme-less text', () => {
    for (const input of [
      'javascript:alert(1)',
      'JavaScript://%0Aalert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://example.com/file',
      'mailto:ann@example.com',
      'www.example.com',
      'example.com',
      'vbscript:msgbox',
    ]) {
      expect(linkify(input)).toEqual([plain(input)]);
    }
  });

  it('a scheme glued to a word is not a link start; an http URL later in javascript: text links only itself', () => {
    expect(linkify('xhttps://example.com')).toEqual([plain('xhttps://example.com')]);
    const segments = linkify('javascript:alert(1)//https://example.com/');
    const links = segments.filter((s) => s.kind === 'link');
    expect(links).toEqual([link('https://example.com/')]);
    expect(segments.map((s) => s.text).join('')).toBe('javascript:alert(1)//https://example.com/');
  });

  it('leaves an incomplete URL as text', () => {
    expect(linkify('http:// and https://')).toEqual([plain('http:// and https://')]);
    expect(linkify('https://.')).toEqual([plain('https://.')]);
  });

  it('is case-insensitive for the scheme; the href is normalized, the text kept as written', () => {
    expect(linkify('HTTPS://Example.COM/Path')).toEqual([link('HTTPS://Example.COM/Path', 'https://example.com/Path')]);
  });

  it('percent-encodes what the URL parser requires in the href', () => {
    expect(linkify('https://example.com/ü{x}')).toEqual([
      link('https://example.com/ü{x}', 'https://example.com/%C3%BC%7Bx%7D'),
    ]);
  });

  it('segments always re-join to the original text', () => {
    const input = 'a https://x.io/(b)c), "https://y.io". javascript:z https://z.io/?q=1…';
    expect(
      linkify(input)
        .map((s) => s.text)
        .join(''),
    ).toBe(input);
  });

  it('every href is http(s)', () => {
    const input = 'https://a.io http://b.io HTTPS://C.IO https://user:pw@d.io:8080/x';
    for (const segment of linkify(input)) {
      if (segment.kind === 'link') expect(segment.href).toMatch(/^https?:\/\//);
    }
  });
});

describe('safeHref', () => {
  it('accepts http(s) with a host and refuses the rest', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('file:///etc/passwd')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
  });
});

describe('character counting', () => {
  it('counts code points: an emoji is 1', () => {
    expect(codePointLength('👍')).toBe(1);
    expect('👍'.length).toBe(2);
    expect(codePointLength('héllo')).toBe(5);
    expect(codePointLength('')).toBe(0);
  });

  it('uses the shared limit', () => {
    expect(MAX_MESSAGE_LENGTH).toBe(SHARED_LIMIT);
    expect(MAX_MESSAGE_LENGTH).toBe(4000);
  });

  it('accepts exactly the limit and refuses one more, counting emoji as 1', () => {
    const atLimit = '😀'.repeat(MAX_MESSAGE_LENGTH);
    expect(checkDraft(atLimit)).toEqual({ length: 4000, remaining: 0, empty: false, tooLong: false, canSend: true });
    expect(checkDraft(`${atLimit}a`)).toMatchObject({ length: 4001, remaining: -1, tooLong: true, canSend: false });
  });

  it('trims before counting, like the server', () => {
    expect(checkDraft(`  ${'a'.repeat(MAX_MESSAGE_LENGTH)}\n\n`)).toMatchObject({ length: 4000, canSend: true });
    expect(checkDraft(' \n\t ')).toMatchObject({ length: 0, empty: true, canSend: false });
  });

  it('takes another limit when given', () => {
    expect(checkDraft('abc', 2)).toMatchObject({ remaining: -1, tooLong: true });
  });

  it.each([
    ['ascii at the limit', 'a'.repeat(4000)],
    ['ascii over the limit', 'a'.repeat(4001)],
    ['emoji at the limit', '👍'.repeat(4000)],
    ['emoji over the limit', '👍'.repeat(4001)],
    ['ZWJ family emoji (several code points each)', '👨‍👩‍👧'.repeat(800)],
    ['padded with whitespace', `   ${'b'.repeat(4000)}   `],
    ['blank', '   '],
  ])('agrees with the server validation: %s', (_label, draft) => {
    let serverAccepts = true;
    try {
      validateContent(draft);
    } catch {
      serverAccepts = false;
    }
    expect(checkDraft(draft).canSend).toBe(serverAccepts);
  });
});
