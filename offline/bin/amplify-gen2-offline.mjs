#!/usr/bin/env node
// The package's command line: TypeScript sources run through tsx's loader (registered here, so no flag is needed).
import { register } from 'tsx/esm/api';

register();
const main = '../cli/main.ts';
await import(main);
