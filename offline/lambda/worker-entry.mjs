// An execution environment on a Node that does not run TypeScript by itself (the fallback to an older Node, or the
// package inside node_modules, where Node strips no types): register the tsx loader, then run the worker module.
import { register } from 'tsx/esm/api';

register();
const workerModule = './worker.ts';
await import(workerModule);
