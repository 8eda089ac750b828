/**
 * Running Lighthouse (mobile defaults) against a page served on loopback, and the figures bench/page reports from its
 * JSON report. Lighthouse is the project's devDependency (12.8.2: Lighthouse 13 needs Node 22), run from
 * node_modules/.bin with Debian's Chromium. Each run is bounded (120 s).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Plugin } from 'vite';

export const LIGHTHOUSE_VERSION = '12.8.2';
const RUN_LIMIT_MS = 120_000;
const run = promisify(execFile);

interface LighthouseReport {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { numericValue?: number; details?: { items?: { resourceType?: string; transferSize?: number }[] } }>;
}

export interface RunFigures {
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

export interface LighthouseOptions {
  root: string;
  url: string;
  /** Where the JSON report goes. */
  reportFile: string;
  /** Chromium's profile directory (a signed-in session: pass `keepStorage`). */
  userDataDir: string;
  /** Keep the profile's storage (Lighthouse clears the origin's storage before loading otherwise). */
  keepStorage?: boolean;
  /** $HOME for Chromium (its NSS certificate store: a home that trusts the sandbox's CA). */
  home?: string;
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/** The lighthouse command: the project's devDependency (npm install puts it there). */
function lighthouseCommand(root: string): [string, string[]] {
  const local = join(root, 'node_modules', '.bin', 'lighthouse');
  if (!existsSync(local)) throw new Error(`${local} is missing: run npm install (lighthouse ${LIGHTHOUSE_VERSION} is a devDependency)`);
  return [local, []];
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

/** One Lighthouse run (performance, accessibility, best practices; mobile defaults) with Chromium from CHROME_PATH. */
export async function runLighthouse(options: LighthouseOptions): Promise<RunFigures> {
  if (!/^https?:\/\/(127\.\d+\.\d+\.\d+|localhost)(:\d+)?\//.test(options.url)) throw new Error(`not a loopback URL: ${options.url}`);
  const [command, prefix] = lighthouseCommand(options.root);
  const env: NodeJS.ProcessEnv = { ...process.env, CHROME_PATH: process.env['CHROME_PATH'] ?? '/usr/bin/chromium' };
  if (options.home) {
    env['HOME'] = options.home;
    env['npm_config_cache'] = process.env['npm_config_cache'] ?? join(homedir(), '.npm'); // npx's cache stays put
  }
  await run(
    command,
    [
      ...prefix,
      options.url,
      '--quiet',
      '--output=json',
      `--output-path=${options.reportFile}`,
      '--only-categories=performance,accessibility,best-practices',
      ...(options.keepStorage ? ['--disable-storage-reset'] : []),
      `--chrome-flags=--headless=new --no-sandbox --user-data-dir=${options.userDataDir}`,
    ],
    { env, timeout: RUN_LIMIT_MS, maxBuffer: 64 * 1024 * 1024 },
  );
  return figuresOf(JSON.parse(readFileSync(options.reportFile, 'utf8')) as LighthouseReport);
}

/** What a run's report says about where the time went: the LCP element, main-thread work, the costliest scripts. */
export interface RunDiagnostics {
  lcpElement: string;
  mainThreadMs: number;
  /** Main-thread time by kind (script evaluation, style and layout…), largest first. */
  mainThread: Record<string, number>;
  /** Script execution time by file, largest first (Lighthouse's bootup-time). */
  scripts: Record<string, number>;
  /** The main thread's long tasks (Lighthouse's long-tasks audit: 50 ms and more, as simulated), in page order: "file@start+duration" in ms. */
  longTasks: string[];
}

interface DiagnosticItems {
  items?: { items?: { node?: { snippet?: string } }[]; groupLabel?: string; duration?: number; url?: string; total?: number; startTime?: number }[];
}

export function readDiagnostics(reportFile: string): RunDiagnostics {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { audits: Record<string, { numericValue?: number; details?: DiagnosticItems }> };
  const items = (id: string) => report.audits[id]?.details?.items ?? [];
  const lcp = items('largest-contentful-paint-element')[0]?.items?.[0]?.node?.snippet ?? '';
  const rounded = (entries: [string, number][]) => Object.fromEntries(entries.sort((a, b) => b[1] - a[1]).slice(0, 5).map(([key, value]) => [key, Math.round(value)]));
  return {
    lcpElement: lcp.length > 120 ? `${lcp.slice(0, 117)}...` : lcp,
    mainThreadMs: Math.round(report.audits['mainthread-work-breakdown']?.numericValue ?? NaN),
    mainThread: rounded(items('mainthread-work-breakdown').map((item) => [item.groupLabel ?? '?', item.duration ?? 0])),
    scripts: rounded(items('bootup-time').map((item) => [(item.url ?? '?').replace(/^https?:\/\/[^/]+/, ''), item.total ?? 0])),
    longTasks: items('long-tasks')
      .sort((a, b) => (a.startTime ?? 0) - (b.startTime ?? 0))
      .map((item) => `${(item.url ?? '?').replace(/^https?:\/\/[^/]+/, '')}@${Math.round(item.startTime ?? NaN)}+${Math.round(item.duration ?? NaN)}`),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Prints the medians of several runs of one page. */
export function printSummary(page: string, results: RunFigures[]): void {
  if (results.length === 0) return;
  const keys = Object.keys(results[0]!) as (keyof RunFigures)[];
  const summary = Object.fromEntries(keys.map((key) => [key, median(results.map((figures) => figures[key]))])) as unknown as RunFigures;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`\n${page}, median of ${results.length} Lighthouse ${LIGHTHOUSE_VERSION} runs (mobile defaults):`);
  console.log(
    `performance ${summary.performance}, accessibility ${summary.accessibility}, best practices ${summary.bestPractices}; ` +
      `FCP ${seconds(summary.fcpMs)}, LCP ${seconds(summary.lcpMs)}, TBT ${Math.round(summary.tbtMs)} ms, ` +
      `speed index ${seconds(summary.speedIndexMs)}, CLS ${summary.cls.toFixed(3)}; ` +
      `script transferred ${kB(summary.scriptTransferBytes)}, all transferred ${kB(summary.totalTransferBytes)}`,
  );
}

/** A `vite preview` plugin that sends the production security headers (`headers()` at each request) with every answer. */
export function productionHeaders(headers: () => readonly { key: string; value: string }[]): Plugin {
  return {
    name: 'production-headers',
    configurePreviewServer(server) {
      server.middlewares.use((_request, response, next) => {
        for (const header of headers()) response.setHeader(header.key, header.value);
        next();
      });
    },
  };
}
