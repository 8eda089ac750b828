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
 *
 * Lighthouse runs from the project's node_modules when `lighthouse` is a devDependency, otherwise through
 * `npx --yes lighthouse@12.8.2` (Lighthouse 13 needs Node 22).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { preview, type Plugin } from 'vite';
import { securityHeaders } from '../../scripts/security-headers.mjs';
import { buildPageChunks } from './chunks';

const ROOT = join(import.meta.dirname, '..', '..');
const LIGHTHOUSE_VERSION = '12.8.2';
const RUN_LIMIT_MS = 120_000;
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const keep = args.includes('--keep');
const chromePath = process.env['CHROME_PATH'] ?? '/usr/bin/chromium';
const run = promisify(execFile);
const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

interface LighthouseReport {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number; details?: { items?: { resourceType?: string; transferSize?: number; url?: string }[] } }>;
}

interface RunFigures {
  performance: number;
  accessibility: number;
  bestPractices: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  speedIndexMs: number;
  cls: number;
  scriptTransferBytes: number;
  totalTransferBytes: number;
}

/** The lighthouse command: the project's own when installed, else npx with the pinned version. */
function lighthouseCommand(): [string, string[]] {
  const local = join(ROOT, 'node_modules', '.bin', 'lighthouse');
  return existsSync(local) ? [local, []] : ['npx', ['--yes', `lighthouse@${LIGHTHOUSE_VERSION}`]];
}

function figuresOf(report: LighthouseReport): RunFigures {
  const score = (id: string) => Math.round((report.categories[id]?.score ?? NaN) * 100);
  const value = (id: string) => report.audits[id]?.numericValue ?? NaN;
  const requests = report.audits['network-requests']?.details?.items ?? [];
  const transfer = (items: typeof requests) => items.reduce((total, item) => total + (item.transferSize ?? 0), 0);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    fcpMs: value('first-contentful-paint'),
    lcpMs: value('largest-contentful-paint'),
    tbtMs: value('total-blocking-time'),
    speedIndexMs: value('speed-index'),
    cls: value('cumulative-layout-shift'),
    scriptTransferBytes: transfer(requests.filter((item) => item.resourceType === 'Script')),
    totalTransferBytes: transfer(requests),
  };
}

async function lighthouse(url: string, workDirectory: string, index: number): Promise<RunFigures> {
  const [command, prefix] = lighthouseCommand();
  const output = join(workDirectory, `report-${index}.json`);
  await run(
    command,
    [
      ...prefix,
      url,
      '--quiet',
      '--output=json',
      `--output-path=${output}`,
      '--only-categories=performance,accessibility,best-practices',
      `--chrome-flags=--headless=new --no-sandbox --user-data-dir=${join(workDirectory, `profile-${index}`)}`,
    ],
    { env: { ...process.env, CHROME_PATH: chromePath }, timeout: RUN_LIMIT_MS, maxBuffer: 64 * 1024 * 1024 },
  );
  return figuresOf(JSON.parse(readFileSync(output, 'utf8')) as LighthouseReport);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const workDirectory = mkdtempSync(join(tmpdir(), 'chat-page-bench-'));
const outDir = join(workDirectory, 'dist');
const outputs = JSON.parse(readFileSync(join(ROOT, 'amplify_outputs.json'), 'utf8')) as Parameters<typeof securityHeaders>[0];
const headers = securityHeaders(outputs);
const withHeaders: Plugin = {
  name: 'production-headers',
  configurePreviewServer(server) {
    server.middlewares.use((_request, response, next) => {
      for (const header of headers) response.setHeader(header.key, header.value);
      next();
    });
  },
};

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
  if (!url || !/^https?:\/\/127\./.test(url)) throw new Error(`the preview server is not on loopback (${url})`);
  const results: RunFigures[] = [];
  for (let index = 0; index < runs; index++) {
    const figures = await lighthouse(url, workDirectory, index);
    results.push(figures);
    console.log(JSON.stringify({ page: 'sign-in', run: index + 1, ...figures }));
  }
  const keys = Object.keys(results[0]!) as (keyof RunFigures)[];
  const summary = Object.fromEntries(keys.map((key) => [key, median(results.map((figures) => figures[key]))]));
  console.log(`\nsign-in page, median of ${runs} Lighthouse ${LIGHTHOUSE_VERSION} runs (mobile defaults):`);
  console.log(
    `performance ${summary['performance']}, accessibility ${summary['accessibility']}, best practices ${summary['bestPractices']}; ` +
      `FCP ${((summary['fcpMs'] ?? 0) / 1000).toFixed(2)} s, LCP ${((summary['lcpMs'] ?? 0) / 1000).toFixed(2)} s, ` +
      `TBT ${Math.round(summary['tbtMs'] ?? 0)} ms, speed index ${((summary['speedIndexMs'] ?? 0) / 1000).toFixed(2)} s, ` +
      `CLS ${(summary['cls'] ?? 0).toFixed(3)}; script transferred ${kB(summary['scriptTransferBytes'] ?? 0)}, ` +
      `all transferred ${kB(summary['totalTransferBytes'] ?? 0)}`,
  );
} finally {
  await server.close();
  if (keep) console.log(`kept ${workDirectory}`);
  else rmSync(workDirectory, { recursive: true, force: true });
}
