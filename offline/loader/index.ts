/** Reads a synthesized Gen 2 backend (a CDK cloud assembly) into the description every service starts from. See README.md. */
export { loadCdkOut } from './load-cdk-out.js';
export { CloudAssembly } from './cloud-assembly.js';
export { LoadedStack } from './stack-tree.js';
export type * from './types.js';
export { STANDARD_ATTRIBUTES } from './cognito-attributes.js';
