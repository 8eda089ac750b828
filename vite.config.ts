import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { offlineSandbox } from 'amplify-gen2-offline/vite';

export default defineConfig({
  // React's automatic JSX runtime and Fast Refresh (component edits keep their state); with an offline sandbox's
  // amplify_outputs.json, HTTPS and the sandbox's endpoints under the app's own origin (amplify-gen2-offline/vite).
  plugins: [react(), offlineSandbox()],
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
