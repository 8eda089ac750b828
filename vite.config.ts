import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { offlineSandbox } from 'amplify-gen2-offline/vite';

export default defineConfig({
  // React's automatic JSX runtime and Fast Refresh (component edits keep their state); with an offline sandbox's
  // amplify_outputs.json, HTTPS and the sandbox's endpoints under the app's own origin (amplify-gen2-offline/vite).
  plugins: [react(), offlineSandbox()],
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
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
