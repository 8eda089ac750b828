// Worker threads cannot load TypeScript directly: register the tsx loader (the sandbox runs under
// tsx in development and tests), then run the worker module.
import { register } from 'tsx/esm/api';

register();
const workerModule = './worker.ts';
await import(workerModule);
