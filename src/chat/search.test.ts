import { describe, expect, it } from 'vitest';
import { highlightParts } from './search';

describe('highlightParts', () => {
  it('marks the whole words the query matched, folded like the index (case, diacritics), and nothing inside other words', () => {
    expect(highlightParts('Meet at the Café, cafeteria later', ['cafe'])).toEqual([
      { text: 'Meet at the ', match: false },
      { text: 'Café', match: true },
      { text: ', cafeteria later', match: false },
    ]);
  });

  it('keeps the text whole when nothing matches', () => {
    expect(highlightParts('nothing here', ['tea'])).toEqual([{ text: 'nothing here', match: false }]);
  });
});
