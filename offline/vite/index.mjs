/**
 * `amplify-gen2-offline/vite`: the Vite plugin (plugin.ts), loadable from a project's vite.config.ts. Vite loads a
 * config's packages with Node itself, which cannot run TypeScript: this entry loads the plugin through tsx, scoped to
 * its own imports (nothing else Vite loads goes through tsx).
 */
import { register } from 'tsx/esm/api';

const scoped = register({ namespace: 'amplify-gen2-offline-vite' });
/** @type {typeof import('./plugin.ts')} */
const plugin = await scoped.import('./plugin.ts', import.meta.url);
scoped.unregister();

export const { offlineSandbox, outputsModule, readOfflineOutputs, storageProxies, trustLine, PROXY_PATHS } = plugin;
