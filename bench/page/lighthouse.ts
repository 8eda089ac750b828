/**
 * The web app's page weight and Lighthouse figures (docs/benchmarks.md "The page"):
 *
 *   node --import tsx bench/page/lighthouse.ts [--runs N] [--keep]
 *
 * Builds the app (`vite build` with the project's vite.config.ts and the committed amplify_outputs.json), serves the
 * build on 127.0.0.1 with Vite's preview server (gzip, as a CDN sends it) and the production headers
 * scripts/security-headers.mjs computes for those outputs (as e2e/production-headers.e2e.ts serves it), and runs
 * Lighthouse (mobile defaults: simulated slow 4G and 4× CPU slowdown) N times (default 3) against the sign-in page,
 * with Chromium from CHROME_PATH (default /usr/bin/chromium). Prints the script the sign-in page runs (gzip, from the
 * build) and what it prefetches, then per run and as the median: performance, accessibility and best-practices scores,
 * first contentful paint, largest contentful paint, total blocking time, speed index, layout shift and the script
 * bytes transferred. Loopback only; every Lighthouse run is bounded (120 s). Figures are reported, never judged.
 * Lighthouse itself: lighthouse-runner.ts. The chat screen, signed in: chat-lighthouse.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preview } from 'vite';
import { securityHeaders } from '../../scripts/security-headers.mjs';
import { buildPageChunks } from './chunks';
import { kB, printSummary, productionHeaders, readDiagnostics, runLighthouse, type RunFigures } from './lighthouse-runner';

const ROOT = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const keep = args.includes('--keep');

const workDirectory = mkdtempSync(join(tmpdir(), 'chat-page-bench-'));
const outDir = join(workDirectory, 'dist');
const outputs = JSON.parse(readFileSync(join(ROOT, 'amplify_outputs.json'), 'utf8')) as Parameters<typeof securityHeaders>[0];
const headers = securityHeaders(outputs);
const withHeaders = productionHeaders(() => headers);

const server = await (async () => {
  const chunks = await buildPageChunks(ROOT, { build: { outDir, emptyOutDir: true, write: true } });
  console.log(`sign-in page runs ${chunks.eager.length} script(s): ${kB(chunks.eagerGzipBytes)} gzip`);
  for (const figure of chunks.eager) console.log(`  ${figure.fileName}  ${kB(figure.bytes)}  gzip ${kB(figure.gzipBytes)}`);
  console.log(`prefetched, run after sign-in: ${kB(chunks.lazyGzipBytes)} gzip`);
  for (const figure of chunks.lazy) console.log(`  ${figure.fileName}  ${kB(figure.bytes)}  gzip ${kB(figure.gzipBytes)}`);
  // Only the built files and the headers: not the project's config, whose offline plugin would serve HTTPS and proxy a
  // sandbox whenever the outputs file describes one.
  return preview({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
    plugins: [withHeaders],
  });
})();

try {
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the preview server reported no URL');
  const results: RunFigures[] = [];
  for (let index = 0; index < runs; index++) {
    const figures = await runLighthouse({
      root: ROOT,
      url,
      reportFile: join(workDirectory, `report-${index}.json`),
      userDataDir: join(workDirectory, `profile-${index}`),
    });
    results.push(figures);
    console.log(JSON.stringify({ page: 'sign-in', run: index + 1, ...figures }));
    console.log(`  where the time went: ${JSON.stringify(readDiagnostics(join(workDirectory, `report-${index}.json`)))}`);
  }
  printSummary('sign-in page', results);
} finally {
  await server.close();
  if (keep) console.log(`kept ${workDirectory}`);
  else rmSync(workDirectory, { recursive: true, force: true });
}
