import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type Rollup } from 'vite';
import { offlineSandbox } from 'amplify-gen2-offline/vite';

/**
 * `<link rel="prefetch">` for every chunk the page's entry imports dynamically (the chat, src/load-chat.ts) and their
 * own imports, minus what the entry already loads: the browser fetches them at idle priority once the sign-in screen
 * has loaded, without running them, so signing in does not wait for the download.
 */
function prefetchLazyChunks(): Plugin {
  return {
    name: 'prefetch-lazy-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle, chunk }) {
        if (!bundle || !chunk) return [];
        const chunkOf = (fileName: string) => bundle[fileName] as Rollup.OutputChunk | undefined;
        const eager = new Set<string>([chunk.fileName]);
        const addEager = (fileName: string) => {
          if (eager.has(fileName)) return;
          eager.add(fileName);
          for (const imported of chunkOf(fileName)?.imports ?? []) addEager(imported);
        };
        for (const imported of chunk.imports) addEager(imported);
        const lazy = new Set<string>();
        const addLazy = (fileName: string) => {
          if (eager.has(fileName) || lazy.has(fileName)) return;
          lazy.add(fileName);
          const lazyChunk = chunkOf(fileName);
          for (const imported of lazyChunk?.imports ?? []) addLazy(imported);
          for (const css of lazyChunk?.viteMetadata?.importedCss ?? []) lazy.add(css);
        };
        for (const imported of chunk.dynamicImports) addLazy(imported);
        return [...lazy].map((fileName) => ({
          tag: 'link',
          attrs: { rel: 'prefetch', href: `/${fileName}`, crossorigin: true, ...(fileName.endsWith('.js') ? { as: 'script' } : {}) },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

/**
 * The entry script at low fetch priority. A module script never holds up the first paint: the sign-in brand in
 * index.html paints from the HTML and the stylesheet alone. Chromium still gives module scripts high priority, and
 * Lighthouse's simulation counts a high-priority script that happens to finish loading before the first paint as
 * render-blocking, so on loopback the sign-in page's first contentful paint flipped between about 1.0 s and 1.7 s
 * from one run to the next (docs/benchmarks.md "The page"). The priority hint says what the page needs first.
 */
function lowPriorityEntry(): Plugin {
  return {
    name: 'low-priority-entry',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, { chunk }) {
        if (!chunk) return html;
        const tag = `<script type="module" crossorigin src="/${chunk.fileName}"></script>`;
        if (!html.includes(tag)) throw new Error(`low-priority-entry: the built index.html has no ${tag}`);
        return html.replace(tag, `<script type="module" crossorigin fetchpriority="low" src="/${chunk.fileName}"></script>`);
      },
    },
  };
}

export default defineConfig({
  // React's automatic JSX runtime and Fast Refresh (component edits keep their state); with an offline sandbox's
  // amplify_outputs.json, HTTPS and the sandbox's endpoints under the app's own origin (amplify-gen2-offline/vite).
  plugins: [react(), offlineSandbox(), prefetchLazyChunks(), lowPriorityEntry()],
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  // The app's dependencies are found from its own page only: by default Vite scans every HTML file under the root,
  // which includes the sandbox console's pages (offline/console/ui, a separate bundle with GraphiQL's workers that the
  // app never loads and that Vite's dependency pre-bundling cannot take).
  optimizeDeps: { entries: ['index.html'] },
  preview: { host: '127.0.0.1' },
  build: {
    rolldownOptions: {
      onwarn(warning, warn) {
        // Amplify UI ships React Server Components directives; irrelevant in a client-only bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
