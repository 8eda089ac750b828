/**
 * index.html's #root holds exactly what AuthShell renders while the session is restored: React hydrates it (src/main.tsx),
 * and a difference would make React throw the page's copy away and log a hydration error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AuthShell } from './AuthShell';

describe('the static shell in index.html', () => {
  it('is the markup AuthShell renders first', () => {
    const html = readFileSync(join(import.meta.dirname, '..', '..', 'index.html'), 'utf8');
    const root = /<div id="root">(.*)<\/div>\n/.exec(html)?.[1];
    expect(root).toBe(renderToStaticMarkup(<AuthShell />));
    expect(root).toContain('Realtime Chat');
  });
});
