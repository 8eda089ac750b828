// An execution environment on a Node that does not run TypeScript by itself (the fallback to an older Node, or the
// package inside node_modules, where Node strips no types): register the tsx loader, import the worker module, then
// deactivate the loader before the function's bundle is imported (worker.ts waits for the promise set here before it
// imports the bundle). A bundle is JavaScript, which Lambda loads with Node's own loader (tsx's resolver would accept what
// Lambda refuses, e.g. an import without its extension); and through tsx's hooks a 2 MB bundle's import took about
// 100 MiB more per environment (~210 MiB RSS instead of ~110).
import { register } from 'tsx/esm/api';

/** @type {() => void} */
let done = () => {};
Reflect.set(globalThis, Symbol.for('amplify-gen2-offline.lambda.loader-done'), new Promise((resolve) => (done = () => resolve(undefined))));
const unregister = register();
try {
  const workerModule = './worker.ts';
  await import(workerModule);
} finally {
  await unregister();
  done();
}
