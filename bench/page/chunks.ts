/**
 * The production build's chunks as the sign-in page loads them: `vite build` with the project's vite.config.ts, then
 * for the page's entry chunk everything the browser runs before the sign-in form can render (the entry and its static
 * imports, transitively) and everything it only prefetches (dynamic imports: the chat). Sizes are gzip (zlib's
 * default level, what Vite's build report shows); a static server or CDN with gzip sends about that.
 */
import { gzipSync } from 'node:zlib';
import { build, type InlineConfig, type Rollup } from 'vite';

export interface ChunkFigure {
  fileName: string;
  bytes: number;
  gzipBytes: number;
  /** Module ids bundled in the chunk (absolute paths; node_modules included). */
  modules: string[];
}

export interface PageChunks {
  /** Files the sign-in page loads and runs before its first render (entry first). */
  eager: ChunkFigure[];
  /** Files loaded only through a dynamic import (prefetched by index.html, run after sign-in). */
  lazy: ChunkFigure[];
  eagerGzipBytes: number;
  lazyGzipBytes: number;
  /** The built index.html. */
  html: string;
}

function figureOf(chunk: Rollup.OutputChunk): ChunkFigure {
  return {
    fileName: chunk.fileName,
    bytes: Buffer.byteLength(chunk.code),
    gzipBytes: gzipSync(chunk.code).length,
    modules: Object.keys(chunk.modules),
  };
}

/** Builds the app (in memory unless `config.build.outDir` and `write` say otherwise) and sorts its chunks. */
export async function buildPageChunks(root: string, config: InlineConfig = {}): Promise<PageChunks> {
  // A production build whatever the caller's environment (vitest sets NODE_ENV=test, which Vite would keep: React's
  // development build).
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  const result = await build({
    root,
    configFile: `${root}/vite.config.ts`,
    mode: 'production',
    logLevel: 'warn',
    ...config,
    build: { write: false, ...config.build },
  }).finally(() => {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const files = outputs.flatMap((output) => output.output);
  const chunks = new Map(files.filter((file): file is Rollup.OutputChunk => file.type === 'chunk').map((chunk) => [chunk.fileName, chunk]));
  const entries = [...chunks.values()].filter((chunk) => chunk.isEntry);
  if (entries.length !== 1) throw new Error(`expected one entry chunk, found ${entries.length}`);
  const html = files.find((file) => file.type === 'asset' && file.fileName === 'index.html');
  if (!html || html.type !== 'asset') throw new Error('the build has no index.html');

  const eager = new Set<string>();
  const visitEager = (fileName: string) => {
    if (eager.has(fileName)) return;
    eager.add(fileName);
    for (const imported of chunks.get(fileName)?.imports ?? []) visitEager(imported);
  };
  visitEager(entries[0]!.fileName);
  const lazy = new Set<string>();
  const visitLazy = (fileName: string) => {
    if (eager.has(fileName) || lazy.has(fileName)) return;
    lazy.add(fileName);
    const chunk = chunks.get(fileName);
    for (const imported of [...(chunk?.imports ?? []), ...(chunk?.dynamicImports ?? [])]) visitLazy(imported);
  };
  for (const fileName of eager) for (const imported of chunks.get(fileName)?.dynamicImports ?? []) visitLazy(imported);

  const figures = (names: Set<string>) => [...names].map((name) => figureOf(chunks.get(name)!));
  const eagerFigures = figures(eager);
  const lazyFigures = figures(lazy);
  const sum = (list: ChunkFigure[]) => list.reduce((total, figure) => total + figure.gzipBytes, 0);
  return {
    eager: eagerFigures,
    lazy: lazyFigures,
    eagerGzipBytes: sum(eagerFigures),
    lazyGzipBytes: sum(lazyFigures),
    html: String(html.source),
  };
}
