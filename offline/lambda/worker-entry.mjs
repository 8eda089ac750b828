// An execution environment is a plain Node process (on the Node its runtime names, 20 or 24), which cannot load
// TypeScript by itself: register the tsx loader, then run the worker module.
import { register } from 'tsx/esm/api';

register();
const workerModule = './worker.ts';
await import(workerModule);
